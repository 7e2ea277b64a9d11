/*
 * Pipes (and the buffer behind FIFOs): a 64 KiB byte queue with POSIX
 * semantics. Writes of at most PIPE_BUF bytes are atomic; larger blocking
 * writes go in pieces and sleep in between, keeping their progress in the
 * thread (io.restart) because a woken syscall reruns from the start.
 * Writing with no reader left raises SIGPIPE and fails with EPIPE; reading
 * with no writer left returns EOF once the buffer is drained.
 */
import { EAGAIN, EPIPE, ENOTTY, ESPIPE, SysError } from './errno.ts';
import { tsleep, wakeup } from './sleep.ts';
import { SIGPIPE } from './signal.ts';
import { ByteQueue } from '../vfs/bytequeue.ts';
import {
  File, O_RDONLY, O_WRONLY, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM,
  type FileOps,
} from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { selwakeup } from '../vfs/selinfo.ts';
import { nanotime } from '../vfs/vfs_time.ts';
import { VFIFO, type Timespec, type Vattr } from '../vfs/vnode.ts';
import type { Cred } from '../vfs/vfs_cred.ts';

export const PIPE_BUF = 4096;
export const PIPE_SIZE = 65536;
export const FIONREAD = 0x541b;
/* st_dev of pipes made by pipe2 (Linux's pipefs is an anonymous device too). */
const PIPEFS_DEV = 0xc;

let nextPipeIno = 1;

/** Progress of a blocking write larger than PIPE_BUF across reruns. */
class PipeWriteProgress {
  constructor(readonly pipe: Pipe, readonly done: number) {}
}

export class Pipe {
  readonly buf = new ByteQueue(PIPE_SIZE);
  readers = 0;
  writers = 0;
  /** Writes so far: each is a new edge for edge-triggered epoll (Linux wakes readers per write). */
  wgen = 0;
  readonly ino = nextPipeIno++;
  readonly uid: number;
  readonly gid: number;
  readonly ctime: Timespec = nanotime();
  atime: Timespec = this.ctime;
  mtime: Timespec = this.ctime;

  constructor(cred: Cred) {
    this.uid = cred.euid;
    this.gid = cred.egid;
  }

  /** Wake sleepers in read, write and poll. */
  notify(): void {
    wakeup(this);
    selwakeup();
  }

  read(len: number, nonblock: boolean): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    if (this.buf.length > 0) {
      const data = this.buf.shift(len);
      this.atime = nanotime();
      this.notify();
      return data;
    }
    if (this.writers === 0) return new Uint8Array(0);
    if (nonblock) throw new SysError(EAGAIN);
    return tsleep(this);
  }

  write(data: Uint8Array, nonblock: boolean, io: IoCtx): number {
    if (data.length === 0) return 0;
    const prev = io.restart instanceof PipeWriteProgress && io.restart.pipe === this ? io.restart.done : 0;
    if (this.readers === 0) {
      io.restart = null;
      if (prev > 0) return prev;
      io.signal(SIGPIPE);
      throw new SysError(EPIPE);
    }
    const rest = data.subarray(prev);
    const n = this.put(rest);
    const done = prev + n;
    if (n > 0) {
      this.mtime = nanotime();
      this.wgen++;
      this.notify();
    }
    if (done === data.length) return done;
    if (nonblock) {
      if (done === 0) throw new SysError(EAGAIN);
      return done;
    }
    io.restart = done > 0 ? new PipeWriteProgress(this, done) : io.restart;
    return tsleep(this);
  }

  /** Store what may go now: all or nothing up to PIPE_BUF, any amount beyond. */
  private put(data: Uint8Array): number {
    if (data.length <= PIPE_BUF && this.buf.space < data.length) return 0;
    return this.buf.push(data);
  }

  pollRead(): number {
    let r = 0;
    if (this.buf.length > 0) r |= POLLIN | POLLRDNORM;
    if (this.writers === 0) r |= POLLHUP;
    return r;
  }

  pollWrite(): number {
    if (this.readers === 0) return POLLERR | POLLOUT | POLLWRNORM;
    return this.buf.space >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
  }

  stat(fsid: number): Vattr {
    return {
      type: VFIFO, mode: 0o600, nlink: 1, uid: this.uid, gid: this.gid, size: 0, blocks: 0,
      blksize: 4096, ino: this.ino, fsid, rdev: 0,
      atime: this.atime, mtime: this.mtime, ctime: this.ctime, btime: this.ctime,
    };
  }

  closeEnd(writer: boolean): void {
    if (writer) this.writers--;
    else this.readers--;
    this.notify();
  }
}

/** One end of a pipe as a File's ops. */
export class PipeEnd implements FileOps {
  constructor(readonly pipe: Pipe, readonly writer: boolean) {}

  read(fp: File, len: number, off: number | null): Uint8Array {
    if (off !== null) throw new SysError(ESPIPE);
    return this.pipe.read(len, fp.nonblock);
  }

  write(fp: File, data: Uint8Array, off: number | null, io: IoCtx): number {
    if (off !== null) throw new SysError(ESPIPE);
    return this.pipe.write(data, fp.nonblock, io);
  }

  ioctl(_fp: File, cmd: number, arg: number, io: IoCtx): number {
    if (cmd !== FIONREAD) throw new SysError(ENOTTY);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, this.pipe.buf.length, true);
    io.copyout(arg, b);
    return 0;
  }

  /** Wakeup counts for edge-triggered epoll (vfs/sys_epoll.ts EdgeCounter). */
  pollGen(): { r: number; w: number } {
    return { r: this.pipe.wgen, w: 0 };
  }

  poll(fp: File, events: number): number {
    const r = (fp.readable ? this.pipe.pollRead() : 0) | (fp.writable ? this.pipe.pollWrite() : 0);
    return r & (events | POLLERR | POLLHUP);
  }

  stat(fp: File): Vattr {
    return fp.vnode ? fp.vnode.getattr() : this.pipe.stat(PIPEFS_DEV);
  }

  close(fp: File): void {
    if (fp.readable) this.pipe.closeEnd(false);
    if (fp.writable) this.pipe.closeEnd(true);
  }
}

/** pipe2: a fresh pipe's read and write Files. */
export function makePipe(cred: Cred, extraFlags: number): [File, File] {
  const p = new Pipe(cred);
  p.readers = 1;
  p.writers = 1;
  return [
    new File(new PipeEnd(p, false), null, O_RDONLY | extraFlags),
    new File(new PipeEnd(p, true), null, O_WRONLY | extraFlags),
  ];
}
