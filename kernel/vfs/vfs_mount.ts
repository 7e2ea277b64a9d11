/*
 * Mounts and the mount table. A Mount is one mounted file system (BSD's
 * struct mount); each file system subclasses it with its vfsops (root,
 * statfs, sync, unmount). Mounting covers a directory vnode: namei steps
 * from the covered vnode down into the mount's root and from that root back
 * up to the covered vnode on '..'.
 */
import { EBUSY, EINVAL, ENOTDIR, SysError } from '../kern/errno.ts';
import { VDIR, type Vnode } from './vnode.ts';

/* statfs f_flags (Linux ST_*). */
export const ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8;

/* f_type magic numbers, as Linux reports them. */
export const TMPFS_MAGIC = 0x01021994, HOSTFS_MAGIC = 0x00c0ffee, DEVFS_MAGIC = 0x1373,
  PROC_MAGIC = 0x9fa0, UFS_MAGIC = 0x00011954, ISOFS_MAGIC = 0x9660;

export interface StatFs {
  type: number;      // f_type magic
  bsize: number;
  blocks: number;    // in frsize units
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
  frsize: number;
  flags: number;     // ST_*
}

let nextFsid = 1;

export abstract class Mount {
  /** mnt_vnodecovered: the directory this file system is mounted on (null for /). */
  coveredVnode: Vnode | null = null;
  /** st_dev of every file in this file system. */
  readonly fsid = nextFsid++;
  /** Mount flags (ST_*). */
  flags = 0;
  /** Where the mount came from, for /proc/mounts ("tmpfs", "hostfs:/dir", "/dev/vkd0s0a"). */
  abstract readonly from: string;
  /** File system type name (tmpfs, hostfs, devfs, ufs...). */
  abstract readonly fsType: string;

  get readonly(): boolean {
    return (this.flags & ST_RDONLY) !== 0;
  }

  /** The root directory: always the same vnode object. */
  abstract root(): Vnode;
  abstract statfs(): StatFs;
  /** Write back everything dirty. May sleep (SleepRequest). */
  sync(): void {}
  /**
   * mount -u: the file system is about to take the new ST_* flags (a disk
   * file system going read-write re-reads and checks its superblock). May
   * sleep or refuse (SysError); the caller sets `flags` afterwards.
   */
  remount?(newFlags: number): void;
  /** About to be unmounted: flush and drop state; EBUSY if it cannot go. */
  unmount(): void {
    this.sync();
  }
}

/** The system's mounts, in mount order; [0] is the root file system. */
export class MountTable {
  readonly mounts: Mount[] = [];

  get rootMount(): Mount | null {
    return this.mounts[0] ?? null;
  }

  /** The root vnode of the whole tree (what proc.root starts as). */
  rootVnode(): Vnode {
    const mp = this.rootMount;
    if (!mp) throw new Error('no root file system');
    return mp.root();
  }

  mountRoot(mp: Mount): void {
    if (this.mounts.length) throw new SysError(EBUSY);
    this.mounts.push(mp);
  }

  /** Mount mp on directory vp (namei's result, already crossed down to the top mount). */
  mount(mp: Mount, vp: Vnode): void {
    if (vp.type !== VDIR) throw new SysError(ENOTDIR);
    if (vp.mountedHere) throw new SysError(EBUSY);
    mp.coveredVnode = vp;
    vp.mountedHere = mp;
    this.mounts.push(mp);
  }

  /** Unmount mp; EBUSY while something is mounted inside it or it is the root. */
  unmount(mp: Mount): void {
    const i = this.mounts.indexOf(mp);
    if (i < 0) throw new SysError(EINVAL);
    if (i === 0) throw new SysError(EBUSY);
    for (const m of this.mounts) if (m.coveredVnode && m.coveredVnode.mount === mp) throw new SysError(EBUSY);
    mp.unmount();
    if (mp.coveredVnode) mp.coveredVnode.mountedHere = null;
    mp.coveredVnode = null;
    this.mounts.splice(i, 1);
  }

  /** Sync every file system (sync(2), halt). */
  syncAll(): void {
    for (const mp of this.mounts) mp.sync();
  }

  /** Unmount everything, innermost first (halt/reboot). */
  unmountAll(): void {
    for (let i = this.mounts.length - 1; i >= 0; i--) {
      const mp = this.mounts[i];
      mp.unmount();
      if (mp.coveredVnode) mp.coveredVnode.mountedHere = null;
    }
    this.mounts.length = 0;
  }
}

/* The running system's mount table (sync(2), mount(2), /proc/mounts); the Kernel sets it at boot. */
let systemMounts: MountTable | null = null;

export function setSystemMounts(t: MountTable | null): void {
  systemMounts = t;
}

export function getSystemMounts(): MountTable | null {
  return systemMounts;
}
