/*
 * Open file descriptions (struct file) and the per-process descriptor table
 * (struct filedesc). A File is shared by every descriptor dup'ed or inherited
 * from the one open(); it holds the offset and status flags. What a File is
 * backed by (vnode, pipe, tty, device) is its FileOps object.
 */
import { EBADF, EMFILE, ESPIPE, ENOTTY, SysError } from '../kern/errno.ts';
import type { IoCtx } from './ioctx.ts';
import { vrele, type Vattr, type Vnode } from './vnode.ts';

/* open(2) flags, asm-generic values. */
export const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100,
  O_EXCL = 0o200, O_NOCTTY = 0o400, O_TRUNC = 0o1000, O_APPEND = 0o2000, O_NONBLOCK = 0o4000,
  O_DSYNC = 0o10000, O_ASYNC = 0o20000, O_DIRECT = 0o40000, O_LARGEFILE = 0o100000,
  O_DIRECTORY = 0o200000, O_NOFOLLOW = 0o400000, O_NOATIME = 0o1000000, O_CLOEXEC = 0o2000000,
  O_SYNC = 0o4010000, O_PATH = 0o10000000, O_TMPFILE = 0o20200000;

/** Status flags F_SETFL may change. */
export const SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

/* poll(2) events. */
export const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
  POLLNVAL = 0x20, POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200,
  POLLRDHUP = 0x2000;

/* lseek whence. */
export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

/**
 * What an open file does. `off` null means "at the file offset, and advance it"
 * (read/write); a number is pread/pwrite's explicit offset (seekable files only).
 * Ops may throw SysError or SleepRequest (before consuming anything).
 */
export interface FileOps {
  read(fp: File, len: number, off: number | null, io: IoCtx): Uint8Array;
  write(fp: File, data: Uint8Array, off: number | null, io: IoCtx): number;
  /** arg is the raw third argument: an int or a user pointer (copy via io). */
  ioctl(fp: File, cmd: number, arg: number, io: IoCtx): number;
  /** Ready events among `events` (POLLIN, POLLOUT, ...) plus POLLERR/POLLHUP always. */
  poll(fp: File, events: number, io: IoCtx): number;
  stat(fp: File): Vattr;
  /** The last reference went away. */
  close(fp: File): void;
  /** lseek; absent → ESPIPE. */
  seek?(fp: File, off: number, whence: number): number;
}

export class File {
  /** Descriptors and other holders (dup, fork, SCM_RIGHTS in flight, /dev/fd opens). */
  refs = 1;
  offset = 0;
  /** How it was opened (for /proc/self/fd and /proc/self/maps): rel is relative to dir, or absolute. */
  origin: { dir: Vnode | null; rel: string } | null = null;

  constructor(
    readonly ops: FileOps,
    /** The vnode it was opened from (null for pipes made by pipe2, sockets). */
    readonly vnode: Vnode | null,
    /** Access mode and status flags (O_ACCMODE | O_APPEND | O_NONBLOCK ...). */
    public flags: number,
  ) {}

  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY && (this.flags & O_PATH) === 0;
  }
  get writable(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY && (this.flags & O_PATH) === 0;
  }
  get nonblock(): boolean {
    return (this.flags & O_NONBLOCK) !== 0;
  }

  hold(): File {
    this.refs++;
    return this;
  }

  /** Drop one reference; the last closes the backing object and releases the vnode. */
  drop(): void {
    if (--this.refs > 0) return;
    try {
      this.ops.close(this);
    } finally {
      if (this.vnode) vrele(this.vnode);
    }
  }
}

/** Defaults for FileOps members a backing object does not support. */
export const noIoctl = (): number => {
  throw new SysError(ENOTTY);
};
export const noSeek = (): number => {
  throw new SysError(ESPIPE);
};

export class FileTable {
  private files: Array<File | null> = [];
  private cloexec: boolean[] = [];

  /** The descriptor's File; EBADF if it is not open. */
  get(fd: number): File {
    const fp = fd >= 0 ? this.files[fd] : null;
    if (!fp) throw new SysError(EBADF);
    return fp;
  }

  getOrNull(fd: number): File | null {
    return (fd >= 0 && this.files[fd]) || null;
  }

  /** Highest open descriptor + 1 (for select, /proc/self/fd, closefrom). */
  get size(): number {
    let n = this.files.length;
    while (n > 0 && !this.files[n - 1]) n--;
    return n;
  }

  /** The lowest free descriptor ≥ minfd below limit (RLIMIT_NOFILE), or EMFILE. */
  lowestFree(minfd: number, limit: number): number {
    for (let fd = minfd; fd < limit; fd++) if (!this.files[fd]) return fd;
    throw new SysError(EMFILE);
  }

  /** Install fp (whose reference the table takes over) at the lowest free fd ≥ minfd. */
  alloc(fp: File, cloexec: boolean, limit: number, minfd = 0): number {
    const fd = this.lowestFree(minfd, limit);
    this.install(fd, fp, cloexec);
    return fd;
  }

  /** Put fp at fd, closing what was there (dup2/dup3). Takes over fp's reference. */
  install(fd: number, fp: File, cloexec: boolean): void {
    const old = this.files[fd];
    while (this.files.length <= fd) { this.files.push(null); this.cloexec.push(false); }
    this.files[fd] = fp;
    this.cloexec[fd] = cloexec;
    if (old) old.drop();
  }

  close(fd: number): void {
    const fp = this.get(fd);
    this.files[fd] = null;
    this.cloexec[fd] = false;
    fp.drop();
  }

  getCloexec(fd: number): boolean {
    this.get(fd);
    return this.cloexec[fd];
  }

  setCloexec(fd: number, on: boolean): void {
    this.get(fd);
    this.cloexec[fd] = on;
  }

  /** fork without CLONE_FILES: a new table sharing the same open files. */
  fork(): FileTable {
    const t = new FileTable();
    t.files = this.files.map((fp) => (fp ? fp.hold() : null));
    t.cloexec = this.cloexec.slice();
    return t;
  }

  /** execve: close the close-on-exec descriptors. */
  execClose(): void {
    for (let fd = 0; fd < this.files.length; fd++) {
      if (this.files[fd] && this.cloexec[fd]) this.close(fd);
    }
  }

  /** exit: close everything. */
  closeAll(): void {
    for (let fd = 0; fd < this.files.length; fd++) if (this.files[fd]) this.close(fd);
  }

  /** Open descriptors in order (for /proc/self/fd and ddb). */
  *entries(): IterableIterator<[number, File]> {
    for (let fd = 0; fd < this.files.length; fd++) {
      const fp = this.files[fd];
      if (fp) yield [fd, fp];
    }
  }
}
