/*
 * The scheduler: a run queue of threads, the sleep queues behind
 * tsleep/wakeup, and the kernel's main loop. All vCPUs are multiplexed on
 * one Cpu object in the kernel worker for now; the loop runs guest code in
 * instruction budgets, handles the traps, and returns to the host event loop
 * every few milliseconds (platform.schedule) so I/O and console input are seen.
 */
import type { Cpu } from '../cpu/cpu.ts';
import { Stop } from '../cpu/stop.ts';
import type { Kernel } from './init_main.ts';
import { type Proc, type Thread, TdState } from './proc.ts';
import { SleepRequest, type WaitChannel } from './sleep.ts';
import { LoadAvg } from './kern_loadavg.ts';

/* Instructions a thread runs before the next runnable one gets the CPU. */
export const QUANTUM = 200_000;
/* Wall time the loop keeps the host's event loop before yielding (ms). */
export const LOOP_SLICE_MS = 8;

export class Scheduler {
  private readonly runq: Thread[] = [];
  private readonly sleepq = new Map<WaitChannel, Set<Thread>>();
  private readonly timed = new Set<Thread>();
  /** Processes with an armed ITIMER_REAL. */
  readonly itimerProcs = new Set<Proc>();
  /** The thread on the CPU, if any (for ddb and panic dumps). */
  curthread: Thread | null = null;
  /** The thread that was on the CPU when a kernel exception escaped (for the panic dump). */
  panicthread: Thread | null = null;
  private cpuVm: object | null = null;
  private cancelTimer: (() => void) | null = null;
  private armedFor = Infinity;
  private running = false;
  halted = false;
  /** sched_yield: end the current thread's quantum. */
  yieldRequested = false;
  /** The debugger has the machine (ddb): nothing runs until it leaves. */
  ddbStopped = false;
  /** The last thread that had the CPU (what ddb stops "at"). */
  lastthread: Thread | null = null;
  /** CPU time by state since boot (kern.cp_time): user and system ms; idle is the rest. */
  cpUserMs = 0;
  cpSysMs = 0;
  /** Context switches, traps and host callbacks that entered the loop (vm.stats.sys.*). */
  nswtch = 0;
  ntrap = 0;
  nintr = 0;
  readonly loadavg = new LoadAvg();

  constructor(private readonly k: Kernel, readonly cpu: Cpu) {}

  /* ---- run queue ---- */

  setrunnable(td: Thread): void {
    if (td.state === TdState.DEAD) return;
    td.state = TdState.RUN;
    this.runq.push(td);
    this.kick();
  }

  /** Remove a thread from whatever queue holds it (exit, stop). */
  remrq(td: Thread): void {
    const i = this.runq.indexOf(td);
    if (i >= 0) this.runq.splice(i, 1);
    this.unlinkSleep(td);
  }

  hasRunnable(): boolean {
    return this.runq.length > 0;
  }

  /* ---- sleep queues ---- */

  /** Park td on a SleepRequest; the syscall reruns when it is woken. */
  park(td: Thread, req: SleepRequest): void {
    td.state = TdState.SLEEP;
    td.inSyscall = true;
    td.wchan = req.chan;
    td.wdeadline = req.deadline;
    td.winterruptible = req.interruptible;
    if (req.chan) {
      let q = this.sleepq.get(req.chan);
      if (!q) this.sleepq.set(req.chan, (q = new Set()));
      q.add(td);
    }
    if (req.deadline !== Infinity) this.timed.add(td);
  }

  private unlinkSleep(td: Thread): void {
    if (td.wchan) {
      const q = this.sleepq.get(td.wchan);
      if (q) {
        q.delete(td);
        if (q.size === 0) this.sleepq.delete(td.wchan);
      }
    }
    this.timed.delete(td);
    td.wchan = null;
    td.wdeadline = Infinity;
  }

  /** Wake one sleeping thread (timeout, signal, futex): its syscall reruns. */
  unsleep(td: Thread): void {
    if (td.state !== TdState.SLEEP) return;
    this.unlinkSleep(td);
    if (td.proc.stopped) td.state = TdState.STOP;
    else this.setrunnable(td);
  }

  wakeup(chan: WaitChannel): void {
    const q = this.sleepq.get(chan);
    if (!q) return;
    for (const td of [...q]) this.unsleep(td);
  }

  /** Move a sleeping thread to another channel (FUTEX_REQUEUE). */
  moveSleep(td: Thread, chan: WaitChannel): void {
    if (td.state !== TdState.SLEEP) return;
    const deadline = td.wdeadline;
    this.unlinkSleep(td);
    td.wchan = chan;
    td.wdeadline = deadline;
    let q = this.sleepq.get(chan);
    if (!q) this.sleepq.set(chan, (q = new Set()));
    q.add(td);
    if (deadline !== Infinity) this.timed.add(td);
  }

  /** Threads sleeping on chan, for futex's counted wakeups. */
  sleepers(chan: WaitChannel): Thread[] {
    const q = this.sleepq.get(chan);
    return q ? [...q] : [];
  }

  /* ---- the main loop ---- */

  /** Make sure the loop runs soon (after a wakeup from host I/O, or new work). */
  kick(): void {
    if (this.halted || this.running || this.ddbStopped) return;
    this.arm(0);
  }

  private arm(ms: number): void {
    const at = this.k.platform.monotonicMs() + ms;
    if (this.cancelTimer && at >= this.armedFor) return;
    if (this.cancelTimer) this.cancelTimer();
    this.armedFor = at;
    this.cancelTimer = this.k.platform.schedule(() => this.loop(), ms);
  }

  start(): void {
    this.kick();
  }

  halt(): void {
    this.halted = true;
    if (this.cancelTimer) this.cancelTimer();
    this.cancelTimer = null;
  }

  private loop(): void {
    this.cancelTimer = null;
    this.armedFor = Infinity;
    if (this.halted || this.ddbStopped) return;
    this.nintr++;
    this.running = true;
    try {
      this.runSlice();
    } catch (e) {
      this.running = false;
      this.k.panic(e);
      return;
    }
    this.running = false;
    if (this.halted || this.ddbStopped) return;
    if (this.runq.length > 0) this.arm(0);
    else {
      const next = this.nextDeadline();
      if (next !== Infinity) this.arm(Math.max(0, next - this.k.uptimeMs()));
    }
  }

  private runSlice(): void {
    const p = this.k.platform;
    const start = p.monotonicMs();
    for (;;) {
      const now = this.k.uptimeMs();
      this.checkTimeouts(now);
      this.loadavg.update(now, this.runq.length);
      const td = this.runq.shift();
      if (!td) return;
      if (td.state !== TdState.RUN) continue;
      if (td.proc.stopped) { td.state = TdState.STOP; continue; }
      this.runThread(td);
      if (this.halted || this.ddbStopped) {
        if (td.state === TdState.RUN && !this.halted) this.runq.unshift(td);
        return;
      }
      if (td.state === TdState.RUN) this.runq.push(td);
      if (p.monotonicMs() - start >= LOOP_SLICE_MS) return;
    }
  }

  /** Give td the CPU for up to one quantum, handling its traps as they come. */
  private runThread(td: Thread): void {
    const cpu = this.cpu;
    const k = this.k;
    const clock = k.platform;
    this.curthread = td;
    if (this.lastthread !== td) this.nswtch++;
    this.lastthread = td;
    let budget = QUANTUM;
    this.yieldRequested = false;
    /* One clock read per boundary: user time is cpu.run, system time the trap that follows. */
    let t = clock.monotonicMs();
    try {
      while (budget > 0) {
        if (!k.sig.userret(td)) return;
        if (td.state !== TdState.RUN) return;
        this.switchVm(td);
        cpu.ctx.copyFrom(td.ctx);
        const i0 = cpu.instret;
        const stop = cpu.run(budget);
        const ran = cpu.instret - i0;
        const t1 = clock.monotonicMs();
        td.ctx.copyFrom(cpu.ctx);
        this.charge(td, t1 - t, 0);
        td.instret += ran;
        budget -= Math.max(ran, 1);
        if (stop !== Stop.BUDGET) this.trap(td, stop);
        t = clock.monotonicMs();
        if ((td.state as TdState) !== TdState.DEAD) this.charge(td, 0, t - t1);
        if (td.state !== TdState.RUN || this.yieldRequested || this.ddbStopped) return;
      }
    } catch (e) {
      this.panicthread = td;
      throw e;
    } finally {
      this.curthread = null;
    }
  }

  private charge(td: Thread, user: number, sys: number): void {
    const p = td.proc;
    td.cpuMs += user + sys;
    p.utimeMs += user;
    p.stimeMs += sys;
    this.cpUserMs += user;
    this.cpSysMs += sys;
    this.k.time.chargeCpu(p, user, sys);
  }

  private switchVm(td: Thread): void {
    const vm = td.proc.vm;
    if (this.cpuVm === vm) return;
    this.cpu.setPageTable(vm.rootPpn);
    this.cpuVm = vm;
  }

  /** The address space changed under the CPU (exec, exit): reload it next time. */
  vmChanged(): void {
    this.cpuVm = null;
  }

  private trap(td: Thread, stop: Stop): void {
    const k = this.k;
    this.ntrap++;
    switch (stop) {
      case Stop.ECALL:
        k.syscall(td);
        return;
      case Stop.FAULT:
        k.sig.pageFault(td, this.cpu.faultAddr, this.cpu.faultAccess);
        return;
      case Stop.ILLEGAL:
        k.sig.illegal(td);
        return;
      case Stop.EBREAK:
        if (k.ddb.breakpointHit(td)) return;
        k.sig.breakpoint(td);
        return;
      default:
        return;
    }
  }

  /* ---- time ---- */

  private checkTimeouts(now: number): void {
    for (const td of this.timed) if (td.wdeadline <= now) this.unsleep(td);
    for (const p of this.itimerProcs) if (p.itimerNext <= now) this.k.time.itimerFire(p, now);
  }

  private nextDeadline(): number {
    let next = Infinity;
    for (const td of this.timed) next = Math.min(next, td.wdeadline);
    for (const p of this.itimerProcs) next = Math.min(next, p.itimerNext);
    return next;
  }

  /** Every thread the scheduler knows about that is runnable (for ddb/ps). */
  runnable(): readonly Thread[] {
    return this.runq;
  }
}
