/*
 * clone/clone3: new processes (fork, vfork) and new threads (pthread_create's
 * CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|
 * CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID).
 */
import { REG_A0, REG_SP, REG_TP } from '../cpu/context.ts';
import { suword32 } from '../vm/copyio.ts';
import type { FileTable } from '../vfs/file.ts';
import { vref } from '../vfs/vnode.ts';
import { EAGAIN, EINVAL, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { dupCred, MAXPROC, Proc, Thread } from './proc.ts';
import { RLIMIT_NPROC } from './resource.ts';
import { tsleep } from './sleep.ts';
import { ktrfork } from './kern_ktrace.ts';

export const CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400,
  CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000,
  CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000,
  CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
  CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000,
  CLONE_NEWCGROUP = 0x2000000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000,
  CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000,
  CLONE_IO = 0x80000000;

/* Namespaces and pidfds are not supported: asking for them is EINVAL. */
const UNSUPPORTED = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
  CLONE_NEWPID | CLONE_NEWNET | CLONE_PIDFD;

/* Threads in the whole system (Linux's threads-max, scaled down). */
export const MAXTHREADS = 4000;

export interface CloneArgs {
  flags: number;       // unsigned 32 bits (clone3's upper bits are rejected earlier)
  exitSignal: number;
  stack: number;       // new sp, 0 = same
  tls: number;
  parentTid: number;
  childTid: number;
}

interface VforkWait { vforkChild: Proc }

export class Fork {
  /** Sharers of a FileTable (CLONE_FILES); absent = one. */
  private readonly fdRefs = new WeakMap<FileTable, number>();
  /** Processes created since boot (vm.stats.vm.v_forks), and the newest one's pid (kern.lastpid). */
  forks = 0;
  lastPid = 0;

  constructor(private readonly k: Kernel) {}

  fdHold(ft: FileTable): void {
    this.fdRefs.set(ft, (this.fdRefs.get(ft) ?? 1) + 1);
  }

  fdRelease(ft: FileTable): void {
    const n = this.fdRefs.get(ft) ?? 1;
    if (n > 1) {
      this.fdRefs.set(ft, n - 1);
      return;
    }
    this.fdRefs.delete(ft);
    ft.closeAll();
  }

  /** The vfork child execs or exits: its parent may go on. */
  vforkDone(p: Proc): void {
    if (!p.vforkParent) return;
    p.vforkParent = null;
    this.k.sched.wakeup(p);
  }

  /** clone/clone3 for td: returns the child's tid to the caller. */
  clone(td: Thread, a: CloneArgs): number {
    const rs = td.restart as VforkWait | null;
    if (rs) return this.vforkWait(rs.vforkChild, td);
    const f = a.flags;
    this.checkFlags(f);
    this.checkLimits(td.proc, (f & CLONE_THREAD) !== 0);
    const child = (f & CLONE_THREAD) ? this.newThread(td, a) : this.newProc(td, a);
    if ((f & CLONE_THREAD) === 0) { this.forks++; this.lastPid = child.proc.pid; ktrfork(td, child); }
    this.settids(td, child, a);
    this.k.sched.setrunnable(child);
    if (f & CLONE_VFORK) {
      child.proc.vforkParent = td.proc;
      td.restart = { vforkChild: child.proc } satisfies VforkWait;
      return this.vforkWait(child.proc, td);
    }
    return child.tid;
  }

  private vforkWait(c: Proc, td: Thread): number {
    if (c.vforkParent === null) return c.pid;
    /* Not interruptible: a rerun after a signal would fork again. */
    tsleep(c, Infinity, false);
  }

  private checkFlags(f: number): void {
    if (f & UNSUPPORTED) throw new SysError(EINVAL);
    if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND)) throw new SysError(EINVAL);
    if ((f & CLONE_SIGHAND) && !(f & CLONE_VM)) throw new SysError(EINVAL);
  }

  private checkLimits(p: Proc, thread: boolean): void {
    const procs = this.k.procs;
    if (procs.threads.size >= MAXTHREADS) throw new SysError(EAGAIN);
    if (thread) return;
    if (procs.countProcs() >= MAXPROC) throw new SysError(EAGAIN);
    if (p.cred.uid !== 0 && procs.countUserProcs(p.cred.uid) >= p.limits.cur(RLIMIT_NPROC)) {
      throw new SysError(EAGAIN);
    }
  }

  /** The child's registers: the parent's, returning 0 past the ecall, maybe a new sp/tp. */
  private childContext(td: Thread, child: Thread, a: CloneArgs): void {
    const ctx = child.ctx;
    ctx.copyFrom(td.ctx);
    ctx.setXNum(REG_A0, 0);
    ctx.pc = td.ctx.pc + 4;
    if (a.stack !== 0) ctx.setXNum(REG_SP, a.stack);
    if (a.flags & CLONE_SETTLS) ctx.setXNum(REG_TP, a.tls);
    child.sigmask = td.sigmask;
    /* Linux: a new thread sharing the VM does not inherit the alternate signal stack. */
    if ((a.flags & (CLONE_VM | CLONE_VFORK)) === CLONE_VM) child.altstack = { sp: 0, size: 0, flags: 2 };
    else child.altstack = { ...td.altstack };
  }

  private newThread(td: Thread, a: CloneArgs): Thread {
    const p = td.proc;
    const tid = this.k.procs.allocId();
    const nt = new Thread(tid, p);
    this.childContext(td, nt, a);
    p.threads.push(nt);
    this.k.procs.threads.set(tid, nt);
    return nt;
  }

  private newProc(td: Thread, a: CloneArgs): Thread {
    const p = td.proc;
    const f = a.flags;
    const procs = this.k.procs;
    const pid = procs.allocId();
    const vm = (f & CLONE_VM) ? (p.vm.hold(), p.vm) : p.vm.fork();
    const c = new Proc(pid, this.k);
    c.vm = vm;
    const parent = (f & CLONE_PARENT) && p.parent ? p.parent : p;
    c.parent = parent;
    parent.children.add(c);
    procs.enterPgrp(c, p.pgrp);
    c.cred = dupCred(p.cred);
    c.umask = p.umask;
    c.limits = p.limits.clone();
    if (f & CLONE_SIGHAND) {
      c.sigacts = p.sigacts;
      c.sigactsShared = p.sigactsShared = true;
    } else c.sigacts = p.sigacts.clone();
    if (f & CLONE_FILES) { this.fdHold(p.fd); c.fd = p.fd; } else c.fd = p.fd.fork();
    c.cwd = vref(p.cwd);
    c.root = vref(p.root);
    c.comm = p.comm;
    c.argv = p.argv;
    c.exePath = p.exePath;
    c.exitSignal = a.exitSignal;
    c.startMs = this.k.uptimeMs();
    procs.procs.set(pid, c);
    const t = new Thread(pid, c);
    this.childContext(td, t, a);
    c.threads.push(t);
    procs.threads.set(pid, t);
    return t;
  }

  private settids(td: Thread, child: Thread, a: CloneArgs): void {
    if ((a.flags & CLONE_PARENT_SETTID) && a.parentTid) suword32(td.proc.vm, a.parentTid, child.tid);
    if ((a.flags & CLONE_CHILD_SETTID) && a.childTid) suword32(child.proc.vm, a.childTid, child.tid);
    if (a.flags & CLONE_CHILD_CLEARTID) child.clearChildTid = a.childTid;
  }
}
