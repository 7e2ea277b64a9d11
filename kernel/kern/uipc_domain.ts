/*
 * CONTRACT: netinet plugs in here.
 *
 * Communication domains and protocol switches (BSD's struct domain, struct
 * protosw and struct pr_usrreqs; kern/uipc_domain.c). A protocol family
 * registers a Domain listing its ProtoSw entries; socket(2) finds the entry
 * by (family, type, protocol) and from then on the generic socket layer
 * (kern/uipc_socket.ts) calls the entry's ProtoUsrReqs. This file is a
 * stable contract: changes are additive only.
 *
 *   syscall (uipc_syscalls.ts) → so* (uipc_socket.ts) → pru_* (ProtoUsrReqs)
 *   protocol → upcalls in socketvar.ts (soisconnected, sbappend, sorwakeup ...)
 *
 * What the socket layer does for every protocol, so protocols need not:
 * - decoding/encoding user sockaddrs (uipc_sockaddr.ts): protocols get SockAddr
 *   objects and must reject a family they do not serve with EAFNOSUPPORT;
 * - blocking, non-blocking, timeouts (SO_RCVTIMEO/SO_SNDTIMEO), restart of
 *   partial writes, SIGPIPE/EPIPE after socantsendmore, MSG_PEEK/WAITALL/TRUNC;
 * - receiving: soreceive reads so_rcv (records, addresses, control) and then
 *   calls pru_rcvd if the entry has PR_WANTRCVD (TCP's window update);
 * - sending: sosend checks state (EPIPE + SIGPIPE after socantsendmore,
 *   ENOTCONN for PR_CONNREQUIRED when not connected (EPIPE with
 *   PR_NOTCONN_EPIPE; waiting while connecting), pending so_error),
 *   room (sendspace or so_snd.space()), record size (EMSGSIZE for PR_ATOMIC
 *   above so_snd.hiwat), then calls pru_send with at most that much: one
 *   whole message for PR_ATOMIC. Address checks are the protocol's (a
 *   datagram with no address on an unconnected socket: EDESTADDRREQ for UDP,
 *   ENOTCONN for AF_UNIX; an address on a stream: EISCONN / EOPNOTSUPP);
 * - listen queues: solisten sets SO_ACCEPTCONN and so_qlimit after
 *   pru_listen; soaccept takes so_comp[0], calls pru_accept for the peer;
 * - connect: soconnect calls pru_connect, then (blocking socket) sleeps until
 *   SS_ISCONNECTING clears; so_error after a failed connect is returned;
 * - close: soclose aborts unaccepted connections (pru_abort), disconnects a
 *   connected socket (pru_disconnect), then pru_detach; the socket is gone
 *   after detach (protocols free so_pcb and drop references to it);
 * - SOL_SOCKET options it knows (see uipc_socket.ts); every other level, and
 *   SOL_SOCKET options it does not know, go to pru_ctloutput;
 * - ioctls: FIONREAD, FIONBIO, SIOCATMARK here; the rest (SIOC* interface
 *   ioctls) go to pru_control; ENOTTY if absent.
 *
 * Errors are thrown as SysError(errno). A pru_* may sleep (tsleep) only
 * where noted; the whole syscall reruns after the wakeup.
 */
import { EAFNOSUPPORT, EPROTONOSUPPORT, EPROTOTYPE, ESOCKTNOSUPPORT, SysError } from './errno.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import type { SockAddr } from './uipc_sockaddr.ts';
import type { SoCaller, Socket, SockControl } from './socketvar.ts';

/* ProtoSw.flags (BSD pr_flags). */
/** Messages are atomic: one pru_send per whole message, one record per message. */
export const PR_ATOMIC = 0x01;
/** Each received record carries its source address (datagrams). */
export const PR_ADDR = 0x02;
/** Must be connected to send (TCP, AF_UNIX stream/seqpacket). */
export const PR_CONNREQUIRED = 0x04;
/** Call pru_rcvd after the reader takes data from so_rcv. */
export const PR_WANTRCVD = 0x08;
/** Can carry SCM_RIGHTS (AF_UNIX). */
export const PR_RIGHTS = 0x10;
/** Serves any protocol number asked for with its type (raw sockets). */
export const PR_WILDCARD = 0x20;
/**
 * Sending on a PR_CONNREQUIRED socket that is neither connected nor
 * connecting is EPIPE (+ SIGPIPE) rather than ENOTCONN (Linux TCP). While
 * connecting, a blocking send waits for the connection either way.
 */
export const PR_NOTCONN_EPIPE = 0x40;

/** get/setsockopt as the protocol sees it. */
export const SOPT_GET = 0, SOPT_SET = 1;
export interface SockOpt {
  dir: typeof SOPT_GET | typeof SOPT_SET;
  level: number;
  name: number;
  /** SOPT_SET: the user's option bytes (optlen of them). SOPT_GET: empty. */
  val: Uint8Array;
  /** SOPT_GET: the size of the user's buffer (the result is truncated to it). */
  valsize: number;
}

/**
 * The requests a protocol serves (pr_usrreqs). `so` is always a socket of
 * this protocol; `caller` is the thread making the call (see SoCaller).
 */
export interface ProtoUsrReqs {
  /**
   * A new socket: socket(2), socketpair(2), or sonewconn on a listening socket
   * (then caller is null and the listener's options are already copied).
   * Allocate so.so_pcb; size the buffers with soreserve if the defaults do not suit.
   * Throwing refuses the socket.
   */
  attach(so: Socket, protocol: number, caller: SoCaller | null): void;
  /**
   * The socket is being freed (last close, after pru_disconnect/pru_abort).
   * Free the pcb and never make upcalls on this socket again. so_snd is left
   * alone by the socket layer: a protocol that still sends queued data after
   * close (TCP's FIN_WAIT) keeps what it needs; so_rcv is flushed after detach.
   * SO_LINGER on with so_linger 0 asks for an abortive close (TCP RST).
   */
  detach(so: Socket): void;
  /** bind(2). EADDRINUSE, EADDRNOTAVAIL, EACCES (privileged port), EINVAL (already bound). */
  bind(so: Socket, nam: SockAddr, caller: SoCaller): void;
  /** listen(2): bind if unbound (ephemeral port). The socket layer sets SO_ACCEPTCONN and so_qlimit. */
  listen(so: Socket, backlog: number, caller: SoCaller): void;
  /**
   * connect(2): start connecting. Call soisconnecting() and complete later
   * with soisconnected() (or soseterror + soisdisconnected), or call
   * soisconnected() at once (AF_UNIX, UDP). The socket layer does the
   * waiting, EINPROGRESS and EALREADY.
   */
  connect(so: Socket, nam: SockAddr, caller: SoCaller): void;
  /** socketpair(2): connect two fresh sockets. Absent → EOPNOTSUPP. */
  connect2?(so1: Socket, so2: Socket): void;
  /** accept: so was just taken off its listener's so_comp; return the peer's address. */
  accept(so: Socket): SockAddr | null;
  /** Break the connection (close of a connected socket; connect(AF_UNSPEC) on datagrams). */
  disconnect(so: Socket): void;
  /**
   * shutdown(2), after the socket layer applied it locally (SHUT_RD:
   * socantrcvmore; SHUT_WR: socantsendmore). For SHUT_WR/SHUT_RDWR send EOF (FIN).
   * how is SHUT_RD, SHUT_WR or SHUT_RDWR (socketvar.ts).
   */
  shutdown(so: Socket, how: number): void;
  /**
   * Send data (at most what the socket layer found room for; one whole
   * message for PR_ATOMIC). addr: the destination for unconnected datagram
   * sockets, else null. control: decoded control messages (SCM_RIGHTS files
   * carry references the protocol now owns: pass them on or controlDispose()).
   * flags: the caller's MSG_* flags (MSG_OOB, MSG_EOR, MSG_MORE, MSG_DONTROUTE).
   */
  send(so: Socket, flags: number, data: Uint8Array, addr: SockAddr | null,
    control: SockControl[] | null, caller: SoCaller): void;
  /** The reader took data out of so_rcv (PR_WANTRCVD): open the window. */
  rcvd?(so: Socket, flags: number): void;
  /** Drop a connection nobody accepted (its listener closed). The socket layer then detaches it. */
  abort(so: Socket): void;
  /** getsockname(2). An unbound socket answers its family's wildcard. */
  sockaddr(so: Socket): SockAddr;
  /** getpeername(2); ENOTCONN when not connected. */
  peeraddr(so: Socket): SockAddr;
  /** ioctl(2) on the socket beyond FIONREAD/FIONBIO (SIOCGIFCONF, SIOCGIFADDR ...). arg is the raw pointer. */
  control?(so: Socket, cmd: number, arg: number, io: IoCtx): number;
  /**
   * get/setsockopt at the protocol's levels (IPPROTO_TCP, IPPROTO_IP ...) and
   * SOL_SOCKET options the socket layer does not know. SOPT_GET returns the
   * value's bytes (the socket layer truncates to valsize); SOPT_SET returns null.
   * Unknown option: ENOPROTOOPT.
   */
  ctloutput?(so: Socket, sopt: SockOpt): Uint8Array | null;
  /** Bytes sosend may hand pru_send now (default so_snd.space()); AF_UNIX answers its peer's room. */
  sendspace?(so: Socket): number;
  /** Extra poll bits (e.g. POLLPRI for urgent data) or'ed into the generic answer. */
  pollExtra?(so: Socket): number;
}

export interface ProtoSw {
  /** For messages and netstat: "tcp", "udp", "unix/stream". */
  readonly name: string;
  /** SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET. */
  readonly type: number;
  /** IPPROTO_TCP ...; 0 for families without protocol numbers. */
  readonly protocol: number;
  readonly flags: number;
  readonly usrreqs: ProtoUsrReqs;
  /** Filled in by registerDomain. */
  domain?: Domain;
}

export interface Domain {
  readonly family: number;
  /** "local", "internet". */
  readonly name: string;
  readonly protosw: ProtoSw[];
  /** Domain-wide initialisation, run once at registration (timers, pcb tables). */
  init?(): void;
}

const domains = new Map<number, Domain>();

/**
 * Make a family available to socket(2). Registering a family again replaces
 * it (a test may install its own). Additive: call from the protocol's module.
 */
export function registerDomain(d: Domain): void {
  for (const pr of d.protosw) pr.domain = d;
  domains.set(d.family, d);
  d.init?.();
}

export function findDomain(family: number): Domain | null {
  return domains.get(family) ?? null;
}

/** Registered families (for netstat and tests). */
export function allDomains(): Domain[] {
  return [...domains.values()];
}

/** The first entry of a type (pffindtype). */
export function pffindtype(family: number, type: number): ProtoSw | null {
  return domains.get(family)?.protosw.find((p) => p.type === type) ?? null;
}

/** The entry for (type, protocol) (pffindproto); a PR_WILDCARD entry matches any protocol. */
export function pffindproto(family: number, protocol: number, type: number): ProtoSw | null {
  const d = domains.get(family);
  if (!d) return null;
  return d.protosw.find((p) => p.type === type && p.protocol === protocol)
    ?? d.protosw.find((p) => p.type === type && (p.flags & PR_WILDCARD) !== 0)
    ?? null;
}

/**
 * socket(2)'s choice of entry, with Linux's errors: no domain → EAFNOSUPPORT,
 * no entry of that type → ESOCKTNOSUPPORT, type known but not that protocol
 * → EPROTONOSUPPORT (EPROTOTYPE when the protocol exists with another type).
 */
export function protoLookup(family: number, type: number, protocol: number): ProtoSw {
  const d = domains.get(family);
  if (!d) throw new SysError(EAFNOSUPPORT);
  if (protocol === 0) {
    const pr = pffindtype(family, type);
    if (!pr) throw new SysError(ESOCKTNOSUPPORT);
    return pr;
  }
  const pr = pffindproto(family, protocol, type);
  if (pr) return pr;
  if (!d.protosw.some((p) => p.type === type)) throw new SysError(ESOCKTNOSUPPORT);
  if (d.protosw.some((p) => p.protocol === protocol)) throw new SysError(EPROTOTYPE);
  throw new SysError(EPROTONOSUPPORT);
}
