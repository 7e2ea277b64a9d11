/*
 * Files opened from vnodes: vn_open (the access and type checks of open(2))
 * and the FileOps of a regular file or directory.
 */
import {
  EINVAL, EISDIR, ELOOP, ENOTDIR, ENXIO, EROFS, ENOTTY, ESPIPE, EOVERFLOW, SysError,
} from '../kern/errno.ts';
import { cdevLookup } from '../dev/cdev.ts';
import { fifoOpen } from './vfs_fifo.ts';
import {
  File, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_NOCTTY,
  O_PATH, O_RDONLY, O_TRUNC, O_WRONLY, O_RDWR, POLLIN,
  POLLOUT, POLLRDNORM, POLLWRNORM, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET,
  type FileOps,
} from './file.ts';
import type { IoCtx } from './ioctx.ts';
import { VREAD, VWRITE, vaccess, type Cred } from './vfs_cred.ts';
import { VCHR, VBLK, VDIR, VFIFO, VLNK, VREG, VSOCK, vref, type Vnode } from './vnode.ts';

/* ioctl numbers the file layer answers itself. */
export const FIONREAD = 0x541b;

/* open(2)-only flags that do not live on in the file (F_GETFL never shows them). */
const OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

/**
 * A new File over vp, taking a vnode reference for it. Files opened by name
 * carry O_LARGEFILE, as on every 64-bit Linux.
 */
export function falloc(ops: FileOps, vp: Vnode | null, flags: number): File {
  if (vp) vref(vp);
  return new File(ops, vp, (flags & ~OPEN_ONLY) | (vp ? O_LARGEFILE : 0));
}

function vnodeOf(fp: File): Vnode {
  const vp = fp.vnode;
  if (!vp) throw new SysError(EINVAL);
  return vp;
}

export const vnFileOps: FileOps = {
  read(fp, len, off) {
    const vp = vnodeOf(fp);
    if (vp.type === VDIR) throw new SysError(EISDIR);
    const pos = off ?? fp.offset;
    const data = vp.read(pos, len);
    if (off === null) fp.offset = pos + data.length;
    return data;
  },
  write(fp, data, off) {
    const vp = vnodeOf(fp);
    const pos = (fp.flags & O_APPEND) !== 0 ? vp.size() : off ?? fp.offset;
    const n = vp.write(pos, data);
    if (off === null) fp.offset = pos + n;
    return n;
  },
  ioctl(fp, cmd, arg, io) {
    const vp = vnodeOf(fp);
    if (cmd !== FIONREAD || vp.type !== VREG) throw new SysError(ENOTTY);
    const n = Math.max(0, Math.min(0x7fffffff, vp.size() - fp.offset));
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    io.copyout(arg, b);
    return 0;
  },
  poll(_fp, events) {
    return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
  },
  stat(fp) {
    return vnodeOf(fp).getattr();
  },
  close() {},
  seek(fp, off, whence) {
    const vp = vnodeOf(fp);
    const pos = seekTarget(fp, vp, off, whence);
    if (pos < 0) throw new SysError(EINVAL);
    if (pos > Number.MAX_SAFE_INTEGER) throw new SysError(EOVERFLOW);
    fp.offset = pos;
    return pos;
  },
};

function seekTarget(fp: File, vp: Vnode, off: number, whence: number): number {
  switch (whence) {
    case SEEK_SET: return off;
    case SEEK_CUR: return fp.offset + off;
    case SEEK_END: return vp.size() + off;
    case SEEK_DATA:
    case SEEK_HOLE: {
      if (off < 0 || off >= vp.size()) throw new SysError(ENXIO);
      return vp.seekData(off, whence === SEEK_HOLE);
    }
    default: throw new SysError(EINVAL);
  }
}

/** O_PATH descriptors: good for fstat, fchdir, *at() and nothing else. */
export const pathFileOps: FileOps = {
  read() { throw new SysError(9 /* EBADF */); },
  write() { throw new SysError(9 /* EBADF */); },
  ioctl() { throw new SysError(9 /* EBADF */); },
  poll() { return 0x20; /* POLLNVAL */ },
  stat(fp) { return vnodeOf(fp).getattr(); },
  close() {},
  seek() { throw new SysError(ESPIPE); },
};

/**
 * open(2) on a looked-up vnode: type and permission checks, O_TRUNC, then the
 * File (devices and FIFOs make their own).
 */
export function vnOpen(vp: Vnode, flags: number, cred: Cred, io: IoCtx): File {
  if ((flags & O_PATH) !== 0) {
    if ((flags & O_DIRECTORY) !== 0 && vp.type !== VDIR) throw new SysError(ENOTDIR);
    return falloc(pathFileOps, vp, flags & (O_PATH | O_DIRECTORY));
  }
  const acc = flags & O_ACCMODE;
  if ((flags & O_DIRECTORY) !== 0 && vp.type !== VDIR) throw new SysError(ENOTDIR);
  if (vp.type === VLNK) throw new SysError(ELOOP);
  if (vp.type === VSOCK) throw new SysError(ENXIO);
  const wantWrite = acc === O_WRONLY || acc === O_RDWR || (flags & O_TRUNC) !== 0;
  if (vp.type === VDIR && (acc !== O_RDONLY || (flags & O_TRUNC) !== 0)) throw new SysError(EISDIR);
  if (acc === 3) throw new SysError(EINVAL);
  /* A read-only file system answers EROFS before any permission check, as on Linux. */
  if (wantWrite && vp.mount.readonly && (vp.type === VREG || vp.type === VDIR)) {
    throw new SysError(EROFS);
  }
  const va = vp.getattr();
  vaccess(va, cred, (acc !== O_WRONLY ? VREAD : 0) | (wantWrite ? VWRITE : 0));
  if (vp.type === VCHR || vp.type === VBLK) {
    const dev = cdevLookup(va.rdev);
    if (!dev) throw new SysError(ENXIO);
    return dev.open(vp, flags, io);
  }
  if (vp.type === VFIFO) return fifoOpen(vp, flags, io);
  if ((flags & O_TRUNC) !== 0 && vp.type === VREG && va.size !== 0) vp.setattr({ size: 0 });
  return falloc(vnFileOps, vp, flags);
}

