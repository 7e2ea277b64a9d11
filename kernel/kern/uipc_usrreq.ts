/*
 * AF_UNIX (kern/uipc_usrreq.c): stream, datagram and seqpacket sockets
 * between processes of this kernel. A bound name is either a VSOCK node in
 * the file system (bind creates it, connect finds it with namei and needs
 * write permission on it) or an abstract name (leading NUL) in a table of
 * our own. Data goes straight into the peer's receive buffer, so flow
 * control is the peer's so_rcv room (sendspace) and a reader wakes the
 * writers (rcvd). SCM_RIGHTS files ride in the records with their own
 * references; SCM_CREDENTIALS are attached for receivers with SO_PASSCRED
 * (datagram and seqpacket).
 */
import {
  EADDRINUSE, EAGAIN, ECONNREFUSED, ECONNRESET, EINVAL, EISCONN, ENOTCONN, EOPNOTSUPP, EPERM, EPIPE,
  EPROTOTYPE, EROFS, SysError,
} from './errno.ts';
import { tsleep } from './sleep.ts';
import { AT_FDCWD } from '../vfs/vfs_thread.ts';
import { lookupAt, parentAt } from '../vfs/vfs_lookup.ts';
import { VEXEC, VWRITE, vaccess } from '../vfs/vfs_cred.ts';
import { VSOCK, vref, vrele, type Vnode } from '../vfs/vnode.ts';
import {
  PR_ADDR, PR_ATOMIC, PR_CONNREQUIRED, PR_RIGHTS, PR_WANTRCVD, registerDomain, type ProtoSw, type ProtoUsrReqs,
} from './uipc_domain.ts';
import { AF_UNIX, isUnix, UNNAMED, type SockAddr, type SockAddrUn } from './uipc_sockaddr.ts';
import {
  MSG_DONTWAIT, SCM_CREDENTIALS, SHUT_RD, SHUT_WR, SO_PASSCRED, SOCK_DGRAM,
  SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SS_CANTRCVMORE, SS_ISCONNECTED, SS_NBIO, socantrcvmore,
  socantsendmore, soisconnected, soisdisconnected, sonewconn, sorwakeup, sowwakeup, Socket,
  type SoCaller, type SockControl, type SoCred,
} from './socketvar.ts';

/** Linux's net.unix.max_dgram_qlen: datagrams a receiver may have queued. */
export const MAX_DGRAM_QLEN = 10;

export class UnPcb {
  /** The peer (stream, seqpacket) or the connected destination (datagram). */
  conn: UnPcb | null = null;
  /** Datagram sockets connected to this one (unp_refs). */
  readonly refs = new Set<UnPcb>();
  addr: SockAddrUn | null = null;
  /** The VSOCK node of a path binding (held while bound). */
  vnode: Vnode | null = null;
  /** The name table the binding is in. */
  names: UnNames | null = null;
  dead = false;

  constructor(readonly so: Socket) {}
}

/*
 * Bound names: VSOCK nodes by (fsid, ino), abstract names by their bytes;
 * one table per kernel (a host may boot several, or reboot, in one process).
 */
class UnNames {
  readonly byNode = new Map<string, UnPcb>();
  readonly byAbstract = new Map<string, UnPcb>();
}
const namesByKernel = new WeakMap<object, UnNames>();
/* For calls with no thread behind them (unit tests). */
const threadlessNames = new UnNames();
let autobindSeq = 0;

function namesOf(caller: SoCaller | null): UnNames {
  const k = caller?.td?.k;
  if (!k) return threadlessNames;
  let n = namesByKernel.get(k);
  if (!n) {
    n = new UnNames();
    namesByKernel.set(k, n);
  }
  return n;
}

function nodeKey(vp: Vnode): string {
  const va = vp.getattr();
  return `${va.fsid}:${va.ino}`;
}

function pcb(so: Socket): UnPcb {
  const u = so.so_pcb;
  if (!(u instanceof UnPcb)) throw new SysError(EINVAL);
  return u;
}

function credOf(caller: SoCaller | null, so: Socket): SoCred {
  return caller ? { pid: caller.pid, uid: caller.cred.euid, gid: caller.cred.egid } : so.so_cred;
}

/* ---------------- names ---------------- */

function unixAddr(nam: SockAddr): SockAddrUn {
  if (!isUnix(nam)) throw new SysError(EINVAL);
  return nam;
}

function bindPath(u: UnPcb, path: string, caller: SoCaller): void {
  const td = caller.td;
  if (!td) throw new SysError(EOPNOTSUPP);
  const nd = parentAt(td, AT_FDCWD, path, false);
  if (nd.vp) throw new SysError(EADDRINUSE);
  if (nd.dvp.mount.readonly) throw new SysError(EROFS);
  vaccess(nd.dvp.getattr(), caller.cred, VWRITE | VEXEC);
  const vp = nd.dvp.mknod(nd.name, VSOCK, 0o777 & ~td.proc.umask, 0, caller.cred);
  u.vnode = vref(vp);
  u.names = namesOf(caller);
  u.names.byNode.set(nodeKey(vp), u);
}

function autobindName(names: UnNames): string {
  for (;;) {
    const name = ((autobindSeq++ + 0x1000) & 0xfffff).toString(16).padStart(5, '0');
    if (!names.byAbstract.has(name)) return name;
  }
}

function bind(so: Socket, nam: SockAddr, caller: SoCaller): void {
  const u = pcb(so);
  const sa = unixAddr(nam);
  if (!sa.abstract && sa.path !== '') {
    /* Linux makes the node first: an existing name is EADDRINUSE even for a bound socket. */
    if (u.addr) {
      if (existsPath(sa.path, caller)) throw new SysError(EADDRINUSE);
      throw new SysError(EINVAL);
    }
    bindPath(u, sa.path, caller);
    u.addr = { ...sa };
    return;
  }
  if (u.addr) throw new SysError(EINVAL);
  if (sa.path === '' && !sa.abstract) return autobind(u, caller);
  const names = namesOf(caller);
  if (names.byAbstract.has(sa.path)) throw new SysError(EADDRINUSE);
  names.byAbstract.set(sa.path, u);
  u.names = names;
  u.addr = { ...sa };
}

function existsPath(path: string, caller: SoCaller): boolean {
  if (!caller.td) return false;
  try {
    return parentAt(caller.td, AT_FDCWD, path, false).vp !== null;
  } catch {
    return false;
  }
}

function autobind(u: UnPcb, caller: SoCaller): void {
  const names = namesOf(caller);
  const name = autobindName(names);
  names.byAbstract.set(name, u);
  u.names = names;
  u.addr = { family: AF_UNIX, path: name, abstract: true };
}

function unbind(u: UnPcb): void {
  const a = u.addr, names = u.names;
  if (names && a?.abstract && names.byAbstract.get(a.path) === u) names.byAbstract.delete(a.path);
  if (u.vnode) {
    const k = nodeKey(u.vnode);
    if (names && names.byNode.get(k) === u) names.byNode.delete(k);
    vrele(u.vnode);
    u.vnode = null;
  }
}

/** The socket bound to a name (unix_find_other): ENOENT/EACCES from the lookup, ECONNREFUSED if nobody. */
function findOther(sa: SockAddrUn, type: number, caller: SoCaller): UnPcb {
  let u: UnPcb | undefined;
  const names = namesOf(caller);
  if (sa.abstract) u = names.byAbstract.get(sa.path);
  else {
    if (sa.path === '') throw new SysError(EINVAL);
    const td = caller.td;
    if (!td) throw new SysError(ECONNREFUSED);
    const vp = lookupAt(td, AT_FDCWD, sa.path, true);
    if (vp.type !== VSOCK) throw new SysError(ECONNREFUSED);
    vaccess(vp.getattr(), caller.cred, VWRITE);
    u = names.byNode.get(nodeKey(vp));
  }
  if (!u || u.dead) throw new SysError(ECONNREFUSED);
  if (u.so.so_type !== type) throw new SysError(EPROTOTYPE);
  return u;
}

/* ---------------- connections ---------------- */

function connect(so: Socket, nam: SockAddr, caller: SoCaller): void {
  const u = pcb(so);
  const sa = unixAddr(nam);
  const other = findOther(sa, so.so_type, caller);
  if (so.so_type === SOCK_DGRAM) return connectDgram(u, other);
  const head = other.so;
  if (!head.isListening()) throw new SysError(ECONNREFUSED);
  if (head.so_qlen > head.so_qlimit) {
    if (so.so_state & SS_NBIO) throw new SysError(EAGAIN);
    return tsleep(head);
  }
  const so2 = sonewconn(head, 0);
  if (!so2) throw new SysError(ECONNREFUSED);
  const u2 = pcb(so2);
  u2.addr = other.addr;
  u.conn = u2;
  u2.conn = u;
  so.so_peercred = head.so_peercred ?? head.so_cred;
  so2.so_peercred = credOf(caller, so);
  soisconnected(so2);
  soisconnected(so);
}

function connectDgram(u: UnPcb, other: UnPcb): void {
  if (u.conn) u.conn.refs.delete(u);
  u.conn = other;
  other.refs.add(u);
  soisconnected(u.so);
}

function connect2(so1: Socket, so2: Socket): void {
  const u1 = pcb(so1), u2 = pcb(so2);
  u1.conn = u2;
  u2.conn = u1;
  if (so1.so_type === SOCK_DGRAM) {
    u1.refs.add(u2);
    u2.refs.add(u1);
  }
  so1.so_peercred = so2.so_cred;
  so2.so_peercred = so1.so_cred;
  soisconnected(so1);
  soisconnected(so2);
}

/** Break the link with the peer; reset tells it data was lost (ECONNRESET). */
function disconnectPeer(u: UnPcb, reset: boolean): void {
  const peer = u.conn;
  if (!peer) return;
  u.conn = null;
  if (u.so.so_type === SOCK_DGRAM) {
    peer.refs.delete(u);
    u.so.so_state &= ~SS_ISCONNECTED;
    return;
  }
  if (peer.conn === u) {
    if (reset) peer.so.so_error = ECONNRESET;
    peer.conn = null;
    socantsendmore(peer.so);
    socantrcvmore(peer.so);
  }
  soisdisconnected(u.so);
}

function disconnect(so: Socket): void {
  const u = pcb(so);
  disconnectPeer(u, so.so_rcv.cc > 0);
}

function abort(so: Socket): void {
  disconnectPeer(pcb(so), true);
}

function shutdown(so: Socket, how: number): void {
  const peer = pcb(so).conn;
  if (!peer || so.so_type === SOCK_DGRAM) return;
  if (how !== SHUT_RD) socantrcvmore(peer.so);
  if (how !== SHUT_WR) socantsendmore(peer.so);
}

function detach(so: Socket): void {
  const u = pcb(so);
  disconnectPeer(u, so.so_rcv.cc > 0);
  u.refs.clear();
  u.dead = true;
  unbind(u);
  so.so_snd.flush();
}

/* ---------------- data ---------------- */

/** SCM_CREDENTIALS the sender gave (checked: only root may claim another's), else its own. */
function senderCreds(control: SockControl[] | null, so: Socket, caller: SoCaller): {
  rest: SockControl[] | null; cred: SoCred;
} {
  let cred = credOf(caller, so);
  const rest: SockControl[] = [];
  for (const c of control ?? []) {
    if (c.level !== SOL_SOCKET) continue;          /* other levels mean nothing here (Linux ignores them) */
    if (c.type !== SCM_CREDENTIALS) { rest.push(c); continue; }
    if (c.data.length < 12) throw new SysError(EINVAL);
    const dv = new DataView(c.data.buffer, c.data.byteOffset, 12);
    const want = { pid: dv.getInt32(0, true), uid: dv.getInt32(4, true), gid: dv.getInt32(8, true) };
    const root = caller.cred.euid === 0;
    if (!root && (want.pid !== cred.pid || (want.uid !== caller.cred.uid && want.uid !== caller.cred.euid)
      || (want.gid !== caller.cred.gid && want.gid !== caller.cred.egid))) throw new SysError(EPERM);
    cred = want;
  }
  return { rest: rest.length ? rest : null, cred };
}

function credControl(c: SoCred): SockControl {
  const data = new Uint8Array(12);
  const dv = new DataView(data.buffer);
  dv.setInt32(0, c.pid, true);
  dv.setInt32(4, c.uid, true);
  dv.setInt32(8, c.gid, true);
  return { level: SOL_SOCKET, type: SCM_CREDENTIALS, data };
}

function send(so: Socket, flags: number, data: Uint8Array, addr: SockAddr | null,
  control: SockControl[] | null, caller: SoCaller): void {
  const { rest, cred } = senderCreds(control, so, caller);
  if (so.so_type === SOCK_DGRAM) return sendDgram(so, flags, data, addr, rest, cred, caller);
  if (addr && so.so_type === SOCK_STREAM) throw new SysError(so.isConnected() ? EISCONN : EOPNOTSUPP);
  const u = pcb(so), peer = u.conn;
  if (!peer) throw new SysError(EPIPE);
  const rcv = peer.so.so_rcv;
  if (so.so_type === SOCK_SEQPACKET) {
    rcv.appendRecord(data, withCreds(rest, peer.so, cred), u.addr);
  } else if (rest) rcv.appendControl(data, rest, u.addr);
  else rcv.append(data, u.addr);
  sorwakeup(peer.so);
}

function withCreds(control: SockControl[] | null, to: Socket, cred: SoCred): SockControl[] | null {
  if ((to.so_options & SO_PASSCRED) === 0) return control;
  return [...(control ?? []), credControl(cred)];
}

function dgramFull(to: Socket, len: number): boolean {
  return to.so_rcv.records.length > MAX_DGRAM_QLEN || (to.so_rcv.cc > 0 && len > to.so_rcv.space());
}

function sendDgram(so: Socket, flags: number, data: Uint8Array, addr: SockAddr | null,
  control: SockControl[] | null, cred: SoCred, caller: SoCaller): void {
  const u = pcb(so);
  let to: UnPcb;
  if (addr) to = findOther(unixAddr(addr), SOCK_DGRAM, caller);
  else {
    if (!u.conn) throw new SysError(ENOTCONN);
    to = u.conn;
    if (to.dead) {
      disconnectPeer(u, false);
      throw new SysError(ECONNREFUSED);
    }
  }
  if (to.conn && to.conn !== u && to !== u) throw new SysError(EPERM);
  if (to.so.so_state & SS_CANTRCVMORE) throw new SysError(EPIPE);
  if (dgramFull(to.so, data.length)) {
    if (so.so_state & SS_NBIO || flags & MSG_DONTWAIT) throw new SysError(EAGAIN);
    return tsleep(to.so);
  }
  if (so.so_options & SO_PASSCRED && !u.addr) autobind(u, caller);
  to.so.so_rcv.appendAddr(u.addr, data, withCreds(control, to.so, cred));
  sorwakeup(to.so);
}

/** Room for a sender: the peer's receive buffer (or a free datagram slot). */
function sendspace(so: Socket): number {
  const u = pcb(so);
  const peer = u.conn;
  if (!peer) return so.so_snd.hiwat;   /* unconnected: only poll asks (Linux: writable) */
  if (so.so_type === SOCK_DGRAM && peer.so.so_rcv.records.length > MAX_DGRAM_QLEN) return 0;
  return peer.so.so_rcv.space();
}

/** A reader took data: wake the writers waiting for room. */
function rcvd(so: Socket): void {
  const u = pcb(so);
  if (u.conn) sowwakeup(u.conn.so);
  for (const r of u.refs) sowwakeup(r.so);
  sowwakeup(so);
}

/* ---------------- the rest ---------------- */

function attach(so: Socket): void {
  so.so_pcb = new UnPcb(so);
}

function listen(so: Socket, _backlog: number, caller: SoCaller): void {
  const u = pcb(so);
  if (!u.addr) throw new SysError(EINVAL);
  so.so_peercred = credOf(caller, so);
}

function accept(so: Socket): SockAddr | null {
  const peer = pcb(so).conn;
  return peer?.addr ?? UNNAMED;
}

function sockaddr(so: Socket): SockAddr {
  return pcb(so).addr ?? UNNAMED;
}

function peeraddr(so: Socket): SockAddr {
  const peer = pcb(so).conn;
  if (!peer) throw new SysError(ENOTCONN);
  return peer.addr ?? UNNAMED;
}

/** A socket's name as netstat shows it ('@' marks an abstract name). */
export function unixName(so: Socket): string {
  const a = so.so_pcb instanceof UnPcb ? so.so_pcb.addr : null;
  if (!a) return '';
  return a.abstract ? '@' + a.path : a.path;
}

const usrreqs: ProtoUsrReqs = {
  attach, detach, bind, listen, connect, connect2, accept, disconnect, shutdown, send, rcvd,
  abort, sockaddr, peeraddr, sendspace,
};

const protosw: ProtoSw[] = [
  { name: 'unix/stream', type: SOCK_STREAM, protocol: 0, flags: PR_CONNREQUIRED | PR_WANTRCVD | PR_RIGHTS, usrreqs },
  { name: 'unix/dgram', type: SOCK_DGRAM, protocol: 0, flags: PR_ATOMIC | PR_ADDR | PR_WANTRCVD | PR_RIGHTS, usrreqs },
  {
    name: 'unix/seqpacket', type: SOCK_SEQPACKET, protocol: 0,
    flags: PR_ATOMIC | PR_CONNREQUIRED | PR_WANTRCVD | PR_RIGHTS, usrreqs,
  },
];

registerDomain({ family: AF_UNIX, name: 'local', protosw });
