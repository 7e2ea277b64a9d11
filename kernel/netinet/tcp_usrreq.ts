/*
 * TCP's user requests (BSD tcp_usrreq.c): the socket layer's pru_* calls
 * turned into state changes, plus IPPROTO_TCP socket options.
 */
import { SysError, EINVAL, ENOPROTOOPT, ENOTCONN, EPIPE, ECONNABORTED, EOPNOTSUPP } from '../kern/errno.ts';
import {
  MSG_MORE, MSG_OOB, SO_LINGER, soisconnecting, soisdisconnected, soisdisconnecting, type Socket,
} from '../kern/socketvar.ts';
import type { SockOpt } from '../kern/uipc_domain.ts';
import { sockaddrIn, type SockAddr } from '../kern/uipc_sockaddr.ts';
import type { Vnet } from '../net/vnet.ts';
import { INADDR_ANY, INADDR_LOOPBACK, IN_MULTICAST } from './in.ts';
import { type Inpcb, in_pcbbind, in_pcbconnect, in_pcbdetach, sinOf } from './in_pcb.ts';
import { ip_route, ip_srcaddr } from './ip_output.ts';
import { tcp_mssopt, tcp_rscale } from './tcp_input.ts';
import { tcp_output } from './tcp_output.ts';
import { tcp_attach, tcp_close, tcp_drop, tcp_iss, tcp_newtcpcb } from './tcp_subr.ts';
import { tcp_settimer } from './tcp_timer.ts';
import {
  intotcpcb, TcpCb, TCPS_CLOSE_WAIT, TCPS_CLOSED, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2,
  TCPS_LAST_ACK, TCPS_LISTEN, TCPS_SYN_RECEIVED, TCPS_SYN_SENT, TCPT_KEEP, TF_CORK, TF_DETACHED, TF_NODELAY,
  TF_REQ_SCALE, tcpParams, TCPS_TIME_WAIT,
} from './tcp_var.ts';

/* IPPROTO_TCP option names (Linux). */
export const TCP_NODELAY = 1;
export const TCP_MAXSEG = 2;
export const TCP_CORK = 3;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;

function tpOf(so: Socket): TcpCb {
  const inp = so.so_pcb as Inpcb | null;
  const tp = inp ? intotcpcb(inp) : null;
  if (!tp) throw new SysError(EINVAL);
  return tp;
}

export function tcp_usr_attach(vn: Vnet, so: Socket): void {
  so.so_pcb = tcp_attach(vn, so);
}

export function tcp_usr_detach(so: Socket): void {
  const inp = so.so_pcb as Inpcb | null;
  so.so_pcb = null;
  if (!inp) return;
  const tp = intotcpcb(inp);
  if (!tp || tp.state === TCPS_CLOSED || tp.state === TCPS_LISTEN || tp.state === TCPS_SYN_SENT) {
    if (tp && tp.state !== TCPS_CLOSED) tcp_close(tp);
    in_pcbdetach(inp);
    return;
  }
  /* The connection outlives its socket (FIN_WAIT, TIME_WAIT ...): it keeps so_snd's data. */
  tp.t_flags |= TF_DETACHED;
  if (tp.state === TCPS_TIME_WAIT) inp.timewait = true;
  /* Nobody can read any more: do not wait for the peer's FIN forever. */
  if (tp.state === TCPS_FIN_WAIT_2 && tp.t_timer[3] === 0) tcp_settimer(tp, 3, tcpParams.finTimeout);
}

export function tcp_usr_listen(so: Socket, uid: number): void {
  const tp = tpOf(so);
  if (tp.state !== TCPS_CLOSED && tp.state !== TCPS_LISTEN) throw new SysError(EINVAL);
  const inp = tp.inp;
  inp.listening = true;
  if (inp.lport === 0) in_pcbbind(inp, null, uid);
  tp.state = TCPS_LISTEN;
}

export function tcp_usr_connect(so: Socket, nam: SockAddr, uid: number): void {
  let tp = tpOf(so);
  const inp = tp.inp;
  if (tp.state === TCPS_CLOSED && inp.table.list.indexOf(inp) < 0) {
    /* Connecting again after a failed attempt: a fresh control block, the same local port. */
    inp.faddr = inp.fport = 0;
    inp.ppcb = tp = tcp_newtcpcb(inp);
    inp.table.list.push(inp);
    so.so_state &= ~(0x010 | 0x020); /* SS_CANTSENDMORE | SS_CANTRCVMORE from the failed attempt */
  }
  const vn = inp.vnet;
  if (tp.state === TCPS_LISTEN) throw new SysError(EOPNOTSUPP);
  let { addr, port } = sinOf(nam);
  if (port === 0) throw new SysError(111 /* ECONNREFUSED, as Linux for port 0 */);
  if (addr === INADDR_ANY) addr = INADDR_LOOPBACK;
  if (addr === 0xffffffff || IN_MULTICAST(addr)) throw new SysError(101 /* ENETUNREACH */);
  const route = ip_route(vn, addr, inp.device);
  const src = inp.laddr || ip_srcaddr(vn, addr, inp.device);
  if (inp.lport === 0) in_pcbbind(inp, null, uid);
  in_pcbconnect(inp, addr, port, src);
  tp.t_maxopd = tp.t_maxseg = tcp_mssopt(route.ifp.mtu);
  tp.request_r_scale = tcp_rscale(so.so_rcv.hiwat);
  if (tp.request_r_scale > 0) tp.t_flags |= TF_REQ_SCALE;
  tp.iss = tcp_iss(vn);
  tp.snd_recover = tp.iss;
  tp.snd_una = tp.snd_nxt = tp.snd_max = tp.snd_up = tp.iss;
  tp.state = TCPS_SYN_SENT;
  soisconnecting(so);
  vn.stat('tcp', 'ActiveOpens');
  tcp_settimer(tp, TCPT_KEEP, tcpParams.keepInit);
  tcp_output(tp);
}

/** The user is done sending: move toward FIN (BSD tcp_usrclosed). */
function tcp_usrclosed(tp: TcpCb): void {
  const so = tp.inp.so;
  switch (tp.state) {
    case TCPS_CLOSED:
    case TCPS_LISTEN:
    case TCPS_SYN_SENT:
      tcp_close(tp);
      return;
    case TCPS_SYN_RECEIVED:
    case TCPS_ESTABLISHED:
      tp.state = TCPS_FIN_WAIT_1;
      break;
    case TCPS_CLOSE_WAIT:
      tp.state = TCPS_LAST_ACK;
      break;
  }
  if (tp.state >= TCPS_FIN_WAIT_2 && so && !(tp.t_flags & TF_DETACHED)) soisdisconnected(so);
}

export function tcp_usr_disconnect(so: Socket): void {
  const tp = tpOf(so);
  if (tp.state < TCPS_ESTABLISHED && tp.state !== TCPS_SYN_RECEIVED) {
    tcp_close(tp);
    return;
  }
  /* SO_LINGER with a zero time, or unread data, resets the connection (RFC 2525 2.17). */
  if ((so.so_options & SO_LINGER && so.so_linger === 0) || so.so_rcv.cc > 0) {
    so.so_rcv.flush();
    tcp_drop(tp, 0);
    return;
  }
  soisdisconnecting(so);
  so.so_rcv.flush();
  tcp_usrclosed(tp);
  if (tp.state !== TCPS_CLOSED) tcp_output(tp);
}

export function tcp_usr_shutdown(so: Socket): void {
  const tp = tpOf(so);
  tcp_usrclosed(tp);
  if (tp.state !== TCPS_CLOSED) tcp_output(tp);
}

export function tcp_usr_send(so: Socket, flags: number, data: Uint8Array): void {
  const tp = tpOf(so);
  if (flags & MSG_OOB) throw new SysError(EOPNOTSUPP);
  if (tp.state === TCPS_CLOSED || tp.state > TCPS_CLOSE_WAIT) throw new SysError(tp.state === TCPS_CLOSED ? ENOTCONN : EPIPE);
  so.so_snd.append(data);
  const cork = tp.t_flags & TF_CORK;
  if (flags & MSG_MORE) tp.t_flags |= TF_CORK;
  tcp_output(tp);
  if (flags & MSG_MORE && !cork) tp.t_flags &= ~TF_CORK;
}

export function tcp_usr_rcvd(so: Socket): void {
  const inp = so.so_pcb as Inpcb | null;
  const tp = inp ? intotcpcb(inp) : null;
  if (tp && tp.state >= TCPS_SYN_RECEIVED) tcp_output(tp);
}

export function tcp_usr_abort(so: Socket): void {
  const inp = so.so_pcb as Inpcb | null;
  const tp = inp ? intotcpcb(inp) : null;
  if (tp && tp.state !== TCPS_CLOSED) tcp_drop(tp, ECONNABORTED);
}

export function tcp_usr_peeraddr(so: Socket): SockAddr {
  const inp = so.so_pcb as Inpcb | null;
  const tp = inp ? intotcpcb(inp) : null;
  if (!inp || !tp || inp.fport === 0 || tp.state < TCPS_SYN_RECEIVED) throw new SysError(ENOTCONN);
  return sockaddrIn(inp.faddr, inp.fport);
}

function int(v: Uint8Array): number {
  if (v.length < 4) throw new SysError(EINVAL);
  return new DataView(v.buffer, v.byteOffset, 4).getInt32(0, true);
}

function intbytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
}

export function tcp_ctloutput(so: Socket, sopt: SockOpt): Uint8Array | null {
  const tp = tpOf(so);
  const set = sopt.dir === 1;
  switch (sopt.name) {
    case TCP_NODELAY:
      if (!set) return intbytes(tp.t_flags & TF_NODELAY ? 1 : 0);
      if (int(sopt.val)) tp.t_flags |= TF_NODELAY;
      else tp.t_flags &= ~TF_NODELAY;
      tcp_output(tp);
      return null;
    case TCP_CORK:
      if (!set) return intbytes(tp.t_flags & TF_CORK ? 1 : 0);
      if (int(sopt.val)) tp.t_flags |= TF_CORK;
      else {
        tp.t_flags &= ~TF_CORK;
        tcp_output(tp);
      }
      return null;
    case TCP_MAXSEG: {
      if (!set) return intbytes(tp.t_maxseg);
      const v = int(sopt.val);
      if (v < 88 || v > 65495) throw new SysError(EINVAL);
      if (tp.state < TCPS_ESTABLISHED) tp.t_maxopd = Math.min(tp.t_maxopd, v);
      return null;
    }
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
    case TCP_KEEPCNT: {
      const field = sopt.name === TCP_KEEPIDLE ? 't_keepidle' : sopt.name === TCP_KEEPINTVL ? 't_keepintvl' : 't_keepcnt';
      const scale = sopt.name === TCP_KEEPCNT ? 1 : 1000;
      if (!set) return intbytes(Math.floor(tp[field] / scale));
      const v = int(sopt.val);
      if (v < 1 || v > (sopt.name === TCP_KEEPCNT ? 127 : 32767)) throw new SysError(EINVAL);
      tp[field] = v * scale;
      if (sopt.name === TCP_KEEPIDLE && tp.state === TCPS_ESTABLISHED) tcp_settimer(tp, TCPT_KEEP, tp.t_keepidle);
      return null;
    }
  }
  throw new SysError(ENOPROTOOPT);
}

export { int as sopt_int, intbytes as sopt_intbytes };
