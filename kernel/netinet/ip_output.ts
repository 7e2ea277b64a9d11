/*
 * IPv4 output (BSD ip_output.c): route lookup (or the interface a socket is
 * bound to), source address selection, the header, fragmentation to the
 * interface MTU, and hand-off to the link layer (loopback for our own
 * addresses). Errors are thrown as SysError like everywhere in the kernel.
 */
import { SysError, EHOSTUNREACH, EMSGSIZE, ENETDOWN, ENETUNREACH, EACCES, EADDRNOTAVAIL } from '../kern/errno.ts';
import { ifa_ifwithaddr, ifunit, type Ifnet } from '../net/if.ts';
import { ether_output } from '../net/if_ethersubr.ts';
import { looutput } from '../net/if_loop.ts';
import { rt_nexthop } from '../net/route.ts';
import type { Vnet } from '../net/vnet.ts';
import { INADDR_BROADCAST, IN_LOOPBACK, IN_MULTICAST, in_broadcast } from './in.ts';
import { IP_DF, IP_HDR_LEN, IP_MAXPACKET, IPDEFTTL, ip_fillhdr } from './ip.ts';

export interface IpOutOpts {
  src: number;
  dst: number;
  proto: number;
  ttl?: number;
  tos?: number;
  df?: boolean;
  /** SO_BINDTODEVICE: the interface name to send from. */
  device?: string;
  /** SO_BROADCAST is set: sending to a broadcast address is allowed. */
  broadcastOk?: boolean;
}

function ipState(vn: Vnet): { id: number } {
  let s = vn.state.get('ip') as { id: number } | undefined;
  if (!s) vn.state.set('ip', (s = { id: vn.random32() & 0xffff }));
  return s;
}

export const ipParams = { defttl: IPDEFTTL, forwarding: 0 };

/** Where a datagram to dst goes: interface, next hop and whether it is a broadcast. */
export function ip_route(vn: Vnet, dst: number, device?: string): { ifp: Ifnet; nexthop: number; bcast: boolean } {
  const forced = device ? ifunit(vn, device) : null;
  if (device && !forced) throw new SysError(ENETDOWN);
  if (dst === INADDR_BROADCAST) {
    /* The limited broadcast: the bound device, or the only non-loopback interface. */
    const cands = forced ? [forced] : vn.ifnets.filter((i) => !i.isLoopback() && i.usable());
    if (cands.length !== 1) throw new SysError(ENETUNREACH);
    if (!cands[0].usable()) throw new SysError(ENETDOWN);
    return { ifp: cands[0], nexthop: dst, bcast: true };
  }
  const local = ifa_ifwithaddr(vn, dst);
  if (local || IN_LOOPBACK(dst)) {
    const lo = vn.ifnets.find((i) => i.isLoopback());
    if (!lo) throw new SysError(ENETUNREACH);
    return { ifp: lo, nexthop: dst, bcast: false };
  }
  if (forced) {
    if (!forced.usable()) throw new SysError(ENETDOWN);
    /* A route through the bound device if there is one, else on-link. */
    try {
      const r = rt_nexthop(vn, dst);
      if (r.ifp === forced) return { ifp: forced, nexthop: r.nexthop, bcast: in_broadcast(vn, dst, forced) };
    } catch {
      /* fall through: on-link */
    }
    return { ifp: forced, nexthop: dst, bcast: in_broadcast(vn, dst, forced) };
  }
  const r = rt_nexthop(vn, dst);
  return { ifp: r.ifp, nexthop: r.nexthop, bcast: in_broadcast(vn, dst, r.ifp) };
}

/** The source address for a datagram to dst (for unbound sockets and connect). */
export function ip_srcaddr(vn: Vnet, dst: number, device?: string): number {
  const { ifp } = ip_route(vn, dst, device);
  if (ifp.isLoopback()) {
    if (IN_LOOPBACK(dst)) return dst === 0x7f000001 ? dst : 0x7f000001;
    return dst; /* to one of our own addresses: from that address */
  }
  for (const a of ifp.addrs) if (((a.addr ^ dst) & a.mask) === 0) return a.addr;
  return ifp.primaryAddr();
}

/** Send payload as one or more IPv4 datagrams. */
export function ip_output(vn: Vnet, payload: Uint8Array, o: IpOutOpts): void {
  let route;
  try {
    route = ip_route(vn, o.dst, o.device);
  } catch (e) {
    vn.stat('ip', 'OutNoRoutes');
    throw e;
  }
  const { ifp, nexthop, bcast } = route;
  if (bcast && !o.broadcastOk) throw new SysError(EACCES);
  if (IN_MULTICAST(o.dst) && !bcast) throw new SysError(EHOSTUNREACH);
  let src = o.src;
  /* Unbound: the outgoing interface's address (0.0.0.0 only while it has none: DHCP). */
  if (src === 0) src = bcast ? ifp.primaryAddr() : ip_srcaddr(vn, o.dst, o.device);
  if (src !== 0 && !ifa_ifwithaddr(vn, src) && !IN_LOOPBACK(src)) throw new SysError(EADDRNOTAVAIL);
  const total = IP_HDR_LEN + payload.length;
  if (total > IP_MAXPACKET) throw new SysError(EMSGSIZE);
  vn.stat('ip', 'OutRequests');
  const id = ipState(vn).id = (ipState(vn).id + 1) & 0xffff;
  const hdr = { tos: o.tos ?? 0, id, ttl: o.ttl ?? ipParams.defttl, p: o.proto, src, dst: o.dst };
  if (total <= ifp.mtu) {
    const d = new Uint8Array(total);
    d.set(payload, IP_HDR_LEN);
    ip_fillhdr(d, { ...hdr, len: total, off: o.df ? IP_DF : 0 });
    send(ifp, d, nexthop, bcast);
    return;
  }
  if (o.df) {
    vn.stat('ip', 'FragFails');
    throw new SysError(EMSGSIZE);
  }
  /* Fragment: every piece but the last carries a multiple of 8 bytes. */
  const step = (ifp.mtu - IP_HDR_LEN) & ~7;
  for (let off = 0; off < payload.length; off += step) {
    const n = Math.min(step, payload.length - off);
    const d = new Uint8Array(IP_HDR_LEN + n);
    d.set(payload.subarray(off, off + n), IP_HDR_LEN);
    const mf = off + n < payload.length ? 0x2000 : 0;
    ip_fillhdr(d, { ...hdr, len: d.length, off: mf | (off >> 3) });
    vn.stat('ip', 'FragCreates');
    send(ifp, d, nexthop, bcast);
  }
  vn.stat('ip', 'FragOKs');
}

function send(ifp: Ifnet, d: Uint8Array, nexthop: number, bcast: boolean): void {
  if (ifp.isLoopback()) looutput(ifp, d);
  else ether_output(ifp, d, nexthop, bcast);
}
