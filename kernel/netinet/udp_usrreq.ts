/*
 * UDP (RFC 768, BSD udp_usrreq.c): checksummed datagrams to and from
 * sockets. Broadcasts go to every matching socket; a unicast datagram for no
 * socket draws an ICMP port unreachable. dhclient's needs: sending from
 * 0.0.0.0 to 255.255.255.255 out of the SO_BINDTODEVICE interface (or the
 * only non-loopback one) before it has an address, and receiving replies to
 * port 68 on it.
 */
import { SysError, EDESTADDRREQ, EISCONN, EMSGSIZE, ENOTCONN } from '../kern/errno.ts';
import { sbappendaddr, soisconnected, sorwakeup, SO_BROADCAST, SS_ISCONNECTED, type Socket } from '../kern/socketvar.ts';
import { sockaddrIn, type SockAddr } from '../kern/uipc_sockaddr.ts';
import type { Vnet } from '../net/vnet.ts';
import { get16, IPPROTO_UDP, put16 } from './in.ts';
import { in_pseudo_cksum } from './in_cksum.ts';
import { type Inpcb, in_pcballoc, in_pcbbind, in_pcbconnect, in_pcbdisconnect, in_pcblookup, pcbtable, sinOf } from './in_pcb.ts';
import { icmp_error, ICMP_UNREACH, ICMP_UNREACH_PORT } from './ip_icmp.ts';
import type { IpPacket } from './ip_input.ts';
import { ip_output, ip_route, ip_srcaddr } from './ip_output.ts';

export const UDP_HDR_LEN = 8;
export const udpParams = { checksum: 1 };

export function udp_attach(vn: Vnet, so: Socket): Inpcb {
  return in_pcballoc(vn, so, IPPROTO_UDP);
}

export function udp_input(ip: IpPacket): void {
  const vn = ip.ifp.vnet;
  const hl = ip.h.hl;
  const u = ip.pkt.subarray(hl);
  if (u.length < UDP_HDR_LEN) {
    vn.stat('udp', 'InErrors');
    return;
  }
  const sport = get16(u, 0);
  const dport = get16(u, 2);
  const ulen = get16(u, 4);
  if (ulen < UDP_HDR_LEN || ulen > u.length) {
    vn.stat('udp', 'InErrors');
    return;
  }
  const d = u.subarray(0, ulen);
  if (get16(u, 6) !== 0 && in_pseudo_cksum(ip.h.src, ip.h.dst, IPPROTO_UDP, d, 0, ulen) !== 0) {
    vn.stat('udp', 'InErrors');
    vn.stat('udp', 'InCsumErrors');
    return;
  }
  const data = d.slice(UDP_HDR_LEN);
  const from = sockaddrIn(ip.h.src, sport);
  const t = pcbtable(vn, IPPROTO_UDP);
  if (ip.bcast) {
    /* Every socket bound to the port (and to this interface, if it asked). */
    let n = 0;
    for (const inp of t.list) {
      if (inp.lport !== dport || !inp.so) continue;
      if (inp.laddr !== 0 && inp.laddr !== ip.h.dst && ip.h.dst !== 0xffffffff) continue;
      if (inp.faddr !== 0 && (inp.faddr !== ip.h.src || inp.fport !== sport)) continue;
      if (inp.device && inp.device !== ip.ifp.name) continue;
      deliver(vn, inp, from, data);
      n++;
    }
    if (!n) vn.stat('udp', 'NoPorts');
    return;
  }
  const inp = in_pcblookup(t, ip.h.src, sport, ip.h.dst, dport, true);
  if (!inp || !inp.so || (inp.device && inp.device !== ip.ifp.name)) {
    vn.stat('udp', 'NoPorts');
    icmp_error(ip, ICMP_UNREACH, ICMP_UNREACH_PORT);
    return;
  }
  deliver(vn, inp, from, data);
}

function deliver(vn: Vnet, inp: Inpcb, from: SockAddr, data: Uint8Array): void {
  const so = inp.so;
  if (!so) return;
  if (!sbappendaddr(so.so_rcv, from, data)) {
    vn.stat('udp', 'RcvbufErrors');
    vn.stat('udp', 'InErrors');
    return;
  }
  vn.stat('udp', 'InDatagrams');
  sorwakeup(so);
}

/** An ICMP error about a datagram we sent: only connected sockets hear of it (as Linux). */
export function udp_ctlinput(vn: Vnet, err: number, src: number, sport: number, dst: number, dport: number): void {
  const inp = in_pcblookup(pcbtable(vn, IPPROTO_UDP), dst, dport, src, sport, false);
  if (!inp?.so || !(inp.so.so_state & SS_ISCONNECTED)) return;
  inp.so.so_error = err;
  sorwakeup(inp.so);
}

export function udp_connect(inp: Inpcb, so: Socket, nam: SockAddr): void {
  const { addr, port } = sinOf(nam);
  if (so.so_state & SS_ISCONNECTED) {
    in_pcbdisconnect(inp);
  }
  const dst = addr === 0 ? 0x7f000001 : addr;
  const src = inp.laddr || ip_srcaddr(inp.vnet, dst, inp.device);
  in_pcbconnect(inp, dst, port, src);
  soisconnected(so);
}

export function udp_disconnect(inp: Inpcb, so: Socket): void {
  if (!(so.so_state & SS_ISCONNECTED)) throw new SysError(ENOTCONN);
  in_pcbdisconnect(inp);
  so.so_state &= ~SS_ISCONNECTED;
}

export function udp_send(inp: Inpcb, so: Socket, data: Uint8Array, addr: SockAddr | null, uid: number): void {
  const vn = inp.vnet;
  let faddr = inp.faddr;
  let fport = inp.fport;
  if (addr) {
    if (so.so_state & SS_ISCONNECTED) throw new SysError(EISCONN);
    const sin = sinOf(addr);
    faddr = sin.addr === 0 ? 0x7f000001 : sin.addr;
    fport = sin.port;
  } else if (!(so.so_state & SS_ISCONNECTED)) throw new SysError(EDESTADDRREQ);
  if (inp.lport === 0) in_pcbbind(inp, null, uid);
  if (data.length + UDP_HDR_LEN > 65535 - 20) throw new SysError(EMSGSIZE);
  const u = new Uint8Array(UDP_HDR_LEN + data.length);
  put16(u, 0, inp.lport);
  put16(u, 2, fport);
  put16(u, 4, u.length);
  u.set(data, UDP_HDR_LEN);
  let src = inp.laddr;
  /* The same choice ip_output makes, since the checksum covers it. */
  if (src === 0) src = faddr === 0xffffffff ? ip_route(vn, faddr, inp.device).ifp.primaryAddr() : ip_srcaddr(vn, faddr, inp.device);
  if (udpParams.checksum) {
    const c = in_pseudo_cksum(src, faddr, IPPROTO_UDP, u, 0, u.length);
    put16(u, 6, c === 0 ? 0xffff : c);
  }
  try {
    ip_output(vn, u, {
      src, dst: faddr, proto: IPPROTO_UDP, ttl: inp.ttl, tos: inp.tos, device: inp.device,
      broadcastOk: (so.so_options & SO_BROADCAST) !== 0,
    });
  } catch (e) {
    vn.stat('udp', 'SndbufErrors');
    throw e;
  }
  vn.stat('udp', 'OutDatagrams');
}

