/*
 * The socket system calls (kern/uipc_syscalls.c) and the socket's File ops.
 * User memory is decoded here: sockaddrs (uipc_sockaddr.ts), msghdr/iovec,
 * control messages (SCM_RIGHTS descriptors become Files in flight and back,
 * SCM_CREDENTIALS), option values; uipc_socket.ts does the rest.
 */
import { EINVAL, EMSGSIZE, ENOBUFS, ENOTSOCK, ENOTTY, EOPNOTSUPP, SysError } from './errno.ts';
import type { Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';
import type { SyscallHandler } from './syscall_types.ts';
import { SleepRequest } from './sleep.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { File, O_NONBLOCK, O_RDWR, type FileOps } from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { FIONREAD } from './pipe.ts';
import { nanotime } from '../vfs/vfs_time.ts';
import { ioctxOf } from '../vfs/vfs_thread.ts';
import { VSOCK, type Vattr } from '../vfs/vnode.ts';
import { PR_ATOMIC, PR_RIGHTS, SOPT_GET, SOPT_SET } from './uipc_domain.ts';
import { decodeSockaddr, encodeSockaddr, SOCKADDR_MAX, type SockAddr } from './uipc_sockaddr.ts';
import {
  controlDispose, MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITFORONE, SCM_CREDENTIALS,
  SCM_RIGHTS, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_TYPE_MASK, SOL_SOCKET, SS_NBIO, Socket,
  type SoCaller, type SockControl,
} from './socketvar.ts';
import {
  soaccept, sobind, soclose, soconnect, socreate, sogetopt, solisten, sopoll, soreceive, sosend,
  sosetopt, soshutdown, type RecvResult,
} from './uipc_socket.ts';
import './uipc_usrreq.ts';

const SIOCATMARK = 0x8905, SIOCINQ = FIONREAD, SIOCOUTQ = 0x5411;
/* st_dev of sockets (Linux's sockfs is an anonymous device too). */
const SOCKFS_DEV = 0x8;
const IOV_MAX = 1024;
const SCM_MAX_FD = 253;
/* The most one send copies in (like write(2)'s chunk): a 2 GiB count is not a 2 GiB buffer. */
const MAX_SEND_CHUNK = 64 << 20;
const MSGHDR_SIZE = 56, MMSGHDR_SIZE = 64, CMSGHDR_SIZE = 16;

/* ---------------- the File ---------------- */

function callerOfIo(io: IoCtx, td: Thread | null = null): SoCaller {
  return { pid: io.pid, cred: io.cred, io, td };
}

export function callerOf(td: Thread): SoCaller {
  return callerOfIo(ioctxOf(td), td);
}

/** Keep SS_NBIO in step with the descriptor's O_NONBLOCK (protocols look at SS_NBIO). */
function syncNbio(fp: File, so: Socket): boolean {
  if (fp.nonblock) so.so_state |= SS_NBIO;
  else so.so_state &= ~SS_NBIO;
  return fp.nonblock;
}

export class SocketFile implements FileOps {
  private readonly ctime = nanotime();

  constructor(readonly so: Socket) {}

  read(fp: File, len: number, _off: number | null, io: IoCtx): Uint8Array {
    const r = soreceive(this.so, len, 0, syncNbio(fp, this.so), io);
    controlDispose(r.control);
    return r.data;
  }

  write(fp: File, data: Uint8Array, _off: number | null, io: IoCtx): number {
    return sosend(this.so, { data, addr: null, control: null, flags: 0 }, syncNbio(fp, this.so), callerOfIo(io));
  }

  ioctl(_fp: File, cmd: number, arg: number, io: IoCtx): number {
    const so = this.so;
    const putInt = (v: number): number => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, v, true);
      io.copyout(arg, b);
      return 0;
    };
    switch (cmd) {
      case SIOCINQ: {
        const first = so.so_rcv.first;
        return putInt(so.so_proto.flags & PR_ATOMIC ? first?.len ?? 0 : so.so_rcv.cc);
      }
      case SIOCOUTQ: return putInt(so.so_snd.cc);
      case SIOCATMARK: return putInt(0);
      default: {
        const f = so.so_proto.usrreqs.control;
        if (!f) throw new SysError(ENOTTY);
        return f(so, cmd, arg, io);
      }
    }
  }

  poll(_fp: File, events: number): number {
    return sopoll(this.so, events);
  }

  /** Wakeup counts for edge-triggered epoll (vfs/sys_epoll.ts EdgeCounter). */
  pollGen(): { r: number; w: number } {
    return { r: this.so.so_rgen, w: this.so.so_wgen };
  }

  stat(): Vattr {
    const t = this.ctime;
    return {
      type: VSOCK, mode: 0o777, nlink: 1, uid: this.so.so_cred.uid, gid: this.so.so_cred.gid,
      size: 0, blocks: 0, blksize: 4096, ino: this.so.so_ino, fsid: SOCKFS_DEV, rdev: 0,
      atime: t, mtime: t, ctime: t, btime: t,
    };
  }

  close(): void {
    soclose(this.so);
  }
}

/** The socket behind fd: EBADF if not open, ENOTSOCK if not a socket. */
export function getsock(td: Thread, fd: number): { fp: File; so: Socket } {
  const fp = td.proc.fd.get(fd);
  if (!(fp.ops instanceof SocketFile)) throw new SysError(ENOTSOCK);
  return { fp, so: fp.ops.so };
}

function socketFile(so: Socket, flags: number): File {
  const fp = new File(new SocketFile(so), null, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
  so.so_file = fp;
  return fp;
}

/** A descriptor for so (SOCK_NONBLOCK/SOCK_CLOEXEC from flags); on failure the socket is closed. */
function installSocket(td: Thread, so: Socket, flags: number): number {
  const fp = socketFile(so, flags);
  try {
    return td.proc.fd.alloc(fp, (flags & SOCK_CLOEXEC) !== 0, ioctxOf(td).nofile);
  } catch (e) {
    fp.drop();
    throw e;
  }
}

/* ---------------- addresses ---------------- */

function copyinSockaddr(td: Thread, va: number, len: number): SockAddr {
  if (len < 0 || len > SOCKADDR_MAX) throw new SysError(EINVAL);
  return decodeSockaddr(copyin(td.proc.vm, va, len));
}

/**
 * Store sa at va, truncated to *lenVa; *lenVa gets the real length. With
 * optional (accept, recvfrom) a NULL va or lenVa means "not wanted".
 */
function copyoutSockaddr(td: Thread, va: number, lenVa: number, sa: SockAddr | null, optional = true): void {
  if (optional && (va === 0 || lenVa === 0)) return;
  const lb = copyin(td.proc.vm, lenVa, 4);
  const room = new DataView(lb.buffer, lb.byteOffset, 4).getInt32(0, true);
  if (room < 0) throw new SysError(EINVAL);
  const enc = sa ? encodeSockaddr(sa) : new Uint8Array(0);
  if (room > 0 && enc.length > 0) copyout(td.proc.vm, va, enc.subarray(0, Math.min(room, enc.length)));
  putU32(td, lenVa, enc.length);
}

function putU32(td: Thread, va: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  copyout(td.proc.vm, va, b);
}

/* ---------------- socket, socketpair, bind, listen, accept, connect ---------------- */

function checkTypeFlags(type: number): void {
  if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) throw new SysError(EINVAL);
}

function sysSocket(td: Thread, a: SysArgs): number {
  const family = a.int(0), type = a.int(1), protocol = a.int(2);
  checkTypeFlags(type);
  const so = socreate(family, type & SOCK_TYPE_MASK, protocol, callerOf(td));
  return installSocket(td, so, type);
}

function sysSocketpair(td: Thread, a: SysArgs): number {
  const family = a.int(0), type = a.int(1), protocol = a.int(2), sv = a.ptr(3);
  checkTypeFlags(type);
  const caller = callerOf(td);
  const so1 = socreate(family, type & SOCK_TYPE_MASK, protocol, caller);
  let so2: Socket | null = null;
  try {
    so2 = socreate(family, type & SOCK_TYPE_MASK, protocol, caller);
    const c2 = so1.so_proto.usrreqs.connect2;
    if (!c2) throw new SysError(EOPNOTSUPP);
    copyout(td.proc.vm, sv, new Uint8Array(8));   /* EFAULT before anything is installed */
    c2(so1, so2);
  } catch (e) {
    soclose(so1);
    if (so2) soclose(so2);
    throw e;
  }
  let fd1: number;
  try {
    fd1 = installSocket(td, so1, type);
  } catch (e) {
    soclose(so2);
    throw e;
  }
  let fd2: number;
  try {
    fd2 = installSocket(td, so2, type);
  } catch (e) {
    td.proc.fd.close(fd1);
    throw e;
  }
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, fd1, true);
  dv.setInt32(4, fd2, true);
  copyout(td.proc.vm, sv, b);
  return 0;
}

function sysBind(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  sobind(so, copyinSockaddr(td, a.ptr(1), a.int(2)), callerOf(td));
  return 0;
}

function sysListen(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  solisten(so, a.int(1), callerOf(td));
  return 0;
}

function accept4(td: Thread, fd: number, addrVa: number, lenVa: number, flags: number): number {
  if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) throw new SysError(EINVAL);
  const { fp, so: head } = getsock(td, fd);
  if (addrVa !== 0 && lenVa !== 0) {
    const lb = copyin(td.proc.vm, lenVa, 4);
    if (new DataView(lb.buffer, lb.byteOffset, 4).getInt32(0, true) < 0) throw new SysError(EINVAL);
  }
  /* A descriptor must be free before a connection is taken off the queue. */
  const nofile = ioctxOf(td).nofile;
  td.proc.fd.lowestFree(0, nofile);
  const { so, addr } = soaccept(head, syncNbio(fp, head), ioctxOf(td));
  const nfp = socketFile(so, flags);
  try {
    copyoutSockaddr(td, addrVa, lenVa, addr);
  } catch (e) {
    nfp.drop();
    throw e;
  }
  return td.proc.fd.alloc(nfp, (flags & SOCK_CLOEXEC) !== 0, nofile);
}

function sysAccept(td: Thread, a: SysArgs): number {
  return accept4(td, a.int(0), a.ptr(1), a.ptr(2), 0);
}

function sysAccept4(td: Thread, a: SysArgs): number {
  return accept4(td, a.int(0), a.ptr(1), a.ptr(2), a.int(3));
}

function sysConnect(td: Thread, a: SysArgs): number {
  const { fp, so } = getsock(td, a.int(0));
  const nam = copyinSockaddr(td, a.ptr(1), a.int(2));
  soconnect(so, nam, syncNbio(fp, so), callerOf(td));
  return 0;
}

function sysGetsockname(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  copyoutSockaddr(td, a.ptr(1), a.ptr(2), so.so_proto.usrreqs.sockaddr(so), false);
  return 0;
}

function sysGetpeername(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  copyoutSockaddr(td, a.ptr(1), a.ptr(2), so.so_proto.usrreqs.peeraddr(so), false);
  return 0;
}

function sysShutdown(td: Thread, a: SysArgs): number {
  soshutdown(getsock(td, a.int(0)).so, a.int(1));
  return 0;
}

/* ---------------- options ---------------- */

function sysSetsockopt(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  const len = a.int(4);
  if (len < 0) throw new SysError(EINVAL);
  const val = len > 0 ? copyin(td.proc.vm, a.ptr(3), Math.min(len, 4096)) : new Uint8Array(0);
  sosetopt(so, { dir: SOPT_SET, level: a.int(1), name: a.int(2), val, valsize: len }, callerOf(td));
  return 0;
}

function sysGetsockopt(td: Thread, a: SysArgs): number {
  const { so } = getsock(td, a.int(0));
  const lenVa = a.ptr(4);
  const lb = copyin(td.proc.vm, lenVa, 4);
  const room = new DataView(lb.buffer, lb.byteOffset, 4).getInt32(0, true);
  if (room < 0) throw new SysError(EINVAL);
  const v = sogetopt(so, { dir: SOPT_GET, level: a.int(1), name: a.int(2), val: new Uint8Array(0), valsize: room });
  const n = Math.min(room, v.length);
  if (n > 0) copyout(td.proc.vm, a.ptr(3), v.subarray(0, n));
  putU32(td, lenVa, n);
  return 0;
}

/* ---------------- msghdr ---------------- */

interface MsgHdr {
  nameVa: number;
  namelen: number;
  iov: Array<{ base: number; len: number }>;
  controlVa: number;
  controllen: number;
}

function readMsghdr(td: Thread, va: number): MsgHdr {
  const b = copyin(td.proc.vm, va, MSGHDR_SIZE);
  const dv = new DataView(b.buffer, b.byteOffset, MSGHDR_SIZE);
  const u64 = (o: number): number => Number(dv.getBigUint64(o, true));
  const iovVa = u64(16), iovlen = u64(24);
  if (iovlen > IOV_MAX) throw new SysError(EMSGSIZE);
  const iov: MsgHdr['iov'] = [];
  if (iovlen > 0) {
    const ib = copyin(td.proc.vm, iovVa, iovlen * 16);
    const idv = new DataView(ib.buffer, ib.byteOffset, ib.byteLength);
    let total = 0;
    for (let i = 0; i < iovlen; i++) {
      const len = Number(idv.getBigUint64(i * 16 + 8, true));
      total += len;
      if (len > 0x7fffffff || total > 0x7fffffff) throw new SysError(EINVAL);
      iov.push({ base: Number(idv.getBigUint64(i * 16, true)), len });
    }
  }
  return { nameVa: u64(0), namelen: dv.getInt32(8, true), iov, controlVa: u64(32), controllen: u64(40) };
}

/** The iovecs' bytes, at most max of them. */
function gather(td: Thread, iov: MsgHdr['iov'], max: number): Uint8Array {
  const total = Math.min(max, iov.reduce((n, v) => n + v.len, 0));
  const out = new Uint8Array(total);
  let off = 0;
  for (const v of iov) {
    const n = Math.min(v.len, total - off);
    if (n <= 0) break;
    out.set(copyin(td.proc.vm, v.base, n), off);
    off += n;
  }
  return out;
}

function scatter(td: Thread, iov: MsgHdr['iov'], data: Uint8Array): void {
  let off = 0;
  for (const v of iov) {
    if (off >= data.length) break;
    const n = Math.min(v.len, data.length - off);
    if (n > 0) copyout(td.proc.vm, v.base, data.subarray(off, off + n));
    off += n;
  }
}

const cmsgAlign = (n: number): number => (n + 7) & ~7;

/** Decode the sender's control messages; SCM_RIGHTS descriptors become held Files. */
function readControl(td: Thread, so: Socket, va: number, len: number): SockControl[] | null {
  if (len < CMSGHDR_SIZE) return null;    /* no room for a header: nothing there (CMSG_FIRSTHDR) */
  if (len > 65536) throw new SysError(ENOBUFS);
  const b = copyin(td.proc.vm, va, len);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: SockControl[] = [];
  try {
    for (let off = 0; off + CMSGHDR_SIZE <= len;) {
      const clen = Number(dv.getBigUint64(off, true));
      if (clen < CMSGHDR_SIZE || off + clen > len) throw new SysError(EINVAL);
      const level = dv.getInt32(off + 8, true), type = dv.getInt32(off + 12, true);
      const data = b.slice(off + CMSGHDR_SIZE, off + clen);
      if (level === SOL_SOCKET && type === SCM_RIGHTS) out.push(rightsIn(td, so, data));
      else if (level === SOL_SOCKET && type !== SCM_CREDENTIALS) throw new SysError(EINVAL);
      else out.push({ level, type, data });
      off += cmsgAlign(clen);
    }
  } catch (e) {
    controlDispose(out);
    throw e;
  }
  return out.length ? out : null;
}

function rightsIn(td: Thread, so: Socket, data: Uint8Array): SockControl {
  if ((so.so_proto.flags & PR_RIGHTS) === 0) throw new SysError(EINVAL);
  const n = data.length >> 2;
  if (n > SCM_MAX_FD) throw new SysError(EINVAL);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fps: File[] = [];
  for (let i = 0; i < n; i++) fps.push(td.proc.fd.get(dv.getInt32(4 * i, true)));
  return { level: SOL_SOCKET, type: SCM_RIGHTS, data: new Uint8Array(0), files: fps.map((f) => f.hold()) };
}

function sendmsg1(td: Thread, fd: number, m: MsgHdr, flags: number): number {
  const { fp, so } = getsock(td, fd);
  const addr = m.nameVa !== 0 && m.namelen > 0 ? copyinSockaddr(td, m.nameVa, m.namelen) : null;
  /*
   * A stream takes at most MAX_SEND_CHUNK per call (a short count, as for
   * write); a message must fit the send buffer whole, checked before copying.
   */
  const total = m.iov.reduce((n, v) => n + v.len, 0);
  const atomic = (so.so_proto.flags & PR_ATOMIC) !== 0;
  if (atomic && total > Math.min(so.so_snd.hiwat, MAX_SEND_CHUNK)) throw new SysError(EMSGSIZE);
  const data = gather(td, m.iov, MAX_SEND_CHUNK);
  const control = readControl(td, so, m.controlVa, m.controllen);
  return sosend(so, { data, addr, control, flags }, syncNbio(fp, so), callerOf(td));
}

function sysSendto(td: Thread, a: SysArgs): number {
  const len = a.u64(2);
  if (len > 0x7fffffff) throw new SysError(EINVAL);
  const m: MsgHdr = {
    nameVa: a.ptr(4), namelen: a.int(5), iov: [{ base: a.ptr(1), len }], controlVa: 0, controllen: 0,
  };
  return sendmsg1(td, a.int(0), m, a.int(3));
}

function sysSendmsg(td: Thread, a: SysArgs): number {
  return sendmsg1(td, a.int(0), readMsghdr(td, a.ptr(1)), a.int(2));
}

/** Lay out received control messages in the user's buffer; returns bytes used and MSG_CTRUNC. */
function writeControl(td: Thread, m: MsgHdr, r: RecvResult, flags: number, peek: boolean): {
  used: number; flags: number;
} {
  const control = r.control ?? [];
  /* Credentials first, then descriptors, as Linux's scm_recv. */
  const isCred = (c: SockControl): boolean => c.type === SCM_CREDENTIALS;
  const ordered = [...control.filter(isCred), ...control.filter((c) => !isCred(c))];
  let used = 0, out = 0;
  const room = m.controlVa === 0 ? 0 : m.controllen;
  for (const c of ordered) {
    const left = room - used;
    let data = c.data;
    if (c.files) {
      const fit = Math.max(0, Math.floor((left - CMSGHDR_SIZE) / 4));
      const total = c.files.length;
      const fds = installRights(td, c.files, Math.min(fit, total), flags, peek);
      if (!peek) c.files = [];         /* installed or closed: the references moved */
      if (fds.length < total) out |= MSG_CTRUNC;
      if (fds.length === 0) continue;
      data = new Uint8Array(4 * fds.length);
      const dv = new DataView(data.buffer);
      fds.forEach((fd, i) => dv.setInt32(4 * i, fd, true));
    } else if (left < CMSGHDR_SIZE + data.length) {
      out |= MSG_CTRUNC;
      continue;
    }
    const clen = CMSGHDR_SIZE + data.length;
    const b = new Uint8Array(clen);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, BigInt(clen), true);
    dv.setInt32(8, c.level, true);
    dv.setInt32(12, c.type, true);
    b.set(data, CMSGHDR_SIZE);
    copyout(td.proc.vm, m.controlVa + used, b);
    used += Math.min(cmsgAlign(clen), left);
  }
  return { used, flags: out };
}

/** Put n of the files in flight into descriptors; without MSG_PEEK the rest are closed. */
function installRights(td: Thread, files: File[], n: number, flags: number, peek: boolean): number[] {
  const fds: number[] = [];
  const cloexec = (flags & MSG_CMSG_CLOEXEC) !== 0;
  const nofile = ioctxOf(td).nofile;
  for (let i = 0; i < files.length; i++) {
    const fp = files[i];
    if (i < n) {
      try {
        fds.push(td.proc.fd.alloc(peek ? fp.hold() : fp, cloexec, nofile));
        continue;
      } catch {
        if (peek) fp.drop();
      }
    }
    if (!peek) fp.drop();
  }
  return fds;
}

/** One recvmsg: data scattered, address and control stored; returns the byte count. */
function recvmsg1(td: Thread, fd: number, m: MsgHdr, flags: number, hdrVa: number): number {
  const { fp, so } = getsock(td, fd);
  const want = m.iov.reduce((n, v) => n + v.len, 0);
  const r = soreceive(so, want, flags, syncNbio(fp, so), ioctxOf(td));
  const peek = (flags & MSG_PEEK) !== 0;
  scatter(td, m.iov, r.data);
  let oflags = r.flags;
  let used = 0;
  if (r.control) {
    const w = writeControl(td, m, r, flags, peek);
    used = w.used;
    oflags |= w.flags;
    if (!peek) controlDispose(r.control);
  }
  if (hdrVa !== 0) {
    const addrLen = m.nameVa !== 0 && r.addr ? storeName(td, m, r.addr) : 0;
    const b = new Uint8Array(4);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, addrLen, true);
    copyout(td.proc.vm, hdrVa + 8, b);
    const cb = new Uint8Array(8);
    new DataView(cb.buffer).setBigUint64(0, BigInt(used), true);
    copyout(td.proc.vm, hdrVa + 40, cb);
    dv.setInt32(0, oflags, true);
    copyout(td.proc.vm, hdrVa + 48, b);
  }
  return flags & MSG_TRUNC ? r.full : r.data.length;
}

function storeName(td: Thread, m: MsgHdr, sa: SockAddr): number {
  const enc = encodeSockaddr(sa);
  if (m.namelen > 0) copyout(td.proc.vm, m.nameVa, enc.subarray(0, Math.min(m.namelen, enc.length)));
  return enc.length;
}

function sysRecvfrom(td: Thread, a: SysArgs): number {
  const len = a.u64(2);
  if (len > 0x7fffffff) throw new SysError(EINVAL);
  const fd = a.int(0), flags = a.int(3), addrVa = a.ptr(4), lenVa = a.ptr(5);
  const { fp, so } = getsock(td, fd);
  const r = soreceive(so, len, flags, syncNbio(fp, so), ioctxOf(td));
  if (r.data.length > 0) copyout(td.proc.vm, a.ptr(1), r.data);
  if ((flags & MSG_PEEK) === 0) controlDispose(r.control);
  if (addrVa !== 0 && lenVa !== 0) copyoutSockaddr(td, addrVa, lenVa, r.addr ?? null);
  return flags & MSG_TRUNC ? r.full : r.data.length;
}

function sysRecvmsg(td: Thread, a: SysArgs): number {
  const va = a.ptr(1);
  return recvmsg1(td, a.int(0), readMsghdr(td, va), a.int(2), va);
}

/* ---------------- sendmmsg / recvmmsg ---------------- */

class MmsgProgress {
  constructor(readonly done: number) {}
}

function sysSendmmsg(td: Thread, a: SysArgs): number {
  const fd = a.int(0), va = a.ptr(1), vlen = Math.min(a.uint(2), IOV_MAX), flags = a.int(3);
  let i = td.restart instanceof MmsgProgress ? td.restart.done : 0;
  for (; i < vlen; i++) {
    let n: number;
    try {
      n = sendmsg1(td, fd, readMsghdr(td, va + i * MMSGHDR_SIZE), flags);
    } catch (e) {
      /* A message that must wait reruns the call from it; an error after some ends it. */
      if (e instanceof SleepRequest) {
        if (i > 0 && (td.restart === null || td.restart instanceof MmsgProgress)) td.restart = new MmsgProgress(i);
        throw e;
      }
      if (i > 0) break;
      throw e;
    }
    putU32(td, va + i * MMSGHDR_SIZE + MSGHDR_SIZE, n);
    td.restart = null;
  }
  return i;
}

/*
 * recvmmsg: the first message may wait; later ones are taken only if already
 * there (as MSG_WAITFORONE). The timeout argument is checked for validity.
 */
function sysRecvmmsg(td: Thread, a: SysArgs): number {
  const fd = a.int(0), va = a.ptr(1), vlen = Math.min(a.uint(2), IOV_MAX), flags = a.int(3);
  if (a.ptr(4) !== 0) {
    const t = copyin(td.proc.vm, a.ptr(4), 16);
    const dv = new DataView(t.buffer, t.byteOffset, 16);
    if (dv.getBigInt64(0, true) < 0n || dv.getBigUint64(8, true) >= 1_000_000_000n) throw new SysError(EINVAL);
  }
  let i = 0;
  for (; i < vlen; i++) {
    const hva = va + i * MMSGHDR_SIZE;
    let n: number;
    try {
      n = recvmsg1(td, fd, readMsghdr(td, hva), i === 0 ? flags & ~MSG_WAITFORONE : flags | MSG_DONTWAIT, hva);
    } catch (e) {
      if (i === 0) throw e;
      break;
    }
    putU32(td, hva + MSGHDR_SIZE, n);
  }
  return i;
}

export const uipcSyscalls: Record<number, SyscallHandler> = {
  198: sysSocket,
  199: sysSocketpair,
  200: sysBind,
  201: sysListen,
  202: sysAccept,
  203: sysConnect,
  204: sysGetsockname,
  205: sysGetpeername,
  206: sysSendto,
  207: sysRecvfrom,
  208: sysSetsockopt,
  209: sysGetsockopt,
  210: sysShutdown,
  211: sysSendmsg,
  212: sysRecvmsg,
  242: sysAccept4,
  243: sysRecvmmsg,
  269: sysSendmmsg,
};
