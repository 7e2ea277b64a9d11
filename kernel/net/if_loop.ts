/*
 * lo0: the software loopback, 127.0.0.1/8, attached at boot. Output queues the
 * datagram on the stack's netisr so delivery never re-enters the sender.
 */
import { ip_input } from '../netinet/ip_input.ts';
import { in_addifaddr } from '../netinet/in_control.ts';
import { IFF_LOOPBACK, IFF_MULTICAST, IFF_UP, if_attach, ifunit, type Ifnet } from './if.ts';
import type { Vnet } from './vnet.ts';

export const LOMTU = 16384;

export function loattach(vn: Vnet): Ifnet {
  const old = ifunit(vn, 'lo0');
  if (old) return old;
  const ifp = if_attach(vn, { name: 'lo', unit: 0, mtu: LOMTU, flags: IFF_LOOPBACK | IFF_MULTICAST | IFF_UP });
  in_addifaddr(ifp, 0x7f000001, 0xff000000);
  return ifp;
}

/** Deliver an IPv4 datagram back to ourselves. */
export function looutput(ifp: Ifnet, dgram: Uint8Array): void {
  if ((ifp.flags & IFF_UP) === 0) {
    ifp.oerrors++;
    return;
  }
  ifp.opackets++;
  ifp.obytes += dgram.length;
  const copy = dgram.slice();
  ifp.vnet.netisr(() => {
    ifp.ipackets++;
    ifp.ibytes += copy.length;
    ip_input(ifp, copy, false);
  });
}
