/*
 * Ethernet II framing: ether_input validates a received frame and hands the
 * payload to ARP or IPv4; ether_output adds the header (after ARP resolves the
 * next hop) and calls the driver's transmit hook. Anything malformed or of an
 * unknown ethertype is counted and dropped; nothing here throws to a driver.
 */
import { arpinput, arpresolve } from '../netinet/if_ether.ts';
import { ip_input } from '../netinet/ip_input.ts';
import { ETHER_ADDR_LEN, IFF_PROMISC, type Ifnet } from './if.ts';

export const ETHER_HDR_LEN = 14;
export const ETHER_MIN_LEN = 60; /* without FCS */
export const ETHERTYPE_IP = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;
export const etherbroadcastaddr = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export function ether_sprintf(a: Uint8Array): string {
  return Array.from(a.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

function isBroadcast(b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 6; i++) if (b[o + i] !== 0xff) return false;
  return true;
}

function isMine(ifp: Ifnet, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (b[i] !== ifp.hwaddr[i]) return false;
  return true;
}

/** A frame from the driver. Never throws. */
export function ether_input(ifp: Ifnet, frame: Uint8Array): void {
  const vn = ifp.vnet;
  try {
    if ((ifp.flags & 1) === 0) {
      ifp.iqdrops++;
      return;
    }
    ifp.ipackets++;
    ifp.ibytes += frame.length;
    /* Header present, payload no bigger than MTU (+4 for a VLAN tag we then refuse). */
    if (frame.length < ETHER_HDR_LEN || frame.length > ETHER_HDR_LEN + ifp.mtu + 4) {
      ifp.ierrors++;
      vn.stat('ether', 'badlen');
      return;
    }
    const bcast = isBroadcast(frame, 0);
    const mcast = !bcast && (frame[0] & 1) !== 0;
    if (bcast || mcast) ifp.imcasts++;
    else if (!isMine(ifp, frame) && (ifp.flags & IFF_PROMISC) === 0) {
      vn.stat('ether', 'notforus');
      return;
    }
    const type = (frame[12] << 8) | frame[13];
    /* Copy: the driver may reuse its buffer, and upper layers keep slices. */
    const payload = frame.slice(ETHER_HDR_LEN);
    switch (type) {
      case ETHERTYPE_IP:
        ip_input(ifp, payload, bcast || mcast);
        return;
      case ETHERTYPE_ARP:
        arpinput(ifp, payload);
        return;
      default:
        ifp.noproto++;
        ifp.iqdrops++;
        vn.stat('ether', 'noproto');
        return;
    }
  } catch (e) {
    /* A bug in a protocol must not take the driver (or the kernel) down. */
    ifp.ierrors++;
    vn.stat('ether', 'input_exception');
    vn.lastInputError = e instanceof Error ? e.message : String(e);
  }
}

/** Build and transmit one frame. */
export function ether_output_frame(ifp: Ifnet, dst: Uint8Array, type: number, payload: Uint8Array): void {
  const out = ifp.if_output;
  if (!out || !ifp.usable()) {
    ifp.oerrors++;
    return;
  }
  const len = Math.max(ETHER_MIN_LEN, ETHER_HDR_LEN + payload.length);
  const f = new Uint8Array(len);
  f.set(dst.subarray(0, ETHER_ADDR_LEN), 0);
  f.set(ifp.hwaddr, 6);
  f[12] = type >>> 8;
  f[13] = type & 255;
  f.set(payload, ETHER_HDR_LEN);
  ifp.opackets++;
  ifp.obytes += len;
  try {
    out(ifp, f);
  } catch {
    ifp.oerrors++;
  }
}

/** Send an IPv4 datagram to nexthop on ifp (resolving it with ARP). */
export function ether_output(ifp: Ifnet, dgram: Uint8Array, nexthop: number, bcast: boolean): void {
  if (bcast) {
    ether_output_frame(ifp, etherbroadcastaddr, ETHERTYPE_IP, dgram);
    return;
  }
  const mac = arpresolve(ifp, nexthop, dgram);
  if (mac) ether_output_frame(ifp, mac, ETHERTYPE_IP, dgram);
}
