/*
 * epoll: epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2. An epoll
 * instance is a File holding an interest list of (fd, File) items; waiting
 * asks each item's File for readiness (FileOps.poll), so it works for any
 * pollable file: pipes, ttys, eventfds, sockets, other epolls.
 *
 * Level-triggered items are reported while ready. Edge-triggered ones are
 * reported once per edge: the instance watches every selwakeup (selinfo.ts
 * selHooks) and marks an item pending when its file shows events it did not
 * show the last time it looked, or (files that count wakeups: EdgeCounter)
 * was woken again on a side that is ready. EPOLLONESHOT
 * disables an item after one report until EPOLL_CTL_MOD. Waiting sleeps on
 * the select channel like ppoll (sys_poll.ts), and reruns when woken.
 */
import { EEXIST, EINVAL, ELOOP, ENOENT, EPERM, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import { CANTMASK } from '../kern/signal.ts';
import { tsleep } from '../kern/sleep.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { File, noIoctl, O_CLOEXEC, O_RDWR, POLLIN, POLLRDNORM, type FileOps } from './file.ts';
import type { IoCtx } from './ioctx.ts';
import { selChan, selHooks } from './selinfo.ts';
import { nanotime } from './vfs_time.ts';
import { ioctxOf } from './vfs_thread.ts';
import { VDIR, VNON, VREG, type Vattr } from './vnode.ts';

export const EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
  EPOLLRDNORM = 0x40, EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200,
  EPOLLMSG = 0x400, EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29,
  EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
export const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
export const EPOLL_CLOEXEC = O_CLOEXEC;

/* struct epoll_event is not packed on riscv64: u32 events, 4 bytes pad, u64 data. */
const EVENT_SIZE = 16;
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EVENT_SIZE);
/* Linux's EP_MAX_NESTS: how deep epolls may watch epolls. */
const EP_MAX_NESTS = 4;
const EVENT_BITS = EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDNORM | EPOLLRDBAND
  | EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP;

let nextIno = 1;

/**
 * Files that count their wakeups (sockets) implement this: each new wakeup
 * of a side that is ready is another edge, as Linux reports one per
 * sk_data_ready / sk_write_space. Files without it get edges on transitions.
 */
export interface EdgeCounter {
  pollGen(): { r: number; w: number };
}

function edgeCounter(ops: FileOps): EdgeCounter | null {
  return 'pollGen' in ops && typeof ops.pollGen === 'function' ? (ops as FileOps & EdgeCounter) : null;
}

const IN_BITS = EPOLLIN | EPOLLRDNORM | EPOLLRDBAND | EPOLLPRI | EPOLLRDHUP;
const OUT_BITS = EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;

class EpItem {
  /** Events seen the last time the file was looked at (edge detection). */
  last = 0;
  /** The file's wakeup counts at that time (EdgeCounter files). */
  private gen: { r: number; w: number } = { r: 0, w: 0 };
  /** Edge-triggered: a transition to ready not yet reported. */
  pending = false;
  /** EPOLLONESHOT fired: nothing more until EPOLL_CTL_MOD. */
  disabled = false;

  constructor(readonly fd: number, readonly fp: File, public events: number, public data: bigint,
    readonly io: IoCtx) {}

  /** What the file is ready for now, of what this item watches (ERR and HUP always). */
  ready(): number {
    if (this.disabled) return 0;
    return this.fp.ops.poll(this.fp, this.events & EVENT_BITS, this.io) & (this.events | EPOLLERR | EPOLLHUP);
  }

  get et(): boolean {
    return (this.events & EPOLLET) !== 0;
  }

  /** Edge detection: new events, or new wakeups of a ready side, make the item pending. */
  look(): number {
    const r = this.ready();
    if (r & ~this.last) this.pending = true;
    const ec = edgeCounter(this.fp.ops);
    if (ec) {
      const g = ec.pollGen();
      if ((g.r !== this.gen.r && r & IN_BITS) || (g.w !== this.gen.w && r & OUT_BITS)) this.pending = true;
      this.gen = { r: g.r, w: g.w };
    }
    this.last = r;
    return r;
  }
}

export class Epoll implements FileOps {
  readonly items = new Map<string, EpItem>();
  private readonly ino = nextIno++;
  private readonly ctime = nanotime();
  private readonly hook = (): void => this.scanEdges();
  private scanning = false;

  static key(fd: number, fp: File): string {
    return `${fd}:${fileId(fp)}`;
  }

  /** Drop items whose File is gone (closed everywhere). */
  private reap(): void {
    for (const [k, it] of this.items) if (it.fp.refs <= 0) this.items.delete(k);
    this.updateHook();
  }

  private updateHook(): void {
    if ([...this.items.values()].some((it) => it.et)) selHooks.add(this.hook);
    else selHooks.delete(this.hook);
  }

  private scanEdges(): void {
    if (this.scanning) return;
    this.scanning = true;
    try {
      for (const it of this.items.values()) if (it.et && it.fp.refs > 0) it.look();
    } finally {
      this.scanning = false;
    }
  }

  add(it: EpItem, key: string): void {
    this.items.set(key, it);
    it.look();
    it.pending = it.last !== 0;
    this.updateHook();
  }

  remove(key: string): void {
    this.items.delete(key);
    this.updateHook();
  }

  /** Collect up to max ready items; consume edges and one-shots unless peeking. */
  harvest(max: number, peek: boolean, depth = 0): Array<{ events: number; data: bigint }> {
    if (depth > EP_MAX_NESTS) return [];
    this.reap();
    const out: Array<{ events: number; data: bigint }> = [];
    for (const it of this.items.values()) {
      if (out.length >= max) break;
      const r = it.et ? it.look() : it.ready();
      if (r === 0 || (it.et && !it.pending)) continue;
      out.push({ events: r, data: it.data });
      if (peek) continue;
      if (it.et) it.pending = false;
      if (it.events & EPOLLONESHOT) it.disabled = true;
    }
    return out;
  }

  read(): Uint8Array {
    throw new SysError(EINVAL);
  }
  write(): number {
    throw new SysError(EINVAL);
  }
  ioctl = noIoctl;

  poll(_fp: File, events: number): number {
    pollDepth++;
    try {
      if (pollDepth > EP_MAX_NESTS) return 0;
      return this.harvest(1, true, pollDepth).length > 0 ? (POLLIN | POLLRDNORM) & events : 0;
    } finally {
      pollDepth--;
    }
  }

  stat(): Vattr {
    const t = this.ctime;
    return {
      type: VNON, mode: 0o600, nlink: 1, uid: 0, gid: 0, size: 0, blocks: 0, blksize: 4096,
      ino: this.ino, fsid: 0xe, rdev: 0, atime: t, mtime: t, ctime: t, btime: t,
    };
  }

  close(): void {
    this.items.clear();
    selHooks.delete(this.hook);
  }
}

let pollDepth = 0;

/* A stable identity per File for item keys (Linux keys items by (file, fd)). */
const fileIds = new WeakMap<File, number>();
let nextFileId = 1;
function fileId(fp: File): number {
  let id = fileIds.get(fp);
  if (id === undefined) {
    id = nextFileId++;
    fileIds.set(fp, id);
  }
  return id;
}

function getEpoll(td: Thread, epfd: number): Epoll {
  const fp = td.proc.fd.get(epfd);
  if (!(fp.ops instanceof Epoll)) throw new SysError(EINVAL);
  return fp.ops;
}

/* ---------------- syscalls ---------------- */

function sysEpollCreate1(td: Thread, a: SysArgs): number {
  const flags = a.int(0);
  if ((flags & ~EPOLL_CLOEXEC) !== 0) throw new SysError(EINVAL);
  const fp = new File(new Epoll(), null, O_RDWR);
  return td.proc.fd.alloc(fp, (flags & EPOLL_CLOEXEC) !== 0, ioctxOf(td).nofile);
}

/** Would watching target from ep close a loop (or nest too deep)? */
function loops(ep: Epoll, target: Epoll, depth = 0): boolean {
  if (target === ep || depth >= EP_MAX_NESTS) return true;
  for (const it of target.items.values()) {
    if (it.fp.ops instanceof Epoll && loops(ep, it.fp.ops, depth + 1)) return true;
  }
  return false;
}

function readEvent(td: Thread, va: number): { events: number; data: bigint } {
  const b = copyin(td.proc.vm, va, EVENT_SIZE);
  const dv = new DataView(b.buffer, b.byteOffset, EVENT_SIZE);
  return { events: dv.getUint32(0, true) | 0, data: dv.getBigUint64(8, true) };
}

function sysEpollCtl(td: Thread, a: SysArgs): number {
  const epfd = a.int(0), op = a.int(1), fd = a.int(2);
  const epfp = td.proc.fd.get(epfd);
  const fp = td.proc.fd.get(fd);
  const ev = op === EPOLL_CTL_DEL ? null : readEvent(td, a.ptr(3));
  if (!(epfp.ops instanceof Epoll) || epfp === fp) throw new SysError(EINVAL);
  const ep = epfp.ops;
  if (fp.vnode && (fp.vnode.type === VREG || fp.vnode.type === VDIR)) throw new SysError(EPERM);
  const key = Epoll.key(fd, fp);
  const cur = ep.items.get(key);
  if (ev && ev.events & EPOLLEXCLUSIVE) {
    if (op === EPOLL_CTL_MOD || fp.ops instanceof Epoll) throw new SysError(EINVAL);
    if (ev.events & EPOLLONESHOT) throw new SysError(EINVAL);
  }
  switch (op) {
    case EPOLL_CTL_ADD:
      if (cur) throw new SysError(EEXIST);
      if (fp.ops instanceof Epoll && loops(ep, fp.ops)) throw new SysError(ELOOP);
      ep.add(new EpItem(fd, fp, ev!.events, ev!.data, ioctxOf(td)), key);
      return 0;
    case EPOLL_CTL_MOD:
      if (!cur) throw new SysError(ENOENT);
      if (cur.events & EPOLLEXCLUSIVE) throw new SysError(EINVAL);
      ep.remove(key);
      ep.add(new EpItem(fd, fp, ev!.events, ev!.data, ioctxOf(td)), key);
      return 0;
    case EPOLL_CTL_DEL:
      if (!cur) throw new SysError(ENOENT);
      ep.remove(key);
      return 0;
    default:
      throw new SysError(EINVAL);
  }
}

/** The call's temporary signal mask, as ppoll installs it (the dispatcher restores it). */
function installMask(td: Thread, va: number, size: number): void {
  if (va === 0) return;
  if (size !== 8) throw new SysError(EINVAL);
  const b = copyin(td.proc.vm, va, 8);
  const mask = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & ~CANTMASK;
  if (td.savedMask === null) td.savedMask = td.sigmask;
  td.sigmask = mask;
}

function epollWait(td: Thread, epfd: number, va: number, max: number, ms: number): number {
  if (max <= 0 || max > EP_MAX_EVENTS) throw new SysError(EINVAL);
  const ep = getEpoll(td, epfd);
  const deadline = ms === Infinity ? Infinity : td.deadlineIn(ms);
  const got = ep.harvest(max, false);
  if (got.length === 0) {
    if (ms === 0 || deadline <= td.k.uptimeMs()) return 0;
    td.noRestart = true;
    return tsleep(selChan, deadline);
  }
  const b = new Uint8Array(got.length * EVENT_SIZE);
  const dv = new DataView(b.buffer);
  got.forEach((e, i) => {
    dv.setUint32(i * EVENT_SIZE, e.events >>> 0, true);
    dv.setBigUint64(i * EVENT_SIZE + 8, e.data, true);
  });
  copyout(td.proc.vm, va, b);
  return got.length;
}

function sysEpollPwait(td: Thread, a: SysArgs): number {
  const timeout = a.int(3);
  installMask(td, a.ptr(4), a.u64(5));
  return epollWait(td, a.int(0), a.ptr(1), a.int(2), timeout < 0 ? Infinity : timeout);
}

function sysEpollPwait2(td: Thread, a: SysArgs): number {
  let ms = Infinity;
  const tva = a.ptr(3);
  if (tva !== 0) {
    const b = copyin(td.proc.vm, tva, 16);
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const sec = Number(dv.getBigInt64(0, true)), nsec = Number(dv.getBigInt64(8, true));
    if (sec < 0 || nsec < 0 || nsec > 999_999_999) throw new SysError(EINVAL);
    ms = sec * 1000 + nsec / 1e6;
  }
  installMask(td, a.ptr(4), a.u64(5));
  return epollWait(td, a.int(0), a.ptr(1), a.int(2), ms);
}

export const epollSyscalls: Record<number, SyscallHandler> = {
  20: sysEpollCreate1,
  21: sysEpollCtl,
  22: sysEpollPwait,
  441: sysEpollPwait2,
};
