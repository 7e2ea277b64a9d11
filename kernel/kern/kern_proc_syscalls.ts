/*
 * The process lifecycle system calls: clone, clone3, execve, exit,
 * exit_group, wait4, waitid. The work is in kern_fork/kern_exec/kern_exit.
 */
import { copyin, copyout, suword32 } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { EINVAL, SysError } from './errno.ts';
import { decodeStatus, P_ALL, P_PGID, P_PID, WEXITED, type WaitResult } from './kern_exit.ts';
import { sys_execve, sys_execveat } from './kern_exec.ts';
import { CSIGNAL, type CloneArgs } from './kern_fork.ts';
import { encodeRusage } from './kern_resource.ts';
import type { Thread } from './proc.ts';
import { NSIG, SIGCHLD } from './signal.ts';
import type { SysArgs } from './sysargs.ts';
import { EJUSTRETURN, type SyscallHandler } from './syscall_types.ts';

function sys_clone(td: Thread, a: SysArgs): number {
  const flags = a.uint(0);
  const sig = flags & CSIGNAL;
  if (sig > NSIG) throw new SysError(EINVAL);
  const args: CloneArgs = {
    flags: flags & ~CSIGNAL, exitSignal: sig, stack: a.ptr(1), parentTid: a.ptr(2), tls: a.u64(3), childTid: a.ptr(4),
  };
  return td.k.fork.clone(td, args);
}

/** struct clone_args (v0: 64 bytes; later versions add set_tid and cgroup). */
function sys_clone3(td: Thread, a: SysArgs): number {
  const size = a.u64(1);
  if (size < 64 || size > 4096) throw new SysError(EINVAL);
  const s = new CStruct(copyin(td.proc.vm, a.ptr(0), Math.min(size, 88)));
  const flags = s.ubig(0);
  if (flags >> 32n) throw new SysError(EINVAL);
  const exitSignal = s.u64(32);
  if (exitSignal > NSIG) throw new SysError(EINVAL);
  const stack = s.u64(40), stackSize = s.u64(48);
  if ((stack === 0) !== (stackSize === 0)) throw new SysError(EINVAL);
  if (size >= 80 && s.u64(72) !== 0) throw new SysError(EINVAL); // set_tid_size
  return td.k.fork.clone(td, {
    flags: Number(flags) & ~CSIGNAL, exitSignal, stack: stack ? stack + stackSize : 0,
    tls: s.u64(56), parentTid: s.u64(24), childTid: s.u64(16),
  });
}

function sys_exit(td: Thread, a: SysArgs): number {
  td.k.exit.exitThread(td, a.int(0));
  return EJUSTRETURN;
}

function sys_exit_group(td: Thread, a: SysArgs): number {
  td.k.exit.exit1(td.proc, (a.int(0) & 0xff) << 8);
  return EJUSTRETURN;
}

function putRusage(td: Thread, va: number, r: WaitResult | null): void {
  if (!va) return;
  const c = r?.p;
  copyout(td.proc.vm, va, encodeRusage(c ? c.utimeMs + c.cutimeMs : 0, c ? c.stimeMs + c.cstimeMs : 0, c ? c.maxRssKb : 0));
}

function sys_wait4(td: Thread, a: SysArgs): number {
  const k = td.k;
  const opts = a.int(2);
  k.exit.validateWaitOpts(opts, false);
  const r = k.exit.waitOne(td, a.int(0), opts | WEXITED);
  if (!r) return 0;
  if (a.ptr(1)) suword32(td.proc.vm, a.ptr(1), r.status);
  putRusage(td, a.ptr(3), r);
  return r.p.pid;
}

function sys_waitid(td: Thread, a: SysArgs): number {
  const k = td.k;
  const idtype = a.int(0), id = a.int(1), opts = a.int(3);
  k.exit.validateWaitOpts(opts, true);
  let pid: number;
  switch (idtype) {
    case P_ALL: pid = -1; break;
    case P_PID: if (id <= 0) throw new SysError(EINVAL); pid = id; break;
    case P_PGID: if (id < 0) throw new SysError(EINVAL); pid = id === 0 ? 0 : -id; break;
    default: throw new SysError(EINVAL);
  }
  const r = k.exit.waitOne(td, pid, opts);
  if (a.ptr(2)) {
    const si = new CStruct(128);
    if (r) {
      si.setI32(0, SIGCHLD).setI32(8, r.code).setI32(16, r.p.pid).setI32(20, r.p.cred.uid).setI32(24, r.sistatus);
    }
    copyout(td.proc.vm, a.ptr(2), si.u8);
  }
  putRusage(td, a.ptr(4), r);
  return 0;
}

export const procSyscalls: Record<number, SyscallHandler> = {
  93: sys_exit,
  94: sys_exit_group,
  95: sys_waitid,
  220: sys_clone,
  221: (td, a) => sys_execve(td, a.ptr(0), a.ptr(1), a.ptr(2)),
  260: sys_wait4,
  281: (td, a) => sys_execveat(td, a.int(0), a.ptr(1), a.ptr(2), a.ptr(3), a.int(4)),
  435: sys_clone3,
};

export { decodeStatus };
