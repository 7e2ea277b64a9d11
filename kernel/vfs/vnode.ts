/*
 * Vnodes: the kernel's handle on a file in some mounted file system.
 *
 * BSD keeps a vnode plus a vop vector; here the vector is the class itself:
 * each file system subclasses Vnode and overrides the operations it has.
 * The defaults answer the way a file system without that operation would.
 *
 * Operations are synchronous and may throw SysError or SleepRequest (a disk
 * file system waits for its block store that way; the syscall then reruns).
 *
 * Names are "byte strings": one JS char per byte (0..255), exactly the bytes
 * user space passed, so odd encodings survive and lengths are byte lengths.
 */
import { EINVAL, EISDIR, ENOTDIR, EOPNOTSUPP, EPERM, EROFS, SysError } from '../kern/errno.ts';
import type { Mount } from './vfs_mount.ts';
import type { Cred } from './vfs_cred.ts';

/* Vnode types (enum vtype). */
export const VNON = 0, VREG = 1, VDIR = 2, VBLK = 3, VCHR = 4, VLNK = 5, VSOCK = 6, VFIFO = 7;

/* File type bits of st_mode (Linux values, identical to BSD's). */
export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000,
  S_IFBLK = 0o060000, S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFIFO = 0o010000;
export const S_ISUID = 0o4000, S_ISGID = 0o2000, S_ISVTX = 0o1000;

/* d_type values for getdents64. */
export const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
  DT_LNK = 10, DT_SOCK = 12;

const typeToIfmt = [0, S_IFREG, S_IFDIR, S_IFBLK, S_IFCHR, S_IFLNK, S_IFSOCK, S_IFIFO];
const typeToDt = [DT_UNKNOWN, DT_REG, DT_DIR, DT_BLK, DT_CHR, DT_LNK, DT_SOCK, DT_FIFO];

export function vtypeToIfmt(t: number): number {
  return typeToIfmt[t] ?? 0;
}
export function vtypeToDt(t: number): number {
  return typeToDt[t] ?? DT_UNKNOWN;
}
export function ifmtToVtype(mode: number): number {
  const i = typeToIfmt.indexOf(mode & S_IFMT);
  return i > 0 ? i : VNON;
}

export interface Timespec {
  sec: number;
  nsec: number;
}

/** struct vattr: what getattr reports (stat's source). */
export interface Vattr {
  type: number;
  mode: number;       // permission bits only (07777)
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  blocks: number;     // 512-byte units actually allocated
  blksize: number;
  ino: number;
  fsid: number;       // st_dev
  rdev: number;       // Linux encoded dev_t for VCHR/VBLK
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
}

/** What setattr may change; absent fields stay. Times: null = leave, 'now' = current time. */
export interface VattrChange {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Timespec;
  mtime?: Timespec;
}

/** One directory entry from readdir; cookie is the offset of the entry after it. */
export interface DirEntry {
  name: string;
  ino: number;
  type: number;       // VREG, VDIR...
  cookie: number;
}

export abstract class Vnode {
  /** v_mountedhere: a file system mounted on this directory. */
  mountedHere: Mount | null = null;
  /** Open files, mappings and other long-lived holders (vref/vrele). */
  usecount = 0;

  constructor(readonly mount: Mount, readonly type: number) {}

  abstract getattr(): Vattr;

  setattr(_ch: VattrChange): void {
    throw new SysError(this.mount.readonly ? EROFS : EPERM);
  }

  /** Find name ('..' included, never '.' or '') in this directory. */
  lookup(_name: string): Vnode {
    throw new SysError(ENOTDIR);
  }
  create(_name: string, _mode: number, _cred: Cred): Vnode {
    throw this.dirOpError();
  }
  mkdir(_name: string, _mode: number, _cred: Cred): Vnode {
    throw this.dirOpError();
  }
  /** Special files: VFIFO, VSOCK, VCHR, VBLK (and VREG for mknod S_IFREG). */
  mknod(_name: string, _type: number, _mode: number, _rdev: number, _cred: Cred): Vnode {
    throw this.dirOpError();
  }
  symlink(_name: string, _target: string, _cred: Cred): Vnode {
    throw this.dirOpError();
  }
  /** Add a hard link name → vp (vp is never a directory; same mount, checked by the caller). */
  link(_name: string, _vp: Vnode): void {
    throw this.dirOpError();
  }
  /** Unlink a non-directory. */
  remove(_name: string): void {
    throw this.dirOpError();
  }
  /** Remove an empty directory. */
  rmdir(_name: string): void {
    throw this.dirOpError();
  }
  /**
   * Move this directory's entry fromName to tdvp/toName, replacing what is there.
   * The caller has checked types, emptiness, permissions and the subdirectory rule.
   */
  rename(_fromName: string, _tdvp: Vnode, _toName: string): void {
    throw this.dirOpError();
  }
  readlink(): string {
    throw new SysError(EINVAL);
  }
  /** Entries from cookie on (0 = start), at most max of them. */
  readdir(_cookie: number, _max: number): DirEntry[] {
    throw new SysError(ENOTDIR);
  }
  /** Read up to len bytes at off; shorter at EOF. */
  read(_off: number, _len: number): Uint8Array {
    throw new SysError(this.type === VDIR ? EISDIR : EINVAL);
  }
  /** Write data at off (the caller resolved O_APPEND); returns bytes written. */
  write(_off: number, _data: Uint8Array): number {
    throw new SysError(this.mount.readonly ? EROFS : EINVAL);
  }
  fsync(): void {}
  /**
   * lseek SEEK_DATA/SEEK_HOLE: the next data (or hole) at or after off, which
   * is below the size. Default: the whole file is data, the only hole is EOF.
   */
  seekData(off: number, hole: boolean): number {
    return hole ? this.size() : off;
  }

  /*
   * The VM pager (vm/vm_object.ts, VnodePager): the frame holding page pgoff
   * of this file, zero-filled past EOF. The file system keeps its own frame
   * reference while it caches the page; the VM takes one per mapping.
   */
  getPage(_pgoff: number): number {
    throw new SysError(EOPNOTSUPP);
  }
  /** A MAP_SHARED mapping wrote page pgoff. */
  dirtyPage(_pgoff: number): void {}
  /** File size in bytes (the pager's view: pages wholly past it raise SIGBUS). */
  size(): number {
    return this.getattr().size;
  }
  /** The VM holds the file from mmap to the last unmap (VnodePager.ref/unref). */
  ref(): void {
    vref(this);
  }
  unref(): void {
    vrele(this);
  }

  /** Last holder gone (usecount 0): a file system may free an unlinked file's data. */
  inactive(): void {}

  private dirOpError(): SysError {
    if (this.type !== VDIR) return new SysError(ENOTDIR);
    return new SysError(this.mount.readonly ? EROFS : EPERM);
  }
}

/** Take a long-lived reference (open file, mapping, cwd). */
export function vref(vp: Vnode): Vnode {
  vp.usecount++;
  return vp;
}

/** Drop one; the last lets the file system reclaim an unlinked file. */
export function vrele(vp: Vnode): void {
  if (--vp.usecount === 0) vp.inactive();
  if (vp.usecount < 0) vp.usecount = 0;
}

/** The vnode that is really there: follow mounts stacked on vp. */
export function vcrossdown(vp: Vnode): Vnode {
  while (vp.mountedHere) vp = vp.mountedHere.root();
  return vp;
}
