/*
 * Mounting UFS (BSD's ffs_vfsops.c): a UfsVolume on a disk device, the
 * vnode cache by inode number, statfs, sync and unmount. The clean flag is
 * the volume's: cleared on disk by a read-write mount, set at unmount. A
 * dirty file system is refused read-write (EPERM) unless the caller asks
 * for read-only (the boot root falls back to that, with a warning).
 */
import { EBUSY, EROFS, SysError } from '../../kern/errno.ts';
import { SleepRequest, tsleep } from '../../kern/sleep.ts';
import { BufCache, FlushToken, type BioDev } from '../../vfs/vfs_bio.ts';
import { curproc } from '../../vfs/vfs_curproc.ts';
import { Mount, ST_RDONLY, UFS_MAGIC, type StatFs } from '../../vfs/vfs_mount.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';
import type { BlockDev } from './ufs_blockdev.ts';
import { UfsVolume } from './ufs_volume.ts';
import { ROOTINO } from './ufs_fs.ts';
import { UfsVnode, ufsVtype } from './ufs_vnops.ts';

export interface UfsMountArgs {
  dev: BlockDev;
  /** The buffer-cache device under dev (sync waits for it); null for a memory device. */
  bio: BioDev | null;
  from: string;             // "/dev/vkd0s0a"
  pages: PageAllocator;
  readonly: boolean;
  dirty: 'refuse' | 'readonly' | 'force';
  wallMs(): number;
}

export class UfsMount extends Mount {
  readonly fsType = 'ufs';
  readonly from: string;
  /** The volume; replaced when a read-only mount is updated to read-write. */
  vol: UfsVolume;
  private readonly args: UfsMountArgs;
  readonly pageAllocator: PageAllocator;
  private readonly bio: BioDev | null;
  private readonly vnodes = new Map<number, UfsVnode>();
  private readonly rootVp: UfsVnode;
  /* Files whose mapped pages are dirty, and unlinked inodes waiting to be freed. */
  private readonly dirtyVnodes = new Set<UfsVnode>();
  private readonly deferredFree = new Set<number>();
  private pendingFlush: FlushToken | null = null;
  /*
   * The flush each process's fsync/sync is waiting for, so that its rerun
   * after the wakeup finds its own flush: one started before another
   * process's writes would not cover them. Kernel callers (no process) share one.
   */
  private readonly flushWaits = new WeakMap<object, FlushToken>();
  private kernelWait: FlushToken | null = null;
  /** Called once the file system is unmounted (the disk layer frees the device). */
  onRelease: (() => void) | null = null;
  private gone = false;

  /** Mount the file system on args.dev; may throw SleepRequest (the caller reruns) or SysError. */
  constructor(args: UfsMountArgs) {
    super();
    /*
     * A read-write mount writes fs_clean = 0 at once; if a read after that
     * slept, the rerun would find the file system dirty. So first read
     * everything mounting needs through a read-only mount, then mount for real.
     */
    UfsVolume.mount(args.dev, { readonly: true }).getattr(ROOTINO);
    this.vol = UfsVolume.mount(args.dev, {
      readonly: args.readonly, dirty: args.dirty, clock: args.wallMs, busy: this.busyFn,
    });
    if (this.vol.readonly) this.flags |= ST_RDONLY;
    this.from = args.from;
    this.args = args;
    this.bio = args.bio;
    this.pageAllocator = args.pages;
    this.rootVp = this.vget(this.vol.root);
    /* fs_clean = 0 must reach the disk now, not with the syncer: a crash must leave it dirty. */
    if (!this.vol.readonly) args.bio?.flush(Infinity);
  }

  /**
   * mount -u: read-only → read-write mounts the volume again for writing
   * (after fsck fixed it: still dirty → EPERM unless forced); read-write →
   * read-only syncs and marks it clean.
   */
  override remount(newFlags: number): void {
    const ro = (newFlags & ST_RDONLY) !== 0;
    if (ro === this.vol.readonly) return;
    if (ro) {
      this.sync();
      /* As in unmount: the clean mark goes out in a later flush than everything else. */
      this.vol.sync();
      this.bio?.flush(Infinity);
      this.vol.unmount();
      this.vol = UfsVolume.mount(this.args.dev, { readonly: true, clock: this.args.wallMs, busy: this.busyFn });
      this.flags |= ST_RDONLY;
      return;
    }
    if (this.args.bio?.readOnly) throw new SysError(EROFS);
    UfsVolume.mount(this.args.dev, { readonly: true }).getattr(ROOTINO);
    this.vol = UfsVolume.mount(this.args.dev, {
      readonly: false, dirty: this.args.dirty === 'force' ? 'force' : 'refuse', clock: this.args.wallMs, busy: this.busyFn,
    });
    this.flags &= ~ST_RDONLY;
  }

  private readonly busyFn = (ino: number): boolean => (this.vnodes.get(ino)?.usecount ?? 0) > 0;

  root(): Vnode {
    return this.rootVp;
  }

  /** The vnode of an inode: one per inode while cached. */
  vget(ino: number): UfsVnode {
    let vp = this.vnodes.get(ino);
    if (vp) return vp;
    const a = this.vol.getattr(ino);
    vp = new UfsVnode(this, ufsVtype(a.mode), ino);
    this.vnodes.set(ino, vp);
    return vp;
  }

  statfs(): StatFs {
    const s = this.vol.statfs();
    return {
      type: UFS_MAGIC, bsize: s.bsize, frsize: s.fsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail,
      files: s.files, ffree: s.ffree, namelen: s.namemax, flags: this.flags,
    };
  }

  noteDirty(vp: UfsVnode): void {
    this.dirtyVnodes.add(vp);
  }

  /** A name went away: a cached vnode nobody holds is dropped (the volume freed the inode). */
  unlinked(ino: number): void {
    const vp = this.vnodes.get(ino);
    if (!vp || vp.usecount > 0) return;
    this.forgetIfFree(vp);
  }

  /** The last holder of vp let go (vrele). Must not sleep. */
  inactive(vp: UfsVnode): void {
    if (this.gone || this.vol.readonly) return;
    let nlink: number;
    try {
      nlink = this.vol.getattr(vp.ino).nlink;
    } catch {
      return;
    }
    if (nlink > 0) return;
    try {
      this.vol.inactive(vp.ino);
      vp.dropPages();
      this.dirtyVnodes.delete(vp);
      this.vnodes.delete(vp.ino);
    } catch (e) {
      /* Freeing needs a disk read: the next sync does it. */
      if (e instanceof SleepRequest) this.deferredFree.add(vp.ino);
    }
  }

  private forgetIfFree(vp: UfsVnode): void {
    try {
      this.vol.getattr(vp.ino);
    } catch (e) {
      if (e instanceof SleepRequest) return;
      vp.dropPages();
      this.dirtyVnodes.delete(vp);
      this.vnodes.delete(vp.ino);
    }
  }

  /* Dirty mapped pages and deferred frees go to the volume (may sleep; each step is kept). */
  private pushPending(): void {
    for (const vp of this.dirtyVnodes) {
      vp.writeDirtyPages();
      this.dirtyVnodes.delete(vp);
      if (vp.usecount === 0) vp.dropPages();
    }
    for (const ino of this.deferredFree) {
      const vp = this.vnodes.get(ino);
      if (!vp || vp.usecount === 0) this.vol.inactive(ino);
      this.deferredFree.delete(ino);
      if (vp && vp.usecount === 0) this.vnodes.delete(ino);
    }
  }

  /**
   * sync(2): everything to the volume, the volume's summaries to the cache,
   * the cache to the store; sleeps until the store has it. A rerun after
   * the wakeup finds the flush it started done and returns.
   */
  override sync(): void {
    if (this.gone || this.vol.readonly) return;
    if (!this.myWait()) {
      this.pushPending();
      this.vol.sync();
    }
    this.waitFlush();
  }

  private myWait(): FlushToken | null {
    const p = curproc();
    return (p ? this.flushWaits.get(p) : this.kernelWait) ?? null;
  }

  private setMyWait(t: FlushToken | null): void {
    const p = curproc();
    if (!p) this.kernelWait = t;
    else if (t) this.flushWaits.set(p, t);
    else this.flushWaits.delete(p);
  }

  /**
   * Flush the device and sleep until everything written so far is on the
   * store; the rerun after the wakeup finds the caller's flush done and returns.
   */
  waitFlush(): void {
    if (!this.bio || this.vol.readonly) return;
    let t = this.myWait();
    if (!t) {
      t = this.bio.flush(Infinity);
      this.setMyWait(t);
    }
    if (!t.done && !BufCache.noSleep) tsleep(t, Infinity, false);
    this.setMyWait(null);
  }

  /** umount: write back, mark clean, drop the vnodes; waits until the store has it. */
  override unmount(): void {
    if (!this.gone) {
      if (!BufCache.noSleep) this.checkBusy();
      if (!this.vol.readonly) {
        this.pushPending();
        /*
         * Everything but the clean mark goes out first: the cache starts the
         * next flush's writes only after this one is on the store, so a
         * crash never leaves fs_clean = 1 over metadata that did not land.
         */
        this.vol.sync();
        this.bio?.flush(Infinity);
      }
      this.vol.unmount();
      this.gone = true;
      for (const vp of this.vnodes.values()) vp.dropPages();
      this.vnodes.clear();
      if (this.bio && !this.vol.readonly) this.pendingFlush = this.bio.flush(Infinity);
    }
    const t = this.pendingFlush;
    if (t && !t.done && !BufCache.noSleep) tsleep(t, Infinity, false);
    this.pendingFlush = null;
    this.onRelease?.();
    this.onRelease = null;
  }

  /* Open files or a cwd inside keep it mounted (EBUSY), as umount(2) without MNT_FORCE. */
  private checkBusy(): void {
    for (const vp of this.vnodes.values()) {
      if (vp.usecount > 0) throw new SysError(EBUSY);
    }
  }
}
