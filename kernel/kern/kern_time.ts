/*
 * Clocks and timers: clock_gettime/getres/nanosleep, nanosleep,
 * gettimeofday, getitimer/setitimer (ITIMER_REAL → SIGALRM), times.
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are the kernel's uptime; CLOCK_REALTIME
 * is the host's wall clock at boot plus uptime (so it never jumps backward).
 * CPU clocks are the host time spent running the thread/process.
 */
import { copyin, copyout } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { EFAULT, EINVAL } from './errno.ts';
import type { Kernel } from './init_main.ts';
import type { Proc, Thread } from './proc.ts';
import { SI_KERNEL, SIGALRM, SIGKILL, SIGPROF, SIGVTALRM, SIGXCPU } from './signal.ts';
import { RLIMIT_CPU } from './resource.ts';
import { SysError } from './errno.ts';
import { tsleep } from './sleep.ts';
import type { SysArgs } from './sysargs.ts';
import { msToTimespec, msToTimeval, timespecMs, timevalMs } from './kern_timeutil.ts';

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
  CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
  CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9,
  CLOCK_TAI = 11;
export const TIMER_ABSTIME = 1;
export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
/* Clock ticks per second for times() and AT_CLKTCK. */
export const HZ = 100;
const COARSE_RES_MS = 4;

export class Time {
  constructor(private readonly k: Kernel) {}

  realtimeMs(): number {
    return this.k.bootWallMs + this.k.uptimeMs();
  }

  /** The value of clock clk in ms for td; EINVAL for unknown clocks. */
  clockMs(td: Thread, clk: number): number {
    const k = this.k;
    switch (clk) {
      case CLOCK_REALTIME: case CLOCK_REALTIME_ALARM: case CLOCK_TAI:
        return this.realtimeMs();
      case CLOCK_REALTIME_COARSE:
        return Math.floor(this.realtimeMs() / COARSE_RES_MS) * COARSE_RES_MS;
      case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM:
        return k.uptimeMs();
      case CLOCK_MONOTONIC_COARSE:
        return Math.floor(k.uptimeMs() / COARSE_RES_MS) * COARSE_RES_MS;
      case CLOCK_PROCESS_CPUTIME_ID:
        return td.proc.utimeMs + td.proc.stimeMs;
      case CLOCK_THREAD_CPUTIME_ID:
        return td.cpuMs;
      default:
        throw new SysError(EINVAL);
    }
  }

  /** Absolute time on clk → kernel uptime (the scheduler's deadlines). */
  toUptime(clk: number, ms: number): number {
    if (clk === CLOCK_REALTIME || clk === CLOCK_REALTIME_ALARM || clk === CLOCK_TAI) return ms - this.k.bootWallMs;
    return ms;
  }

  /** ITIMER_REAL expired for p: SIGALRM, then rearm or disarm. */
  itimerFire(p: Proc, now: number): void {
    this.k.sig.psignal(p, SIGALRM, { signo: SIGALRM, code: SI_KERNEL });
    if (p.itimerInterval > 0) {
      p.itimerNext += p.itimerInterval * Math.max(1, Math.ceil((now - p.itimerNext) / p.itimerInterval));
    } else {
      p.itimerNext = 0;
      this.k.sched.itimerProcs.delete(p);
    }
  }

  /**
   * CPU time was spent (the scheduler's accounting): run down ITIMER_VIRTUAL
   * (user time) and ITIMER_PROF (user + system), and enforce RLIMIT_CPU
   * (SIGXCPU each second past the soft limit, SIGKILL at the hard one).
   */
  chargeCpu(p: Proc, userMs: number, sysMs: number): void {
    if (p.vtimerLeft > 0 && userMs > 0) {
      p.vtimerLeft -= userMs;
      if (p.vtimerLeft <= 0) {
        p.vtimerLeft = p.vtimerInterval > 0 ? Math.max(p.vtimerInterval + p.vtimerLeft, 0.001) : 0;
        this.k.sig.psignal(p, SIGVTALRM, { signo: SIGVTALRM, code: SI_KERNEL });
      }
    }
    if (p.ptimerLeft > 0) {
      p.ptimerLeft -= userMs + sysMs;
      if (p.ptimerLeft <= 0) {
        p.ptimerLeft = p.ptimerInterval > 0 ? Math.max(p.ptimerInterval + p.ptimerLeft, 0.001) : 0;
        this.k.sig.psignal(p, SIGPROF, { signo: SIGPROF, code: SI_KERNEL });
      }
    }
    const lim = p.limits.lim[RLIMIT_CPU];
    if (lim.cur === Infinity) return;
    const sec = (p.utimeMs + p.stimeMs) / 1000;
    if (sec >= lim.max) {
      this.k.exit.exit1(p, SIGKILL);
    } else if (sec >= Math.max(lim.cur, p.xcpuNextSec)) {
      p.xcpuNextSec = Math.floor(sec) + 1;
      this.k.sig.psignal(p, SIGXCPU, { signo: SIGXCPU, code: SI_KERNEL });
    }
  }

  /** Arm ITIMER_REAL: value/interval in ms (0 value disarms). */
  setItimer(p: Proc, valueMs: number, intervalMs: number): void {
    p.itimerInterval = intervalMs;
    if (valueMs > 0) {
      p.itimerNext = this.k.uptimeMs() + valueMs;
      this.k.sched.itimerProcs.add(p);
      this.k.sched.kick();
    } else {
      p.itimerNext = 0;
      this.k.sched.itimerProcs.delete(p);
    }
  }
}

/* ---- syscalls ---- */

function sys_clock_gettime(td: Thread, a: SysArgs): number {
  const ms = td.k.time.clockMs(td, a.int(0));
  copyout(td.proc.vm, a.ptr(1), msToTimespec(ms));
  return 0;
}

function sys_clock_getres(td: Thread, a: SysArgs): number {
  const clk = a.int(0);
  td.k.time.clockMs(td, clk);
  const coarse = clk === CLOCK_REALTIME_COARSE || clk === CLOCK_MONOTONIC_COARSE;
  if (a.ptr(1)) copyout(td.proc.vm, a.ptr(1), coarse ? msToTimespec(COARSE_RES_MS) : new CStruct(16).setI64(8, 1).u8);
  return 0;
}

/** Sleep until the absolute uptime deadline; on a signal write the remainder to remVa. */
function sleepUntil(td: Thread, deadline: number, remVa: number): number {
  const k = td.k;
  if (k.uptimeMs() >= deadline) return 0;
  td.noRestart = true;
  if (remVa) {
    td.onEintr = () => {
      try { copyout(td.proc.vm, remVa, msToTimespec(deadline - k.uptimeMs())); } catch { /* EFAULT: ignore */ }
    };
  }
  tsleep(null, deadline);
}

function sys_clock_nanosleep(td: Thread, a: SysArgs): number {
  const clk = a.int(0);
  const flags = a.int(1);
  if (clk === CLOCK_THREAD_CPUTIME_ID) throw new SysError(EINVAL);
  td.k.time.clockMs(td, clk);
  const ms = timespecMs(copyin(td.proc.vm, a.ptr(2), 16));
  if (flags & TIMER_ABSTIME) return sleepUntil(td, td.k.time.toUptime(clk, ms), 0);
  return sleepUntil(td, td.deadlineIn(ms), a.ptr(3));
}

function sys_nanosleep(td: Thread, a: SysArgs): number {
  const ms = timespecMs(copyin(td.proc.vm, a.ptr(0), 16));
  return sleepUntil(td, td.deadlineIn(ms), a.ptr(1));
}

function sys_gettimeofday(td: Thread, a: SysArgs): number {
  if (a.ptr(0)) copyout(td.proc.vm, a.ptr(0), msToTimeval(td.k.time.realtimeMs()));
  if (a.ptr(1)) copyout(td.proc.vm, a.ptr(1), new Uint8Array(8));
  return 0;
}

function itimerval(valueMs: number, intervalMs: number): Uint8Array {
  const b = new Uint8Array(32);
  b.set(msToTimeval(intervalMs), 0);
  b.set(msToTimeval(valueMs), 16);
  return b;
}

function currentItimer(td: Thread, which: number): Uint8Array {
  const p = td.proc;
  if (which === ITIMER_VIRTUAL) return itimerval(p.vtimerLeft, p.vtimerInterval);
  if (which === ITIMER_PROF) return itimerval(p.ptimerLeft, p.ptimerInterval);
  const left = p.itimerNext > 0 ? Math.max(0.001, p.itimerNext - td.k.uptimeMs()) : 0;
  return itimerval(left, p.itimerInterval);
}

function sys_getitimer(td: Thread, a: SysArgs): number {
  const which = a.int(0);
  if (which < 0 || which > ITIMER_PROF) throw new SysError(EINVAL);
  copyout(td.proc.vm, a.ptr(1), currentItimer(td, which));
  return 0;
}

function sys_setitimer(td: Thread, a: SysArgs): number {
  const which = a.int(0);
  if (which < 0 || which > ITIMER_PROF) throw new SysError(EINVAL);
  const nv = a.ptr(1) ? copyin(td.proc.vm, a.ptr(1), 32) : new Uint8Array(32);
  const interval = timevalMs(nv.subarray(0, 16));
  const value = timevalMs(nv.subarray(16, 32));
  const old = currentItimer(td, which);
  const p = td.proc;
  if (which === ITIMER_REAL) td.k.time.setItimer(p, value, interval);
  else if (which === ITIMER_VIRTUAL) { p.vtimerLeft = value; p.vtimerInterval = interval; }
  else { p.ptimerLeft = value; p.ptimerInterval = interval; }
  if (a.ptr(2)) copyout(td.proc.vm, a.ptr(2), old);
  return 0;
}

function sys_times(td: Thread, a: SysArgs): number {
  const p = td.proc;
  const t = (ms: number): number => Math.floor((ms * HZ) / 1000);
  if (a.ptr(0)) {
    const s = new CStruct(32).setI64(0, t(p.utimeMs)).setI64(8, t(p.stimeMs))
      .setI64(16, t(p.cutimeMs)).setI64(24, t(p.cstimeMs));
    copyout(td.proc.vm, a.ptr(0), s.u8);
  }
  return t(td.k.uptimeMs()) + 1;
}

export const timeSyscalls: Record<number, (td: Thread, a: SysArgs) => number> = {
  101: sys_nanosleep,
  102: sys_getitimer,
  103: sys_setitimer,
  113: sys_clock_gettime,
  114: sys_clock_getres,
  115: sys_clock_nanosleep,
  153: sys_times,
  169: sys_gettimeofday,
};

export { EFAULT };
