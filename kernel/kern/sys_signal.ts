/*
 * The signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigtimedwait, rt_sigsuspend, rt_sigreturn, sigaltstack, kill, tkill,
 * tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo. The machinery is kern_sig.ts.
 */
import { REG_SP } from '../cpu/context.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { EAGAIN, EINVAL, ENOMEM, EPERM, ESRCH, SysError } from './errno.ts';
import { type Proc, PState, SS_DISABLE, SS_ONSTACK, type Thread, TdState } from './proc.ts';
import {
  CANTMASK, NSIG, SI_QUEUE, SI_TKILL, SI_USER, SIGCONT, SIGKILL, SIGSTOP, type SigInfo, firstSig,
  sigbit,
} from './signal.ts';
import { encodeSiginfo } from './kern_sigframe.ts';
import { MINSIGSTKSZ } from './kern_exec.ts';
import { tsleep } from './sleep.ts';
import type { SysArgs } from './sysargs.ts';
import { EJUSTRETURN, type SyscallHandler } from './syscall_types.ts';
import { timespecMs } from './kern_timeutil.ts';

export const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

function checkSetsize(a: SysArgs, i: number): void {
  if (a.u64(i) !== 8) throw new SysError(EINVAL);
}

function readSet(td: Thread, va: number): bigint {
  return new CStruct(copyin(td.proc.vm, va, 8)).ubig(0);
}

function writeSet(td: Thread, va: number, set: bigint): void {
  copyout(td.proc.vm, va, new CStruct(8).setBig(0, set).u8);
}

function checkSig(sig: number): void {
  if (sig < 1 || sig > NSIG) throw new SysError(EINVAL);
}

/* ---- actions and masks ---- */

function sys_rt_sigaction(td: Thread, a: SysArgs): number {
  const sig = a.int(0);
  checkSetsize(a, 3);
  checkSig(sig);
  const p = td.proc;
  const actVa = a.ptr(1), oldVa = a.ptr(2);
  if (actVa && (sig === SIGKILL || sig === SIGSTOP)) throw new SysError(EINVAL);
  const cur = p.sigacts.act[sig];
  const old = new CStruct(24).setU64(0, cur.handler).setU64(8, cur.flags >>> 0).setBig(16, cur.mask);
  if (actVa) {
    const s = new CStruct(copyin(p.vm, actVa, 24));
    td.k.sig.setAction(p, sig, {
      handler: s.u64(0), flags: s.u32(8), mask: s.ubig(16) & ~CANTMASK, restorer: 0,
    });
  }
  if (oldVa) copyout(p.vm, oldVa, old.u8);
  return 0;
}

function sys_rt_sigprocmask(td: Thread, a: SysArgs): number {
  checkSetsize(a, 3);
  const how = a.int(0);
  const setVa = a.ptr(1), oldVa = a.ptr(2);
  const old = td.sigmask;
  if (setVa) {
    const set = readSet(td, setVa);
    switch (how) {
      case SIG_BLOCK: td.sigmask |= set; break;
      case SIG_UNBLOCK: td.sigmask &= ~set; break;
      case SIG_SETMASK: td.sigmask = set; break;
      default: throw new SysError(EINVAL);
    }
    td.sigmask &= ~CANTMASK;
  }
  if (oldVa) writeSet(td, oldVa, old);
  return 0;
}

function sys_rt_sigpending(td: Thread, a: SysArgs): number {
  checkSetsize(a, 1);
  writeSet(td, a.ptr(0), (td.pending | td.proc.pending) & td.sigmask);
  return 0;
}

/** rt_sigsuspend: wait with a temporary mask until a handler runs (always EINTR). */
function sys_rt_sigsuspend(td: Thread, a: SysArgs): number {
  checkSetsize(a, 1);
  if (td.savedMask === null) {
    const set = readSet(td, a.ptr(0));
    td.savedMask = td.sigmask;
    td.sigmask = set & ~CANTMASK;
  }
  td.noRestart = true;
  tsleep(td, Infinity);
}

/** rt_sigtimedwait: take a pending signal of set, waiting for one if needed. */
function sys_rt_sigtimedwait(td: Thread, a: SysArgs): number {
  checkSetsize(a, 3);
  const p = td.proc;
  const set = readSet(td, a.ptr(0)) & ~CANTMASK;
  const pend = (td.pending | p.pending) & set;
  if (pend !== 0n) {
    const sig = firstSig(pend);
    const info = td.k.sig.dequeue(td, sig);
    if (td.savedMask !== null) { td.sigmask = td.savedMask; td.savedMask = null; }
    if (a.ptr(1)) {
      const b = new Uint8Array(128);
      encodeSiginfo(new DataView(b.buffer), 0, info);
      copyout(p.vm, a.ptr(1), b);
    }
    return sig;
  }
  const deadline = a.ptr(2) ? td.deadlineIn(timespecMs(copyin(p.vm, a.ptr(2), 16))) : Infinity;
  if (deadline <= td.k.uptimeMs()) {
    if (td.savedMask !== null) { td.sigmask = td.savedMask; td.savedMask = null; }
    throw new SysError(EAGAIN);
  }
  /* Like Linux: the awaited signals are unblocked while waiting, but taken here, not delivered. */
  if (td.savedMask === null) {
    td.savedMask = td.sigmask;
    td.sigmask &= ~set;
  }
  td.sigwait = set;
  td.noRestart = true;
  tsleep(td, deadline);
}

function sys_rt_sigreturn(td: Thread): number {
  td.k.sig.sigreturn(td);
  return EJUSTRETURN;
}

function sys_sigaltstack(td: Thread, a: SysArgs): number {
  const p = td.proc;
  const ssVa = a.ptr(0), oldVa = a.ptr(1);
  const sp = td.ctx.x[2 * REG_SP] >>> 0;
  const onStack = td.k.sig.onAltStack(td, sp);
  const cur = td.altstack;
  const old = new CStruct(24).setU64(0, cur.sp).setI32(8, td.k.sig.ssFlags(td, sp)).setU64(16, cur.size);
  if (ssVa) {
    const s = new CStruct(copyin(p.vm, ssVa, 24));
    const flags = s.i32(8);
    if (onStack) throw new SysError(EPERM);
    const mode = flags & ~(1 << 31); // SS_AUTODISARM is accepted and ignored
    if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) throw new SysError(EINVAL);
    if (mode === SS_DISABLE) td.altstack = { sp: 0, size: 0, flags: SS_DISABLE };
    else {
      const size = s.u64(16);
      if (size < MINSIGSTKSZ) throw new SysError(ENOMEM);
      td.altstack = { sp: s.u64(0), size, flags: 0 };
    }
  }
  if (oldVa) copyout(p.vm, oldVa, old.u8);
  return 0;
}

/* ---- sending ---- */

/** May td send sig to p? (kill(2)'s permission rule, SIGCONT within a session.) */
function canSignal(td: Thread, p: Proc, sig: number): boolean {
  const c = td.proc.cred, t = p.cred;
  if (c.euid === 0) return true;
  if (sig === SIGCONT && p.pgrp.session === td.proc.pgrp.session) return true;
  return c.uid === t.uid || c.uid === t.suid || c.euid === t.uid || c.euid === t.suid;
}

function userInfo(td: Thread, sig: number, code = SI_USER): SigInfo {
  return { signo: sig, code, pid: td.proc.pid, uid: td.proc.cred.uid };
}

function killProcs(td: Thread, targets: Proc[], sig: number, info: SigInfo): number {
  let found = 0, sent = 0;
  for (const p of targets) {
    if (p.state !== PState.ALIVE) continue;
    found++;
    if (!canSignal(td, p, sig)) continue;
    sent++;
    if (sig !== 0) td.k.sig.psignal(p, sig, info);
  }
  if (found === 0) throw new SysError(ESRCH);
  if (sent === 0) throw new SysError(EPERM);
  return 0;
}

function sys_kill(td: Thread, a: SysArgs): number {
  const pid = a.int(0), sig = a.int(1);
  if (sig < 0 || sig > NSIG) throw new SysError(EINVAL);
  const k = td.k;
  const info = userInfo(td, sig);
  if (pid > 0) {
    const p = k.procs.procs.get(pid);
    return killProcs(td, p ? [p] : [], sig, info);
  }
  if (pid === -1) {
    const all = [...k.procs.procs.values()].filter((p) => p.pid !== 1 && p !== td.proc);
    return killProcs(td, all, sig, info);
  }
  const pg = k.procs.pgrps.get(pid === 0 ? td.proc.pgrp.pgid : -pid);
  return killProcs(td, pg ? [...pg.members] : [], sig, info);
}

function findThread(td: Thread, tgid: number, tid: number): Thread {
  const t = td.k.procs.threads.get(tid);
  if (!t || t.state === TdState.DEAD || (tgid > 0 && t.proc.pid !== tgid)) throw new SysError(ESRCH);
  return t;
}

function threadKill(td: Thread, t: Thread, sig: number, info: SigInfo): number {
  if (sig < 0 || sig > NSIG) throw new SysError(EINVAL);
  if (!canSignal(td, t.proc, sig)) throw new SysError(EPERM);
  if (sig !== 0) td.k.sig.tdsignal(t, sig, info);
  return 0;
}

function sys_tkill(td: Thread, a: SysArgs): number {
  if (a.int(0) <= 0) throw new SysError(EINVAL);
  return threadKill(td, findThread(td, 0, a.int(0)), a.int(1), userInfo(td, a.int(1), SI_TKILL));
}

function sys_tgkill(td: Thread, a: SysArgs): number {
  if (a.int(0) <= 0 || a.int(1) <= 0) throw new SysError(EINVAL);
  return threadKill(td, findThread(td, a.int(0), a.int(1)), a.int(2), userInfo(td, a.int(2), SI_TKILL));
}

/** The siginfo a process may queue itself: only negative si_codes unless it signals itself. */
function queuedInfo(td: Thread, target: Proc, sig: number, va: number): SigInfo {
  const raw = copyin(td.proc.vm, va, 128);
  const code = new CStruct(raw).i32(8);
  if ((code >= 0 || code === SI_TKILL) && target !== td.proc) throw new SysError(EPERM);
  return { signo: sig, code, raw };
}

function sys_rt_sigqueueinfo(td: Thread, a: SysArgs): number {
  const sig = a.int(1);
  checkSig(sig);
  const p = td.k.procs.procs.get(a.int(0));
  if (!p || p.state !== PState.ALIVE) throw new SysError(ESRCH);
  if (!canSignal(td, p, sig)) throw new SysError(EPERM);
  td.k.sig.psignal(p, sig, queuedInfo(td, p, sig, a.ptr(2)));
  return 0;
}

function sys_rt_tgsigqueueinfo(td: Thread, a: SysArgs): number {
  const sig = a.int(2);
  checkSig(sig);
  const t = findThread(td, a.int(0), a.int(1));
  return threadKill(td, t, sig, queuedInfo(td, t.proc, sig, a.ptr(3)));
}

export const signalSyscalls: Record<number, SyscallHandler> = {
  129: sys_kill,
  130: sys_tkill,
  131: sys_tgkill,
  132: sys_sigaltstack,
  133: sys_rt_sigsuspend,
  134: sys_rt_sigaction,
  135: sys_rt_sigprocmask,
  136: sys_rt_sigpending,
  137: sys_rt_sigtimedwait,
  138: sys_rt_sigqueueinfo,
  139: sys_rt_sigreturn,
  240: sys_rt_tgsigqueueinfo,
};

export { SI_QUEUE, sigbit };
