/*
 * futex(2): wait queues keyed by a user address. A waiter sleeps on the
 * queue object (the scheduler's sleep queue for that channel is the FIFO of
 * waiters); a waker marks the threads it picks as woken, so their rerun
 * returns 0 instead of re-reading the (by then changed) word.
 *
 * Keys: (address space, va) for private futexes and private memory, the
 * physical address for futexes in shared mappings (MAP_SHARED across
 * processes), as Linux keys them by mm or by the shared page.
 */
import { copyin, fuptr, fuword32, fuword64, suword32, userPhys } from '../vm/copyio.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import { ACCESS_READ } from '../vm/vm_param.ts';
import { EAGAIN, EINVAL, ENOSYS, ETIMEDOUT, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import type { Thread } from './proc.ts';
import { tsleep } from './sleep.ts';
import type { SysArgs } from './sysargs.ts';
import { timespecMs } from './kern_timeutil.ts';

export const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
  FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8,
  FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
export const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
export const FUTEX_BITSET_MATCH_ANY = 0xffff_ffff;

/** A wait queue's identity (the sleep channel). */
class FutexQ {
  constructor(readonly key: string) {}
}

/** What a waiting thread records in td.restart. */
interface FutexWait {
  futex: FutexQ;
  bitset: number;
  woken: boolean;
}

export class Futexes {
  private readonly queues = new Map<string, FutexQ>();
  private readonly vmIds = new WeakMap<VmSpace, number>();
  private nextVmId = 1;

  constructor(private readonly k: Kernel) {}

  private key(td: Thread, uaddr: number, priv: boolean): string {
    const vm = td.proc.vm;
    if (!priv) {
      const r = vm.findRegion(uaddr);
      if (r && r.shared) return `p${userPhys(vm, uaddr, ACCESS_READ)}`;
    }
    let id = this.vmIds.get(vm);
    if (id === undefined) { id = this.nextVmId++; this.vmIds.set(vm, id); }
    return `v${id}:${uaddr}`;
  }

  private queue(key: string, create: boolean): FutexQ | null {
    let q = this.queues.get(key) ?? null;
    if (!q && create) { q = new FutexQ(key); this.queues.set(key, q); }
    return q;
  }

  private gc(q: FutexQ): void {
    if (this.k.sched.sleepers(q).length === 0) this.queues.delete(q.key);
  }

  /** FUTEX_WAIT(_BITSET): sleep if *uaddr == val. deadline: absolute uptime ms or Infinity. */
  wait(td: Thread, uaddr: number, val: number, bitset: number, deadline: number, priv: boolean): number {
    const rs = td.restart as FutexWait | null;
    if (rs && rs.futex) {
      if (rs.woken) return 0;
      if (deadline <= this.k.uptimeMs()) throw new SysError(ETIMEDOUT);
      tsleep(rs.futex, deadline);
    }
    if (bitset === 0) throw new SysError(EINVAL);
    const cur = fuword32(td.proc.vm, uaddr);
    if (cur !== (val | 0)) throw new SysError(EAGAIN);
    if (deadline <= this.k.uptimeMs()) throw new SysError(ETIMEDOUT);
    const q = this.queue(this.key(td, uaddr, priv), true)!;
    td.restart = { futex: q, bitset, woken: false } satisfies FutexWait;
    tsleep(q, deadline);
  }

  /** FUTEX_WAKE(_BITSET): wake up to n waiters whose bitset matches. */
  wake(td: Thread, uaddr: number, n: number, bitset: number, priv: boolean): number {
    if (bitset === 0) throw new SysError(EINVAL);
    const q = this.queue(this.key(td, uaddr, priv), false);
    if (!q) return 0;
    let woken = 0;
    for (const w of this.k.sched.sleepers(q)) {
      if (woken >= n) break;
      const rs = w.restart as FutexWait | null;
      if (!rs || (rs.bitset & bitset) === 0) continue;
      rs.woken = true;
      this.k.sched.unsleep(w);
      woken++;
    }
    this.gc(q);
    return woken;
  }

  /** FUTEX_(CMP_)REQUEUE: wake n1, move up to n2 more to uaddr2's queue. */
  requeue(td: Thread, uaddr: number, n1: number, n2: number, uaddr2: number, cmp: number | null, priv: boolean): number {
    if (cmp !== null && fuword32(td.proc.vm, uaddr) !== (cmp | 0)) throw new SysError(EAGAIN);
    const q = this.queue(this.key(td, uaddr, priv), false);
    if (!q) return 0;
    let done = this.wake(td, uaddr, n1, FUTEX_BITSET_MATCH_ANY, priv);
    const q2 = this.queue(this.key(td, uaddr2, priv), true)!;
    let moved = 0;
    for (const w of this.k.sched.sleepers(q)) {
      if (moved >= n2) break;
      const rs = w.restart as FutexWait | null;
      if (!rs) continue;
      rs.futex = q2;
      this.k.sched.moveSleep(w, q2);
      moved++;
    }
    this.gc(q);
    this.gc(q2);
    done += moved;
    return done;
  }

  /** FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2, oparg); wake n1 at uaddr, and n2 at uaddr2 if cmp holds. */
  wakeOp(td: Thread, uaddr: number, n1: number, n2: number, uaddr2: number, val3: number, priv: boolean): number {
    const vm = td.proc.vm;
    const op = (val3 >>> 28) & 7, shiftArg = (val3 >>> 31) & 1;
    const cmp = (val3 >>> 24) & 15;
    let oparg = (val3 << 8) >> 20;
    const cmparg = (val3 << 20) >> 20;
    if (shiftArg) oparg = 1 << (oparg & 31);
    const old = fuword32(vm, uaddr2);
    const nv = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op & 7];
    if (nv === undefined) throw new SysError(ENOSYS);
    suword32(vm, uaddr2, nv | 0);
    let n = this.wake(td, uaddr, n1, FUTEX_BITSET_MATCH_ANY, priv);
    const cmps = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg];
    if (cmps[cmp]) n += this.wake(td, uaddr2, n2, FUTEX_BITSET_MATCH_ANY, priv);
    return n;
  }
}

export const FUTEX_WAITERS = 0x8000_0000, FUTEX_OWNER_DIED = 0x4000_0000, FUTEX_TID_MASK = 0x3fff_ffff;
const ROBUST_LIST_LIMIT = 2048;

/**
 * A thread died: every robust mutex it still holds (glibc's robust list,
 * registered with set_robust_list) gets FUTEX_OWNER_DIED and one waiter is
 * woken, so the next locker sees EOWNERDEAD instead of hanging forever.
 */
export function exitRobustList(td: Thread): void {
  const head = td.robustList;
  if (head === 0) return;
  const vm = td.proc.vm;
  try {
    const futexOffset = Number(fuword64(vm, head + 8));
    const pending = fuptr(vm, head + 16) & ~1;
    let entry = fuptr(vm, head) & ~1;
    for (let n = 0; entry !== head && entry !== 0 && n < ROBUST_LIST_LIMIT; n++) {
      const next = fuptr(vm, entry) & ~1;
      if (entry !== pending) ownerDied(td, entry + futexOffset);
      entry = next;
    }
    if (pending !== 0) ownerDied(td, pending + futexOffset);
  } catch {
    /* A corrupt list is the program's problem; stop walking. */
  }
  td.robustList = 0;
}

function ownerDied(td: Thread, uaddr: number): void {
  const vm = td.proc.vm;
  const v = fuword32(vm, uaddr) >>> 0;
  if ((v & FUTEX_TID_MASK) !== td.tid) return;
  suword32(vm, uaddr, ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) | 0);
  if (v & FUTEX_WAITERS) td.k.futex.wake(td, uaddr, 1, FUTEX_BITSET_MATCH_ANY, false);
}

/** Absolute uptime deadline from futex's timeout argument. */
function futexDeadline(td: Thread, op: number, cmd: number, tsVa: number): number {
  if (tsVa === 0) return Infinity;
  const ms = timespecMs(copyin(td.proc.vm, tsVa, 16));
  const k = td.k;
  if (cmd === FUTEX_WAIT) return td.deadlineIn(ms);
  /* WAIT_BITSET: absolute, on CLOCK_REALTIME if asked, else CLOCK_MONOTONIC (= uptime here). */
  if (op & FUTEX_CLOCK_REALTIME) return k.uptimeMs() + (ms - k.platform.wallclockMs());
  return ms;
}

/** futex(uaddr, op, val, timeout|val2, uaddr2, val3) — syscall 98. */
export function sys_futex(td: Thread, a: SysArgs): number {
  const uaddr = a.ptr(0);
  const op = a.int(1);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const priv = (op & FUTEX_PRIVATE_FLAG) !== 0;
  const f = td.k.futex;
  if ((uaddr & 3) !== 0) throw new SysError(EINVAL);
  if ((op & FUTEX_CLOCK_REALTIME) && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT) throw new SysError(ENOSYS);
  switch (cmd) {
    case FUTEX_WAIT:
      return f.wait(td, uaddr, a.int(2), FUTEX_BITSET_MATCH_ANY, futexDeadline(td, op, cmd, a.ptr(3)), priv);
    case FUTEX_WAIT_BITSET:
      return f.wait(td, uaddr, a.int(2), a.uint(5), futexDeadline(td, op, cmd, a.ptr(3)), priv);
    case FUTEX_WAKE:
      return f.wake(td, uaddr, a.int(2) < 0 ? 0x7fff_ffff : a.int(2), FUTEX_BITSET_MATCH_ANY, priv);
    case FUTEX_WAKE_BITSET:
      return f.wake(td, uaddr, a.int(2) < 0 ? 0x7fff_ffff : a.int(2), a.uint(5), priv);
    case FUTEX_REQUEUE:
      return f.requeue(td, uaddr, a.int(2), a.int(3), a.ptr(4), null, priv);
    case FUTEX_CMP_REQUEUE:
      return f.requeue(td, uaddr, a.int(2), a.int(3), a.ptr(4), a.int(5), priv);
    case FUTEX_WAKE_OP:
      return f.wakeOp(td, uaddr, a.int(2), a.int(3), a.ptr(4), a.int(5), priv);
    default:
      throw new SysError(ENOSYS);
  }
}
