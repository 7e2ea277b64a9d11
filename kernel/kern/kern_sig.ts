/*
 * Signals: posting (psignal/tdsignal), job-control stops and continues,
 * delivery on the way back to user mode (userret), the frames and
 * rt_sigreturn, and the faults the CPU reports (SIGSEGV/SIGILL/SIGTRAP).
 */
import { REG_A0, REG_A1, REG_A2, REG_RA, REG_SP } from '../cpu/context.ts';
import { Access } from '../cpu/stop.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { EINTR } from './errno.ts';
import { SleepRequest } from './sleep.ts';
import type { Kernel } from './init_main.ts';
import { type Pgrp, type Proc, PState, SS_DISABLE, SS_ONSTACK, type Thread, TdState } from './proc.ts';
import {
  ALLSIGS, CANTMASK, CLD_CONTINUED, CLD_STOPPED, ILL_ILLOPC, SA_NOCLDSTOP, SA_NODEFER, SA_ONSTACK,
  SA_RESETHAND, SA_RESTART, SA_RESTORER, SA_SIGINFO, SEGV_MAPERR, SIG_DFL, SIG_IGN,
  SIGCHLD, SIGCONT, SIGILL, SIGKILL, SIGRTMIN, SIGSEGV, SIGSTOP, SIGTRAP, STOPSIGS, SigDefault,
  type SigAction, type SigInfo, SI_KERNEL, TRAP_BRKPT, firstSig, sigDefault, sigbit,
} from './signal.ts';
import { buildSigframe, RT_SIGFRAME_SIZE, UC_OFF, UCONTEXT_SIZE, restoreUcontext } from './kern_sigframe.ts';
import { SIGCODE_VA } from './sigcode.ts';
import { ktrpsig } from './kern_ktrace.ts';

/** wait status of a process killed by sig (with the core flag for core-dumping signals). */
export function termStatus(sig: number): number {
  return sigDefault(sig) === SigDefault.CORE ? (sig | 0x80) : sig;
}

export class Signals {
  constructor(private readonly k: Kernel) {}

  /* ---- posting ---- */

  /** Send sig to process p (kill(2) and kernel-generated process signals). */
  psignal(p: Proc, sig: number, info: SigInfo): void {
    if (p.state !== PState.ALIVE || p.exiting) return;
    if (!this.prepare(p, sig, info)) return;
    this.enqueue(p.pendingInfo, sig, info);
    p.pending |= sigbit(sig);
    /* Wake one thread that can take it now. */
    for (const td of p.threads) {
      if (td.state !== TdState.DEAD && (td.sigmask & sigbit(sig)) === 0n) {
        this.notify(td);
        return;
      }
    }
  }

  /** Send sig to one thread (tkill, tgkill, faults). */
  tdsignal(td: Thread, sig: number, info: SigInfo): void {
    const p = td.proc;
    if (p.state !== PState.ALIVE || p.exiting || td.state === TdState.DEAD) return;
    if (!this.prepare(p, sig, info)) return;
    this.enqueue(td.pendingInfo, sig, info);
    td.pending |= sigbit(sig);
    if ((td.sigmask & sigbit(sig)) === 0n) this.notify(td);
  }

  /** Every member of a process group (tty job control, kill(-pgid)). */
  pgsignal(pg: Pgrp, sig: number, info: SigInfo): void {
    for (const p of [...pg.members]) this.psignal(p, sig, info);
  }

  /**
   * The send-time side effects (Linux's prepare_signal): SIGKILL kills now,
   * SIGCONT continues a stopped process and cancels pending stops, a stop
   * signal cancels a pending SIGCONT. False: nothing more to queue.
   */
  private prepare(p: Proc, sig: number, info: SigInfo): boolean {
    if (this.initProtected(p, sig, info)) return false;
    if (sig === SIGKILL) {
      this.k.exit.exit1(p, SIGKILL);
      return false;
    }
    if (sig === SIGCONT) {
      this.discard(p, STOPSIGS);
      if (p.stopped) this.continueProc(p);
    } else if ((sigbit(sig) & STOPSIGS) !== 0n) {
      this.discard(p, sigbit(SIGCONT));
    }
    /* An ignored signal is dropped now unless a thread blocks it (it may be unignored later). */
    if (p.sigacts.isIgnored(sig)) {
      const blockedAll = p.threads.every((t) => (t.sigmask & sigbit(sig)) !== 0n);
      if (!blockedAll) return false;
    }
    return true;
  }

  /**
   * Linux shields init from signals other processes send it unless it
   * handles them. Here only those: its own signals (raise, abort) and the
   * kernel's (faults, SIGPIPE, SIGALRM) act as for any process, so a program
   * run as init_path behaves as it does under qemu-riscv64.
   */
  private initProtected(p: Proc, sig: number, info: SigInfo): boolean {
    if (p.pid !== 1 || info.pid === undefined || info.pid === 1 || info.code > 0) return false;
    return p.sigacts.act[sig].handler === SIG_DFL;
  }

  private enqueue(q: Map<number, SigInfo[]>, sig: number, info: SigInfo): void {
    let l = q.get(sig);
    if (!l) q.set(sig, (l = []));
    /* Standard signals do not queue; real-time ones do. */
    if (sig < SIGRTMIN && l.length > 0) return;
    if (l.length < 1024) l.push(info);
  }

  private discard(p: Proc, set: bigint): void {
    p.pending &= ~set;
    for (const td of p.threads) td.pending &= ~set;
    for (let s = 1; s <= 64; s++) {
      if ((set & sigbit(s)) === 0n) continue;
      p.pendingInfo.delete(s);
      for (const td of p.threads) td.pendingInfo.delete(s);
    }
  }

  /** A signal is deliverable to td: interrupt its sleep if the sleep allows it. */
  private notify(td: Thread): void {
    if (td.state === TdState.SLEEP && td.winterruptible) this.k.sched.unsleep(td);
  }

  /** Does td have a signal it would act on now? (park() uses this to not sleep through one.) */
  hasDeliverable(td: Thread): boolean {
    return ((td.pending | td.proc.pending) & ~td.sigmask) !== 0n;
  }

  /* ---- job control ---- */

  stopProc(p: Proc, sig: number): void {
    if (p.stopped) return;
    p.stopped = true;
    p.stopSig = sig;
    p.reportStop = true;
    p.reportCont = false;
    for (const td of p.threads) {
      if (td.state === TdState.RUN) {
        this.k.sched.remrq(td);
        td.state = TdState.STOP;
      }
    }
    this.notifyParent(p, CLD_STOPPED, sig);
  }

  continueProc(p: Proc): void {
    p.stopped = false;
    p.reportStop = false;
    p.reportCont = true;
    for (const td of p.threads) if (td.state === TdState.STOP) this.k.sched.setrunnable(td);
    this.notifyParent(p, CLD_CONTINUED, SIGCONT);
  }

  private notifyParent(p: Proc, code: number, status: number): void {
    const pp = p.parent;
    if (!pp) return;
    this.k.sched.wakeup(pp);
    if ((pp.sigacts.act[SIGCHLD].flags & SA_NOCLDSTOP) !== 0) return;
    this.psignal(pp, SIGCHLD, { signo: SIGCHLD, code, pid: p.pid, uid: p.cred.uid, status });
  }

  /** POSIX orphaned process group: no member has a parent in another group of the same session. */
  isOrphaned(pg: Pgrp): boolean {
    for (const p of pg.members) {
      const pp = p.parent;
      if (pp && pp.pgrp !== pg && pp.pgrp.session === pg.session) return false;
    }
    return true;
  }

  /* ---- delivery ---- */

  /**
   * On the way to user mode: act on pending signals (default actions, or
   * a handler frame), then rerun a parked syscall if nothing interrupted it.
   * False when td must not run now (it died, stopped or went back to sleep).
   */
  userret(td: Thread): boolean {
    if (td.state !== TdState.RUN) return false;
    /* An uninterruptible sleep (vfork's wait) finishes its syscall before any signal. */
    if (td.inSyscall && !td.winterruptible) {
      this.k.syscall(td);
      if (td.state !== TdState.RUN) return false;
    }
    if (!this.deliverAll(td)) return false;
    if (td.inSyscall) {
      this.k.syscall(td);
      if (td.state !== TdState.RUN) return false;
      if (!this.deliverAll(td)) return false;
    }
    return td.state === TdState.RUN;
  }

  private deliverAll(td: Thread): boolean {
    const p = td.proc;
    /* The common case, without building bigints. */
    if (td.pending === 0n && p.pending === 0n) return !p.exiting && td.state === TdState.RUN;
    for (let guard = 0; guard < 128; guard++) {
      if (p.exiting || td.state !== TdState.RUN) return false;
      const set = (td.pending | p.pending) & ~td.sigmask;
      if (set === 0n) return true;
      const sig = firstSig(set);
      /* A sigwait-style syscall takes the signals it waits for itself. */
      if (td.inSyscall && (td.sigwait & sigbit(sig)) !== 0n) return true;
      const info = this.dequeue(td, sig);
      const act = p.sigacts.act[sig];
      if (act.handler === SIG_IGN) continue;
      ktrpsig(td, sig, act.handler, info.code);
      if (act.handler === SIG_DFL) {
        if (!this.defaultAction(td, sig)) return false;
        continue;
      }
      this.sendsig(td, sig, info, act);
    }
    return td.state === TdState.RUN;
  }

  /** Take sig off the pending sets, thread first. */
  dequeue(td: Thread, sig: number): SigInfo {
    const bit = sigbit(sig);
    const p = td.proc;
    const fromTd = (td.pending & bit) !== 0n;
    const q = fromTd ? td.pendingInfo : p.pendingInfo;
    const l = q.get(sig);
    const info = l && l.length ? l.shift()! : { signo: sig, code: SI_KERNEL };
    if (!l || l.length === 0) {
      q.delete(sig);
      if (fromTd) td.pending &= ~bit;
      else p.pending &= ~bit;
    }
    return info;
  }

  /** The default action; false if td is gone or stopped. */
  private defaultAction(td: Thread, sig: number): boolean {
    const p = td.proc;
    switch (sigDefault(sig)) {
      case SigDefault.IGN:
      case SigDefault.CONT:
        return true;
      case SigDefault.STOP:
        if (sig !== SIGSTOP && this.isOrphaned(p.pgrp)) return true;
        this.stopProc(p, sig);
        return false;
      default:
        this.k.exit.exit1(p, termStatus(sig));
        return false;
    }
  }

  /** Push a signal frame and enter the handler. */
  private sendsig(td: Thread, sig: number, info: SigInfo, act: SigAction): void {
    const ctx = td.ctx;
    if (td.inSyscall) this.interruptSyscall(td, act);
    const sp = ctx.x[2 * REG_SP] >>> 0;
    const onAlt = this.onAltStack(td, sp);
    let top = sp;
    if ((act.flags & SA_ONSTACK) !== 0 && (td.altstack.flags & SS_DISABLE) === 0 && !onAlt) {
      top = td.altstack.sp + td.altstack.size;
    }
    const frame = Math.floor((top - RT_SIGFRAME_SIZE) / 16) * 16;
    const oldMask = td.savedMask ?? td.sigmask;
    td.savedMask = null;
    const stack = { sp: td.altstack.sp, size: td.altstack.size, flags: this.ssFlags(td, sp) };
    const bytes = buildSigframe(ctx, info, oldMask, stack);
    try {
      if (frame <= 0) throw new Error('bad frame');
      copyout(td.proc.vm, frame, bytes);
    } catch {
      /* Linux's force_sigsegv: a process that cannot take the frame dies of SIGSEGV. */
      this.k.exit.exit1(td.proc, termStatus(SIGSEGV));
      return;
    }
    ctx.setXNum(REG_A0, sig);
    ctx.setXNum(REG_A1, frame);
    ctx.setXNum(REG_A2, frame + UC_OFF);
    ctx.setXNum(REG_SP, frame);
    ctx.setXNum(REG_RA, (act.flags & SA_RESTORER) !== 0 && act.restorer !== 0 ? act.restorer : SIGCODE_VA);
    ctx.pc = act.handler;
    let block = act.mask;
    if ((act.flags & SA_NODEFER) === 0) block |= sigbit(sig);
    td.sigmask = (td.sigmask | block) & ~CANTMASK;
    if ((act.flags & SA_RESETHAND) !== 0) {
      act.handler = SIG_DFL;
      act.flags &= ~SA_SIGINFO;
    }
  }

  /** A handler runs while td sleeps in a syscall: restart it afterwards or fail it with EINTR. */
  private interruptSyscall(td: Thread, act: SigAction): void {
    const restart = (act.flags & SA_RESTART) !== 0 && !td.noRestart;
    if (restart) {
      /* pc stays on the ecall and a0..a7 are untouched: the syscall reruns after sigreturn. */
      td.inSyscall = false;
      td.noRestart = false;
      td.restartDeadline = null;
      td.restart = null;
      td.sigwait = 0n;
    } else {
      this.k.syscalls.complete(td, -EINTR);
      td.sigwait = 0n;
    }
    td.state = TdState.RUN;
  }

  onAltStack(td: Thread, sp: number): boolean {
    const a = td.altstack;
    return (a.flags & SS_DISABLE) === 0 && sp > a.sp && sp <= a.sp + a.size;
  }

  ssFlags(td: Thread, sp: number): number {
    if ((td.altstack.flags & SS_DISABLE) !== 0) return SS_DISABLE;
    return this.onAltStack(td, sp) ? SS_ONSTACK : 0;
  }

  /** rt_sigreturn: restore what sendsig saved. */
  sigreturn(td: Thread): void {
    const ctx = td.ctx;
    const frame = ctx.x[2 * REG_SP] >>> 0;
    const uc = copyin(td.proc.vm, frame + UC_OFF, UCONTEXT_SIZE);
    const r = restoreUcontext(uc, ctx);
    td.sigmask = r.mask & ~CANTMASK;
    /* Like Linux's restore_altstack: errors are ignored. */
    if (!this.onAltStack(td, ctx.x[2 * REG_SP] >>> 0) && (r.stack.flags & ~SS_DISABLE) === 0) {
      if ((r.stack.flags & SS_DISABLE) !== 0) td.altstack = { sp: 0, size: 0, flags: SS_DISABLE };
      else if (r.stack.size >= 2048) td.altstack = { sp: r.stack.sp, size: r.stack.size, flags: 0 };
    }
  }

  /* ---- synchronous faults ---- */

  /** A signal caused by td's own instruction: it cannot be blocked or ignored (force_sig). */
  trapsignal(td: Thread, info: SigInfo): void {
    const sig = info.signo;
    const act = td.proc.sigacts.act[sig];
    if ((td.sigmask & sigbit(sig)) !== 0n || act.handler === SIG_IGN) {
      act.handler = SIG_DFL;
      td.sigmask &= ~sigbit(sig);
    }
    /* A fault while the handler for that very fault runs would loop forever: die. */
    this.tdsignal(td, sig, info);
  }

  pageFault(td: Thread, addr: number, access: Access): void {
    const vm = td.proc.vm;
    try {
      if (addr < 0x1_0000_0000 && vm.fault(addr, access)) return;
    } catch (e) {
      if (!(e instanceof SleepRequest)) throw e;
      /* storage: a file page is coming from the disk; sleep, then the access runs again. */
      this.k.sched.park(td, e);
      td.inSyscall = false;
      return;
    }
    const sig = addr < 0x1_0000_0000 ? vm.faultSignal : SIGSEGV;
    const code = addr < 0x1_0000_0000 ? vm.faultCode : SEGV_MAPERR;
    if (sig === SIGKILL) {
      /* Out of memory even after the OOM killer: this process cannot go on. */
      this.k.exit.exit1(td.proc, SIGKILL);
      return;
    }
    this.trapsignal(td, { signo: sig || SIGSEGV, code: code || SEGV_MAPERR, addr });
  }

  illegal(td: Thread): void {
    this.trapsignal(td, { signo: SIGILL, code: ILL_ILLOPC, addr: td.ctx.pc });
  }

  breakpoint(td: Thread): void {
    this.trapsignal(td, { signo: SIGTRAP, code: TRAP_BRKPT, addr: td.ctx.pc });
  }

  /* ---- helpers for syscalls ---- */

  /** Change an action; setting SIG_IGN (or a default-ignore SIG_DFL) drops pending ones. */
  setAction(p: Proc, sig: number, act: SigAction): void {
    p.sigacts.act[sig] = act;
    if (p.sigacts.isIgnored(sig)) this.discard(p, sigbit(sig));
  }
}

export { ALLSIGS };
