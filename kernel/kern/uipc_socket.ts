/*
 * The generic socket calls (kern/uipc_socket.c): socreate, sobind, solisten,
 * soaccept, soconnect, sosend, soreceive, soshutdown, soclose, sopoll and the
 * SOL_SOCKET options. Protocols are reached only through ProtoUsrReqs.
 *
 * Blocking follows the kernel's model (kern/sleep.ts): a call that must wait
 * sleeps on the socket and reruns from the start when woken. A stream send
 * that sleeps half way keeps its progress in io.restart, as pipes do; so
 * does a MSG_WAITALL receive (the bytes it already took) and a connect
 * waiting for the handshake.
 */
import {
  EAGAIN, EALREADY, ECONNABORTED, EDOM, EINPROGRESS, EINVAL, EISCONN, EMSGSIZE, ENOPROTOOPT,
  ENOTCONN, EOPNOTSUPP, EPERM, EPIPE, SysError,
} from './errno.ts';
import { tsleep } from './sleep.ts';
import { SIGPIPE } from './signal.ts';
import {
  POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM,
} from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { bstrToBytes, bytesToBstr } from '../vfs/bstr.ts';
import {
  PR_ATOMIC, PR_CONNREQUIRED, PR_NOTCONN_EPIPE, PR_WANTRCVD, protoLookup, SOPT_GET, SOPT_SET, type SockOpt,
} from './uipc_domain.ts';
import { AF_UNIX, type SockAddr } from './uipc_sockaddr.ts';
import {
  controlDispose, MSG_DONTWAIT, MSG_NOSIGNAL, MSG_OOB, MSG_PEEK, MSG_TRUNC, MSG_WAITALL,
  SHUT_RD, SHUT_RDWR, SHUT_WR, SO_ACCEPTCONN, SO_BROADCAST, SO_DEBUG, SO_DONTROUTE, SO_KEEPALIVE,
  SO_LINGER, SO_OOBINLINE, SO_PASSCRED, SO_REUSEADDR, SO_REUSEPORT, SO_TIMESTAMP, SOL_SOCKET,
  SOMAXCONN, SS_CANTRCVMORE, SS_CANTSENDMORE, SS_ISCONNECTED, SS_ISCONNECTING, SS_ISDISCONNECTING,
  SS_NOFDREF, SOCK_DGRAM, SOCK_RAW, soqremove, socantrcvmore, socantsendmore, Socket, sorwakeup,
  type SbRecord, type SoCaller, type SockControl,
} from './socketvar.ts';

/* setsockopt(SOL_SOCKET, ...) names: Linux asm-generic/socket.h. */
export const LSO_DEBUG = 1, LSO_REUSEADDR = 2, LSO_TYPE = 3, LSO_ERROR = 4, LSO_DONTROUTE = 5,
  LSO_BROADCAST = 6, LSO_SNDBUF = 7, LSO_RCVBUF = 8, LSO_KEEPALIVE = 9, LSO_OOBINLINE = 10,
  LSO_PRIORITY = 12, LSO_LINGER = 13, LSO_REUSEPORT = 15, LSO_PASSCRED = 16, LSO_PEERCRED = 17,
  LSO_RCVLOWAT = 18, LSO_SNDLOWAT = 19, LSO_RCVTIMEO_OLD = 20, LSO_SNDTIMEO_OLD = 21,
  LSO_BINDTODEVICE = 25, LSO_TIMESTAMP_OLD = 29, LSO_ACCEPTCONN = 30, LSO_SNDBUFFORCE = 32,
  LSO_RCVBUFFORCE = 33, LSO_MARK = 36, LSO_PROTOCOL = 38, LSO_DOMAIN = 39,
  LSO_RCVTIMEO_NEW = 66, LSO_SNDTIMEO_NEW = 67;

/* net.core.wmem_max / rmem_max and Linux's floors (SOCK_MIN_SNDBUF/RCVBUF). */
const WMEM_MAX = 212992, RMEM_MAX = 212992, MIN_SNDBUF = 4608, MIN_RCVBUF = 2304;
const IFNAMSIZ = 16;

/** socket(2): a new socket of the registered protocol. */
export function socreate(family: number, type: number, protocol: number, caller: SoCaller | null): Socket {
  if (family === AF_UNIX) {
    if (protocol === AF_UNIX) protocol = 0;     /* PF_UNIX is accepted as 0 */
    if (type === SOCK_RAW) type = SOCK_DGRAM;   /* as Linux: raw local sockets are datagram ones */
  }
  const pr = protoLookup(family, type, protocol);
  const so = new Socket(pr, type, protocol || pr.protocol);
  if (caller) so.so_cred = { pid: caller.pid, uid: caller.cred.euid, gid: caller.cred.egid };
  pr.usrreqs.attach(so, so.so_protocol, caller);
  return so;
}

export function sobind(so: Socket, nam: SockAddr, caller: SoCaller): void {
  so.so_proto.usrreqs.bind(so, nam, caller);
}

export function solisten(so: Socket, backlog: number, caller: SoCaller): void {
  if ((so.so_proto.flags & PR_CONNREQUIRED) === 0) throw new SysError(EOPNOTSUPP);
  if (so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING | SS_ISDISCONNECTING)) throw new SysError(EINVAL);
  so.so_proto.usrreqs.listen(so, backlog, caller);
  so.so_options |= SO_ACCEPTCONN;
  so.so_qlimit = Math.max(0, Math.min(backlog < 0 ? SOMAXCONN : backlog, SOMAXCONN));
  sorwakeup(so);
}

/** A receive/send timeout as an absolute deadline (fixed on the first run), or Infinity. */
function deadlineOf(io: IoCtx, ms: number): number {
  return ms > 0 ? io.deadlineIn(ms) : Infinity;
}

/** Sleep on so, or EAGAIN if its timeout has already run out. */
function sowait(so: Socket, io: IoCtx, timeoMs: number): never {
  const dl = deadlineOf(io, timeoMs);
  if (dl <= io.uptimeMs()) throw new SysError(EAGAIN);
  return tsleep(so, dl);
}

/** Take and clear the pending error, if any. */
export function sotakeerror(so: Socket): number {
  const e = so.so_error;
  so.so_error = 0;
  return e;
}

/** accept: the next completed connection of a listening socket. */
export function soaccept(head: Socket, nonblock: boolean, io: IoCtx): { so: Socket; addr: SockAddr | null } {
  if (!head.isListening()) throw new SysError(EINVAL);
  if (head.so_comp.length === 0) {
    const e = sotakeerror(head);
    if (e) throw new SysError(e);
    if (head.so_state & SS_CANTRCVMORE) throw new SysError(ECONNABORTED);
    if (nonblock) throw new SysError(EAGAIN);
    sowait(head, io, head.so_rcvtimeo);
  }
  const so = head.so_comp[0];
  soqremove(so);
  sorwakeup(head);          /* room in the queue for connectors waiting on it */
  so.so_state &= ~SS_NOFDREF;
  const addr = so.so_proto.usrreqs.accept(so);
  return { so, addr };
}

/** connect's progress across reruns: the request went out, we wait for the outcome. */
class ConnectWait {
  constructor(readonly so: Socket) {}
}

export function soconnect(so: Socket, nam: SockAddr, nonblock: boolean, caller: SoCaller): void {
  const io = caller.io;
  if (io.restart instanceof ConnectWait && io.restart.so === so) return connectWait(so, io);
  if (so.isListening()) throw new SysError(EINVAL);
  const connOriented = (so.so_proto.flags & PR_CONNREQUIRED) !== 0;
  if (connOriented && (so.so_state & SS_ISCONNECTING)) throw new SysError(EALREADY);
  if (connOriented && (so.so_state & SS_ISCONNECTED)) throw new SysError(EISCONN);
  if (connOriented && so.so_error) throw new SysError(sotakeerror(so));  /* a failed earlier attempt */
  if (!connOriented && nam.family === 0) {
    /* connect(AF_UNSPEC) dissolves a datagram association. */
    if (so.so_state & SS_ISCONNECTED) so.so_proto.usrreqs.disconnect(so);
    so.so_state &= ~SS_ISCONNECTED;
    return;
  }
  so.so_proto.usrreqs.connect(so, nam, caller);
  if (so.so_state & SS_ISCONNECTING) {
    if (nonblock) throw new SysError(EINPROGRESS);
    io.restart = new ConnectWait(so);
    return connectWait(so, io);
  }
  const e = sotakeerror(so);
  if (e) throw new SysError(e);
}

function connectWait(so: Socket, io: IoCtx): void {
  if (so.so_state & SS_ISCONNECTING && so.so_error === 0) {
    /* SO_SNDTIMEO ran out: the attempt goes on in the background, as Linux says. */
    const dl = deadlineOf(io, so.so_sndtimeo);
    if (dl <= io.uptimeMs()) throw new SysError(EINPROGRESS);
    return tsleep(so, dl);
  }
  const e = sotakeerror(so);
  if (e) throw new SysError(e);
  if (!so.isConnected()) throw new SysError(ECONNABORTED);
}

/* ---------------- send ---------------- */

export interface SendArgs {
  data: Uint8Array;
  addr: SockAddr | null;
  control: SockControl[] | null;
  flags: number;
}

class SendProgress {
  constructor(readonly so: Socket, readonly done: number) {}
}

/**
 * Send data; returns the bytes sent. Stream sockets send what fits and
 * sleep for the rest (progress in io.restart); atomic ones send the whole
 * message or nothing. The control's references pass to the protocol with
 * the first piece; on errors before that they are released here.
 */
export function sosend(so: Socket, a: SendArgs, nonblock: boolean, caller: SoCaller): number {
  try {
    return sosend1(so, a, nonblock || (a.flags & MSG_DONTWAIT) !== 0, caller);
  } finally {
    /* Control not handed to the protocol (errors, sleeps, later pieces of a rerun) is released. */
    if (a.control) controlDispose(a.control);
  }
}

function sosend1(so: Socket, a: SendArgs, nonblock: boolean, caller: SoCaller): number {
  const io = caller.io, pr = so.so_proto;
  const prev = io.restart instanceof SendProgress && io.restart.so === so ? io.restart.done : 0;
  const atomic = (pr.flags & PR_ATOMIC) !== 0;
  if (so.so_state & SS_CANTSENDMORE) {
    io.restart = null;
    if (prev > 0) return prev;
    if ((a.flags & MSG_NOSIGNAL) === 0) io.signal(SIGPIPE);
    throw new SysError(EPIPE);
  }
  if (so.so_error) {
    if (prev > 0) return prev;
    throw new SysError(sotakeerror(so));
  }
  if ((pr.flags & PR_CONNREQUIRED) && !so.isConnected()) {
    if (so.so_state & SS_ISCONNECTING) {
      if (nonblock) throw new SysError(EAGAIN);
      return sendWait(so, io, prev);
    }
    if ((pr.flags & PR_NOTCONN_EPIPE) === 0) throw new SysError(ENOTCONN);
    if ((a.flags & MSG_NOSIGNAL) === 0) io.signal(SIGPIPE);
    throw new SysError(EPIPE);
  }
  if (a.flags & MSG_OOB && atomic) throw new SysError(EOPNOTSUPP);
  if (atomic && a.data.length > so.so_snd.hiwat) throw new SysError(EMSGSIZE);
  if (!atomic && a.data.length === 0) return 0;   /* nothing to send on a stream, not even control */
  const space = pr.usrreqs.sendspace ? pr.usrreqs.sendspace(so) : so.so_snd.space();
  const rest = a.data.length - prev;
  if (atomic ? space < rest : space <= 0 && rest > 0) {
    if (nonblock) {
      if (prev > 0) return prev;
      throw new SysError(EAGAIN);
    }
    return sendWait(so, io, prev);
  }
  const n = atomic ? rest : Math.min(rest, space);
  const control = prev === 0 ? a.control : null;
  const piece = prev === 0 && n === a.data.length ? a.data : a.data.slice(prev, prev + n);
  a.control = null;       /* the protocol owns the control from here on */
  pr.usrreqs.send(so, a.flags, piece, a.addr, control, caller);
  const done = prev + n;
  if (done >= a.data.length || nonblock) return done;
  io.restart = new SendProgress(so, done);
  return sosend1(so, a, nonblock, caller);
}

/** Out of room: sleep, or (timeout over) the partial count or EAGAIN. */
function sendWait(so: Socket, io: IoCtx, prev: number): number {
  const dl = deadlineOf(io, so.so_sndtimeo);
  if (dl <= io.uptimeMs()) {
    io.restart = null;
    if (prev > 0) return prev;
    throw new SysError(EAGAIN);
  }
  return tsleep(so, dl);
}

/* ---------------- receive ---------------- */

export interface RecvResult {
  data: Uint8Array;
  /** Source address (PR_ADDR protocols), else null. */
  addr: SockAddr | null;
  control: SockControl[] | null;
  /** msg_flags: MSG_TRUNC, MSG_EOR ... */
  flags: number;
  /** The record's full length (recv with MSG_TRUNC returns it). */
  full: number;
}

class RecvProgress {
  constructor(readonly so: Socket, readonly got: Uint8Array[], readonly n: number) {}
}

/**
 * Receive up to len bytes. Datagram/seqpacket sockets return one record
 * (truncated, MSG_TRUNC); streams gather bytes across records, stopping
 * before data that carries control. With MSG_PEEK nothing is consumed and
 * control keeps its files (the caller installs new references).
 */
export function soreceive(so: Socket, len: number, flags: number, nonblock: boolean, io: IoCtx): RecvResult {
  if (flags & MSG_OOB) throw new SysError(EINVAL);
  nonblock ||= (flags & MSG_DONTWAIT) !== 0;
  const pr = so.so_proto;
  const prog = io.restart instanceof RecvProgress && io.restart.so === so ? io.restart : null;
  const sb = so.so_rcv;
  if (sb.records.length === 0) {
    const got = prog ? prog.n : 0;
    const done = (): RecvResult => ({
      data: concat(prog ? prog.got : [], got), addr: null, control: null, flags: 0, full: got,
    });
    if (got > 0 && (nonblock || so.so_error || so.so_state & SS_CANTRCVMORE)) return done();
    if (so.so_error) throw new SysError(sotakeerror(so));
    if (so.so_state & SS_CANTRCVMORE) return done();
    if ((pr.flags & PR_CONNREQUIRED) && !so.isConnected() && !(so.so_state & SS_ISCONNECTING)) {
      throw new SysError(so.so_family === AF_UNIX ? EINVAL : ENOTCONN);
    }
    if (len === 0 && !(pr.flags & PR_ATOMIC)) return done();
    if (nonblock) throw new SysError(EAGAIN);
    const dl = deadlineOf(io, so.so_rcvtimeo);
    if (dl <= io.uptimeMs()) {
      if (got > 0) { io.restart = null; return done(); }
      throw new SysError(EAGAIN);
    }
    return tsleep(so, dl);
  }
  const stream = !(pr.flags & PR_ATOMIC);
  const waitall = stream && (flags & (MSG_WAITALL | MSG_PEEK)) === MSG_WAITALL && !nonblock;
  /* A blocking stream read waits for SO_RCVLOWAT bytes (or all of them with MSG_WAITALL). */
  const need = waitall ? len - (prog ? prog.n : 0) : Math.min(len, sb.lowat);
  if (stream && !nonblock && waitallSleep(so, need, io)) return tsleep(so, deadlineOf(io, so.so_rcvtimeo));
  const r = pr.flags & PR_ATOMIC ? recvRecord(so, len, flags) : recvStream(so, len, flags, prog);
  if ((flags & MSG_PEEK) === 0 && pr.flags & PR_WANTRCVD) pr.usrreqs.rcvd?.(so, flags);
  if (waitall && r.data.length < len && r.control === null && sb.records.length === 0) {
    io.restart = new RecvProgress(so, [r.data], r.data.length);
    return soreceive(so, len, flags, nonblock, io);
  }
  return r;
}

/*
 * Should a stream read wait for `need` bytes before taking any? MSG_WAITALL
 * (and SO_RCVLOWAT) for what fits the buffer waits with the data left in
 * it, so a signal that interrupts the wait loses nothing; larger requests
 * take data as it comes (progress in io.restart) or the sender would stall.
 */
function waitallSleep(so: Socket, need: number, io: IoCtx): boolean {
  const sb = so.so_rcv;
  if (sb.cc >= need || need > sb.hiwat || so.so_error || so.so_state & SS_CANTRCVMORE) return false;
  if (sb.records.some((r) => r.control !== null)) return false;
  return deadlineOf(io, so.so_rcvtimeo) > io.uptimeMs();
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1 && parts[0].length === n) return parts[0];
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function recvRecord(so: Socket, len: number, flags: number): RecvResult {
  const sb = so.so_rcv;
  const rec = sb.records[0];
  const data = rec.copy(0, len);
  const res: RecvResult = {
    data, addr: rec.addr, control: rec.control,
    flags: rec.len > len ? MSG_TRUNC : 0, full: rec.len,
  };
  if ((flags & MSG_PEEK) === 0) {
    rec.control = null;        /* the receiver owns the files now */
    sb.dropRecord();
  }
  return res;
}

function recvStream(so: Socket, len: number, flags: number, prog: RecvProgress | null): RecvResult {
  const sb = so.so_rcv;
  const parts = prog ? prog.got.slice() : [];
  let n = prog ? prog.n : 0;
  let off = 0;
  let ctlRec: SbRecord | null = null;
  for (const rec of sb.records) {
    if (n >= len) break;
    const part = rec.copy(0, len - n);
    parts.push(part);
    n += part.length;
    off += part.length;
    /* As Linux: data carrying control ends the read, with what came before it. */
    if (rec.control) { ctlRec = rec; break; }
  }
  const control = ctlRec ? ctlRec.control : null;
  /* The first sender's address, where the protocol records one (AF_UNIX). */
  const addr = !prog && sb.records.length > 0 ? sb.records[0].addr : null;
  if ((flags & MSG_PEEK) === 0) {
    if (ctlRec) ctlRec.control = null;       /* the receiver owns the files now */
    sb.drop(off);
  }
  return { data: concat(parts, n), addr, control, flags: 0, full: n };
}

/* ---------------- shutdown, close ---------------- */

export function soshutdown(so: Socket, how: number): void {
  if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw new SysError(EINVAL);
  if ((so.so_proto.flags & PR_CONNREQUIRED) && !so.isConnected() && so.so_family !== AF_UNIX) {
    throw new SysError(ENOTCONN);
  }
  if (how !== SHUT_WR) socantrcvmore(so);
  if (how !== SHUT_RD) socantsendmore(so);
  so.so_proto.usrreqs.shutdown(so, how);
}

/** Last close of the socket's File: abort unaccepted connections, disconnect, detach. */
export function soclose(so: Socket): void {
  const ur = so.so_proto.usrreqs;
  for (const sp of [...so.so_incomp, ...so.so_comp]) {
    soqremove(sp);
    try { ur.abort(sp); } finally { sofree(sp); }
  }
  so.so_file = null;
  if (so.isConnected() && !(so.so_state & SS_ISDISCONNECTING)) {
    try { ur.disconnect(so); } catch { /* closing anyway */ }
  }
  sofree(so);
}

function sofree(so: Socket): void {
  so.so_state |= SS_NOFDREF;
  try {
    so.so_proto.usrreqs.detach(so);
  } finally {
    so.so_rcv.flush();
    sorwakeup(so);
  }
}

/* ---------------- poll ---------------- */

export function sopoll(so: Socket, events: number): number {
  const pr = so.so_proto, st = so.so_state;
  let r = 0;
  const sb = so.so_rcv;
  const readable = sb.records.length > 0 && (sb.cc >= sb.lowat || (pr.flags & PR_ATOMIC) !== 0
    || sb.records.some((x) => x.control !== null));
  if (readable || st & SS_CANTRCVMORE || (so.isListening() && so.so_comp.length > 0)) r |= POLLIN | POLLRDNORM;
  if (st & SS_CANTRCVMORE) r |= POLLRDHUP;
  if (so.so_error) r |= POLLERR;
  const connOriented = (pr.flags & PR_CONNREQUIRED) !== 0;
  const fresh = !(st & (SS_ISCONNECTED | SS_ISCONNECTING)) && !so.isListening();
  if (connOriented && fresh) r |= POLLHUP;
  if ((st & SS_CANTRCVMORE) && (st & SS_CANTSENDMORE)) r |= POLLHUP;
  if (st & SS_CANTSENDMORE) r |= POLLOUT | POLLWRNORM;
  else if (!connOriented || so.isConnected() || fresh) {
    const space = pr.usrreqs.sendspace ? pr.usrreqs.sendspace(so) : so.so_snd.space();
    if (space >= Math.max(1, so.so_snd.lowat)) r |= POLLOUT | POLLWRNORM;
  }
  if (pr.usrreqs.pollExtra) r |= pr.usrreqs.pollExtra(so);
  return r & (events | POLLERR | POLLHUP);
}

/* ---------------- options ---------------- */

const BOOL_OPTS: Record<number, number> = {
  [LSO_DEBUG]: SO_DEBUG, [LSO_REUSEADDR]: SO_REUSEADDR, [LSO_DONTROUTE]: SO_DONTROUTE,
  [LSO_BROADCAST]: SO_BROADCAST, [LSO_KEEPALIVE]: SO_KEEPALIVE, [LSO_OOBINLINE]: SO_OOBINLINE,
  [LSO_REUSEPORT]: SO_REUSEPORT, [LSO_PASSCRED]: SO_PASSCRED, [LSO_TIMESTAMP_OLD]: SO_TIMESTAMP,
};

export function intOf(val: Uint8Array): number {
  if (val.length < 4) throw new SysError(EINVAL);
  return new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true);
}

export function intBytes(...v: number[]): Uint8Array {
  const b = new Uint8Array(4 * v.length);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setInt32(4 * i, x, true));
  return b;
}

function timevalMs(val: Uint8Array): number {
  if (val.length < 16) throw new SysError(EINVAL);
  const dv = new DataView(val.buffer, val.byteOffset, 16);
  const sec = Number(dv.getBigInt64(0, true)), usec = Number(dv.getBigInt64(8, true));
  if (usec < 0 || usec >= 1_000_000) throw new SysError(EDOM);
  if (sec < 0) return 0;
  return sec * 1000 + usec / 1000;
}

function timevalBytes(ms: number): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  const sec = Math.floor(ms / 1000);
  dv.setBigInt64(0, BigInt(sec), true);
  dv.setBigInt64(8, BigInt(Math.round((ms - sec * 1000) * 1000)), true);
  return b;
}

function isRoot(caller: SoCaller): boolean {
  return caller.cred.euid === 0;
}

/** setsockopt(2). */
export function sosetopt(so: Socket, sopt: SockOpt, caller: SoCaller): void {
  if (sopt.level !== SOL_SOCKET) return protoOpt(so, sopt);
  const v = sopt.val, name = sopt.name;
  const bit = BOOL_OPTS[name];
  if (bit !== undefined) {
    if (intOf(v)) so.so_options |= bit;
    else so.so_options &= ~bit;
    return passOn(so, sopt);
  }
  switch (name) {
    case LSO_SNDBUF: case LSO_SNDBUFFORCE: {
      if (name === LSO_SNDBUFFORCE && !isRoot(caller)) throw new SysError(EPERM);
      const n = Math.min(intOf(v) >>> 0, name === LSO_SNDBUF ? WMEM_MAX : 0x3fffffff);
      so.so_snd.hiwat = Math.max(n * 2, MIN_SNDBUF);
      sorwakeup(so);
      return passOn(so, sopt);
    }
    case LSO_RCVBUF: case LSO_RCVBUFFORCE: {
      if (name === LSO_RCVBUFFORCE && !isRoot(caller)) throw new SysError(EPERM);
      const n = Math.min(intOf(v) >>> 0, name === LSO_RCVBUF ? RMEM_MAX : 0x3fffffff);
      so.so_rcv.hiwat = Math.max(n * 2, MIN_RCVBUF);
      sorwakeup(so);
      return passOn(so, sopt);
    }
    case LSO_RCVLOWAT: {
      const n = intOf(v);
      so.so_rcv.lowat = n < 1 ? 1 : Math.min(n, 0x7fffffff);
      sorwakeup(so);
      return;
    }
    case LSO_SNDLOWAT: throw new SysError(ENOPROTOOPT);
    case LSO_RCVTIMEO_OLD: case LSO_RCVTIMEO_NEW: so.so_rcvtimeo = timevalMs(v); return;
    case LSO_SNDTIMEO_OLD: case LSO_SNDTIMEO_NEW: so.so_sndtimeo = timevalMs(v); return;
    case LSO_LINGER: {
      if (v.length < 8) throw new SysError(EINVAL);
      const dv = new DataView(v.buffer, v.byteOffset, 8);
      if (dv.getInt32(0, true)) so.so_options |= SO_LINGER;
      else so.so_options &= ~SO_LINGER;
      so.so_linger = Math.max(0, dv.getInt32(4, true));
      return passOn(so, sopt);
    }
    case LSO_PRIORITY: {
      const n = intOf(v);
      if ((n < 0 || n > 6) && !isRoot(caller)) throw new SysError(EPERM);
      so.so_priority = n;
      return;
    }
    case LSO_MARK:
      if (!isRoot(caller)) throw new SysError(EPERM);
      so.so_mark = intOf(v) >>> 0;
      return;
    case LSO_BINDTODEVICE: {
      if (!isRoot(caller)) throw new SysError(EPERM);
      const b = v.subarray(0, Math.min(v.length, IFNAMSIZ - 1));
      const nul = b.indexOf(0);
      so.so_bindtodevice = bytesToBstr(nul < 0 ? b : b.subarray(0, nul));
      return passOn(so, sopt);
    }
    case LSO_TYPE: case LSO_ERROR: case LSO_PEERCRED: case LSO_ACCEPTCONN:
    case LSO_PROTOCOL: case LSO_DOMAIN:
      throw new SysError(ENOPROTOOPT);
    default:
      return protoOpt(so, sopt);
  }
}

/* Protocols hear about SOL_SOCKET options they may care about (TCP keepalive, buffer sizes). */
function passOn(so: Socket, sopt: SockOpt): void {
  try {
    so.so_proto.usrreqs.ctloutput?.(so, sopt);
  } catch (e) {
    if (!(e instanceof SysError && e.errno === ENOPROTOOPT)) throw e;
  }
}

function protoOpt(so: Socket, sopt: SockOpt): void {
  const f = so.so_proto.usrreqs.ctloutput;
  if (!f) throw new SysError(sopt.level === SOL_SOCKET ? ENOPROTOOPT : EOPNOTSUPP);
  f(so, sopt);
}

/** getsockopt(2): the value's bytes (the caller truncates to the user's length). */
export function sogetopt(so: Socket, sopt: SockOpt): Uint8Array {
  if (sopt.level !== SOL_SOCKET) return protoGet(so, sopt);
  const bit = BOOL_OPTS[sopt.name];
  if (bit !== undefined) return intBytes((so.so_options & bit) !== 0 ? 1 : 0);
  switch (sopt.name) {
    case LSO_TYPE: return intBytes(so.so_type);
    case LSO_ERROR: return intBytes(sotakeerror(so));
    case LSO_SNDBUF: return intBytes(so.so_snd.hiwat);
    case LSO_RCVBUF: return intBytes(so.so_rcv.hiwat);
    case LSO_RCVLOWAT: return intBytes(so.so_rcv.lowat);
    case LSO_SNDLOWAT: return intBytes(1);
    case LSO_RCVTIMEO_OLD: case LSO_RCVTIMEO_NEW: return timevalBytes(so.so_rcvtimeo);
    case LSO_SNDTIMEO_OLD: case LSO_SNDTIMEO_NEW: return timevalBytes(so.so_sndtimeo);
    case LSO_LINGER: return intBytes((so.so_options & SO_LINGER) !== 0 ? 1 : 0, so.so_linger);
    case LSO_ACCEPTCONN: return intBytes(so.isListening() ? 1 : 0);
    case LSO_PROTOCOL: return intBytes(so.so_protocol);
    case LSO_DOMAIN: return intBytes(so.so_family);
    case LSO_PRIORITY: return intBytes(so.so_priority);
    case LSO_MARK: return intBytes(so.so_mark);
    case LSO_PEERCRED: {
      const c = so.so_peercred;
      return c ? intBytes(c.pid, c.uid, c.gid) : intBytes(0, 65534, 65534);
    }
    case LSO_BINDTODEVICE:
      return so.so_bindtodevice ? bstrToBytes(so.so_bindtodevice + '\0') : new Uint8Array(0);
    default:
      return protoGet(so, sopt);
  }
}

function protoGet(so: Socket, sopt: SockOpt): Uint8Array {
  const f = so.so_proto.usrreqs.ctloutput;
  if (!f) throw new SysError(sopt.level === SOL_SOCKET ? ENOPROTOOPT : EOPNOTSUPP);
  return f(so, sopt) ?? new Uint8Array(0);
}

export { SOPT_GET, SOPT_SET };
