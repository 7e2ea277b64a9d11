/*
 * Processes and threads (BSD's struct proc / struct lwp), process groups and
 * sessions, and the pid space. Threads and processes share one id space as
 * on Linux: a process's pid is the tid of its first thread.
 */
import { CpuContext } from '../cpu/context.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import type { FileTable } from '../vfs/file.ts';
import type { Vnode } from '../vfs/vnode.ts';
import type { Kernel } from './init_main.ts';
import type { WaitChannel } from './sleep.ts';
import { EAGAIN, SysError } from './errno.ts';
import { SigActs, type SigInfo } from './signal.ts';
import { Rlimits } from './resource.ts';

export const PID_MAX = 99999;
/* The process table limit (kern.maxproc): a fork bomb runs into it, not into the JS heap. */
export const MAXPROC = 1000;

export interface Cred {
  uid: number; gid: number;
  euid: number; egid: number;
  suid: number; sgid: number;
  groups: number[];
}

export function rootCred(): Cred {
  return { uid: 0, gid: 0, euid: 0, egid: 0, suid: 0, sgid: 0, groups: [0] };
}

export function dupCred(c: Cred): Cred {
  return { ...c, groups: c.groups.slice() };
}

export class Session {
  /** The controlling terminal, if any (kern/tty.ts owns the type). */
  ttyp: object | null = null;
  constructor(readonly sid: number, public leader: Proc | null) {}
}

export class Pgrp {
  readonly members = new Set<Proc>();
  constructor(readonly pgid: number, readonly session: Session) {}
}

export const enum TdState { RUN, SLEEP, STOP, DEAD }

/** The alternate signal stack (sigaltstack). */
export interface SigAltStack { sp: number; size: number; flags: number }
export const SS_ONSTACK = 1, SS_DISABLE = 2;

export class Thread {
  readonly ctx = new CpuContext();
  state = TdState.RUN;
  /** Blocked signals, bit (sig-1). */
  sigmask = 0n;
  /** Thread-directed pending signals and their infos. */
  pending = 0n;
  readonly pendingInfo = new Map<number, SigInfo[]>();
  altstack: SigAltStack = { sp: 0, size: 0, flags: SS_DISABLE };
  /** Mask to restore after a sigsuspend/ppoll/pselect that installed a temporary one. */
  savedMask: bigint | null = null;
  /** Signals a sleeping rt_sigtimedwait takes itself instead of having them delivered. */
  sigwait = 0n;
  clearChildTid = 0;
  robustList = 0;
  robustLen = 0;

  /* Sleep state (kern/sleep.ts): the channel, absolute uptime deadline, interruptible. */
  wchan: WaitChannel | null = null;
  wdeadline = Infinity;
  winterruptible = true;
  /** Parked on a SleepRequest: pc is still at the ecall, the syscall reruns when woken. */
  inSyscall = false;
  /** The sleeping syscall must return EINTR even under SA_RESTART (nanosleep, sigsuspend, poll). */
  noRestart = false;
  /** Absolute deadline recorded on the first run of a syscall with a relative timeout. */
  restartDeadline: number | null = null;
  /** Progress a rerun syscall recorded (kern/sleep.ts); cleared when the syscall completes. */
  restart: object | null = null;
  /** Run when a handler interrupts this sleeping syscall with EINTR (nanosleep's remainder). */
  onEintr: (() => void) | null = null;
  /** The syscall number being run (for ddb and ktrace). */
  syscallNo = -1;

  /** CPU time consumed, in ms, and retired instructions. */
  cpuMs = 0;
  instret = 0;

  constructor(public tid: number, public proc: Proc) {}

  get k(): Kernel {
    return this.proc.k;
  }

  /** The absolute deadline for a relative timeout, fixed on the syscall's first run. */
  deadlineIn(ms: number): number {
    if (this.restartDeadline === null) this.restartDeadline = this.k.uptimeMs() + ms;
    return this.restartDeadline;
  }
}

export const enum PState { ALIVE, ZOMBIE }

export class Proc {
  parent: Proc | null = null;
  readonly children = new Set<Proc>();
  pgrp!: Pgrp;
  cred: Cred = rootCred();
  umask = 0o022;
  vm!: VmSpace;
  fd!: FileTable;
  cwd!: Vnode;
  root!: Vnode;
  exePath = '';
  comm = '';
  argv: string[] = [];
  limits = new Rlimits();
  sigacts = new SigActs();
  /** sigacts is shared with another process (CLONE_SIGHAND without CLONE_THREAD): exec unshares. */
  sigactsShared = false;
  /** Process-directed pending signals (a thread that does not block it takes it). */
  pending = 0n;
  readonly pendingInfo = new Map<number, SigInfo[]>();
  readonly threads: Thread[] = [];
  state = PState.ALIVE;
  /** wait(2) status word once a zombie. */
  exitStatus = 0;
  /** exit_group in progress: the other threads are being torn down. */
  exiting = false;
  /** Job control: stopped by a signal; the stop/continue not yet reported to wait. */
  stopped = false;
  stopSig = 0;
  reportStop = false;
  reportCont = false;
  /** Signal sent to the parent at exit (clone's low byte; SIGCHLD for fork). */
  exitSignal = 17;
  /** A vfork parent sleeps on this proc until it execs or exits. */
  vforkParent: Proc | null = null;
  /** Ran execve at least once (setpgid on a child that exec'd → EACCES). */
  didExec = false;
  startMs = 0;
  /* Own CPU times and those of waited-for children (ms). */
  utimeMs = 0;
  stimeMs = 0;
  cutimeMs = 0;
  cstimeMs = 0;
  maxRssKb = 0;
  /** ITIMER_REAL: absolute uptime of the next expiry and the interval (ms), 0 = off. */
  itimerNext = 0;
  itimerInterval = 0;
  /** ITIMER_VIRTUAL (user time) and ITIMER_PROF (user+system): ms left and interval, 0 = off. */
  vtimerLeft = 0;
  vtimerInterval = 0;
  ptimerLeft = 0;
  ptimerInterval = 0;
  /** RLIMIT_CPU: the next whole second of CPU time at which SIGXCPU is due. */
  xcpuNextSec = 0;
  /** A per-process name set by prctl(PR_SET_NAME) lives in comm; thread names here. */
  tdNames = new Map<number, string>();

  constructor(readonly pid: number, readonly k: Kernel) {}

  get ppid(): number {
    return this.parent ? this.parent.pid : 0;
  }

  /** A thread that is still alive (the one signals and exec use). */
  liveThreads(): Thread[] {
    return this.threads.filter((t) => t.state !== TdState.DEAD);
  }
}

/**
 * The process table and the id space shared by pids, tids, pgids and sids.
 */
export class ProcTable {
  readonly procs = new Map<number, Proc>();
  readonly threads = new Map<number, Thread>();
  readonly pgrps = new Map<number, Pgrp>();
  readonly sessions = new Map<number, Session>();
  private nextId = 1;

  /** Allocate an id not in use as a pid, tid, pgid or sid. */
  allocId(): number {
    for (let n = 0; n < PID_MAX; n++) {
      const id = this.nextId;
      this.nextId = id >= PID_MAX ? 2 : id + 1;
      if (!this.threads.has(id) && !this.procs.has(id) && !this.pgrps.has(id) && !this.sessions.has(id)) return id;
    }
    throw new SysError(EAGAIN);
  }

  /** Live and zombie processes count against kern.maxproc. */
  countProcs(): number {
    return this.procs.size;
  }

  countUserProcs(uid: number): number {
    let n = 0;
    for (const p of this.procs.values()) if (p.cred.uid === uid) n++;
    return n;
  }

  enterPgrp(p: Proc, pg: Pgrp): void {
    if (p.pgrp === pg) return;
    if (p.pgrp) this.leavePgrp(p);
    p.pgrp = pg;
    pg.members.add(p);
  }

  leavePgrp(p: Proc): void {
    const pg = p.pgrp;
    pg.members.delete(p);
    if (pg.members.size === 0) {
      this.pgrps.delete(pg.pgid);
      const s = pg.session;
      let used = false;
      for (const g of this.pgrps.values()) if (g.session === s) { used = true; break; }
      if (!used) this.sessions.delete(s.sid);
    }
  }

  newSession(p: Proc): Session {
    const s = new Session(p.pid, p);
    this.sessions.set(s.sid, s);
    const pg = new Pgrp(p.pid, s);
    this.pgrps.set(pg.pgid, pg);
    this.enterPgrp(p, pg);
    return s;
  }
}
