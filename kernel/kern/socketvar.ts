/*
 * struct socket and struct sockbuf (sys/socketvar.h), and the upcalls
 * protocols make into the socket layer (kern/uipc_socket2.c): state changes
 * (soisconnecting ... soisdisconnected), new connections on a listening
 * socket (sonewconn), end of data (socantsendmore/socantrcvmore), buffer
 * appends (sbappend*) and wakeups (sorwakeup/sowwakeup/soseterror).
 *
 * A protocol (kern/uipc_usrreq.ts for AF_UNIX, net/ for AF_INET) keeps its
 * state in so.so_pcb and talks to its socket only through what is here;
 * the generic socket calls (kern/uipc_socket.ts) talk to the protocol
 * only through its ProtoUsrReqs (kern/uipc_domain.ts).
 *
 * Blocking: every sleeper on a socket (read, write, connect, accept, close)
 * sleeps on the Socket object itself; wakeups wake them all and the
 * syscalls rerun and recheck (kern/sleep.ts). Every wakeup also wakes the
 * pollers (poll, select, epoll) through selwakeup.
 */
import type { File } from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { selwakeup } from '../vfs/selinfo.ts';
import type { Cred, Thread } from './proc.ts';
import { wakeup } from './sleep.ts';
import type { SockAddr } from './uipc_sockaddr.ts';
import type { ProtoSw } from './uipc_domain.ts';

/* Socket types (asm-generic). SOCK_NONBLOCK/SOCK_CLOEXEC ride in socket(2)'s type. */
export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4, SOCK_SEQPACKET = 5;
export const SOCK_TYPE_MASK = 0xf;
export const SOCK_NONBLOCK = 0o4000, SOCK_CLOEXEC = 0o2000000;

/* so_state bits (BSD). */
export const SS_NOFDREF = 0x001, SS_ISCONNECTED = 0x002, SS_ISCONNECTING = 0x004,
  SS_ISDISCONNECTING = 0x008, SS_CANTSENDMORE = 0x010, SS_CANTRCVMORE = 0x020,
  SS_RCVATMARK = 0x040, SS_NBIO = 0x100, SS_ISDISCONNECTED = 0x2000, SS_ISBOUND = 0x4000;

/*
 * so_options bits. These are BSD's internal flags, NOT the Linux SO_* option
 * names of setsockopt (those are in uipc_socket.ts); sosetopt maps one to the other.
 */
export const SO_DEBUG = 0x0001, SO_ACCEPTCONN = 0x0002, SO_REUSEADDR = 0x0004,
  SO_KEEPALIVE = 0x0008, SO_DONTROUTE = 0x0010, SO_BROADCAST = 0x0020, SO_LINGER = 0x0080,
  SO_OOBINLINE = 0x0100, SO_REUSEPORT = 0x0200, SO_TIMESTAMP = 0x0400, SO_PASSCRED = 0x0800;

/* recv/send flags (Linux values). */
export const MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_DONTROUTE = 0x4, MSG_CTRUNC = 0x8,
  MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100,
  MSG_CONFIRM = 0x800, MSG_ERRQUEUE = 0x2000, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000,
  MSG_WAITFORONE = 0x10000, MSG_CMSG_CLOEXEC = 0x40000000;

export const SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

/* Control message levels and types. */
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;

/** Linux's net.core.somaxconn default; listen() clamps the backlog to it. */
export const SOMAXCONN = 4096;

/** Default buffer sizes (bytes). Protocols may reserve others in attach (soreserve). */
export const SB_DEFAULT = 212992;

/**
 * One control message in a record (struct cmsghdr decoded). For SCM_RIGHTS
 * `files` holds the Files in flight, each with a reference of its own; data
 * is then empty. Dropping the record unreceived drops those references.
 */
export interface SockControl {
  level: number;
  type: number;
  data: Uint8Array;
  files?: File[];
}

/** Who made a socket / who is at the other end (SO_PEERCRED's struct ucred). */
export interface SoCred {
  pid: number;
  uid: number;
  gid: number;
}

/**
 * The caller of a socket operation, as protocols see it. td is there for
 * AF_UNIX, which looks up and creates file system nodes (cwd, root, umask);
 * it is null for calls with no thread behind them (unit tests, sonewconn).
 */
export interface SoCaller {
  readonly pid: number;
  readonly cred: Cred;
  readonly io: IoCtx;
  readonly td: Thread | null;
}

/**
 * One record of a socket buffer: what one datagram / seqpacket message is,
 * or a run of stream bytes. Stream data is appended to the last record when
 * that record carries no address or control; chunks avoid copying on append.
 */
export class SbRecord {
  /* chunks[head..] hold the data; consumed chunks are skipped, then compacted. */
  private chunks: Uint8Array[] = [];
  private head = 0;
  len = 0;
  /** Message boundary after this record (atomic protocols). */
  eor = false;

  constructor(
    /** Source address (datagrams; sbappendaddr). */
    public addr: SockAddr | null,
    public control: SockControl[] | null,
  ) {}

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.len += data.length;
  }

  /** Copy up to n bytes starting at off without consuming them. */
  copy(off: number, n: number): Uint8Array {
    n = Math.max(0, Math.min(n, this.len - off));
    const out = new Uint8Array(n);
    let pos = 0, skip = off;
    for (let i = this.head; i < this.chunks.length && pos < n; i++) {
      const c = this.chunks[i];
      if (skip >= c.length) { skip -= c.length; continue; }
      const part = c.subarray(skip, skip + (n - pos));
      out.set(part, pos);
      pos += part.length;
      skip = 0;
    }
    return out;
  }

  /** Remove n bytes from the front. */
  drop(n: number): void {
    n = Math.min(n, this.len);
    this.len -= n;
    while (n > 0 && this.head < this.chunks.length) {
      const c = this.chunks[this.head];
      if (c.length <= n) { n -= c.length; this.head++; }
      else { this.chunks[this.head] = c.subarray(n); n = 0; }
    }
    /* Many small writes leave many chunks: forget the consumed ones in bulk, not one by one. */
    if (this.head === this.chunks.length) { this.chunks = []; this.head = 0; }
    else if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

/** Drop what a control message holds (SCM_RIGHTS files in flight). */
export function controlDispose(control: SockControl[] | null): void {
  if (!control) return;
  for (const c of control) {
    const files = c.files;
    c.files = [];
    if (files) for (const fp of files) fp.drop();
  }
}

/** struct sockbuf: queued data as records, with high and low water marks. */
export class SockBuf {
  readonly records: SbRecord[] = [];
  /** Bytes of data queued (sb_cc). */
  cc = 0;
  /** Most bytes the buffer may hold (SO_SNDBUF/SO_RCVBUF). */
  hiwat = SB_DEFAULT;
  /** Fewest bytes that make a reader / writer ready (SO_RCVLOWAT/SO_SNDLOWAT). */
  lowat: number;

  constructor(lowat: number) {
    this.lowat = lowat;
  }

  /** Bytes that may still be appended (sbspace); may be ≤ 0. */
  space(): number {
    return this.hiwat - this.cc;
  }

  get first(): SbRecord | undefined {
    return this.records[0];
  }

  /**
   * Stream data: extend the last plain record or start one (sbappend /
   * sbappendstream). addr, if given, is the sender's address (AF_UNIX
   * reports it to recvfrom on streams); data from another sender starts a record.
   */
  append(data: Uint8Array, addr: SockAddr | null = null): void {
    if (data.length === 0) return;
    const last = this.records[this.records.length - 1];
    if (last && !last.eor && last.addr === addr && last.control === null) last.push(data);
    else this.newRecord(addr, null, data, false);
    this.cc += data.length;
  }

  /** A complete message: its own record ending in a boundary (sbappendrecord). */
  appendRecord(data: Uint8Array, control: SockControl[] | null = null, addr: SockAddr | null = null): void {
    this.newRecord(addr, control, data, true);
    this.cc += data.length;
  }

  /**
   * A datagram with its source address (sbappendaddr). Returns false, and
   * appends nothing, when it does not fit: the protocol drops it (and
   * disposes of control) as BSD does.
   */
  appendAddr(addr: SockAddr | null, data: Uint8Array, control: SockControl[] | null = null): boolean {
    if (data.length > this.space() && this.cc > 0) return false;
    this.newRecord(addr, control, data, true);
    this.cc += data.length;
    return true;
  }

  /**
   * Stream data with control (AF_UNIX SCM_RIGHTS over a stream): a record of
   * its own that a stream read does not merge with the data before it.
   */
  appendControl(data: Uint8Array, control: SockControl[], addr: SockAddr | null = null): void {
    this.newRecord(addr, control, data, false);
    this.cc += data.length;
  }

  private newRecord(addr: SockAddr | null, control: SockControl[] | null, data: Uint8Array, eor: boolean): void {
    const r = new SbRecord(addr, control);
    r.push(data);
    r.eor = eor;
    this.records.push(r);
  }

  /** Drop n bytes of data from the front, across records (sbdrop: TCP acks, stream reads). */
  drop(n: number): void {
    while (n > 0 && this.records.length > 0) {
      const r = this.records[0];
      const k = Math.min(n, r.len);
      r.drop(k);
      this.cc -= k;
      n -= k;
      if (r.len === 0) this.dropRecord();
    }
  }

  /** Drop the first record whole, disposing of its control (sbdroprecord). */
  dropRecord(): void {
    const r = this.records.shift();
    if (!r) return;
    this.cc -= r.len;
    controlDispose(r.control);
  }

  /** Copy up to n stream bytes from offset off (TCP retransmission, MSG_PEEK). */
  copy(off: number, n: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(n, this.cc - off)));
    let pos = 0;
    for (const r of this.records) {
      if (pos >= out.length) break;
      if (off >= r.len) { off -= r.len; continue; }
      const part = r.copy(off, out.length - pos);
      out.set(part, pos);
      pos += part.length;
      off = 0;
    }
    return out;
  }

  /** Empty it (sbflush), releasing any files in flight. */
  flush(): void {
    while (this.records.length > 0) this.dropRecord();
    this.cc = 0;
  }
}

let nextSockIno = 1;

/** struct socket. */
export class Socket {
  so_options = 0;
  so_state = 0;
  /** Pending asynchronous error (ECONNREFUSED, ECONNRESET ...); SO_ERROR reads and clears it. */
  so_error = 0;
  /** SO_LINGER's time in seconds (the SO_LINGER bit in so_options says whether it is on). */
  so_linger = 0;
  /** The protocol's control block (inpcb/tcpcb, unpcb). */
  so_pcb: object | null = null;

  /* Listening: so_incomp (handshake in progress) and so_comp (ready for accept). */
  so_head: Socket | null = null;
  readonly so_incomp: Socket[] = [];
  readonly so_comp: Socket[] = [];
  /** The listen backlog; a queue longer than this refuses new connections. */
  so_qlimit = 0;

  readonly so_rcv = new SockBuf(1);
  readonly so_snd = new SockBuf(1);
  /** SO_RCVTIMEO / SO_SNDTIMEO in ms; 0 = wait forever. */
  so_rcvtimeo = 0;
  so_sndtimeo = 0;

  /** Whoever created the socket (SO_PEERCRED of AF_UNIX reports the peer's). */
  so_cred: SoCred = { pid: 0, uid: 0, gid: 0 };
  /** The peer's credentials at connect time (SO_PEERCRED; AF_UNIX sets it). */
  so_peercred: SoCred | null = null;
  /** SO_BINDTODEVICE's interface name ('' = any); netinet honours it. */
  so_bindtodevice = '';
  /** SO_PRIORITY, SO_MARK: stored, reported. */
  so_priority = 0;
  so_mark = 0;
  /*
   * Wakeup counts, read and write side: edge-triggered epoll reports a new
   * edge for each (as Linux does for every sk_data_ready/sk_write_space).
   */
  so_rgen = 0;
  so_wgen = 0;
  /** For fstat's st_ino (sockfs). */
  readonly so_ino = nextSockIno++;
  /** The File open on it (null once closed, or for sockets not yet accepted). */
  so_file: File | null = null;

  constructor(
    readonly so_proto: ProtoSw,
    /** SOCK_STREAM, SOCK_DGRAM ... */
    readonly so_type: number,
    /** The protocol number asked for or implied (IPPROTO_TCP, 0 for AF_UNIX). */
    readonly so_protocol: number,
  ) {}

  get so_family(): number {
    return this.so_proto.domain?.family ?? 0;
  }

  isConnected(): boolean {
    return (this.so_state & SS_ISCONNECTED) !== 0;
  }
  isListening(): boolean {
    return (this.so_options & SO_ACCEPTCONN) !== 0;
  }

  /** Queue lengths of a listening socket. */
  get so_qlen(): number {
    return this.so_comp.length + this.so_incomp.length;
  }
}

/* ---------------- buffer sizing ---------------- */

/** Set both buffers' sizes (soreserve); protocols call it from attach. */
export function soreserve(so: Socket, sndcc: number, rcvcc: number): void {
  so.so_snd.hiwat = sndcc;
  so.so_rcv.hiwat = rcvcc;
}

/* ---------------- wakeups ---------------- */

/** Readers (and pollers) may proceed: data, EOF, a new connection or an error. */
export function sorwakeup(so: Socket): void {
  so.so_rgen++;
  wakeup(so);
  selwakeup();
}

/** Writers may proceed: space freed, or the connection changed. */
export function sowwakeup(so: Socket): void {
  so.so_wgen++;
  wakeup(so);
  selwakeup();
}

/** A state change: both directions hear of it (Linux's sk_state_change). */
function sowakeupall(so: Socket): void {
  so.so_wgen++;
  sorwakeup(so);
}

/** Post an asynchronous error (so_error) and wake everyone. */
export function soseterror(so: Socket, errno: number): void {
  so.so_error = errno;
  sorwakeup(so);
}

/* ---------------- state changes (the protocol's upcalls) ---------------- */

export function soisconnecting(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING | SS_ISDISCONNECTED);
  so.so_state |= SS_ISCONNECTING;
  sowakeupall(so);
}

/**
 * The connection is up. A socket sonewconn made on a listening socket moves
 * from so_incomp to so_comp, where accept finds it.
 */
export function soisconnected(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING | SS_ISDISCONNECTED);
  so.so_state |= SS_ISCONNECTED;
  const head = so.so_head;
  if (head) {
    const i = head.so_incomp.indexOf(so);
    if (i >= 0) {
      head.so_incomp.splice(i, 1);
      head.so_comp.push(so);
      sorwakeup(head);
    }
  }
  sowakeupall(so);
}

export function soisdisconnecting(so: Socket): void {
  so.so_state &= ~SS_ISCONNECTING;
  so.so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
  sowakeupall(so);
}

export function soisdisconnected(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTING | SS_ISCONNECTED | SS_ISDISCONNECTING);
  so.so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE | SS_ISDISCONNECTED;
  sowakeupall(so);
}

/** No more data will be sent (the local side shut down or the peer reset). */
export function socantsendmore(so: Socket): void {
  so.so_state |= SS_CANTSENDMORE;
  sowakeupall(so);
}

/** No more data will arrive (the peer's FIN or close): readers see EOF once drained. */
export function socantrcvmore(so: Socket): void {
  so.so_state |= SS_CANTRCVMORE;
  sowakeupall(so);
}

/**
 * A connection request arrived on the listening socket head: make the new
 * socket (same protocol, options, buffer sizes), attach the protocol and
 * queue it on so_incomp, or on so_comp when connstatus has SS_ISCONNECTED
 * (AF_UNIX connects at once; TCP calls soisconnected after the handshake).
 * Returns null when the queue is full or the protocol refuses; the caller
 * drops the request (TCP: ignore the SYN; AF_UNIX: EAGAIN/ECONNREFUSED).
 */
export function sonewconn(head: Socket, connstatus: number): Socket | null {
  if (head.so_qlen > head.so_qlimit) return null;
  const so = new Socket(head.so_proto, head.so_type, head.so_protocol);
  so.so_options = head.so_options & ~SO_ACCEPTCONN;
  so.so_linger = head.so_linger;
  so.so_state = (head.so_state & SS_NBIO) | SS_NOFDREF;
  so.so_cred = head.so_cred;
  so.so_bindtodevice = head.so_bindtodevice;
  so.so_rcvtimeo = head.so_rcvtimeo;
  so.so_sndtimeo = head.so_sndtimeo;
  try {
    head.so_proto.usrreqs.attach(so, head.so_protocol, null);
  } catch {
    return null;
  }
  soreserve(so, head.so_snd.hiwat, head.so_rcv.hiwat);
  so.so_rcv.lowat = head.so_rcv.lowat;
  so.so_snd.lowat = head.so_snd.lowat;
  so.so_head = head;
  if (connstatus & SS_ISCONNECTED) {
    so.so_state |= SS_ISCONNECTED;
    head.so_comp.push(so);
    sorwakeup(head);
  } else head.so_incomp.push(so);
  return so;
}

/** Take so off its listening socket's queues (accept, or abort). */
export function soqremove(so: Socket): void {
  const head = so.so_head;
  if (!head) return;
  for (const q of [head.so_comp, head.so_incomp]) {
    const i = q.indexOf(so);
    if (i >= 0) q.splice(i, 1);
  }
  so.so_head = null;
}

/* BSD spellings of the buffer operations, for protocol code that reads like BSD's. */
export const sbappend = (sb: SockBuf, data: Uint8Array): void => sb.append(data);
export const sbappendrecord = (sb: SockBuf, data: Uint8Array, control: SockControl[] | null = null): void =>
  sb.appendRecord(data, control);
export const sbappendaddr = (sb: SockBuf, addr: SockAddr | null, data: Uint8Array,
  control: SockControl[] | null = null): boolean => sb.appendAddr(addr, data, control);
export const sbdrop = (sb: SockBuf, n: number): void => sb.drop(n);
export const sbflush = (sb: SockBuf): void => sb.flush();
export const sbspace = (sb: SockBuf): number => sb.space();
