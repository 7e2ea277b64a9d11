/*
 * eventfd2: a 64-bit counter as a file. read takes the count (or 1 with
 * EFD_SEMAPHORE) and blocks at zero; write adds and blocks at overflow.
 */
import { EAGAIN, EINVAL, ESPIPE, SysError } from '../kern/errno.ts';
import { tsleep, wakeup } from '../kern/sleep.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { File, noIoctl, O_CLOEXEC, O_NONBLOCK, O_RDWR, POLLIN, POLLOUT, type FileOps } from './file.ts';
import { selwakeup } from './selinfo.ts';
import { nanotime } from './vfs_time.ts';
import { VREG, type Vattr } from './vnode.ts';
import { ioctxOf } from './vfs_thread.ts';

export const EFD_SEMAPHORE = 1;
const MAX = (1n << 64n) - 2n;
let nextIno = 1;

export class EventFd implements FileOps {
  count: bigint;
  private readonly ino = nextIno++;
  private readonly ctime = nanotime();

  constructor(init: number, readonly semaphore: boolean) {
    this.count = BigInt(init);
  }

  private changed(): void {
    wakeup(this);
    selwakeup();
  }

  read(fp: File, len: number, off: number | null): Uint8Array {
    if (off !== null) throw new SysError(ESPIPE);
    if (len < 8) throw new SysError(EINVAL);
    if (this.count === 0n) {
      if (fp.nonblock) throw new SysError(EAGAIN);
      return tsleep(this);
    }
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    this.changed();
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return b;
  }

  write(fp: File, data: Uint8Array, off: number | null): number {
    if (off !== null) throw new SysError(ESPIPE);
    if (data.length < 8) throw new SysError(EINVAL);
    const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (v > MAX) throw new SysError(EINVAL);
    if (this.count + v > MAX) {
      if (fp.nonblock) throw new SysError(EAGAIN);
      return tsleep(this);
    }
    this.count += v;
    this.changed();
    return 8;
  }

  ioctl = noIoctl;

  poll(_fp: File, events: number): number {
    return ((this.count > 0n ? POLLIN : 0) | (this.count < MAX ? POLLOUT : 0)) & events;
  }

  stat(): Vattr {
    const t = this.ctime;
    return {
      type: VREG, mode: 0o600, nlink: 1, uid: 0, gid: 0, size: 0, blocks: 0, blksize: 4096,
      ino: this.ino, fsid: 0xe, rdev: 0, atime: t, mtime: t, ctime: t, btime: t,
    };
  }

  close(): void {}
}

function sysEventfd2(td: Thread, a: SysArgs): number {
  const init = a.uint(0), flags = a.int(1);
  if ((flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK)) !== 0) throw new SysError(EINVAL);
  const fp = new File(new EventFd(init, (flags & EFD_SEMAPHORE) !== 0), null, O_RDWR | (flags & O_NONBLOCK));
  return td.proc.fd.alloc(fp, (flags & O_CLOEXEC) !== 0, ioctxOf(td).nofile);
}

export const eventfdSyscalls: Record<number, SyscallHandler> = {
  19: sysEventfd2,
};
