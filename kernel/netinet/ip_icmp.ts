/*
 * ICMP (RFC 792, BSD ip_icmp.c): echo replies, errors we generate (port and
 * protocol unreachable, time exceeded in reassembly) with a rate limit, and
 * errors we receive, passed up to TCP/UDP as socket errors (ctlinput) and to
 * raw/ping sockets.
 */
import { ECONNREFUSED, EHOSTUNREACH, EMSGSIZE, ENETUNREACH, ENOPROTOOPT } from '../kern/errno.ts';
import type { Vnet } from '../net/vnet.ts';
import { get16, get32, IN_MULTICAST, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, in_broadcast, put16 } from './in.ts';
import { in_cksum } from './in_cksum.ts';
import type { IpPacket } from './ip_input.ts';
import { IP_OFFMASK } from './ip.ts';
import { ip_output } from './ip_output.ts';
import { rip_input } from './raw_ip.ts';
import { tcp_ctlinput } from './tcp_subr.ts';
import { udp_ctlinput } from './udp_usrreq.ts';

export const ICMP_ECHOREPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_SOURCEQUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIMXCEED = 11;
export const ICMP_PARAMPROB = 12;
export const ICMP_TSTAMP = 13;
export const ICMP_TSTAMPREPLY = 14;

export const ICMP_UNREACH_NET = 0;
export const ICMP_UNREACH_HOST = 1;
export const ICMP_UNREACH_PROTOCOL = 2;
export const ICMP_UNREACH_PORT = 3;
export const ICMP_UNREACH_NEEDFRAG = 4;
export const ICMP_TIMXCEED_INTRANS = 0;
export const ICMP_TIMXCEED_REASS = 1;

export const icmpParams = {
  /** Errors we may send per second (net.inet.icmp.icmplim). */
  icmplim: 200,
  /** Answer echo requests sent to broadcast addresses (net.inet.icmp.bmcastecho). */
  bmcastecho: 0,
};

const IN_NAMES: Record<number, string> = {
  0: 'InEchoReps', 3: 'InDestUnreachs', 4: 'InSrcQuenchs', 5: 'InRedirects', 8: 'InEchos',
  11: 'InTimeExcds', 12: 'InParmProbs', 13: 'InTimestamps', 14: 'InTimestampReps',
};
const OUT_NAMES: Record<number, string> = {
  0: 'OutEchoReps', 3: 'OutDestUnreachs', 8: 'OutEchos', 11: 'OutTimeExcds', 12: 'OutParmProbs',
  14: 'OutTimestampReps',
};

/** The errno an ICMP error means to a socket (BSD inetctlerrmap), or 0 to ignore. */
export function icmp_errno(type: number, code: number): number {
  if (type === ICMP_UNREACH) {
    if (code === ICMP_UNREACH_PORT || code === ICMP_UNREACH_PROTOCOL) return ECONNREFUSED;
    if (code === ICMP_UNREACH_NEEDFRAG) return EMSGSIZE;
    if (code === ICMP_UNREACH_NET) return ENETUNREACH;
    return EHOSTUNREACH;
  }
  if (type === ICMP_TIMXCEED) return EHOSTUNREACH;
  if (type === ICMP_PARAMPROB) return ENOPROTOOPT;
  return 0;
}

function limiter(vn: Vnet): { sec: number; n: number } {
  let s = vn.state.get('icmplim') as { sec: number; n: number } | undefined;
  if (!s) vn.state.set('icmplim', (s = { sec: -1, n: 0 }));
  return s;
}

/** Send an ICMP message (type/code/rest-of-header word + body) to dst. */
export function icmp_send(vn: Vnet, src: number, dst: number, type: number, code: number, word: number, body: Uint8Array): void {
  const m = new Uint8Array(8 + body.length);
  m[0] = type;
  m[1] = code;
  put16(m, 4, word >>> 16);
  put16(m, 6, word & 0xffff);
  m.set(body, 8);
  put16(m, 2, in_cksum(m, 0, m.length));
  vn.stat('icmp', 'OutMsgs');
  const name = OUT_NAMES[type];
  if (name) vn.stat('icmp', name);
  try {
    ip_output(vn, m, { src, dst, proto: IPPROTO_ICMP });
  } catch {
    vn.stat('icmp', 'OutErrors');
  }
}

/**
 * Report an error about a received datagram back to its source. Never about
 * ICMP errors, broadcasts, non-first fragments or bogus sources (RFC 1122).
 */
export function icmp_error(ip: IpPacket, type: number, code: number): void {
  const vn = ip.ifp.vnet;
  const pkt = ip.pkt;
  const hl = (pkt[0] & 15) << 2;
  const src = get32(pkt, 12);
  const dst = get32(pkt, 16);
  if (ip.bcast || get16(pkt, 6) & IP_OFFMASK) return;
  if (src === 0 || IN_MULTICAST(src) || in_broadcast(vn, src, ip.ifp)) return;
  if (pkt[9] === IPPROTO_ICMP && pkt.length >= hl + 1 && IN_NAMES[pkt[hl]] && pkt[hl] !== ICMP_ECHO && pkt[hl] !== ICMP_ECHOREPLY && pkt[hl] !== ICMP_TSTAMP) return;
  const lim = limiter(vn);
  const sec = Math.floor(vn.now() / 1000);
  if (lim.sec !== sec) {
    lim.sec = sec;
    lim.n = 0;
  }
  if (++lim.n > icmpParams.icmplim) {
    vn.stat('icmp', 'RateLimited');
    return;
  }
  /* Quote the header and 8 bytes of payload (RFC 792). */
  const body = pkt.slice(0, Math.min(pkt.length, hl + 8));
  /* We answer from the address it was sent to, if that is ours. */
  const from = ip.ifp.addrs.some((a) => a.addr === dst) || ip.ifp.isLoopback() ? dst : ip.ifp.primaryAddr();
  icmp_send(vn, from, src, type, code, 0, body);
}

export function icmp_input(ip: IpPacket): void {
  const vn = ip.ifp.vnet;
  const hl = ip.h.hl;
  const len = ip.pkt.length - hl;
  vn.stat('icmp', 'InMsgs');
  if (len < 8) {
    vn.stat('icmp', 'InErrors');
    return;
  }
  if (in_cksum(ip.pkt, hl, len) !== 0) {
    vn.stat('icmp', 'InErrors');
    vn.stat('icmp', 'InCsumErrors');
    return;
  }
  const type = ip.pkt[hl];
  const code = ip.pkt[hl + 1];
  const name = IN_NAMES[type];
  if (name) vn.stat('icmp', name);
  switch (type) {
    case ICMP_ECHO:
      if (ip.bcast && !icmpParams.bmcastecho) break;
      reflect(ip, ICMP_ECHOREPLY);
      return;
    case ICMP_TSTAMP:
      if (ip.bcast || len < 20) break;
      reflect(ip, ICMP_TSTAMPREPLY);
      return;
    case ICMP_UNREACH:
    case ICMP_TIMXCEED:
    case ICMP_PARAMPROB:
    case ICMP_SOURCEQUENCH:
      ctlinput(ip, type, code);
      break;
  }
  rip_input(ip);
}

/** Echo/timestamp replies: the same body back, addresses swapped. */
function reflect(ip: IpPacket, replyType: number): void {
  const vn = ip.ifp.vnet;
  const hl = ip.h.hl;
  const m = ip.pkt.slice(hl);
  m[0] = replyType;
  if (replyType === ICMP_TSTAMPREPLY) {
    const ms = Math.floor(vn.now()) % 86400000;
    for (const o of [8, 12]) {
      m[o] = (ms >>> 24) & 255; m[o + 1] = (ms >>> 16) & 255; m[o + 2] = (ms >>> 8) & 255; m[o + 3] = ms & 255;
    }
  }
  m[2] = m[3] = 0;
  put16(m, 2, in_cksum(m, 0, m.length));
  vn.stat('icmp', 'OutMsgs');
  vn.stat('icmp', OUT_NAMES[replyType] ?? 'OutOther');
  try {
    ip_output(vn, m, { src: ip.h.dst === 0xffffffff ? ip.ifp.primaryAddr() : ip.h.dst, dst: ip.h.src, proto: IPPROTO_ICMP });
  } catch {
    vn.stat('icmp', 'OutErrors');
  }
}

/** Hand an ICMP error to the transport protocol of the datagram it quotes. */
function ctlinput(ip: IpPacket, type: number, code: number): void {
  const q = ip.pkt.subarray(ip.h.hl + 8);
  if (q.length < 20 || q[0] >> 4 !== 4) return;
  const qhl = (q[0] & 15) << 2;
  if (qhl < 20 || q.length < qhl + 8) return;
  const err = icmp_errno(type, code);
  if (!err) return;
  const src = get32(q, 12);
  const dst = get32(q, 16);
  const sport = get16(q, qhl);
  const dport = get16(q, qhl + 2);
  const vn = ip.ifp.vnet;
  if (q[9] === IPPROTO_UDP) udp_ctlinput(vn, err, src, sport, dst, dport);
  else if (q[9] === IPPROTO_TCP) tcp_ctlinput(vn, err, type, src, sport, dst, dport, get32(q, qhl + 4));
}
