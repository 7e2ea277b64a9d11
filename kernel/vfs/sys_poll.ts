/*
 * ppoll and pselect6: ask every file's ops for readiness; if nothing is
 * ready, sleep on the select channel (selinfo.ts) until some file changes
 * or the deadline passes. The deadline is fixed on the first run
 * (td.deadlineIn) because a woken syscall reruns from the start. A
 * temporary signal mask is installed as sigsuspend does (td.savedMask).
 */
import { EBADF, EINVAL, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import { CANTMASK } from '../kern/signal.ts';
import { tsleep } from '../kern/sleep.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from './file.ts';
import { selChan } from './selinfo.ts';
import { ioctxOf } from './vfs_thread.ts';

const POLLFD_SIZE = 8;
const MAX_POLLFDS = 65536;

/** A user timespec as milliseconds; null pointer → Infinity. */
function timeoutMs(td: Thread, va: number): number {
  if (va === 0) return Infinity;
  const b = copyin(td.proc.vm, va, 16);
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  const sec = Number(dv.getBigInt64(0, true));
  const nsec = Number(dv.getBigInt64(8, true));
  if (sec < 0 || nsec < 0 || nsec > 999_999_999) throw new SysError(EINVAL);
  return sec * 1000 + nsec / 1e6;
}

/** Install the call's temporary signal mask (once; reruns keep it). */
function installMask(td: Thread, va: number, size: number): void {
  if (va === 0) return;
  if (size !== 8) throw new SysError(EINVAL);
  const b = copyin(td.proc.vm, va, 8);
  const mask = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & ~CANTMASK;
  if (td.savedMask === null) td.savedMask = td.sigmask;
  td.sigmask = mask;
}

function restoreMask(td: Thread): void {
  if (td.savedMask !== null) {
    td.sigmask = td.savedMask;
    td.savedMask = null;
  }
}

/** Sleep until a file changes or the deadline; return `result` if the deadline is past. */
function waitOrTimeout(td: Thread, deadline: number): void {
  if (deadline <= td.k.uptimeMs()) return;
  td.noRestart = true;
  tsleep(selChan, deadline);
}

function sysPpoll(td: Thread, a: SysArgs): number {
  const fdsVa = a.ptr(0), nfds = a.uint(1);
  if (nfds > MAX_POLLFDS) throw new SysError(EINVAL);
  const ms = timeoutMs(td, a.ptr(2));
  installMask(td, a.ptr(3), a.u64(4));
  const deadline = ms === Infinity ? Infinity : td.deadlineIn(ms);
  const raw = nfds ? copyin(td.proc.vm, fdsVa, nfds * POLLFD_SIZE) : new Uint8Array(0);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = scanPollfds(td, dv, nfds);
  if (n > 0 || ms === 0) return finishPoll(td, fdsVa, raw, n);
  waitOrTimeout(td, deadline);
  return finishPoll(td, fdsVa, raw, 0);
}

function finishPoll(td: Thread, va: number, raw: Uint8Array, n: number): number {
  if (raw.length) copyout(td.proc.vm, va, raw);
  restoreMask(td);
  return n;
}

/** Fill in revents; returns the number of entries with any. */
function scanPollfds(td: Thread, dv: DataView, nfds: number): number {
  const io = ioctxOf(td);
  let n = 0;
  for (let i = 0; i < nfds; i++) {
    const off = i * POLLFD_SIZE;
    const fd = dv.getInt32(off, true);
    const events = dv.getInt16(off + 4, true) & 0xffff;
    let rev = 0;
    if (fd >= 0) {
      const fp = td.proc.fd.getOrNull(fd);
      rev = fp ? fp.ops.poll(fp, events, io) & (events | POLLERR | POLLHUP | POLLNVAL) : POLLNVAL;
    }
    dv.setInt16(off + 6, rev, true);
    if (rev) n++;
  }
  return n;
}

/* ---------------- pselect6 ---------------- */

const SEL_IN = POLLIN | POLLRDNORM | POLLHUP | POLLERR;
const SEL_OUT = POLLOUT | POLLWRNORM | POLLERR;
const SEL_EX = POLLPRI;

function readSet(td: Thread, va: number, bytes: number): Uint8Array | null {
  return va === 0 ? null : copyin(td.proc.vm, va, bytes);
}

function bit(set: Uint8Array | null, fd: number): boolean {
  return set !== null && (set[fd >> 3] & (1 << (fd & 7))) !== 0;
}

function sysPselect6(td: Thread, a: SysArgs): number {
  const nfds = a.int(0);
  if (nfds < 0 || nfds > ioctxOf(td).nofile + 64) throw new SysError(EINVAL);
  const bytes = ((nfds + 63) >> 6) * 8;
  const sets = [readSet(td, a.ptr(1), bytes), readSet(td, a.ptr(2), bytes), readSet(td, a.ptr(3), bytes)];
  const ms = timeoutMs(td, a.ptr(4));
  const sigVa = a.ptr(5);
  if (sigVa !== 0) {
    const b = copyin(td.proc.vm, sigVa, 16);
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    installMask(td, Number(dv.getBigUint64(0, true)), Number(dv.getBigUint64(8, true)));
  }
  const deadline = ms === Infinity ? Infinity : td.deadlineIn(ms);
  const out = sets.map((s) => (s ? new Uint8Array(s.length) : null));
  const n = scanSets(td, nfds, sets, out);
  if (n === 0 && ms !== 0) waitOrTimeout(td, deadline);
  for (let i = 0; i < 3; i++) {
    const o = out[i];
    if (o) copyout(td.proc.vm, a.ptr(1 + i), o);
  }
  restoreMask(td);
  return n;
}

function scanSets(td: Thread, nfds: number, sets: Array<Uint8Array | null>, out: Array<Uint8Array | null>): number {
  const io = ioctxOf(td);
  const masks = [SEL_IN, SEL_OUT, SEL_EX];
  let n = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const want = [0, 1, 2].filter((i) => bit(sets[i], fd));
    if (want.length === 0) continue;
    const fp = td.proc.fd.getOrNull(fd);
    if (!fp) throw new SysError(EBADF);
    const ev = want.reduce((m, i) => m | masks[i], 0);
    const rev = fp.ops.poll(fp, ev, io);
    for (const i of want) {
      if ((rev & masks[i]) === 0) continue;
      (out[i] as Uint8Array)[fd >> 3] |= 1 << (fd & 7);
      n++;
    }
  }
  return n;
}

export const pollSyscalls: Record<number, SyscallHandler> = {
  73: sysPpoll,
  72: sysPselect6,
};
