/*
 * The TCP control block (BSD tcp_var.h, tcp_fsm.h, tcp_timer.h constants).
 * Times are in milliseconds of the stack's monotonic clock; the four
 * connection timers hold absolute deadlines (0 = off) that the 500 ms slow
 * tick checks, and the delayed ACK rides the 200 ms fast tick.
 */
import type { Inpcb } from './in_pcb.ts';

/* The 11 states of RFC 793 (BSD order, so comparisons work). */
export const TCPS_CLOSED = 0;
export const TCPS_LISTEN = 1;
export const TCPS_SYN_SENT = 2;
export const TCPS_SYN_RECEIVED = 3;
export const TCPS_ESTABLISHED = 4;
export const TCPS_CLOSE_WAIT = 5;
export const TCPS_FIN_WAIT_1 = 6;
export const TCPS_CLOSING = 7;
export const TCPS_LAST_ACK = 8;
export const TCPS_FIN_WAIT_2 = 9;
export const TCPS_TIME_WAIT = 10;
export const tcpstates = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'CLOSE_WAIT',
  'FIN_WAIT_1', 'CLOSING', 'LAST_ACK', 'FIN_WAIT_2', 'TIME_WAIT',
];
/** Linux's numbering for /proc/net/tcp's st column. */
export const linuxTcpState = [7, 10, 2, 3, 1, 8, 4, 11, 9, 5, 6];

export const TCPS_HAVERCVDSYN = (s: number): boolean => s >= TCPS_SYN_RECEIVED;
export const TCPS_HAVEESTABLISHED = (s: number): boolean => s >= TCPS_ESTABLISHED;
export const TCPS_HAVERCVDFIN = (s: number): boolean => s >= TCPS_TIME_WAIT || s === TCPS_CLOSE_WAIT || s === TCPS_CLOSING || s === TCPS_LAST_ACK;

/* Header flags. */
export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;

/* t_flags. */
export const TF_ACKNOW = 0x0001;
export const TF_DELACK = 0x0002;
export const TF_NODELAY = 0x0004;
export const TF_SENTFIN = 0x0010;
export const TF_REQ_SCALE = 0x0020;
export const TF_RCVD_SCALE = 0x0040;
export const TF_FORCE = 0x0080;
export const TF_DETACHED = 0x0100;
export const TF_CORK = 0x0200;

/* Timers. */
export const TCPT_REXMT = 0;
export const TCPT_PERSIST = 1;
export const TCPT_KEEP = 2;
export const TCPT_2MSL = 3;

export const TCP_MAXWIN = 65535;
export const TCP_MAX_WINSHIFT = 14;
export const TCP_MSS = 536;
export const TCP_MAXRXTSHIFT = 12;
export const TCP_SYN_RETRIES = 6;
export const tcp_backoff = [1, 2, 4, 8, 16, 32, 64, 64, 64, 64, 64, 64, 64];

/** Tunables (net.inet.tcp.*), in ms. MSL is short (15 s) so TIME_WAIT lasts 30 s. */
export const tcpParams = {
  msl: 15_000,
  rexmtMin: 1_000,
  rexmtMax: 64_000,
  /** RTO before any RTT sample (RFC 6298: 1 s). */
  rexmtInit: 1_000,
  persMin: 5_000,
  persMax: 60_000,
  keepInit: 75_000,
  keepIdle: 7_200_000,
  keepIntvl: 75_000,
  keepCnt: 9,
  /** FIN_WAIT_2 after close: give up waiting for the peer's FIN (Linux tcp_fin_timeout). */
  finTimeout: 60_000,
  delack: true,
  rexmtThresh: 3,
  /** Incomplete connections a listener may hold beyond its backlog: none. */
  mssdflt: TCP_MSS,
  /** Out-of-order segments kept per connection. */
  reassMaxSegs: 256,
};

export interface ReassSeg {
  seq: number;
  data: Uint8Array;
  fin: boolean;
}

export class TcpCb {
  state = TCPS_CLOSED;
  t_flags = 0;
  readonly t_timer = [0, 0, 0, 0];
  t_rxtshift = 0;
  t_rxtcur = tcpParams.rexmtInit;
  t_dupacks = 0;
  t_maxseg = TCP_MSS;
  /** Our MSS offer (interface MTU - 40). */
  t_maxopd = TCP_MSS;
  /** Last time a segment arrived (keepalive idle). */
  t_rcvtime = 0;
  /** RTT measurement in progress: start time (0 = none) and the sequence number timed. */
  t_rtttime = 0;
  t_rtseq = 0;
  /** Smoothed RTT and variance, ms (0 = no sample yet). */
  t_srtt = 0;
  t_rttvar = 0;
  t_rttmin = tcpParams.rexmtMin;
  t_softerror = 0;
  /* Per-socket keepalive settings (TCP_KEEPIDLE/KEEPINTVL/KEEPCNT), ms. */
  t_keepidle = tcpParams.keepIdle;
  t_keepintvl = tcpParams.keepIntvl;
  t_keepcnt = tcpParams.keepCnt;

  /* Send sequence space. */
  snd_una = 0;
  snd_nxt = 0;
  snd_max = 0;
  snd_up = 0;
  /** snd_max when fast recovery began (RFC 6582 recover). */
  snd_recover = 0;
  /** Segments sent by limited transmit in this run of duplicate ACKs (RFC 3042). */
  snd_limited = 0;
  snd_wl1 = 0;
  snd_wl2 = 0;
  iss = 0;
  snd_wnd = 0;
  max_sndwnd = 0;
  snd_cwnd = TCP_MAXWIN << TCP_MAX_WINSHIFT;
  snd_ssthresh = TCP_MAXWIN << TCP_MAX_WINSHIFT;
  /* Receive sequence space. */
  rcv_wnd = 0;
  rcv_nxt = 0;
  rcv_up = 0;
  irs = 0;
  rcv_adv = 0;
  last_ack_sent = 0;
  snd_scale = 0;
  rcv_scale = 0;
  request_r_scale = 0;
  requested_s_scale = 0;
  /** Out-of-order segments, sorted by seq. */
  readonly reass: ReassSeg[] = [];

  constructor(readonly inp: Inpcb) {}
}

export function intotcpcb(inp: Inpcb): TcpCb | null {
  return (inp.ppcb as TcpCb | null) ?? null;
}
