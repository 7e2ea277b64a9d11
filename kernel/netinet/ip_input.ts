/*
 * IPv4 input (BSD ip_input.c): header validation (version, IHL, lengths,
 * checksum), "is it for us", reassembly, and the protocol switch. This host
 * does not forward (net.inet.ip.forwarding is 0): datagrams for others are
 * counted and dropped.
 */
import type { Ifnet } from '../net/if.ts';
import { get16, get32, IN_MULTICAST, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, in_broadcast } from './in.ts';
import { in_cksum } from './in_cksum.ts';
import { icmp_error, icmp_input, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL } from './ip_icmp.ts';
import { IP_MF, IP_OFFMASK, type IpHdr } from './ip.ts';
import { ip_reass } from './ip_reass.ts';
import { rip_input } from './raw_ip.ts';
import { tcp_input } from './tcp_input.ts';
import { udp_input } from './udp_usrreq.ts';

/** A received datagram: header fields plus the whole packet. */
export interface IpPacket {
  ifp: Ifnet;
  h: IpHdr;
  /** The whole datagram (header included), trimmed to ip_len. */
  pkt: Uint8Array;
  /** Arrived as a link-level broadcast/multicast or to a broadcast address. */
  bcast: boolean;
}

export function ip_input(ifp: Ifnet, pkt: Uint8Array, linkBcast: boolean): void {
  const vn = ifp.vnet;
  vn.stat('ip', 'InReceives');
  if (pkt.length < 20 || pkt[0] >> 4 !== 4) {
    vn.stat('ip', 'InHdrErrors');
    return;
  }
  const hl = (pkt[0] & 15) << 2;
  const len = get16(pkt, 2);
  if (hl < 20 || hl > pkt.length || len < hl || len > pkt.length) {
    vn.stat('ip', 'InHdrErrors');
    return;
  }
  if (in_cksum(pkt, 0, hl) !== 0) {
    vn.stat('ip', 'InHdrErrors');
    vn.stat('ip', 'InCsumErrors');
    return;
  }
  if (len < pkt.length) pkt = pkt.subarray(0, len); /* link padding */
  const h: IpHdr = {
    hl,
    tos: pkt[1],
    len,
    id: get16(pkt, 4),
    off: get16(pkt, 6),
    ttl: pkt[8],
    p: pkt[9],
    src: get32(pkt, 12),
    dst: get32(pkt, 16),
  };
  /* Martian sources: multicast/broadcast sources are never valid. */
  if (IN_MULTICAST(h.src) || h.src === 0xffffffff) {
    vn.stat('ip', 'InAddrErrors');
    return;
  }
  let bcast = linkBcast;
  let ours = false;
  if (ifp.isLoopback()) ours = true;
  else if (ifp.addrs.length === 0) ours = true; /* unconfigured: accept (BOOTP/DHCP offers) */
  else if (ifp.addrs.some((a) => a.addr === h.dst)) ours = true;
  else if (in_broadcast(vn, h.dst, ifp)) ours = bcast = true;
  else if (IN_MULTICAST(h.dst)) ours = bcast = h.dst === 0xe0000001; /* all-hosts only */
  if (!ours) {
    vn.stat('ip', 'InAddrErrors');
    return;
  }
  if (h.off & (IP_MF | IP_OFFMASK)) {
    const whole = ip_reass(ifp, h, pkt);
    if (!whole) return;
    pkt = whole;
    h.len = whole.length;
    h.off = 0;
  }
  ip_deliver({ ifp, h, pkt, bcast });
}

function ip_deliver(ip: IpPacket): void {
  const vn = ip.ifp.vnet;
  vn.stat('ip', 'InDelivers');
  switch (ip.h.p) {
    case IPPROTO_ICMP:
      icmp_input(ip);
      return;
    case IPPROTO_TCP:
      tcp_input(ip);
      return;
    case IPPROTO_UDP:
      udp_input(ip);
      return;
    default:
      if (rip_input(ip)) return;
      vn.stat('ip', 'InUnknownProtos');
      if (!ip.bcast) icmp_error(ip, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL);
  }
}
