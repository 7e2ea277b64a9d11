/*
 * TCP support (BSD tcp_subr.c): new control blocks, ISNs, bare segments
 * (RSTs and ACKs without a connection), drop and close, ICMP errors.
 */
import { ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT } from '../kern/errno.ts';
import { soisdisconnected, sorwakeup, type Socket } from '../kern/socketvar.ts';
import type { Vnet } from '../net/vnet.ts';
import { IPPROTO_TCP, put16, put32 } from './in.ts';
import { in_pseudo_cksum } from './in_cksum.ts';
import { type Inpcb, in_pcballoc, in_pcbdetach, in_pcblookup, pcbtable } from './in_pcb.ts';
import { ICMP_UNREACH } from './ip_icmp.ts';
import { ip_output } from './ip_output.ts';
import { SEQ_GEQ, SEQ_LT } from './tcp_seq.ts';
import { tcp_canceltimers, tcp_timers_want } from './tcp_timer.ts';
import {
  TcpCb, TCPS_CLOSED, TCPS_ESTABLISHED, TCPS_SYN_RECEIVED, TCPS_SYN_SENT, TF_DETACHED, TH_ACK, TH_RST,
  TCP_MAXWIN, intotcpcb, TCPS_LISTEN,
} from './tcp_var.ts';

export const TCP_HDR_LEN = 20;

export function tcp_attach(vn: Vnet, so: Socket): Inpcb {
  const inp = in_pcballoc(vn, so, IPPROTO_TCP);
  inp.ppcb = tcp_newtcpcb(inp);
  return inp;
}

export function tcp_newtcpcb(inp: Inpcb): TcpCb {
  const tp = new TcpCb(inp);
  tp.t_rcvtime = inp.vnet.now();
  return tp;
}

/** A fresh initial sequence number from the random source (RFC 6528's goal). */
export function tcp_iss(vn: Vnet): number {
  return vn.random32();
}

/** All TCP connections of a stack (for timers, netstat). */
export function tcp_pcbs(vn: Vnet): Inpcb[] {
  return pcbtable(vn, IPPROTO_TCP).list;
}

/** Build the header and send one segment. Options are passed prebuilt. */
export function tcp_sendseg(
  vn: Vnet, src: number, dst: number, sport: number, dport: number, seq: number, ack: number,
  flags: number, win: number, opts: Uint8Array | null, data: Uint8Array | null, ttl?: number, device?: string,
): void {
  const olen = opts ? opts.length : 0;
  const dlen = data ? data.length : 0;
  const s = new Uint8Array(TCP_HDR_LEN + olen + dlen);
  put16(s, 0, sport);
  put16(s, 2, dport);
  put32(s, 4, seq >>> 0);
  put32(s, 8, ack >>> 0);
  s[12] = ((TCP_HDR_LEN + olen) >> 2) << 4;
  s[13] = flags;
  put16(s, 14, Math.min(win, TCP_MAXWIN));
  if (opts) s.set(opts, TCP_HDR_LEN);
  if (data) s.set(data, TCP_HDR_LEN + olen);
  put16(s, 16, in_pseudo_cksum(src, dst, IPPROTO_TCP, s, 0, s.length));
  vn.stat('tcp', 'OutSegs');
  if (flags & TH_RST) vn.stat('tcp', 'OutRsts');
  ip_output(vn, s, { src, dst, proto: IPPROTO_TCP, ttl, device });
}

/** A segment without a connection (RST replies; keepalive probes use it too). */
export function tcp_respond(vn: Vnet, src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number): void {
  try {
    tcp_sendseg(vn, src, dst, sport, dport, seq, ack, flags, 0, null, null);
  } catch {
    /* no route back: nothing to do */
  }
}

/** Abort the connection with an error for the user (and an RST to the peer if synchronized). */
export function tcp_drop(tp: TcpCb, errno: number): void {
  const so = tp.inp.so;
  if (tp.state >= TCPS_SYN_RECEIVED && tp.state !== TCPS_CLOSED) {
    const was = tp.state;
    tp.state = TCPS_CLOSED;
    const inp = tp.inp;
    try {
      tcp_sendseg(inp.vnet, inp.laddr, inp.faddr, inp.lport, inp.fport, tp.snd_nxt, tp.rcv_nxt, TH_RST | TH_ACK, 0, null, null);
    } catch {
      /* unreachable peer */
    }
    inp.vnet.stat('tcp', was === TCPS_SYN_RECEIVED ? 'AttemptFails' : 'EstabResets');
  }
  if (errno === ETIMEDOUT && tp.t_softerror) errno = tp.t_softerror;
  if (so && !(tp.t_flags & TF_DETACHED)) so.so_error = errno;
  tcp_close(tp);
}

/** The connection is over: release the pcb, tell the socket. */
export function tcp_close(tp: TcpCb): void {
  const inp = tp.inp;
  const so = inp.so;
  tcp_canceltimers(tp);
  tp.state = TCPS_CLOSED;
  tp.reass.length = 0;
  if (so && !(tp.t_flags & TF_DETACHED)) {
    soisdisconnected(so);
    /* Keep the (empty) pcb on the socket until detach so getsockname still answers. */
    inp.listening = false;
    const i = inp.table.list.indexOf(inp);
    if (i >= 0) inp.table.list.splice(i, 1);
    return;
  }
  in_pcbdetach(inp);
}

/** ICMP error about a segment we sent. */
export function tcp_ctlinput(vn: Vnet, err: number, type: number, src: number, sport: number, dst: number, dport: number, seq: number): void {
  const inp = in_pcblookup(pcbtable(vn, IPPROTO_TCP), dst, dport, src, sport, false);
  if (!inp) return;
  const tp = intotcpcb(inp);
  if (!tp || tp.state === TCPS_LISTEN || tp.state === TCPS_CLOSED) return;
  /* Only for data we have outstanding (blind-attack check, RFC 5927). */
  if (SEQ_LT(seq, tp.snd_una) || SEQ_GEQ(seq, tp.snd_max)) return;
  /* An unreachable destination fails a connection attempt at once (as Linux). */
  if (tp.state === TCPS_SYN_SENT && type === ICMP_UNREACH) {
    tcp_drop(tp, err);
    return;
  }
  if (tp.state < TCPS_ESTABLISHED && tp.t_rxtshift > 3 && (err === EHOSTUNREACH || err === ENETUNREACH)) {
    tcp_drop(tp, err);
    return;
  }
  /* Otherwise a soft error: reported if the connection later times out. */
  tp.t_softerror = err;
  if (inp.so && tp.state < TCPS_ESTABLISHED) sorwakeup(inp.so);
}

/** Reset timers and make sure the tick runs (after changing t_timer). */
export function tcp_timers_changed(tp: TcpCb): void {
  tcp_timers_want(tp.inp.vnet);
}

