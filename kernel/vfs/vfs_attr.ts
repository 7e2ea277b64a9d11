/*
 * Attribute system calls: the stat family (fstat, newfstatat, statx,
 * statfs, fstatfs), chmod/chown, utimensat, truncate, fallocate.
 */
import { EBADF, EINVAL, EISDIR, EOPNOTSUPP, EPERM, EROFS, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import type { File } from './file.ts';
import { VWRITE, groupmember, vaccessOk, vowner } from './vfs_cred.ts';
import { encodeStat, encodeStatfs, encodeStatx } from './vfs_stat.ts';
import { nanotime } from './vfs_time.ts';
import { AT_FDCWD, copyinPath } from './vfs_thread.ts';
import { S_ISGID, S_ISUID, VDIR, VREG, type Timespec, type Vattr, type VattrChange, type Vnode } from './vnode.ts';
import { lookupAt, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from './vfs_lookup.ts';

export const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;
export const FALLOC_FL_KEEP_SIZE = 1;

/** Attributes of (dirfd, path) honouring AT_EMPTY_PATH (which may name a pipe or tty). */
function statAt(td: Thread, dirfd: number, pathVa: number, flags: number): Vattr {
  const path = copyinPath(td, pathVa);
  if (path === '' && (flags & AT_EMPTY_PATH) !== 0 && dirfd !== AT_FDCWD) {
    const fp = td.proc.fd.get(dirfd);
    return fp.ops.stat(fp);
  }
  return lookupAt(td, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0).getattr();
}

function sysFstat(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  copyout(td.proc.vm, a.ptr(1), encodeStat(fp.ops.stat(fp)));
  return 0;
}

function sysNewfstatat(td: Thread, a: SysArgs): number {
  const flags = a.int(3);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800)) !== 0) throw new SysError(EINVAL);
  copyout(td.proc.vm, a.ptr(2), encodeStat(statAt(td, a.int(0), a.ptr(1), flags)));
  return 0;
}

function sysStatx(td: Thread, a: SysArgs): number {
  const flags = a.int(2);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000)) !== 0) throw new SysError(EINVAL);
  copyout(td.proc.vm, a.ptr(4), encodeStatx(statAt(td, a.int(0), a.ptr(1), flags)));
  return 0;
}

function sysStatfs(td: Thread, a: SysArgs): number {
  const vp = lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(0)), true);
  copyout(td.proc.vm, a.ptr(1), encodeStatfs(vp.mount.statfs(), vp.mount.fsid));
  return 0;
}

function sysFstatfs(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  if (!fp.vnode) {
    copyout(td.proc.vm, a.ptr(1), encodeStatfs({ type: 0x50495045, bsize: 4096, frsize: 4096, blocks: 0,
      bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255, flags: 0 }, 0));
    return 0;
  }
  const mp = fp.vnode.mount;
  copyout(td.proc.vm, a.ptr(1), encodeStatfs(mp.statfs(), mp.fsid));
  return 0;
}

/* ---------------- chmod / chown ---------------- */

function setattrChecked(vp: Vnode, ch: VattrChange): void {
  if (vp.mount.readonly) throw new SysError(EROFS);
  vp.setattr(ch);
}

function chmodVnode(td: Thread, vp: Vnode, mode: number): number {
  const cred = td.proc.cred;
  const va = vp.getattr();
  vowner(va, cred);
  mode &= 0o7777;
  /* Only members of the file's group may make it set-group-ID. */
  if (cred.euid !== 0 && va.type !== VDIR && !groupmember(va.gid, cred)) mode &= ~S_ISGID;
  setattrChecked(vp, { mode });
  return 0;
}

function chownVnode(td: Thread, vp: Vnode, uid: number, gid: number): number {
  const cred = td.proc.cred;
  const va = vp.getattr();
  const newUid = uid === -1 ? va.uid : uid >>> 0;
  const newGid = gid === -1 ? va.gid : gid >>> 0;
  if (cred.euid !== 0) {
    if (cred.euid !== va.uid || newUid !== va.uid) throw new SysError(EPERM);
    if (newGid !== va.gid && !groupmember(newGid, cred)) throw new SysError(EPERM);
  }
  const ch: VattrChange = { uid: newUid, gid: newGid };
  /* A change of owner drops set-ID bits of files (as Linux does for non-directories). */
  if (va.type !== VDIR && (va.mode & (S_ISUID | S_ISGID)) !== 0 && (uid !== -1 || gid !== -1)) {
    ch.mode = va.mode & ~(S_ISUID | ((va.mode & 0o010) !== 0 ? S_ISGID : 0));
  }
  setattrChecked(vp, ch);
  return 0;
}

function vnodeOfFd(td: Thread, fd: number): Vnode {
  const fp = td.proc.fd.get(fd);
  if (!fp.vnode) throw new SysError(EBADF);
  return fp.vnode;
}

function sysFchmodat(td: Thread, a: SysArgs, flags: number): number {
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError(EINVAL);
  if ((flags & AT_SYMLINK_NOFOLLOW) !== 0) throw new SysError(EOPNOTSUPP);
  const vp = lookupAt(td, a.int(0), copyinPath(td, a.ptr(1)), true, (flags & AT_EMPTY_PATH) !== 0);
  return chmodVnode(td, vp, a.uint(2));
}

function sysFchownat(td: Thread, a: SysArgs): number {
  const flags = a.int(4);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError(EINVAL);
  const vp = lookupAt(td, a.int(0), copyinPath(td, a.ptr(1)), (flags & AT_SYMLINK_NOFOLLOW) === 0,
    (flags & AT_EMPTY_PATH) !== 0);
  return chownVnode(td, vp, a.int(2), a.int(3));
}

/* ---------------- utimensat ---------------- */

function readTimes(td: Thread, va: number): [Timespec | 'now' | null, Timespec | 'now' | null] {
  if (va === 0) return ['now', 'now'];
  const b = copyin(td.proc.vm, va, 32);
  const dv = new DataView(b.buffer, b.byteOffset, 32);
  const one = (off: number): Timespec | 'now' | null => {
    const nsec = Number(dv.getBigInt64(off + 8, true));
    if (nsec === UTIME_NOW) return 'now';
    if (nsec === UTIME_OMIT) return null;
    if (nsec < 0 || nsec > 999_999_999) throw new SysError(EINVAL);
    return { sec: Number(dv.getBigInt64(off, true)), nsec };
  };
  return [one(0), one(16)];
}

function sysUtimensat(td: Thread, a: SysArgs): number {
  const flags = a.int(3);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError(EINVAL);
  const [at, mt] = readTimes(td, a.ptr(2));
  const pathVa = a.ptr(1);
  const vp = pathVa === 0
    ? vnodeOfFd(td, a.int(0))
    : lookupAt(td, a.int(0), copyinPath(td, pathVa), (flags & AT_SYMLINK_NOFOLLOW) === 0,
      (flags & AT_EMPTY_PATH) !== 0);
  if (at === null && mt === null) return 0;
  const cred = td.proc.cred;
  const va = vp.getattr();
  const explicit = (at !== null && at !== 'now') || (mt !== null && mt !== 'now');
  if (explicit) vowner(va, cred);
  else if (cred.euid !== 0 && cred.euid !== va.uid && !vaccessOk(va, cred, VWRITE)) {
    throw new SysError(13 /* EACCES */);
  }
  const now = nanotime();
  setattrChecked(vp, { atime: at === 'now' ? now : at ?? undefined, mtime: mt === 'now' ? now : mt ?? undefined });
  return 0;
}

/* ---------------- truncate / fallocate ---------------- */

function truncateVnode(vp: Vnode, len: number): number {
  if (len < 0) throw new SysError(EINVAL);
  if (vp.type === VDIR) throw new SysError(EISDIR);
  if (vp.type !== VREG) throw new SysError(EINVAL);
  setattrChecked(vp, { size: len });
  return 0;
}

function writableVnode(fp: File): Vnode {
  if (!fp.vnode || !fp.writable) throw new SysError(fp.vnode ? EINVAL : EINVAL);
  return fp.vnode;
}

function sysTruncate(td: Thread, a: SysArgs): number {
  if (a.i64(1) < 0) throw new SysError(EINVAL);
  const vp = lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(0)), true);
  if (vp.type === VDIR) throw new SysError(EISDIR);
  if (!vaccessOk(vp.getattr(), td.proc.cred, VWRITE)) throw new SysError(13 /* EACCES */);
  return truncateVnode(vp, a.i64(1));
}

function sysFtruncate(td: Thread, a: SysArgs): number {
  if (a.i64(1) < 0) throw new SysError(EINVAL);
  return truncateVnode(writableVnode(td.proc.fd.get(a.int(0))), a.i64(1));
}

function sysFallocate(td: Thread, a: SysArgs): number {
  const vp = writableVnode(td.proc.fd.get(a.int(0)));
  const mode = a.int(1), off = a.i64(2), len = a.i64(3);
  if (off < 0 || len <= 0) throw new SysError(EINVAL);
  if ((mode & ~FALLOC_FL_KEEP_SIZE) !== 0 || vp.type !== VREG) throw new SysError(EOPNOTSUPP);
  /* Memory file systems allocate on write; only the size visibly changes. */
  if ((mode & FALLOC_FL_KEEP_SIZE) === 0 && off + len > vp.size()) setattrChecked(vp, { size: off + len });
  return 0;
}

/* Extended attributes: none of our file systems has them (what Linux says for such a one). */
const noXattr: SyscallHandler = () => {
  throw new SysError(EOPNOTSUPP);
};

export const attrSyscalls: Record<number, SyscallHandler> = {
  5: noXattr, 6: noXattr, 7: noXattr, 8: noXattr, 9: noXattr, 10: noXattr,
  11: noXattr, 12: noXattr, 13: noXattr, 14: noXattr, 15: noXattr, 16: noXattr,
  80: sysFstat,
  79: sysNewfstatat,
  291: sysStatx,
  43: sysStatfs,
  44: sysFstatfs,
  52: (td, a) => chmodVnode(td, vnodeOfFd(td, a.int(0)), a.uint(1)),
  53: (td, a) => sysFchmodat(td, a, 0),
  452: (td, a) => sysFchmodat(td, a, a.int(3)),  // fchmodat2
  54: sysFchownat,
  55: (td, a) => chownVnode(td, vnodeOfFd(td, a.int(0)), a.int(1), a.int(2)),
  88: sysUtimensat,
  45: sysTruncate,
  46: sysFtruncate,
  47: sysFallocate,
};
