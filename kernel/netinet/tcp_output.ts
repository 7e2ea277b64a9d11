/*
 * TCP output (BSD tcp_output.c): decide whether to send, and what — new
 * data within min(peer window, cwnd), retransmissions from snd_nxt,
 * window updates, ACKs, SYN (with MSS and window-scale options) and FIN.
 * Nagle's algorithm holds back small segments while data is unacknowledged
 * unless TCP_NODELAY; the receiver side avoids silly-window updates.
 */
import { EHOSTUNREACH, ENETDOWN, ENETUNREACH, EHOSTDOWN } from '../kern/errno.ts';
import type { Socket } from '../kern/socketvar.ts';
import { SEQ_GT, SEQ_LT, seqAdd, seqDiff } from './tcp_seq.ts';
import { tcp_sendseg } from './tcp_subr.ts';
import { tcp_setpersist, tcp_settimer } from './tcp_timer.ts';
import {
  TcpCb, TCPS_CLOSED, TCPS_ESTABLISHED, TCPS_LISTEN, TCPS_SYN_SENT, TCPT_PERSIST, TCPT_REXMT,
  TCP_MAXWIN, TF_ACKNOW, TF_CORK, TF_DELACK, TF_FORCE, TF_NODELAY, TF_RCVD_SCALE, TF_REQ_SCALE, TF_SENTFIN,
  TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN,
} from './tcp_var.ts';

/** Flags each state sends (tcp_fsm.h tcp_outflags). */
const tcp_outflags = [
  TH_RST | TH_ACK, 0, TH_SYN, TH_SYN | TH_ACK, TH_ACK, TH_ACK, TH_FIN | TH_ACK, TH_FIN | TH_ACK,
  TH_FIN | TH_ACK, TH_ACK, TH_ACK,
];

function sndcc(so: Socket | null): number {
  return so ? so.so_snd.cc : 0;
}

function rcvspace(tp: TcpCb): number {
  const so = tp.inp.so;
  return so ? Math.max(0, so.so_rcv.space()) : 0;
}

function synOptions(tp: TcpCb, flags: number): Uint8Array {
  const o: number[] = [2, 4, (tp.t_maxopd >> 8) & 255, tp.t_maxopd & 255];
  if (tp.t_flags & TF_REQ_SCALE && (!(flags & TH_ACK) || tp.t_flags & TF_RCVD_SCALE)) o.push(1, 3, 3, tp.request_r_scale);
  return new Uint8Array(o);
}

export function tcp_output(tp: TcpCb): void {
  const inp = tp.inp;
  const vn = inp.vnet;
  const so = inp.so;
  if (tp.state === TCPS_CLOSED || tp.state === TCPS_LISTEN) return;
  for (let rounds = 0; rounds < 10000; rounds++) {
    const idle = tp.snd_max === tp.snd_una;
    const off = seqDiff(tp.snd_nxt, tp.snd_una);
    let win = Math.min(tp.snd_wnd, tp.snd_cwnd);
    let flags = tcp_outflags[tp.state];
    const force = (tp.t_flags & TF_FORCE) !== 0;
    const cc = sndcc(so);
    if (force) {
      if (win === 0) {
        /* Window probe: one byte (or the FIN). */
        if (off < cc) flags &= ~TH_FIN;
        win = 1;
      } else {
        tp.t_timer[TCPT_PERSIST] = 0;
        tp.t_rxtshift = 0;
      }
    }
    let len = Math.min(cc, win) - off;
    if (flags & TH_SYN) len = 0; /* no data on SYNs (we never use T/TCP) */
    if (len < 0) {
      /* The window shrank (or a FIN is outstanding): back up to what is allowed. */
      len = 0;
      if (win === 0) {
        tp.t_timer[TCPT_REXMT] = 0;
        tp.t_rxtshift = 0;
        tp.snd_nxt = tp.snd_una;
        if (tp.t_timer[TCPT_PERSIST] === 0) tcp_setpersist(tp);
      }
    }
    let sendalot = false;
    if (len > tp.t_maxseg) {
      len = tp.t_maxseg;
      sendalot = true;
    }
    if (SEQ_LT(seqAdd(tp.snd_nxt, len), seqAdd(tp.snd_una, cc))) flags &= ~TH_FIN;
    const rwin = rcvspace(tp);
    let send = false;
    if (len) {
      if (len === tp.t_maxseg) send = true;
      else if ((idle || tp.t_flags & TF_NODELAY) && !(tp.t_flags & TF_CORK) && len + off >= cc) send = true;
      else if (force) send = true;
      else if (tp.max_sndwnd > 0 && len >= tp.max_sndwnd / 2) send = true;
      else if (SEQ_LT(tp.snd_nxt, tp.snd_max)) send = true;
    }
    if (!send && rwin > 0 && tp.state >= TCPS_ESTABLISHED) {
      /* Window update when it opens by two segments or half the buffer. */
      const adv = Math.min(rwin, TCP_MAXWIN << tp.rcv_scale) - seqDiff(tp.rcv_adv, tp.rcv_nxt);
      const hiwat = so ? so.so_rcv.hiwat : 0;
      if (adv >= 2 * tp.t_maxseg || 2 * adv >= hiwat) send = true;
    }
    if (!send && tp.t_flags & TF_ACKNOW) send = true;
    if (!send && flags & (TH_SYN | TH_RST)) send = true;
    if (!send && flags & TH_FIN && (!(tp.t_flags & TF_SENTFIN) || tp.snd_nxt === tp.snd_una)) send = true;
    if (!send) {
      /* Data waiting but nothing may go: probe the window later. */
      if (cc && tp.t_timer[TCPT_REXMT] === 0 && tp.t_timer[TCPT_PERSIST] === 0) {
        tp.t_rxtshift = 0;
        tcp_setpersist(tp);
      }
      return;
    }
    /* ---- send a segment ---- */
    const opts = flags & TH_SYN ? synOptions(tp, flags) : null;
    if (flags & TH_FIN && tp.t_flags & TF_SENTFIN && tp.snd_nxt === tp.snd_max) tp.snd_nxt = seqAdd(tp.snd_nxt, -1);
    const data = len && so ? so.so_snd.copy(off, len) : null;
    if (len && off + len === cc) flags |= TH_PUSH;
    /* The receive window we advertise (receiver SWS avoidance, never shrink). */
    let w = rwin;
    const hiwat = so ? so.so_rcv.hiwat : 0;
    if (w < hiwat / 4 && w < tp.t_maxseg) w = 0;
    if (w > TCP_MAXWIN << tp.rcv_scale) w = TCP_MAXWIN << tp.rcv_scale;
    if (w < seqDiff(tp.rcv_adv, tp.rcv_nxt)) w = seqDiff(tp.rcv_adv, tp.rcv_nxt);
    const thwin = flags & TH_SYN ? Math.min(w, TCP_MAXWIN) : w >> tp.rcv_scale;
    let seq = tp.snd_nxt;
    if (!(flags & TH_SYN) && !len && !(flags & TH_FIN) && !force) seq = tp.snd_max; /* pure ACKs carry snd_max */
    const startseq = tp.snd_nxt;
    const sndMaxBefore = tp.snd_max;
    if (!force || tp.t_timer[TCPT_PERSIST] === 0) {
      if (flags & TH_SYN) tp.snd_nxt = seqAdd(tp.snd_nxt, 1);
      if (flags & TH_FIN) {
        tp.snd_nxt = seqAdd(tp.snd_nxt, 1);
        tp.t_flags |= TF_SENTFIN;
      }
      tp.snd_nxt = seqAdd(tp.snd_nxt, len);
      if (SEQ_GT(tp.snd_nxt, tp.snd_max)) {
        tp.snd_max = tp.snd_nxt;
        if (tp.t_rtttime === 0) {
          tp.t_rtttime = vn.now();
          tp.t_rtseq = startseq;
        }
      }
      if (tp.t_timer[TCPT_REXMT] === 0 && tp.snd_nxt !== tp.snd_una) {
        if (tp.t_timer[TCPT_PERSIST]) {
          tp.t_timer[TCPT_PERSIST] = 0;
          tp.t_rxtshift = 0;
        }
        tcp_settimer(tp, TCPT_REXMT, tp.t_rxtcur);
      }
    } else if (SEQ_GT(seqAdd(tp.snd_nxt, len), tp.snd_max)) tp.snd_max = seqAdd(tp.snd_nxt, len);
    if (len && SEQ_LT(startseq, sndMaxBefore)) vn.stat('tcp', 'RetransSegs');
    const ack = flags & TH_ACK || tp.state > TCPS_SYN_SENT ? tp.rcv_nxt : 0;
    if (tp.state !== TCPS_SYN_SENT) flags |= TH_ACK;
    try {
      tcp_sendseg(vn, inp.laddr, inp.faddr, inp.lport, inp.fport, seq, ack, flags, thwin, opts, data, inp.ttl, inp.device);
    } catch (e) {
      const errno = (e as { errno?: number }).errno ?? 0;
      /* Routing trouble before the connection is up is a soft error, retried by REXMT. */
      if (errno === EHOSTUNREACH || errno === ENETUNREACH || errno === ENETDOWN || errno === EHOSTDOWN) {
        tp.t_softerror = errno;
        return;
      }
      throw e;
    }
    if (w > 0 && SEQ_GT(seqAdd(tp.rcv_nxt, w), tp.rcv_adv)) tp.rcv_adv = seqAdd(tp.rcv_nxt, w);
    tp.last_ack_sent = tp.rcv_nxt;
    tp.t_flags &= ~(TF_ACKNOW | TF_DELACK);
    if (!sendalot) return;
  }
}

