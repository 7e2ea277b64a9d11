/*
 * TCP timers (BSD tcp_timer.c). The slow tick (500 ms) fires expired
 * connection timers: retransmission with exponential backoff, persist
 * (zero-window probes), keepalive / connection-establishment, and 2MSL
 * (TIME_WAIT, FIN_WAIT_2). The fast tick (200 ms) sends delayed ACKs.
 * Both tick only while some connection needs them.
 */
import { ETIMEDOUT } from '../kern/errno.ts';
import { SO_KEEPALIVE } from '../kern/socketvar.ts';
import type { Vnet } from '../net/vnet.ts';
import { IPPROTO_TCP } from './in.ts';
import { pcbtable } from './in_pcb.ts';
import { tcp_output } from './tcp_output.ts';
import { tcp_close, tcp_drop, tcp_sendseg } from './tcp_subr.ts';
import {
  TcpCb, TCPS_CLOSE_WAIT, TCPS_ESTABLISHED, TCPS_SYN_RECEIVED, TCPS_TIME_WAIT, TCPT_2MSL,
  TCPT_KEEP, TCPT_PERSIST, TCPT_REXMT, TCP_MAXRXTSHIFT, TCP_SYN_RETRIES, TF_ACKNOW, TF_DELACK, TF_DETACHED,
  TF_FORCE, TH_ACK, intotcpcb, tcp_backoff, tcpParams,
} from './tcp_var.ts';

interface TimerState {
  slow: () => boolean;
  fast: () => boolean;
}

function ts(vn: Vnet): TimerState {
  let s = vn.state.get('tcptimer') as TimerState | undefined;
  if (!s) {
    s = { slow: () => tcp_slowtimo(vn), fast: () => tcp_fasttimo(vn) };
    vn.state.set('tcptimer', s);
  }
  return s;
}

/** Some connection set a timer: make sure the slow tick runs. */
export function tcp_timers_want(vn: Vnet): void {
  vn.wantSlow(ts(vn).slow);
}

export function tcp_setdelack(tp: TcpCb): void {
  tp.t_flags |= TF_DELACK;
  const vn = tp.inp.vnet;
  vn.wantFast(ts(vn).fast);
}

export function tcp_settimer(tp: TcpCb, which: number, ms: number): void {
  tp.t_timer[which] = ms > 0 ? tp.inp.vnet.now() + ms : 0;
  if (ms > 0) tcp_timers_want(tp.inp.vnet);
}

export function tcp_canceltimers(tp: TcpCb): void {
  tp.t_timer.fill(0);
  tp.t_flags &= ~TF_DELACK;
}

/** The current RTO, backed off. */
export function tcp_rexmtval(tp: TcpCb): number {
  const base = tp.t_srtt ? tp.t_srtt + Math.max(10, 4 * tp.t_rttvar) : tcpParams.rexmtInit;
  return Math.min(tcpParams.rexmtMax, Math.max(tp.t_rttmin, base));
}

/** Arm the persist timer (BSD tcp_setpersist): backed-off RTO within [persMin, persMax]. */
export function tcp_setpersist(tp: TcpCb): void {
  const t = tcp_rexmtval(tp) * tcp_backoff[Math.min(tp.t_rxtshift, tcp_backoff.length - 1)];
  tcp_settimer(tp, TCPT_PERSIST, Math.min(tcpParams.persMax, Math.max(tcpParams.persMin, t)));
  if (tp.t_rxtshift < TCP_MAXRXTSHIFT) tp.t_rxtshift++;
}

/** A new RTT sample, ms (RFC 6298 section 2). */
export function tcp_xmit_timer(tp: TcpCb, rtt: number): void {
  rtt = Math.max(1, rtt);
  if (tp.t_srtt === 0) {
    tp.t_srtt = rtt;
    tp.t_rttvar = rtt / 2;
  } else {
    tp.t_rttvar = 0.75 * tp.t_rttvar + 0.25 * Math.abs(tp.t_srtt - rtt);
    tp.t_srtt = 0.875 * tp.t_srtt + 0.125 * rtt;
  }
  tp.inp.vnet.stat('tcp', 'RttSamples');
  tp.t_rtttime = 0;
  tp.t_rxtshift = 0;
  tp.t_rxtcur = tcp_rexmtval(tp);
}

function tcp_fasttimo(vn: Vnet): boolean {
  let more = false;
  for (const inp of [...pcbtable(vn, IPPROTO_TCP).list]) {
    const tp = intotcpcb(inp);
    if (!tp || !(tp.t_flags & TF_DELACK)) continue;
    tp.t_flags = (tp.t_flags & ~TF_DELACK) | TF_ACKNOW;
    vn.stat('tcp', 'DelayedACKs');
    tcp_output(tp);
    if (tp.t_flags & TF_DELACK) more = true;
  }
  return more;
}

function tcp_slowtimo(vn: Vnet): boolean {
  const now = vn.now();
  let more = false;
  for (const inp of [...pcbtable(vn, IPPROTO_TCP).list]) {
    const tp = intotcpcb(inp);
    if (!tp) continue;
    for (let i = 0; i < 4; i++) {
      const d = tp.t_timer[i];
      if (d === 0 || d > now) continue;
      tp.t_timer[i] = 0;
      tcp_timers(tp, i);
      if (inp.table.list.indexOf(inp) < 0) break; /* closed */
    }
    if (tp.t_timer.some((t) => t !== 0)) more = true;
  }
  return more;
}

/** One expired timer. */
function tcp_timers(tp: TcpCb, which: number): void {
  const vn = tp.inp.vnet;
  const so = tp.inp.so;
  switch (which) {
    case TCPT_2MSL:
      /* FIN_WAIT_2 with the socket closed waits finTimeout; TIME_WAIT is over. */
      if (tp.state !== TCPS_TIME_WAIT && vn.now() - tp.t_rcvtime < tcpParams.finTimeout) {
        tcp_settimer(tp, TCPT_2MSL, tcp_rexmtval(tp) + tcpParams.keepIntvl);
      } else tcp_close(tp);
      return;
    case TCPT_REXMT: {
      const limit = tp.state <= TCPS_SYN_RECEIVED ? TCP_SYN_RETRIES : TCP_MAXRXTSHIFT;
      if (++tp.t_rxtshift > limit) {
        tp.t_rxtshift = limit;
        vn.stat('tcp', 'TimeoutDrops');
        tcp_drop(tp, ETIMEDOUT);
        return;
      }
      vn.stat('tcp', 'RetransTimeouts');
      tp.t_rxtcur = Math.min(tcpParams.rexmtMax, tcp_rexmtval(tp) * tcp_backoff[tp.t_rxtshift]);
      tcp_settimer(tp, TCPT_REXMT, tp.t_rxtcur);
      if (tp.t_rxtshift > TCP_MAXRXTSHIFT / 4) {
        /* Many losses in a row: the RTT estimate is suspect (BSD). */
        tp.t_rttvar += tp.t_srtt / 4;
        tp.t_srtt = 0;
      }
      tp.snd_nxt = tp.snd_una;
      tp.t_rtttime = 0;
      /* RFC 5681: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = 1 segment. */
      const win = Math.max(2, Math.floor(Math.min(tp.snd_wnd, tp.snd_cwnd) / 2 / tp.t_maxseg));
      tp.snd_ssthresh = win * tp.t_maxseg;
      tp.snd_cwnd = tp.t_maxseg;
      tp.t_dupacks = 0;
      tp.snd_recover = tp.snd_max;
      tcp_output(tp);
      return;
    }
    case TCPT_PERSIST:
      vn.stat('tcp', 'PersistProbes');
      tcp_setpersist(tp);
      tp.t_flags |= TF_FORCE;
      tcp_output(tp);
      tp.t_flags &= ~TF_FORCE;
      return;
    case TCPT_KEEP: {
      if (tp.state < TCPS_ESTABLISHED) {
        vn.stat('tcp', 'KeepDrops');
        tcp_drop(tp, ETIMEDOUT);
        return;
      }
      const keep = so && !(tp.t_flags & TF_DETACHED) && (so.so_options & SO_KEEPALIVE) !== 0;
      if (keep && tp.state <= TCPS_CLOSE_WAIT) {
        const idle = vn.now() - tp.t_rcvtime;
        if (idle >= tp.t_keepidle + tp.t_keepcnt * tp.t_keepintvl) {
          vn.stat('tcp', 'KeepDrops');
          tcp_drop(tp, ETIMEDOUT);
          return;
        }
        /* A probe: one old sequence number, which the peer must ACK. */
        vn.stat('tcp', 'KeepProbes');
        const inp = tp.inp;
        try {
          tcp_sendseg(vn, inp.laddr, inp.faddr, inp.lport, inp.fport, (tp.snd_una - 1) >>> 0, tp.rcv_nxt, TH_ACK, 0, null, null);
        } catch {
          /* unreachable now; the next probe may get through */
        }
        tcp_settimer(tp, TCPT_KEEP, tp.t_keepintvl);
      } else tcp_settimer(tp, TCPT_KEEP, tp.t_keepidle);
      return;
    }
  }
}

