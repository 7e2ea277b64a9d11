/*
 * The process on whose behalf the kernel is running now (BSD's curproc).
 * One syscall runs at a time under the big lock, so a global is exact. The
 * file layer sets it on every path lookup it makes for a syscall; the
 * dispatcher may set it for every syscall. procfs reads it for /proc/self.
 */
import type { Proc } from '../kern/proc.ts';

let cur: Proc | null = null;

export function setCurproc(p: Proc | null): void {
  cur = p;
}

export function curproc(): Proc | null {
  return cur;
}
