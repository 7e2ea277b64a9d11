/*
 * Descriptor management system calls (BSD's kern_descrip.c): close, dup,
 * dup3, fcntl, pipe2, close_range.
 */
import { EBADF, EINVAL, SysError } from '../kern/errno.ts';
import { makePipe } from '../kern/pipe.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyout } from '../vm/copyio.ts';
import { O_CLOEXEC, O_DIRECT, O_NONBLOCK, SETFL_MASK } from './file.ts';
import { ioctxOf } from './vfs_thread.ts';

export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5,
  F_SETLK = 6, F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11,
  F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030,
  F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
export const FD_CLOEXEC = 1;
const F_UNLCK = 2;

function nofile(td: Thread): number {
  return ioctxOf(td).nofile;
}

function sysClose(td: Thread, a: SysArgs): number {
  td.proc.fd.close(a.int(0));
  return 0;
}

function dupTo(td: Thread, oldfd: number, minfd: number, cloexec: boolean): number {
  const fdt = td.proc.fd;
  const fp = fdt.get(oldfd);
  const lim = nofile(td);
  if (minfd < 0 || minfd >= lim) throw new SysError(EINVAL);
  const fd = fdt.lowestFree(minfd, lim);
  fdt.install(fd, fp.hold(), cloexec);
  return fd;
}

function sysDup3(td: Thread, a: SysArgs): number {
  const oldfd = a.int(0), newfd = a.int(1), flags = a.int(2);
  if ((flags & ~O_CLOEXEC) !== 0 || oldfd === newfd) throw new SysError(EINVAL);
  const fdt = td.proc.fd;
  const fp = fdt.get(oldfd);
  if (newfd < 0 || newfd >= nofile(td)) throw new SysError(EBADF);
  fdt.install(newfd, fp.hold(), (flags & O_CLOEXEC) !== 0);
  return newfd;
}

function sysFcntl(td: Thread, a: SysArgs): number {
  const fd = a.int(0), cmd = a.int(1);
  const fdt = td.proc.fd;
  const fp = fdt.get(fd);
  switch (cmd) {
    case F_DUPFD: return dupTo(td, fd, a.int(2), false);
    case F_DUPFD_CLOEXEC: return dupTo(td, fd, a.int(2), true);
    case F_GETFD: return fdt.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: fdt.setCloexec(fd, (a.int(2) & FD_CLOEXEC) !== 0); return 0;
    case F_GETFL: return fp.flags;
    case F_SETFL:
      fp.flags = (fp.flags & ~SETFL_MASK) | (a.int(2) & SETFL_MASK);
      return 0;
    case F_GETLK: case F_OFD_GETLK: return reportUnlocked(td, a.ptr(2));
    /* Advisory locks always succeed: one machine, and nobody else shares our files. */
    case F_SETLK: case F_SETLKW: case F_OFD_SETLK: case F_OFD_SETLKW: return 0;
    case F_GETOWN: case F_GETSIG: case F_SETOWN: case F_SETSIG: return 0;
    case F_GETPIPE_SZ: case F_SETPIPE_SZ: return 65536;
    case F_GET_SEALS: return 0;
    default: throw new SysError(EINVAL);
  }
}

/** struct flock: l_type i16 @0 … l_pid i32 @24; F_GETLK says "no conflicting lock". */
function reportUnlocked(td: Thread, va: number): number {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, F_UNLCK, true);
  copyout(td.proc.vm, va, b);
  return 0;
}

function sysPipe2(td: Thread, a: SysArgs): number {
  const va = a.ptr(0), flags = a.int(1);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) !== 0) throw new SysError(EINVAL);
  const fdt = td.proc.fd;
  const lim = nofile(td);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const [r, w] = makePipe(td.proc.cred, flags & O_NONBLOCK);
  const rfd = fdt.alloc(r, cloexec, lim);
  let wfd: number;
  try {
    wfd = fdt.alloc(w, cloexec, lim);
  } catch (e) {
    fdt.close(rfd);
    w.drop();
    throw e;
  }
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, rfd, true);
  dv.setInt32(4, wfd, true);
  try {
    copyout(td.proc.vm, va, out);
  } catch (e) {
    fdt.close(rfd);
    fdt.close(wfd);
    throw e;
  }
  return 0;
}

const CLOSE_RANGE_CLOEXEC = 4;

function sysCloseRange(td: Thread, a: SysArgs): number {
  const first = a.uint(0), last = a.uint(1), flags = a.uint(2);
  if (first > last || (flags & ~(CLOSE_RANGE_CLOEXEC | 2)) !== 0) throw new SysError(EINVAL);
  const fdt = td.proc.fd;
  for (const [fd] of [...fdt.entries()]) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) fdt.setCloexec(fd, true);
    else fdt.close(fd);
  }
  return 0;
}

export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

/* flock: always granted (see F_SETLK); the operation is still validated. */
function sysFlock(td: Thread, a: SysArgs): number {
  td.proc.fd.get(a.int(0));
  const op = a.int(1) & ~LOCK_NB;
  if (op !== LOCK_SH && op !== LOCK_EX && op !== LOCK_UN) throw new SysError(EINVAL);
  return 0;
}

export const descripSyscalls: Record<number, SyscallHandler> = {
  32: sysFlock,
  57: sysClose,
  23: (td, a) => dupTo(td, a.int(0), 0, false),
  24: sysDup3,
  25: sysFcntl,
  59: sysPipe2,
  436: sysCloseRange,
};


