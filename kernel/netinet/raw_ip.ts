/*
 * Raw IP sockets (BSD raw_ip.c) and Linux-style ICMP "ping" sockets.
 * SOCK_RAW (root only): every datagram of the socket's protocol, IP header
 * included, is copied to it; what it sends is the payload (or, with
 * IP_HDRINCL, the whole datagram). SOCK_DGRAM/IPPROTO_ICMP (any user, as
 * Linux with a permissive ping_group_range): the socket sends echo requests
 * whose identifier the kernel sets to the socket's port, and receives the
 * matching echo replies (and ICMP errors as so_error) without IP header.
 */
import { SysError, EDESTADDRREQ, EHOSTUNREACH, EINVAL, EISCONN, EMSGSIZE } from '../kern/errno.ts';
import { icmp_errno } from './ip_icmp.ts';
import { sbappendaddr, sorwakeup, SO_BROADCAST, SS_ISCONNECTED, type Socket } from '../kern/socketvar.ts';
import { sockaddrIn, type SockAddr } from '../kern/uipc_sockaddr.ts';
import { get16, get32, IPPROTO_ICMP, put16 } from './in.ts';
import { in_cksum } from './in_cksum.ts';
import { type Inpcb, in_pcbbind, pcbtable, sinOf } from './in_pcb.ts';
import type { IpPacket } from './ip_input.ts';
import { ip_output } from './ip_output.ts';

/** pcb table keys: raw sockets and ping sockets live apart from UDP/TCP. */
export const PCB_RAW = 255;
export const PCB_PING = 1;

/** Copy a received datagram to raw (and for ICMP, ping) sockets. True if anyone took it. */
export function rip_input(ip: IpPacket): boolean {
  const vn = ip.ifp.vnet;
  let n = 0;
  const from = sockaddrIn(ip.h.src, 0);
  for (const inp of pcbtable(vn, PCB_RAW).list) {
    const so = inp.so;
    if (!so || so.so_protocol !== ip.h.p) continue;
    if (inp.laddr && inp.laddr !== ip.h.dst) continue;
    if (inp.faddr && inp.faddr !== ip.h.src) continue;
    if (inp.device && inp.device !== ip.ifp.name) continue;
    if (sbappendaddr(so.so_rcv, from, ip.pkt.slice())) sorwakeup(so);
    n++;
  }
  if (ip.h.p === IPPROTO_ICMP) n += ping_input(ip);
  return n > 0;
}

const ICMP_ECHOREPLY = 0;
const ICMP_ECHO = 8;

function ping_input(ip: IpPacket): number {
  const vn = ip.ifp.vnet;
  const m = ip.pkt.subarray(ip.h.hl);
  if (m.length < 8) return 0;
  const type = m[0];
  let id: number;
  let peer = ip.h.src;
  if (type === ICMP_ECHOREPLY) id = get16(m, 4);
  else if (type === 3 || type === 11 || type === 12) {
    /* An error quoting one of our echo requests: report it on that socket. */
    const q = m.subarray(8);
    if (q.length < 28 || q[9] !== IPPROTO_ICMP) return 0;
    const qhl = (q[0] & 15) << 2;
    if (q.length < qhl + 8 || q[qhl] !== ICMP_ECHO) return 0;
    id = get16(q, qhl + 4);
    peer = get32(q, 16);
    for (const inp of pcbtable(vn, PCB_PING).list) {
      if (inp.lport === id && inp.so && (!inp.faddr || inp.faddr === peer)) {
        inp.so.so_error = icmp_errno(type, m[1]) || EHOSTUNREACH;
        sorwakeup(inp.so);
        return 1;
      }
    }
    return 0;
  } else return 0;
  for (const inp of pcbtable(vn, PCB_PING).list) {
    const so = inp.so;
    if (!so || inp.lport !== id) continue;
    if (inp.faddr && inp.faddr !== peer) continue;
    if (sbappendaddr(so.so_rcv, sockaddrIn(peer, 0), m.slice())) sorwakeup(so);
    return 1;
  }
  return 0;
}

function destOf(so: Socket, inp: Inpcb, addr: SockAddr | null): number {
  if (addr) {
    if (so.so_state & SS_ISCONNECTED) throw new SysError(EISCONN);
    return sinOf(addr).addr;
  }
  if (!(so.so_state & SS_ISCONNECTED)) throw new SysError(EDESTADDRREQ);
  return inp.faddr;
}

export function rip_send(inp: Inpcb, so: Socket, data: Uint8Array, addr: SockAddr | null): void {
  const vn = inp.vnet;
  const dst = destOf(so, inp, addr);
  if (inp.hdrincl) {
    /* The user wrote the header; we fill in the length, id if 0, and checksum. */
    if (data.length < 20 || data.length > 65535) throw new SysError(EINVAL);
    const d = data.slice();
    const hl = (d[0] & 15) << 2;
    if (hl < 20 || hl > d.length) throw new SysError(EINVAL);
    ip_output(vn, d.subarray(hl), {
      src: get32(d, 12), dst: get32(d, 16) || dst, proto: d[9], ttl: d[8], tos: d[1], device: inp.device,
      broadcastOk: (so.so_options & SO_BROADCAST) !== 0,
    });
    return;
  }
  ip_output(vn, data, {
    src: inp.laddr, dst, proto: so.so_protocol, ttl: inp.ttl, tos: inp.tos, device: inp.device,
    broadcastOk: (so.so_options & SO_BROADCAST) !== 0,
  });
}

/** A ping socket's send: an echo request, id = our port, checksum by us. */
export function ping_send(inp: Inpcb, so: Socket, data: Uint8Array, addr: SockAddr | null, uid: number): void {
  const dst = destOf(so, inp, addr);
  if (data.length < 8 || data[0] !== ICMP_ECHO || data[1] !== 0) throw new SysError(EINVAL);
  if (data.length > 65535 - 20) throw new SysError(EMSGSIZE);
  if (inp.lport === 0) in_pcbbind(inp, null, uid);
  const m = data.slice();
  put16(m, 4, inp.lport);
  m[2] = m[3] = 0;
  put16(m, 2, in_cksum(m, 0, m.length));
  inp.vnet.stat('icmp', 'OutMsgs');
  inp.vnet.stat('icmp', 'OutEchos');
  ip_output(inp.vnet, m, {
    src: inp.laddr, dst, proto: IPPROTO_ICMP, ttl: inp.ttl, tos: inp.tos, device: inp.device,
    broadcastOk: (so.so_options & SO_BROADCAST) !== 0,
  });
}

