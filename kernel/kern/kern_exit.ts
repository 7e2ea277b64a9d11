/*
 * Exit and wait: thread exit (CLONE_CHILD_CLEARTID wakes joiners), process
 * exit (files, address space, reparenting, SIGCHLD, zombie), wait4/waitid,
 * and the end of pid 1, which shuts the system down.
 */
import { suword32 } from '../vm/copyio.ts';
import { vrele } from '../vfs/vnode.ts';
import { ECHILD, EINVAL, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { type Proc, PState, type Thread, TdState } from './proc.ts';
import {
  CLD_DUMPED, CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SIG_IGN, SIGCHLD, SIGCONT, SIGHUP,
} from './signal.ts';
import { tsleep } from './sleep.ts';
import { exitRobustList } from './kern_futex.ts';

export const WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8,
  WNOWAIT = 0x0100_0000, __WNOTHREAD = 0x2000_0000, __WALL = 0x4000_0000, __WCLONE = 0x8000_0000;
export const P_ALL = 0, P_PID = 1, P_PGID = 2;

/* wait status words (what WIFEXITED & co. decode). */
export function wExitStatus(code: number): number {
  return (code & 0xff) << 8;
}
export function wStopStatus(sig: number): number {
  return (sig << 8) | 0x7f;
}
export const W_CONTINUED = 0xffff;

/** What a wait found. */
export interface WaitResult {
  p: Proc;
  status: number;
  /** CLD_* for waitid. */
  code: number;
  /** si_status for waitid: the exit code or the signal. */
  sistatus: number;
}

export class Exit {
  constructor(private readonly k: Kernel) {}

  /* ---- threads ---- */

  /** One thread is done (exit(2), or part of exit_group): CLONE_CHILD_CLEARTID and unlink. */
  private threadDone(td: Thread): void {
    if (td.state === TdState.DEAD) return;
    this.k.sched.remrq(td);
    td.state = TdState.DEAD;
    const p = td.proc;
    if (!p.vm.destroyed) exitRobustList(td);
    if (td.clearChildTid !== 0 && !p.vm.destroyed) {
      try {
        suword32(p.vm, td.clearChildTid, 0);
        this.k.futex.wake(td, td.clearChildTid, 1, 0xffff_ffff, false);
      } catch {
        /* A bad address is the thread's problem, not ours. */
      }
    }
    td.clearChildTid = 0;
    this.k.procs.threads.delete(td.tid);
  }

  /** exit(2): this thread only; the last one takes the process with it. */
  exitThread(td: Thread, code: number): void {
    const p = td.proc;
    if (p.liveThreads().length <= 1) {
      this.exit1(p, wExitStatus(code));
      return;
    }
    this.threadDone(td);
    const i = p.threads.indexOf(td);
    if (i >= 0) p.threads.splice(i, 1);
  }

  /** exec: every other thread of td's process goes away now. */
  singleThread(td: Thread): void {
    const p = td.proc;
    for (const t of p.threads) if (t !== td) this.threadDone(t);
    p.threads.length = 0;
    p.threads.push(td);
    if (td.tid !== p.pid) {
      /* Linux: the exec'ing thread takes over the thread-group leader's id. */
      this.k.procs.threads.delete(td.tid);
      td.tid = p.pid;
      this.k.procs.threads.set(td.tid, td);
    }
  }

  /* ---- processes ---- */

  /** The process is finished: status is its wait status word. */
  exit1(p: Proc, status: number): void {
    if (p.state !== PState.ALIVE || p.exiting) return;
    p.exiting = true;
    p.exitStatus = status;
    for (const td of p.threads) this.threadDone(td);
    this.releaseResources(p);
    this.k.fork.vforkDone(p);
    this.k.sched.itimerProcs.delete(p);
    this.sessionLeaderExit(p);
    this.reparentChildren(p);
    this.orphanCheck(p);
    p.state = PState.ZOMBIE;
    this.k.sched.vmChanged();
    if (p.pid === 1) {
      this.k.initExited(status);
      return;
    }
    this.notifyParent(p);
  }

  private releaseResources(p: Proc): void {
    try {
      this.k.fork.fdRelease(p.fd);
    } catch (e) {
      this.k.log(`pid ${p.pid}: error closing files at exit: ${String(e)}`);
    }
    if (p.cwd) vrele(p.cwd);
    if (p.root) vrele(p.root);
    p.maxRssKb = Math.max(p.maxRssKb, (p.vm.rss * 4096) / 1024);
    p.vm.release();
  }

  /** A session leader with a terminal: the foreground group gets SIGHUP, the tty is let go. */
  private sessionLeaderExit(p: Proc): void {
    const s = p.pgrp.session;
    if (s.leader !== p) return;
    s.leader = null;
    this.k.ttyHangup(s);
  }

  private reparentChildren(p: Proc): void {
    const init = this.k.procs.procs.get(1);
    for (const c of [...p.children]) {
      p.children.delete(c);
      if (!init || init === p) {
        c.parent = null;
        continue;
      }
      c.parent = init;
      init.children.add(c);
      if (c.state === PState.ZOMBIE) this.k.sched.wakeup(init);
    }
  }

  /**
   * POSIX: a process group that becomes orphaned with stopped members gets
   * SIGHUP then SIGCONT, so a job nobody can continue does not hang forever.
   */
  private orphanCheck(p: Proc): void {
    const groups = new Set([p.pgrp]);
    for (const c of p.children) groups.add(c.pgrp);
    for (const pg of groups) {
      if (!this.k.sig.isOrphaned(pg)) continue;
      const stopped = [...pg.members].some((m) => m.stopped && m !== p);
      if (!stopped) continue;
      this.k.sig.pgsignal(pg, SIGHUP, { signo: SIGHUP, code: 0x80 });
      this.k.sig.pgsignal(pg, SIGCONT, { signo: SIGCONT, code: 0x80 });
    }
  }

  private notifyParent(p: Proc): void {
    const pp = p.parent;
    if (!pp) {
      this.reap(p);
      return;
    }
    const act = pp.sigacts.act[SIGCHLD];
    const autoReap = p.exitSignal === SIGCHLD && (act.handler === SIG_IGN || (act.flags & SA_NOCLDWAIT) !== 0);
    if (p.exitSignal > 0 && !(autoReap && act.handler === SIG_IGN)) {
      const { code, sistatus } = decodeStatus(p.exitStatus);
      this.k.sig.psignal(pp, p.exitSignal, {
        signo: p.exitSignal, code, pid: p.pid, uid: p.cred.uid, status: sistatus,
        utime: p.utimeMs / 10, stime: p.stimeMs / 10,
      });
    }
    this.k.sched.wakeup(pp);
    if (autoReap) this.reap(p);
  }

  /** Remove a zombie for good, charging its times to the parent. */
  reap(p: Proc): void {
    const pp = p.parent;
    if (pp) {
      pp.cutimeMs += p.utimeMs + p.cutimeMs;
      pp.cstimeMs += p.stimeMs + p.cstimeMs;
      pp.children.delete(p);
    }
    p.parent = null;
    this.k.procs.leavePgrp(p);
    this.k.procs.procs.delete(p.pid);
  }

  /* ---- wait ---- */

  /** Children of p that match wait4's pid argument. */
  private candidates(p: Proc, pid: number, opts: number): Proc[] {
    const out: Proc[] = [];
    for (const c of p.children) {
      if (pid > 0 && c.pid !== pid) continue;
      if (pid === 0 && c.pgrp !== p.pgrp) continue;
      if (pid < -1 && c.pgrp.pgid !== -pid) continue;
      /* __WCLONE selects children that do not send SIGCHLD; __WALL takes both. */
      const clone = c.exitSignal !== SIGCHLD;
      if ((opts & __WALL) === 0 && clone !== ((opts & __WCLONE) !== 0)) continue;
      out.push(c);
    }
    return out;
  }

  /**
   * One wait: a reportable child, null for WNOHANG with nothing to report,
   * or it sleeps (the syscall reruns). ECHILD when nothing matches at all.
   */
  waitOne(td: Thread, pid: number, opts: number): WaitResult | null {
    const p = td.proc;
    const cands = this.candidates(p, pid, opts);
    if (cands.length === 0) throw new SysError(ECHILD);
    for (const c of cands) {
      const r = this.reportable(c, opts);
      if (r) return r;
    }
    if (opts & WNOHANG) return null;
    tsleep(p);
  }

  private reportable(c: Proc, opts: number): WaitResult | null {
    const consume = (opts & WNOWAIT) === 0;
    if (c.state === PState.ZOMBIE && (opts & WEXITED)) {
      const { code, sistatus } = decodeStatus(c.exitStatus);
      const r = { p: c, status: c.exitStatus, code, sistatus };
      if (consume) this.reap(c);
      return r;
    }
    if (c.state !== PState.ALIVE) return null;
    if ((opts & WSTOPPED) && c.stopped && c.reportStop) {
      if (consume) c.reportStop = false;
      return { p: c, status: wStopStatus(c.stopSig), code: 5, sistatus: c.stopSig };
    }
    if ((opts & WCONTINUED) && c.reportCont) {
      if (consume) c.reportCont = false;
      return { p: c, status: W_CONTINUED, code: 6, sistatus: SIGCONT };
    }
    return null;
  }

  validateWaitOpts(opts: number, waitid: boolean): void {
    const allowed = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE |
      (waitid ? WEXITED | WNOWAIT : 0);
    if ((opts & ~allowed) !== 0) throw new SysError(EINVAL);
    if (waitid && (opts & (WEXITED | WSTOPPED | WCONTINUED)) === 0) throw new SysError(EINVAL);
  }
}

/** Split a wait status word into waitid's si_code and si_status. */
export function decodeStatus(status: number): { code: number; sistatus: number } {
  const sig = status & 0x7f;
  if (sig === 0) return { code: CLD_EXITED, sistatus: (status >> 8) & 0xff };
  return { code: (status & 0x80) ? CLD_DUMPED : CLD_KILLED, sistatus: sig };
}
