/*
 * Clocks the file layer reads: the wall clock for timestamps and the kernel's
 * uptime for timeouts. The Kernel installs its own at boot (setVfsClock);
 * until then (and in unit tests) Date.now and a zero uptime stand in.
 */
import type { Timespec } from './vnode.ts';

export interface VfsClock {
  wallMs(): number;
  uptimeMs(): number;
}

let clock: VfsClock = { wallMs: () => Date.now(), uptimeMs: () => 0 };

export function setVfsClock(c: VfsClock): void {
  clock = c;
}

export function uptimeMs(): number {
  return clock.uptimeMs();
}

/** The current wall time as a timespec (millisecond resolution is all a host gives). */
export function nanotime(): Timespec {
  const ms = clock.wallMs();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

export function timespecFromMs(ms: number): Timespec {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}
