/*
 * mount(2) and umount2(2), Linux riscv64 flavour: (source, target, type,
 * flags, data). Root only. Propagation flags are accepted and ignored (one
 * namespace); MS_REMOUNT changes the flags of an existing mount.
 */
import { EBUSY, EINVAL, ENODEV, ENOTDIR, EPERM, EROFS, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyinstrBytes } from '../vm/copyio.ts';
import { bytesToBstr } from './bstr.ts';
import { vfsFactory } from './vfs_conf.ts';
import { lookupAt } from './vfs_lookup.ts';
import { getSystemMounts, ST_NODEV, ST_NOEXEC, ST_NOSUID, ST_RDONLY, type MountTable } from './vfs_mount.ts';
import { AT_FDCWD, copyinPath } from './vfs_thread.ts';
import { VDIR, type Vnode } from './vnode.ts';

export const MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
  MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_PRIVATE = 1 << 18,
  MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_UNBINDABLE = 1 << 17;
const PROPAGATION = MS_PRIVATE | MS_SLAVE | MS_SHARED | MS_UNBINDABLE;
export const MNT_FORCE = 1, MNT_DETACH = 2, UMOUNT_NOFOLLOW = 8;

function mountTable(): MountTable {
  const t = getSystemMounts();
  if (!t) throw new SysError(ENODEV);
  return t;
}

function stFlags(msFlags: number): number {
  return (msFlags & MS_RDONLY ? ST_RDONLY : 0) | (msFlags & MS_NOSUID ? ST_NOSUID : 0) |
    (msFlags & MS_NODEV ? ST_NODEV : 0) | (msFlags & MS_NOEXEC ? ST_NOEXEC : 0);
}

function isMountRoot(vp: Vnode): boolean {
  return vp === vp.mount.root() && vp.mount.coveredVnode !== null;
}

function optString(td: Thread, va: number): string {
  return va === 0 ? '' : bytesToBstr(copyinstrBytes(td.proc.vm, va, 4096));
}

function sysMount(td: Thread, a: SysArgs): number {
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  const target = lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(1)), true);
  const flags = a.uint(3);
  if ((flags & PROPAGATION) !== 0) return 0;
  if ((flags & MS_REMOUNT) !== 0) {
    if (target !== target.mount.root()) throw new SysError(EINVAL);
    const mp = target.mount;
    /* A file system that cannot switch modes (hostfs, cd9660) stays read-only. */
    if (!mp.remount && (mp.flags & ST_RDONLY) !== 0 && (stFlags(flags) & ST_RDONLY) === 0) throw new SysError(EROFS);
    mp.remount?.(stFlags(flags));
    target.mount.flags = (target.mount.flags & ~(ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC)) | stFlags(flags);
    return 0;
  }
  if ((flags & (MS_BIND | MS_MOVE)) !== 0) throw new SysError(EINVAL);
  if (target.type !== VDIR) throw new SysError(ENOTDIR);
  const factory = vfsFactory(optString(td, a.ptr(2)));
  if (!factory) throw new SysError(ENODEV);
  const mp = factory(optString(td, a.ptr(0)), optString(td, a.ptr(4)), flags);
  mp.flags |= stFlags(flags);
  mountTable().mount(mp, target);
  return 0;
}

function sysUmount2(td: Thread, a: SysArgs): number {
  const flags = a.int(1);
  if ((flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW)) !== 0) throw new SysError(EINVAL);
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  const vp = lookupAt(td, AT_FDCWD, copyinPath(td, a.ptr(0)), (flags & UMOUNT_NOFOLLOW) === 0);
  if (!isMountRoot(vp)) throw new SysError(vp === vp.mount.root() ? EBUSY : EINVAL);
  mountTable().unmount(vp.mount);
  return 0;
}

export const mountSyscalls: Record<number, SyscallHandler> = {
  40: sysMount,
  39: sysUmount2,
};
