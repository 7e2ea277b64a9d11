/*
 * Sleeping, BSD style (tsleep/wakeup), for a kernel that runs on one JS event
 * loop. A syscall that must wait throws a SleepRequest; the dispatcher parks
 * the thread on the channel and, when woken (wakeup, timeout or signal),
 * runs the whole syscall again from the start. So code must not make visible
 * changes before the point where it may sleep, or must record its progress
 * in the thread (td.restart) so the rerun continues where it stopped.
 */
export type WaitChannel = object;

export class SleepRequest {
  constructor(
    readonly chan: WaitChannel | null,
    /** Absolute kernel uptime in ms at which to wake with ETIMEDOUT, or Infinity. */
    readonly deadline: number,
    /** Signals interrupt the sleep (EINTR/restart). Always true for user-visible waits. */
    readonly interruptible: boolean,
  ) {}
}

/** Sleep on chan until wakeup(chan) (or the deadline in uptime ms). Never returns. */
export function tsleep(chan: WaitChannel | null, deadline = Infinity, interruptible = true): never {
  throw new SleepRequest(chan, deadline, interruptible);
}

/* The scheduler installs these; the registry of sleepers is the scheduler's. */
type WakeupFn = (chan: WaitChannel) => void;
let wakeupImpl: WakeupFn = () => {};

export function setWakeupImpl(fn: WakeupFn): void {
  wakeupImpl = fn;
}

/** Make every thread sleeping on chan runnable again (its syscall reruns). */
export function wakeup(chan: WaitChannel): void {
  wakeupImpl(chan);
}
