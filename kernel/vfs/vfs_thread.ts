/*
 * The syscall side of the file layer: the calling thread as file ops see it
 * (an IoCtx), user path names, and the start directory of *at() calls.
 * This is the one place that reads the process structure (kern/proc.ts):
 * td.proc.{pid, pgrp, cred, fd, cwd, root, umask, limits, vm, exePath}.
 */
import { EBADF, ENOTDIR, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import { RLIMIT_NOFILE } from '../kern/resource.ts';
import { sigbit } from '../kern/signal.ts';
import { copyin, copyinstrBytes, copyout } from '../vm/copyio.ts';
import { bytesToBstr } from './bstr.ts';
import type { IoCtx } from './ioctx.ts';
import { PATH_MAX } from './namei.ts';
import { VDIR, type Vnode } from './vnode.ts';

export const AT_FDCWD = -100;

/** What the file layer needs from the kernel proper that the thread alone cannot give. */
export const vfsHooks: { tdsignal: (td: Thread, sig: number) => void } = {
  tdsignal: () => {},
};

class ThreadIo implements IoCtx {
  constructor(private readonly td: Thread) {}
  get pid() { return this.td.proc.pid; }
  get pgid() { return this.td.proc.pgrp.pgid; }
  get session() { return this.td.proc.pgrp.session; }
  get cred() { return this.td.proc.cred; }
  get files() { return this.td.proc.fd; }
  get nofile() { return this.td.proc.limits.cur(RLIMIT_NOFILE); }
  get restart() { return this.td.restart; }
  set restart(r: object | null) { this.td.restart = r; }
  copyin(va: number, len: number): Uint8Array {
    return copyin(this.td.proc.vm, va, len);
  }
  copyout(va: number, data: Uint8Array): void {
    copyout(this.td.proc.vm, va, data);
  }
  deadlineIn(ms: number): number {
    return this.td.deadlineIn(ms);
  }
  uptimeMs(): number {
    return this.td.k.uptimeMs();
  }
  signal(sig: number): void {
    vfsHooks.tdsignal(this.td, sig);
  }
  sigIgnoredOrBlocked(sig: number): boolean {
    return (this.td.sigmask & sigbit(sig)) !== 0n || this.td.proc.sigacts.isIgnored(sig);
  }
}

const ioCache = new WeakMap<Thread, IoCtx>();

/** The thread as file ops see it. */
export function ioctxOf(td: Thread): IoCtx {
  let io = ioCache.get(td);
  if (!io) {
    io = new ThreadIo(td);
    ioCache.set(td, io);
  }
  return io;
}

/** A user path name as a byte string (ENAMETOOLONG past PATH_MAX, EFAULT on bad memory). */
export function copyinPath(td: Thread, va: number): string {
  return bytesToBstr(copyinstrBytes(td.proc.vm, va, PATH_MAX));
}

/** The directory a *at() call starts from: the cwd for AT_FDCWD, else the dirfd's vnode. */
export function startDir(td: Thread, dirfd: number, path: string): Vnode {
  if (dirfd === AT_FDCWD || path.startsWith('/')) return td.proc.cwd;
  const fp = td.proc.fd.get(dirfd);
  if (!fp.vnode) throw new SysError(path === '' ? EBADF : ENOTDIR);
  if (path !== '' && fp.vnode.type !== VDIR) throw new SysError(ENOTDIR);
  return fp.vnode;
}
