/*
 * TCP input (BSD tcp_input.c, RFC 793 section 3.9 "segment arrives", with
 * RFC 1122, 5681 and 6298): validation, the listen path (SYN queue bounded
 * by the backlog), the SYN_SENT path (incl. simultaneous open), trimming to
 * the receive window, RST and SYN checks, ACK processing (RTT samples,
 * congestion window, fast retransmit/recovery on 3 duplicate ACKs), window
 * updates, in-order and out-of-order data, FIN and the closing states.
 */
import { ECONNREFUSED, ECONNRESET } from '../kern/errno.ts';
import {
  sbappend, soisconnected, soisdisconnected, socantrcvmore, soqremove, sonewconn, sorwakeup, sowwakeup,
  type Socket,
} from '../kern/socketvar.ts';
import { setCurvnet } from '../net/vnet_kern.ts';
import { get16, get32, IN_MULTICAST, in_broadcast } from './in.ts';
import { in_pseudo_cksum } from './in_cksum.ts';
import { type Inpcb, in_pcblookup, pcbtable } from './in_pcb.ts';
import type { IpPacket } from './ip_input.ts';
import { tcp_output } from './tcp_output.ts';
import { SEQ_GEQ, SEQ_GT, SEQ_LEQ, SEQ_LT, seqAdd, seqDiff } from './tcp_seq.ts';
import { tcp_close, tcp_drop, tcp_iss, tcp_respond } from './tcp_subr.ts';
import { tcp_canceltimers, tcp_setdelack, tcp_settimer, tcp_xmit_timer } from './tcp_timer.ts';
import {
  intotcpcb, TcpCb, TCPS_CLOSE_WAIT, TCPS_CLOSED, TCPS_CLOSING, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1,
  TCPS_FIN_WAIT_2, TCPS_HAVEESTABLISHED, TCPS_HAVERCVDFIN, TCPS_LAST_ACK, TCPS_LISTEN, TCPS_SYN_RECEIVED,
  TCPS_SYN_SENT, TCPS_TIME_WAIT, TCPT_2MSL, TCPT_KEEP, TCPT_REXMT, TCP_MAX_WINSHIFT, TCP_MAXWIN, TF_ACKNOW,
  TF_DELACK, TF_DETACHED, TF_RCVD_SCALE, TF_REQ_SCALE, TH_ACK, TH_FIN, TH_RST, TH_SYN, tcpParams,
} from './tcp_var.ts';

interface Seg {
  seq: number;
  ack: number;
  flags: number;
  win: number;
  data: Uint8Array;
  mss: number;
  wscale: number;
}

function parseOptions(t: Uint8Array, off: number, seg: Seg): void {
  for (let i = 20; i < off; ) {
    const kind = t[i];
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    if (i + 1 >= off) break;
    const len = t[i + 1];
    if (len < 2 || i + len > off) break;
    if (kind === 2 && len === 4) seg.mss = get16(t, i + 2);
    else if (kind === 3 && len === 3) seg.wscale = Math.min(TCP_MAX_WINSHIFT, t[i + 2]);
    i += len;
  }
}

/** The MSS we offer for a connection through ifp's MTU. */
export function tcp_mssopt(mtu: number): number {
  return Math.max(64, mtu - 40);
}

/** Apply the peer's MSS option (or the 536 default). */
function tcp_mss(tp: TcpCb, offer: number, mtu: number): void {
  tp.t_maxopd = tcp_mssopt(mtu);
  const peer = offer > 0 ? offer : tcpParams.mssdflt;
  tp.t_maxseg = Math.max(64, Math.min(peer, tp.t_maxopd));
  /* RFC 5681 initial window: 2..4 segments depending on size (RFC 3390). */
  tp.snd_cwnd = Math.min(4 * tp.t_maxseg, Math.max(2 * tp.t_maxseg, 4380));
}

/** Our window-scale request for the receive buffer size. */
export function tcp_rscale(hiwat: number): number {
  let s = 0;
  while (s < TCP_MAX_WINSHIFT && TCP_MAXWIN << s < hiwat) s++;
  return s;
}

export function tcp_input(ip: IpPacket): void {
  const vn = ip.ifp.vnet;
  const t = ip.pkt.subarray(ip.h.hl);
  vn.stat('tcp', 'InSegs');
  if (t.length < 20) {
    vn.stat('tcp', 'InErrs');
    return;
  }
  if (in_pseudo_cksum(ip.h.src, ip.h.dst, 6, t, 0, t.length) !== 0) {
    vn.stat('tcp', 'InErrs');
    vn.stat('tcp', 'InCsumErrors');
    return;
  }
  const off = (t[12] >> 4) << 2;
  if (off < 20 || off > t.length) {
    vn.stat('tcp', 'InErrs');
    return;
  }
  const sport = get16(t, 0);
  const dport = get16(t, 2);
  const seg: Seg = {
    seq: get32(t, 4),
    ack: get32(t, 8),
    flags: t[13] & 0x3f,
    win: get16(t, 14),
    data: t.slice(off),
    mss: 0,
    wscale: -1,
  };
  if (off > 20) parseOptions(t, off, seg);
  /* Never answer or accept segments to/from broadcast or multicast. */
  if (ip.bcast || IN_MULTICAST(ip.h.dst) || in_broadcast(vn, ip.h.src, ip.ifp)) return;
  for (let again = 0; again < 2; again++) {
    const inp = in_pcblookup(pcbtable(vn, 6), ip.h.src, sport, ip.h.dst, dport, true);
    const r = tcp_segment(ip, inp, seg, sport, dport);
    if (r !== 'again') return;
  }
}

type Result = 'done' | 'again';

function dropwithreset(ip: IpPacket, seg: Seg, sport: number, dport: number): Result {
  const vn = ip.ifp.vnet;
  if (seg.flags & TH_RST) return 'done';
  if (seg.flags & TH_ACK) tcp_respond(vn, ip.h.dst, ip.h.src, dport, sport, seg.ack, 0, TH_RST);
  else {
    let tlen = seg.data.length;
    if (seg.flags & TH_SYN) tlen++;
    if (seg.flags & TH_FIN) tlen++;
    tcp_respond(vn, ip.h.dst, ip.h.src, dport, sport, 0, seqAdd(seg.seq, tlen), TH_RST | TH_ACK);
  }
  return 'done';
}

function dropafterack(tp: TcpCb, seg: Seg): Result {
  if (seg.flags & TH_RST) return 'done';
  tp.t_flags |= TF_ACKNOW;
  tcp_output(tp);
  return 'done';
}

/** Drop the oldest incomplete connection of a full listener (BSD sodropablereq). */
function dropOldestIncomplete(head: Socket): boolean {
  const so = head.so_incomp[0];
  if (!so) return false;
  soqremove(so);
  const inp = so.so_pcb as Inpcb | null;
  const tp = inp ? intotcpcb(inp) : null;
  if (tp) {
    tp.t_flags |= TF_DETACHED;
    tcp_close(tp);
  }
  so.so_pcb = null;
  return true;
}

/** A SYN for a listening socket: a new connection in SYN_RECEIVED. */
function tcp_listen_input(ip: IpPacket, head: Socket, seg: Seg, sport: number, dport: number): Result {
  const vn = ip.ifp.vnet;
  if (seg.flags & TH_RST) return 'done';
  if (seg.flags & TH_ACK) return dropwithreset(ip, seg, sport, dport);
  if (!(seg.flags & TH_SYN)) return 'done';
  setCurvnet(vn);
  let so = sonewconn(head, 0);
  if (!so && dropOldestIncomplete(head)) {
    vn.stat('tcp', 'ListenDrops');
    so = sonewconn(head, 0);
  }
  if (!so) {
    vn.stat('tcp', 'ListenOverflows');
    return 'done';
  }
  const inp = so.so_pcb as Inpcb;
  const tp = intotcpcb(inp);
  if (!tp) return 'done';
  inp.laddr = ip.h.dst;
  inp.lport = dport;
  inp.faddr = ip.h.src;
  inp.fport = sport;
  const hinp = head.so_pcb as Inpcb | null;
  if (hinp) {
    inp.ttl = hinp.ttl;
    inp.tos = hinp.tos;
    const htp = intotcpcb(hinp);
    if (htp) {
      tp.t_flags |= htp.t_flags & 0x0004; /* TF_NODELAY is inherited */
      tp.t_keepidle = htp.t_keepidle;
      tp.t_keepintvl = htp.t_keepintvl;
      tp.t_keepcnt = htp.t_keepcnt;
    }
  }
  tcp_mss(tp, seg.mss, ip.ifp.mtu);
  if (seg.wscale >= 0) {
    tp.t_flags |= TF_RCVD_SCALE | TF_REQ_SCALE;
    tp.requested_s_scale = seg.wscale;
    tp.request_r_scale = tcp_rscale(so.so_rcv.hiwat);
  }
  tp.iss = tcp_iss(vn);
  tp.snd_recover = tp.iss;
  tp.snd_una = tp.snd_nxt = tp.snd_max = tp.snd_up = tp.iss;
  tp.irs = seg.seq;
  tp.rcv_nxt = tp.rcv_adv = seqAdd(seg.seq, 1);
  tp.t_flags |= TF_ACKNOW;
  tp.state = TCPS_SYN_RECEIVED;
  tp.t_rcvtime = vn.now();
  tcp_settimer(tp, TCPT_KEEP, tcpParams.keepInit);
  vn.stat('tcp', 'PassiveOpens');
  /* Continue at step 6 with the SYN consumed. */
  seg.seq = seqAdd(seg.seq, 1);
  tp.snd_wnd = seg.win;
  tp.snd_wl1 = seqAdd(seg.seq, -1);
  tp.rcv_wnd = Math.max(0, so.so_rcv.space());
  if (seg.data.length > tp.rcv_wnd) seg.data = seg.data.subarray(0, tp.rcv_wnd);
  return step6(tp, seg, false);
}

function tcp_segment(ip: IpPacket, inp: Inpcb | null, seg: Seg, sport: number, dport: number): Result {
  const vn = ip.ifp.vnet;
  const tp = inp ? intotcpcb(inp) : null;
  if (!inp || !tp || tp.state === TCPS_CLOSED) {
    vn.stat('tcp', 'NoPort');
    return dropwithreset(ip, seg, sport, dport);
  }
  if (tp.state === TCPS_LISTEN) {
    if (!inp.so) return 'done';
    return tcp_listen_input(ip, inp.so, seg, sport, dport);
  }
  const so = inp.so;
  tp.t_rcvtime = vn.now();
  if (tp.state >= TCPS_ESTABLISHED && tp.state <= TCPS_CLOSE_WAIT) tcp_settimer(tp, TCPT_KEEP, tp.t_keepidle);
  const tiwin = seg.flags & TH_SYN ? seg.win : seg.win << tp.snd_scale;
  /* Our receive window: what fits, but never less than already advertised. */
  tp.rcv_wnd = Math.max(so ? Math.max(0, so.so_rcv.space()) : 0, seqDiff(tp.rcv_adv, tp.rcv_nxt));

  if (tp.state === TCPS_SYN_SENT) {
    if (seg.flags & TH_ACK && (SEQ_LEQ(seg.ack, tp.iss) || SEQ_GT(seg.ack, tp.snd_max)))
      return dropwithreset(ip, seg, sport, dport);
    if (seg.flags & TH_RST) {
      if (seg.flags & TH_ACK) tcp_drop(tp, ECONNREFUSED);
      return 'done';
    }
    if (!(seg.flags & TH_SYN)) return 'done';
    tcp_mss(tp, seg.mss, ip.ifp.mtu);
    if (seg.wscale >= 0 && tp.t_flags & TF_REQ_SCALE) {
      tp.t_flags |= TF_RCVD_SCALE;
      tp.requested_s_scale = seg.wscale;
    }
    if (seg.flags & TH_ACK) {
      tp.snd_una = seg.ack;
      if (SEQ_LT(tp.snd_nxt, tp.snd_una)) tp.snd_nxt = tp.snd_una;
    }
    tp.t_timer[TCPT_REXMT] = 0;
    tp.irs = seg.seq;
    tp.rcv_nxt = tp.rcv_adv = seqAdd(seg.seq, 1);
    tp.t_flags |= TF_ACKNOW;
    if (seg.flags & TH_ACK && SEQ_GT(tp.snd_una, tp.iss)) {
      settleScale(tp);
      tp.state = TCPS_ESTABLISHED;
      vn.stat('tcp', 'CurrEstab');
      tcp_settimer(tp, TCPT_KEEP, tp.t_keepidle);
      if (so) soisconnected(so);
      if (tp.t_rtttime) tcp_xmit_timer(tp, vn.now() - tp.t_rtttime);
    } else {
      /* Simultaneous open: SYN without ACK. Our SYN goes again, now with the ACK. */
      tp.state = TCPS_SYN_RECEIVED;
      tp.snd_nxt = tp.snd_una;
    }
    seg.seq = seqAdd(seg.seq, 1);
    if (seg.data.length > tp.rcv_wnd) {
      seg.data = seg.data.subarray(0, tp.rcv_wnd);
      seg.flags &= ~TH_FIN;
    }
    tp.snd_wl1 = seqAdd(seg.seq, -1);
    tp.rcv_up = seg.seq;
    return step6(tp, seg, seg.flags & TH_ACK ? true : false, tiwin);
  }

  /* ---- trim to the receive window ---- */
  let todrop = seqDiff(tp.rcv_nxt, seg.seq);
  if (todrop > 0) {
    if (seg.flags & TH_SYN) {
      seg.flags &= ~TH_SYN;
      seg.seq = seqAdd(seg.seq, 1);
      todrop--;
    }
    if (todrop > seg.data.length || (todrop === seg.data.length && !(seg.flags & TH_FIN))) {
      /* A complete duplicate: ACK it now (the peer may have missed our ACK). */
      seg.flags &= ~TH_FIN;
      tp.t_flags |= TF_ACKNOW;
      todrop = seg.data.length;
      vn.stat('tcp', 'DupSegs');
    }
    seg.data = seg.data.subarray(todrop);
    seg.seq = seqAdd(seg.seq, todrop);
  }
  /* Data after the user closed: the peer is told the data was lost (RST). */
  if ((!so || tp.t_flags & TF_DETACHED) && tp.state > TCPS_CLOSE_WAIT && seg.data.length) {
    tcp_close(tp);
    vn.stat('tcp', 'DataAfterClose');
    return dropwithreset(ip, seg, sport, dport);
  }
  todrop = seqDiff(seqAdd(seg.seq, seg.data.length), seqAdd(tp.rcv_nxt, tp.rcv_wnd));
  if (todrop > 0) {
    if (todrop >= seg.data.length) {
      /* A new SYN for a connection in TIME_WAIT: start over (RFC 1122 4.2.2.13). */
      if (tp.state === TCPS_TIME_WAIT && seg.flags & TH_SYN && SEQ_GT(seg.seq, tp.rcv_nxt)) {
        tcp_close(tp);
        return 'again';
      }
      if (tp.rcv_wnd === 0 && seg.seq === tp.rcv_nxt) tp.t_flags |= TF_ACKNOW; /* window probe */
      else return dropafterack(tp, seg);
    }
    seg.data = seg.data.subarray(0, Math.max(0, seg.data.length - todrop));
    seg.flags &= ~TH_FIN;
  }

  /* ---- RST: acceptable only within the window (RFC 793 + 5961's spirit) ---- */
  if (seg.flags & TH_RST) {
    if (SEQ_GEQ(seg.seq, tp.last_ack_sent) && SEQ_LT(seg.seq, seqAdd(tp.last_ack_sent, Math.max(1, tp.rcv_wnd)))) {
      vn.stat('tcp', 'InRsts');
      switch (tp.state) {
        case TCPS_SYN_RECEIVED:
          if (so && !(tp.t_flags & TF_DETACHED)) so.so_error = ECONNREFUSED;
          tcp_close(tp);
          break;
        case TCPS_ESTABLISHED:
        case TCPS_FIN_WAIT_1:
        case TCPS_FIN_WAIT_2:
        case TCPS_CLOSE_WAIT:
          vn.stat('tcp', 'EstabResets');
          if (so && !(tp.t_flags & TF_DETACHED)) so.so_error = ECONNRESET;
          tcp_close(tp);
          break;
        default:
          tcp_close(tp);
      }
    }
    return 'done';
  }
  /* A SYN in the window is an error: reset the connection. */
  if (seg.flags & TH_SYN) {
    tcp_drop(tp, ECONNRESET);
    return dropwithreset(ip, seg, sport, dport);
  }
  if (!(seg.flags & TH_ACK)) return 'done';

  /* ---- ACK processing ---- */
  if (tp.state === TCPS_SYN_RECEIVED) {
    if (SEQ_GT(tp.snd_una, seg.ack) || SEQ_GT(seg.ack, tp.snd_max)) return dropwithreset(ip, seg, sport, dport);
    settleScale(tp);
    tp.state = TCPS_ESTABLISHED;
    vn.stat('tcp', 'CurrEstab');
    tcp_settimer(tp, TCPT_KEEP, tp.t_keepidle);
    if (so) soisconnected(so);
    tcp_reass(tp, null);
    tp.snd_wl1 = seqAdd(seg.seq, -1);
  }
  let needoutput = false;
  if (SEQ_LEQ(seg.ack, tp.snd_una)) {
    if (seg.data.length === 0 && tiwin === tp.snd_wnd && !(seg.flags & TH_FIN)) {
      vn.stat('tcp', 'DupAcks');
      if (tp.t_timer[TCPT_REXMT] === 0 || seg.ack !== tp.snd_una) tp.t_dupacks = 0;
      else if (++tp.t_dupacks === tcpParams.rexmtThresh) {
        /* RFC 6582: no new recovery for losses of the window already recovered. */
        if (SEQ_LEQ(seg.ack, tp.snd_recover)) {
          tp.t_dupacks = 0;
          return 'done';
        }
        /* Fast retransmit, then fast recovery (RFC 5681 3.2). */
        tp.snd_recover = tp.snd_max;
        const onxt = tp.snd_nxt;
        const win = Math.max(2, Math.floor(Math.min(tp.snd_wnd, tp.snd_cwnd) / 2 / tp.t_maxseg));
        tp.snd_ssthresh = win * tp.t_maxseg;
        tp.t_timer[TCPT_REXMT] = 0;
        tp.t_rtttime = 0;
        tp.snd_nxt = seg.ack;
        tp.snd_cwnd = tp.t_maxseg;
        vn.stat('tcp', 'FastRetrans');
        tcp_output(tp);
        tp.snd_cwnd = tp.snd_ssthresh + tp.t_maxseg * tp.t_dupacks;
        if (SEQ_GT(onxt, tp.snd_nxt)) tp.snd_nxt = onxt;
        return 'done';
      } else if (tp.t_dupacks > tcpParams.rexmtThresh) {
        tp.snd_cwnd += tp.t_maxseg;
        tcp_output(tp);
        return 'done';
      } else {
        /* Limited transmit (RFC 3042): a new segment per early dup ACK keeps the ACK clock going. */
        const ocwnd = tp.snd_cwnd;
        const omax = tp.snd_max;
        tp.snd_cwnd = seqDiff(tp.snd_nxt, tp.snd_una) + (tp.t_dupacks - tp.snd_limited) * tp.t_maxseg;
        tcp_output(tp);
        const sent = seqDiff(tp.snd_max, omax);
        if (sent > tp.t_maxseg) tp.snd_limited = 2;
        else if (sent > 0) tp.snd_limited++;
        tp.snd_cwnd = ocwnd;
        return 'done';
      }
    } else tp.t_dupacks = 0;
  } else {
    const inRecovery = tp.t_dupacks >= tcpParams.rexmtThresh;
    /* NewReno (RFC 6582): an ACK short of snd_recover means another loss in this window. */
    const partial = inRecovery && SEQ_LT(seg.ack, tp.snd_recover);
    if (!partial) {
      if (inRecovery && tp.snd_cwnd > tp.snd_ssthresh) tp.snd_cwnd = tp.snd_ssthresh;
      tp.t_dupacks = 0;
    }
    tp.snd_limited = 0;
    if (SEQ_GT(seg.ack, tp.snd_max)) {
      vn.stat('tcp', 'AckTooMuch');
      return dropafterack(tp, seg);
    }
    let acked = seqDiff(seg.ack, tp.snd_una);
    if (tp.t_rtttime && SEQ_GT(seg.ack, tp.t_rtseq)) tcp_xmit_timer(tp, vn.now() - tp.t_rtttime);
    if (seg.ack === tp.snd_max) {
      tp.t_timer[TCPT_REXMT] = 0;
      needoutput = true;
    } else if (tp.t_timer[1] === 0) tcp_settimer(tp, TCPT_REXMT, tp.t_rxtcur);
    /* Slow start below ssthresh, congestion avoidance above (RFC 5681); not while recovering. */
    const bytesAcked = acked;
    if (!inRecovery) {
      const incr = tp.snd_cwnd > tp.snd_ssthresh ? Math.max(1, Math.floor((tp.t_maxseg * tp.t_maxseg) / tp.snd_cwnd)) : tp.t_maxseg;
      tp.snd_cwnd = Math.min(tp.snd_cwnd + incr, TCP_MAXWIN << tp.snd_scale);
    }
    let ourfinisacked = false;
    const cc = so ? so.so_snd.cc : 0;
    if (acked > cc) {
      tp.snd_wnd -= cc;
      if (so) so.so_snd.drop(cc);
      ourfinisacked = true;
    } else {
      if (so) so.so_snd.drop(acked);
      tp.snd_wnd -= acked;
    }
    acked = 0;
    if (so && !(tp.t_flags & TF_DETACHED)) sowwakeup(so);
    tp.snd_una = seg.ack;
    if (SEQ_LT(tp.snd_nxt, tp.snd_una)) tp.snd_nxt = tp.snd_una;
    if (partial) {
      /* Retransmit the next hole now, deflate cwnd by what was acked (RFC 6582 3.2 step 3). */
      const onxt = tp.snd_nxt;
      const ocwnd = tp.snd_cwnd;
      tp.t_timer[TCPT_REXMT] = 0;
      tp.t_rtttime = 0;
      tp.snd_nxt = seg.ack;
      tp.snd_cwnd = tp.t_maxseg;
      vn.stat('tcp', 'PartialAcks');
      tcp_output(tp);
      if (SEQ_GT(onxt, tp.snd_nxt)) tp.snd_nxt = onxt;
      tp.snd_cwnd = Math.max(tp.t_maxseg, ocwnd - bytesAcked + tp.t_maxseg);
    }
    switch (tp.state) {
      case TCPS_FIN_WAIT_1:
        if (ourfinisacked) {
          /* The user can receive no more: do not wait forever for the peer's FIN. */
          if (!so || tp.t_flags & TF_DETACHED || so.so_state & 0x020) {
            if (so && !(tp.t_flags & TF_DETACHED)) soisdisconnected(so);
            tcp_settimer(tp, TCPT_2MSL, tcpParams.finTimeout);
          }
          tp.state = TCPS_FIN_WAIT_2;
        }
        break;
      case TCPS_CLOSING:
        if (ourfinisacked) {
          tp.state = TCPS_TIME_WAIT;
          tp.inp.timewait = true;
          tcp_canceltimers(tp);
          tcp_settimer(tp, TCPT_2MSL, 2 * tcpParams.msl);
          if (so && !(tp.t_flags & TF_DETACHED)) soisdisconnected(so);
        }
        break;
      case TCPS_LAST_ACK:
        if (ourfinisacked) {
          tcp_close(tp);
          return 'done';
        }
        break;
      case TCPS_TIME_WAIT:
        tcp_settimer(tp, TCPT_2MSL, 2 * tcpParams.msl);
        return dropafterack(tp, seg);
    }
  }
  return step6(tp, seg, true, tiwin, needoutput);
}

/** Both sides agreed to scale windows (RFC 7323): switch the shifts on. */
function settleScale(tp: TcpCb): void {
  if ((tp.t_flags & (TF_RCVD_SCALE | TF_REQ_SCALE)) === (TF_RCVD_SCALE | TF_REQ_SCALE)) {
    tp.snd_scale = tp.requested_s_scale;
    tp.rcv_scale = tp.request_r_scale;
  }
}

/** Window update, data, FIN (RFC 793 steps 6-8). */
function step6(tp: TcpCb, seg: Seg, hasAck: boolean, tiwin = seg.win, needoutput = false): Result {
  const inp = tp.inp;
  const vn = inp.vnet;
  const so = inp.so;
  if (
    hasAck &&
    (SEQ_LT(tp.snd_wl1, seg.seq) ||
      (tp.snd_wl1 === seg.seq && (SEQ_LT(tp.snd_wl2, seg.ack) || (tp.snd_wl2 === seg.ack && tiwin > tp.snd_wnd))))
  ) {
    tp.snd_wnd = tiwin;
    tp.snd_wl1 = seg.seq;
    tp.snd_wl2 = seg.ack;
    if (tp.snd_wnd > tp.max_sndwnd) tp.max_sndwnd = tp.snd_wnd;
    needoutput = true;
  }
  let fin = (seg.flags & TH_FIN) !== 0;
  if ((seg.data.length || fin) && !TCPS_HAVERCVDFIN(tp.state)) {
    if (seg.seq === tp.rcv_nxt && tp.reass.length === 0 && tp.state === TCPS_ESTABLISHED) {
      /* In order: deliver; ACK every second segment, else after the delay. */
      if (seg.data.length) {
        if (tp.t_flags & TF_DELACK || !tcpParams.delack) tp.t_flags |= TF_ACKNOW;
        else tcp_setdelack(tp);
      } else tp.t_flags |= TF_ACKNOW;
      tp.rcv_nxt = seqAdd(tp.rcv_nxt, seg.data.length);
      vn.stat('tcp', 'InDataBytes', seg.data.length);
      if (so && seg.data.length && !(tp.t_flags & TF_DETACHED)) {
        sbappend(so.so_rcv, seg.data.slice());
        sorwakeup(so);
      }
    } else {
      fin = tcp_reass(tp, { seq: seg.seq, data: seg.data.slice(), fin });
      tp.t_flags |= TF_ACKNOW;
    }
  } else fin = false;
  if (fin) {
    if (!TCPS_HAVERCVDFIN(tp.state)) {
      if (so && !(tp.t_flags & TF_DETACHED)) socantrcvmore(so);
      tp.t_flags |= TF_ACKNOW;
      tp.rcv_nxt = seqAdd(tp.rcv_nxt, 1);
    }
    switch (tp.state) {
      case TCPS_SYN_RECEIVED:
      case TCPS_ESTABLISHED:
        tp.state = TCPS_CLOSE_WAIT;
        break;
      case TCPS_FIN_WAIT_1:
        tp.state = TCPS_CLOSING;
        break;
      case TCPS_FIN_WAIT_2:
        tp.state = TCPS_TIME_WAIT;
        tp.inp.timewait = true;
        tcp_canceltimers(tp);
        tcp_settimer(tp, TCPT_2MSL, 2 * tcpParams.msl);
        if (so && !(tp.t_flags & TF_DETACHED)) soisdisconnected(so);
        break;
      case TCPS_TIME_WAIT:
        tcp_settimer(tp, TCPT_2MSL, 2 * tcpParams.msl);
        break;
    }
  }
  if (needoutput || tp.t_flags & TF_ACKNOW) tcp_output(tp);
  return 'done';
}

/**
 * Insert an out-of-order segment (or none, to flush after the handshake) and
 * deliver what has become contiguous. Returns true when a FIN was reached.
 */
function tcp_reass(tp: TcpCb, s: { seq: number; data: Uint8Array; fin: boolean } | null): boolean {
  const q = tp.reass;
  const vn = tp.inp.vnet;
  if (s) {
    if (q.length >= tcpParams.reassMaxSegs) {
      vn.stat('tcp', 'OfoDrop');
      return false;
    }
    /* Trim what earlier queued segments already hold, then drop those the new one covers. */
    let i = 0;
    while (i < q.length && SEQ_LT(q[i].seq, s.seq)) i++;
    if (i > 0) {
      const p = q[i - 1];
      const over = seqDiff(seqAdd(p.seq, p.data.length), s.seq);
      if (over > 0) {
        if (over >= s.data.length && !(s.fin && !p.fin)) return false;
        s.data = s.data.subarray(Math.min(over, s.data.length));
        s.seq = seqAdd(s.seq, over);
      }
    }
    while (i < q.length) {
      const n = q[i];
      const over = seqDiff(seqAdd(s.seq, s.data.length), n.seq);
      if (over <= 0) break;
      if (over < n.data.length) {
        n.data = n.data.subarray(over);
        n.seq = seqAdd(n.seq, over);
        break;
      }
      if (n.fin) s.fin = true;
      q.splice(i, 1);
    }
    q.splice(i, 0, { seq: s.seq, data: s.data, fin: s.fin });
    vn.stat('tcp', 'OfoQueued');
  }
  if (!TCPS_HAVEESTABLISHED(tp.state)) return false;
  const so = tp.inp.so;
  let fin = false;
  while (q.length && q[0].seq === tp.rcv_nxt) {
    const x = q.shift()!;
    tp.rcv_nxt = seqAdd(tp.rcv_nxt, x.data.length);
    if (so && x.data.length && !(tp.t_flags & TF_DETACHED)) sbappend(so.so_rcv, x.data);
    vn.stat('tcp', 'InDataBytes', x.data.length);
    if (x.fin) {
      fin = true;
      q.length = 0;
    }
  }
  if (so && !(tp.t_flags & TF_DETACHED)) sorwakeup(so);
  return fin;
}

