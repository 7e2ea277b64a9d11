/*
 * Path-name system calls (BSD's vfs_syscalls.c) and the file layer's
 * syscall table. Permission rules are Linux's: search on every directory,
 * write+search on a directory to change its entries, the sticky bit, owner
 * or root for chmod/chown/utimes.
 */
import {
  EBUSY, EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EOPNOTSUPP, EPERM, ERANGE, EROFS,
  EXDEV, SysError,
} from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyout } from '../vm/copyio.ts';
import { mmapHooks } from '../vm/vm_mmap.ts';
import { bstrToBytes } from './bstr.ts';
import { O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_PATH, O_TMPFILE, O_TRUNC, type File } from './file.ts';
import type { NameiParent } from './namei.ts';
import { VEXEC, VWRITE, vaccess, stickyOk, realCred, type Cred } from './vfs_cred.ts';
import { descripSyscalls } from './vfs_descrip.ts';
import { genericSyscalls } from './sys_generic.ts';
import { pollSyscalls } from './sys_poll.ts';
import { dirSyscalls } from './vfs_dirent.ts';
import { attrSyscalls } from './vfs_attr.ts';
import { mountSyscalls } from './vfs_mountsys.ts';
import { eventfdSyscalls } from './sys_eventfd.ts';
import { vnodePath } from './vfs_getcwd.ts';
import { fileName, filePath } from './vfs_filename.ts';
import { AT_FDCWD, copyinPath, ioctxOf, startDir } from './vfs_thread.ts';
import {
  AT_EMPTY_PATH, AT_REMOVEDIR, AT_EACCESS, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, RENAME_NOREPLACE,
  lookupAt, parentAt,
} from './vfs_lookup.ts';
import { vnOpen } from './vfs_vnops.ts';
import { ifmtToVtype, VBLK, VCHR, VDIR, VLNK, VNON, VREG, vref, vrele, type Vnode } from './vnode.ts';
import { getSystemMounts } from './vfs_mount.ts';

/** May cred add or remove names in dvp? */
function checkDirWrite(dvp: Vnode, cred: Cred): void {
  if (dvp.mount.readonly) throw new SysError(EROFS);
  vaccess(dvp.getattr(), cred, VWRITE | VEXEC);
}

function checkSticky(dvp: Vnode, vp: Vnode, cred: Cred): void {
  if (!stickyOk(dvp.getattr(), vp.getattr(), cred)) throw new SysError(EPERM);
}

function dirHasEntries(vp: Vnode): boolean {
  return vp.readdir(0, 3).some((e) => e.name !== '.' && e.name !== '..');
}

/** vp is the root of a mounted file system (a mount point seen from above). */
function isMountRoot(vp: Vnode): boolean {
  return vp === vp.mount.root() && vp.mount.coveredVnode !== null;
}

/* ---------------- open ---------------- */

function sysOpenat(td: Thread, a: SysArgs): number {
  const dirfd = a.int(0), flags = a.int(2), mode = a.uint(3);
  const path = copyinPath(td, a.ptr(1));
  const p = td.proc;
  const io = ioctxOf(td);
  if ((flags & O_TMPFILE) === O_TMPFILE) throw new SysError(EOPNOTSUPP);
  p.fd.lowestFree(0, io.nofile);
  const fp = openFile(td, dirfd, path, flags, mode);
  if (!fp.origin) fp.origin = { dir: path.startsWith('/') ? null : startDir(td, dirfd, path), rel: path };
  return p.fd.alloc(fp, (flags & O_CLOEXEC) !== 0, io.nofile);
}

/** The File for openat(dirfd, path, flags, mode). */
export function openFile(td: Thread, dirfd: number, path: string, flags: number, mode: number): File {
  const p = td.proc;
  const io = ioctxOf(td);
  const keep = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
  if ((flags & O_CREAT) === 0 || (flags & O_PATH) !== 0) {
    const vp = lookupAt(td, dirfd, path, (flags & O_NOFOLLOW) === 0);
    return vnOpen(vp, (flags & O_PATH) !== 0 ? keep : flags & ~O_CLOEXEC, p.cred, io);
  }
  if ((flags & O_DIRECTORY) !== 0) throw new SysError(EINVAL);
  const nd = parentAt(td, dirfd, path, (flags & (O_EXCL | O_NOFOLLOW)) === 0);
  if (nd.trailingSlash) throw new SysError(EISDIR);
  if (nd.vp) {
    if ((flags & O_EXCL) !== 0) throw new SysError(EEXIST);
    if (nd.vp.type === VDIR) throw new SysError(EISDIR);
    return vnOpen(nd.vp, flags & ~O_CLOEXEC, p.cred, io);
  }
  checkDirWrite(nd.dvp, p.cred);
  const vp = nd.dvp.create(nd.name, mode & ~p.umask & 0o7777, p.cred);
  /* A file just created opens whatever its mode says (open(O_CREAT|O_WRONLY, 0444) works). */
  return vnOpen(vp, flags & ~(O_CLOEXEC | O_TRUNC), { ...p.cred, euid: 0 }, io);
}

/* ---------------- names ---------------- */

function sysMkdirat(td: Thread, a: SysArgs): number {
  const path = copyinPath(td, a.ptr(1));
  const p = td.proc;
  const nd = parentAt(td, a.int(0), path);
  if (nd.vp) throw new SysError(EEXIST);
  checkDirWrite(nd.dvp, p.cred);
  nd.dvp.mkdir(nd.name, a.uint(2) & ~p.umask & 0o7777, p.cred);
  return 0;
}

function sysMknodat(td: Thread, a: SysArgs): number {
  const path = copyinPath(td, a.ptr(1));
  const mode = a.uint(2), dev = a.uint(3);
  const p = td.proc;
  const type = (mode & 0o170000) === 0 ? VREG : ifmtToVtype(mode);
  if (type === VNON || type === VDIR || type === VLNK) throw new SysError(EINVAL);
  if ((type === VCHR || type === VBLK) && p.cred.euid !== 0) throw new SysError(EPERM);
  const nd = parentAt(td, a.int(0), path);
  if (nd.vp) throw new SysError(EEXIST);
  if (nd.trailingSlash) throw new SysError(ENOENT);
  checkDirWrite(nd.dvp, p.cred);
  nd.dvp.mknod(nd.name, type, mode & ~p.umask & 0o7777, dev, p.cred);
  return 0;
}

function sysUnlinkat(td: Thread, a: SysArgs): number {
  const path = copyinPath(td, a.ptr(1));
  const flags = a.int(2);
  if ((flags & ~AT_REMOVEDIR) !== 0) throw new SysError(EINVAL);
  return (flags & AT_REMOVEDIR) !== 0 ? rmdirAt(td, a.int(0), path) : unlinkAt(td, a.int(0), path);
}

function unlinkAt(td: Thread, dirfd: number, path: string): number {
  const cred = td.proc.cred;
  const nd = parentAt(td, dirfd, path);
  if (!nd.vp) throw new SysError(ENOENT);
  if (nd.vp.type === VDIR) throw new SysError(EISDIR);
  if (nd.trailingSlash) throw new SysError(ENOTDIR);
  checkDirWrite(nd.dvp, cred);
  checkSticky(nd.dvp, nd.vp, cred);
  nd.dvp.remove(nd.name);
  return 0;
}

function rmdirAt(td: Thread, dirfd: number, path: string): number {
  const cred = td.proc.cred;
  const nd = parentAt(td, dirfd, path);
  if (nd.name === '.') throw new SysError(EINVAL);
  if (nd.name === '..') throw new SysError(ENOTEMPTY);
  if (nd.name === '') throw new SysError(EBUSY);
  if (!nd.vp) throw new SysError(ENOENT);
  if (nd.vp.type !== VDIR) throw new SysError(ENOTDIR);
  if (isMountRoot(nd.vp) || nd.vp === td.proc.root) {
    /* Linux says EBUSY for a mount point; a non-empty one reports ENOTEMPTY first, as a plain directory would. */
    throw new SysError(dirHasEntries(nd.vp) ? ENOTEMPTY : EBUSY);
  }
  checkDirWrite(nd.dvp, cred);
  checkSticky(nd.dvp, nd.vp, cred);
  nd.dvp.rmdir(nd.name);
  return 0;
}

function sysSymlinkat(td: Thread, a: SysArgs): number {
  const target = copyinPath(td, a.ptr(0));
  const path = copyinPath(td, a.ptr(2));
  const cred = td.proc.cred;
  if (target === '') throw new SysError(ENOENT);
  const nd = parentAt(td, a.int(1), path);
  if (nd.vp) throw new SysError(EEXIST);
  if (nd.trailingSlash) throw new SysError(ENOENT);
  checkDirWrite(nd.dvp, cred);
  nd.dvp.symlink(nd.name, target, cred);
  return 0;
}

function sysLinkat(td: Thread, a: SysArgs): number {
  const flags = a.int(4);
  if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError(EINVAL);
  const oldPath = copyinPath(td, a.ptr(1));
  const newPath = copyinPath(td, a.ptr(3));
  const cred = td.proc.cred;
  const vp = lookupAt(td, a.int(0), oldPath, (flags & AT_SYMLINK_FOLLOW) !== 0, (flags & AT_EMPTY_PATH) !== 0);
  if (vp.type === VDIR) throw new SysError(EPERM);
  const nd = parentAt(td, a.int(2), newPath);
  if (nd.vp) throw new SysError(EEXIST);
  if (nd.trailingSlash) throw new SysError(ENOENT);
  if (nd.dvp.mount !== vp.mount) throw new SysError(EXDEV);
  checkDirWrite(nd.dvp, cred);
  nd.dvp.link(nd.name, vp);
  return 0;
}

function sysRenameat2(td: Thread, a: SysArgs, flags: number): number {
  /* RENAME_EXCHANGE and RENAME_WHITEOUT are not supported: EINVAL, as a file system without them says. */
  if ((flags & ~RENAME_NOREPLACE) !== 0) throw new SysError(EINVAL);
  const from = parentAt(td, a.int(0), copyinPath(td, a.ptr(1)));
  const to = parentAt(td, a.int(2), copyinPath(td, a.ptr(3)));
  renameCheck(td, from, to, flags);
  if (to.vp === from.vp) return 0;
  from.dvp.rename(from.name, to.dvp, to.name);
  return 0;
}

function renameCheck(td: Thread, from: NameiParent, to: NameiParent, flags: number): void {
  const cred = td.proc.cred;
  const src = from.vp;
  if (from.name === '' || to.name === '') throw new SysError(EBUSY);
  if (from.name === '.' || from.name === '..' || to.name === '.' || to.name === '..') {
    throw new SysError(from.name === '.' || to.name === '.' ? EINVAL : EBUSY);
  }
  if (!src) throw new SysError(ENOENT);
  if (from.dvp.mount !== to.dvp.mount) throw new SysError(EXDEV);
  if (isMountRoot(src) || (to.vp && isMountRoot(to.vp))) throw new SysError(EBUSY);
  if (to.vp) {
    if ((flags & RENAME_NOREPLACE) !== 0) throw new SysError(EEXIST);
    if (src.type === VDIR && to.vp.type !== VDIR) throw new SysError(ENOTDIR);
    if (src.type !== VDIR && to.vp.type === VDIR) throw new SysError(EISDIR);
  }
  if ((to.trailingSlash || from.trailingSlash) && src.type !== VDIR) throw new SysError(ENOTDIR);
  checkDirWrite(from.dvp, cred);
  checkDirWrite(to.dvp, cred);
  checkSticky(from.dvp, src, cred);
  if (to.vp) checkSticky(to.dvp, to.vp, cred);
  if (src.type === VDIR && from.dvp !== to.dvp) {
    vaccess(src.getattr(), cred, VWRITE);
    if (isAncestor(src, to.dvp, td.proc.root)) throw new SysError(EINVAL);
  }
}

/** Is dir a descendant of (or) anc? Walks '..' up to the root of dir's mount. */
function isAncestor(anc: Vnode, dir: Vnode, root: Vnode): boolean {
  for (let vp = dir, n = 0; n < 4096; n++) {
    if (vp === anc) return true;
    if (vp === root || vp === vp.mount.root()) return false;
    const up = vp.lookup('..');
    if (up === vp) return false;
    vp = up;
  }
  return false;
}

/* ---------------- readlink, cwd, root ---------------- */

function sysReadlinkat(td: Thread, a: SysArgs): number {
  const path = copyinPath(td, a.ptr(1));
  const bufsiz = a.int(3);
  if (bufsiz <= 0) throw new SysError(EINVAL);
  const target = readlinkPath(td, a.int(0), path);
  const bytes = bstrToBytes(target).subarray(0, bufsiz);
  copyout(td.proc.vm, a.ptr(2), bytes);
  return bytes.length;
}

function readlinkPath(td: Thread, dirfd: number, path: string): string {
  let vp: Vnode;
  try {
    vp = lookupAt(td, dirfd, path, false, true);
  } catch (e) {
    const fake = procSelfFallback(td, path);
    if (fake !== null) return fake;
    throw e;
  }
  if (vp.type !== VLNK) throw new SysError(EINVAL);
  return vp.readlink();
}

/* Until procfs exists: what glibc and ttyname() ask of /proc/self. */
function procSelfFallback(td: Thread, path: string): string | null {
  const m = /^\/proc\/(self|\d+)\/(exe|cwd|root|fd\/\d+)$/.exec(path);
  if (!m || (m[1] !== 'self' && Number(m[1]) !== td.proc.pid)) return null;
  const p = td.proc;
  if (m[2] === 'exe') return p.exePath || null;
  if (m[2] === 'cwd') return vnodePath(p.cwd, p.root);
  if (m[2] === 'root') return '/';
  const fp = p.fd.getOrNull(Number(m[2].slice(3)));
  return fp ? fileName(fp, p.root) : null;
}

function setCwd(td: Thread, vp: Vnode): number {
  if (vp.type !== VDIR) throw new SysError(ENOTDIR);
  vaccess(vp.getattr(), td.proc.cred, VEXEC);
  const old = td.proc.cwd;
  td.proc.cwd = vref(vp);
  vrele(old);
  return 0;
}

function sysChroot(td: Thread, a: SysArgs): number {
  const vp = lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(0)), true);
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  if (vp.type !== VDIR) throw new SysError(ENOTDIR);
  vaccess(vp.getattr(), td.proc.cred, VEXEC);
  const old = td.proc.root;
  td.proc.root = vref(vp);
  vrele(old);
  return 0;
}

function sysGetcwd(td: Thread, a: SysArgs): number {
  const size = a.u64(1);
  const path = vnodePath(td.proc.cwd, td.proc.root);
  const bytes = bstrToBytes(path + '\0');
  if (bytes.length > size) throw new SysError(ERANGE);
  copyout(td.proc.vm, a.ptr(0), bytes);
  return bytes.length;
}

/* ---------------- access ---------------- */

function faccess(td: Thread, a: SysArgs, flags: number): number {
  const mode = a.int(2);
  if ((mode & ~7) !== 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) {
    throw new SysError(EINVAL);
  }
  const path = copyinPath(td, a.ptr(1));
  const vp = lookupAt(td, a.int(0), path, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0);
  if (mode === 0) return 0;
  const cred = (flags & AT_EACCESS) !== 0 ? td.proc.cred : realCred(td.proc.cred);
  if ((mode & 2) !== 0 && vp.mount.readonly && (vp.type === VREG || vp.type === VDIR || vp.type === VLNK)) {
    throw new SysError(EROFS);
  }
  vaccess(vp.getattr(), cred, mode);
  return 0;
}

/* ---------------- sync ---------------- */

function sysSync(): number {
  getSystemMounts()?.syncAll();
  return 0;
}

function sysFsync(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  if (!fp.vnode) throw new SysError(EINVAL);
  fp.vnode.fsync();
  return 0;
}

function sysSyncfs(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  fp.vnode?.mount.sync();
  return 0;
}

function sysUmask(td: Thread, a: SysArgs): number {
  const old = td.proc.umask;
  td.proc.umask = a.uint(0) & 0o777;
  return old;
}

/* ---------------- mmap's view of a descriptor ---------------- */

mmapHooks.fileFor = (td, fd) => {
  const fp = td.proc.fd.get(fd);
  const vp = fp.vnode;
  const rdev = vp ? vp.getattr().rdev : 0;
  return {
    pager: vp && vp.type === VREG ? vp : null,
    readable: fp.readable,
    writable: fp.writable,
    name: vp && vp.type === VREG ? (filePath(fp, td.proc.root) ?? '') : '',
    zero: rdev === 0x105,
  };
};

export const vfsSyscalls: Record<number, SyscallHandler> = {
  ...genericSyscalls,
  ...descripSyscalls,
  ...pollSyscalls,
  ...dirSyscalls,
  ...attrSyscalls,
  ...mountSyscalls,
  ...eventfdSyscalls,
  56: sysOpenat,
  34: sysMkdirat,
  33: sysMknodat,
  35: sysUnlinkat,
  36: sysSymlinkat,
  37: sysLinkat,
  38: (td, a) => sysRenameat2(td, a, 0),
  276: (td, a) => sysRenameat2(td, a, a.uint(4)),
  78: sysReadlinkat,
  17: sysGetcwd,
  49: (td, a) => setCwd(td, lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(0)), true)),
  50: (td, a) => {
    const fp = td.proc.fd.get(a.int(0));
    if (!fp.vnode) throw new SysError(ENOTDIR);
    return setCwd(td, fp.vnode);
  },
  51: sysChroot,
  48: (td, a) => faccess(td, a, 0),
  439: (td, a) => faccess(td, a, a.int(3)),
  81: sysSync,
  82: sysFsync,
  83: sysFsync,
  267: sysSyncfs,
  166: sysUmask,
};

