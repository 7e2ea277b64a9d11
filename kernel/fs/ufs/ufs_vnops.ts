/*
 * UFS vnodes (BSD's ufs_vnops.c): a thin layer over UfsVolume, which is
 * addressed by inode number. Each operation is one volume transaction, so
 * a SleepRequest from the buffer cache leaves nothing half done and the
 * syscall's rerun starts clean.
 *
 * The page cache for mmap lives here: frames filled from vol.read, kept
 * coherent with write(2) (writes copy into cached frames) and written back
 * from dirtyPage()d frames on fsync/sync.
 */
import { SysError } from '../../kern/errno.ts';
import { SleepRequest } from '../../kern/sleep.ts';
import { PAGE_SIZE } from '../../vm/physmem.ts';
import { vnodeTruncated } from '../../vm/vm_pager_map.ts';
import type { Cred } from '../../vfs/vfs_cred.ts';
import {
  ifmtToVtype, S_IFMT, S_ISGID, VBLK, VCHR, VDIR, VFIFO, VLNK, VREG, VSOCK, Vnode, vtypeToIfmt,
  type DirEntry, type Timespec, type Vattr, type VattrChange,
} from '../../vfs/vnode.ts';
import type { UfsMount } from './ufs_vfsops.ts';

/* DT_* (the volume's readdir) → vnode types. */
const DT_TO_VTYPE: Record<number, number> = { 1: VFIFO, 2: VCHR, 4: VDIR, 6: VBLK, 8: VREG, 10: VLNK, 12: VSOCK };

interface CachedPage {
  ppn: number;
  dirty: boolean;
}

export class UfsVnode extends Vnode {
  declare readonly mount: UfsMount;
  private readonly pages = new Map<number, CachedPage>();

  constructor(mp: UfsMount, type: number, readonly ino: number) {
    super(mp, type);
  }

  private get vol() {
    return this.mount.vol;
  }

  getattr(): Vattr {
    const a = this.vol.getattr(this.ino);
    return {
      type: this.type, mode: a.mode & 0o7777, nlink: a.nlink, uid: a.uid, gid: a.gid,
      size: a.size,
      blocks: a.blocks, blksize: this.vol.sb.bsize, ino: this.ino, fsid: this.mount.fsid,
      rdev: this.type === VCHR || this.type === VBLK ? a.rdev : 0,
      atime: a.atime, mtime: a.mtime, ctime: a.ctime, btime: a.birthtime,
    };
  }

  override setattr(ch: VattrChange): void {
    const old = ch.size !== undefined ? this.vol.getattr(this.ino).size : 0;
    this.vol.setattr(this.ino, {
      mode: ch.mode, uid: ch.uid, gid: ch.gid, size: ch.size,
      atime: ch.atime as Timespec | undefined, mtime: ch.mtime as Timespec | undefined,
    });
    if (ch.size !== undefined) this.resized(old, ch.size);
  }

  /* Keep the page cache and the mappings in step with a new size. */
  private resized(old: number, size: number): void {
    if (size >= old) {
      this.zeroCachedTail(old, size);
      return;
    }
    const keep = Math.ceil(size / PAGE_SIZE);
    for (const [pg, cp] of this.pages) {
      if (pg < keep) continue;
      this.mount.pageAllocator.unref(cp.ppn);
      this.pages.delete(pg);
    }
    this.zeroCachedTail(size, keep * PAGE_SIZE);
    vnodeTruncated(this, size);
  }

  /* Bytes [from, to) of cached frames read as zeros (a grown or cut-back tail). */
  private zeroCachedTail(from: number, to: number): void {
    const pg = Math.floor(from / PAGE_SIZE);
    const cp = this.pages.get(pg);
    if (!cp) return;
    const mem = this.mount.pageAllocator.mem;
    const a = from - pg * PAGE_SIZE, z = Math.min(PAGE_SIZE, to - pg * PAGE_SIZE);
    if (z > a) {
      mem.u8.fill(0, cp.ppn * PAGE_SIZE + a, cp.ppn * PAGE_SIZE + z);
      mem.noteWrite(cp.ppn);
    }
  }

  override lookup(name: string): Vnode {
    return this.mount.vget(this.vol.lookup(this.ino, name));
  }

  /* BSD: a new file takes its group from the directory. */
  private newGid(): number {
    return this.vol.getattr(this.ino).gid;
  }

  override create(name: string, mode: number, cred: Cred): Vnode {
    const gid = this.newGid();
    return this.mount.vget(this.vol.create(this.ino, name, (mode & S_IFMT ? mode & S_IFMT : 0o100000) | (mode & 0o7777), cred.euid, gid));
  }

  override mkdir(name: string, mode: number, cred: Cred): Vnode {
    const a = this.vol.getattr(this.ino);
    const perm = (mode & 0o7777) | (a.mode & S_ISGID);
    return this.mount.vget(this.vol.mkdir(this.ino, name, perm, cred.euid, a.gid));
  }

  override mknod(name: string, type: number, mode: number, rdev: number, cred: Cred): Vnode {
    const gid = this.newGid();
    return this.mount.vget(this.vol.create(this.ino, name, vtypeToIfmt(type) | (mode & 0o7777), cred.euid, gid, rdev));
  }

  override symlink(name: string, target: string, cred: Cred): Vnode {
    const gid = this.newGid();
    return this.mount.vget(this.vol.symlink(this.ino, name, target, cred.euid, gid));
  }

  override link(name: string, vp: Vnode): void {
    this.vol.link(this.ino, name, (vp as UfsVnode).ino);
  }

  override remove(name: string): void {
    const ino = this.vol.lookup(this.ino, name);
    this.vol.unlink(this.ino, name);
    this.mount.unlinked(ino);
  }

  override rmdir(name: string): void {
    const ino = this.vol.lookup(this.ino, name);
    this.vol.rmdir(this.ino, name);
    this.mount.unlinked(ino);
  }

  override rename(fromName: string, tdvp: Vnode, toName: string): void {
    let replaced = -1;
    try {
      replaced = this.vol.lookup((tdvp as UfsVnode).ino, toName);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
    }
    this.vol.rename(this.ino, fromName, (tdvp as UfsVnode).ino, toName);
    if (replaced >= 0) this.mount.unlinked(replaced);
  }

  override readlink(): string {
    return this.vol.readlink(this.ino);
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    return this.vol.readdir(this.ino, cookie, max).map((e) => ({
      name: e.name, ino: e.ino, type: DT_TO_VTYPE[e.type] ?? VREG, cookie: e.cookie,
    }));
  }

  override read(off: number, len: number): Uint8Array {
    const data = this.vol.read(this.ino, off, len);
    this.overlayDirty(off, data);
    return data;
  }

  /* Pages a shared mapping dirtied are newer than the disk. */
  private overlayDirty(off: number, data: Uint8Array): void {
    if (!this.pages.size || !data.length) return;
    const mem = this.mount.pageAllocator.mem;
    for (let pg = Math.floor(off / PAGE_SIZE); pg * PAGE_SIZE < off + data.length; pg++) {
      const cp = this.pages.get(pg);
      if (!cp || !cp.dirty) continue;
      const a = Math.max(off, pg * PAGE_SIZE), z = Math.min(off + data.length, (pg + 1) * PAGE_SIZE);
      data.set(mem.u8.subarray(cp.ppn * PAGE_SIZE + a - pg * PAGE_SIZE, cp.ppn * PAGE_SIZE + z - pg * PAGE_SIZE), a - off);
    }
  }

  override write(off: number, data: Uint8Array): number {
    const n = this.vol.write(this.ino, off, data);
    this.copyIntoCache(off, data.subarray(0, n));
    return n;
  }

  /* write(2) and mmap see the same bytes. */
  private copyIntoCache(off: number, data: Uint8Array): void {
    if (!this.pages.size || !data.length) return;
    const mem = this.mount.pageAllocator.mem;
    for (let pg = Math.floor(off / PAGE_SIZE); pg * PAGE_SIZE < off + data.length; pg++) {
      const cp = this.pages.get(pg);
      if (!cp) continue;
      const a = Math.max(off, pg * PAGE_SIZE), z = Math.min(off + data.length, (pg + 1) * PAGE_SIZE);
      mem.u8.set(data.subarray(a - off, z - off), cp.ppn * PAGE_SIZE + a - pg * PAGE_SIZE);
      mem.noteWrite(cp.ppn);
    }
  }

  override fsync(): void {
    this.writeDirtyPages();
    this.mount.waitFlush();
  }

  /** msync(MS_SYNC): the mapped pages and everything before them on the disk. */
  sync(): void {
    this.fsync();
  }

  /**
   * Write dirty mapped pages back through the volume. Each page is marked
   * clean as soon as its write went in, so a rerun after a sleep continues.
   */
  writeDirtyPages(): void {
    if (!this.pages.size || this.mount.readonly) return;
    const size = this.vol.getattr(this.ino).size;
    const mem = this.mount.pageAllocator.mem;
    for (const [pg, cp] of this.pages) {
      if (!cp.dirty) continue;
      const len = Math.min(PAGE_SIZE, size - pg * PAGE_SIZE);
      if (len > 0) this.vol.write(this.ino, pg * PAGE_SIZE, mem.u8.slice(cp.ppn * PAGE_SIZE, cp.ppn * PAGE_SIZE + len));
      cp.dirty = false;
    }
  }

  get hasDirtyPages(): boolean {
    for (const cp of this.pages.values()) if (cp.dirty) return true;
    return false;
  }

  override getPage(pgoff: number): number {
    const hit = this.pages.get(pgoff);
    if (hit) return hit.ppn;
    /* Read first: it may sleep, and nothing is allocated yet. */
    const data = this.vol.read(this.ino, pgoff * PAGE_SIZE, PAGE_SIZE);
    const pa = this.mount.pageAllocator;
    const ppn = pa.alloc();
    pa.mem.u8.set(data, ppn * PAGE_SIZE);
    pa.mem.noteWrite(ppn);
    this.pages.set(pgoff, { ppn, dirty: false });
    return ppn;
  }

  override dirtyPage(pgoff: number): void {
    const cp = this.pages.get(pgoff);
    if (cp && !this.mount.readonly) {
      cp.dirty = true;
      this.mount.noteDirty(this);
    }
  }

  override size(): number {
    return this.vol.getattr(this.ino).size;
  }

  /**
   * Nobody holds the file any more. Clean cached pages go back (mappings hold
   * their own references); dirty ones wait for the next sync. An unlinked
   * file is freed now, or at the next sync if that needs a disk read.
   */
  override inactive(): void {
    if (!this.hasDirtyPages) this.dropPages();
    this.mount.inactive(this);
  }

  dropPages(): void {
    for (const cp of this.pages.values()) this.mount.pageAllocator.unref(cp.ppn);
    this.pages.clear();
  }
}

/** The vnode type of an inode mode. */
export function ufsVtype(mode: number): number {
  return ifmtToVtype(mode);
}

/** A SleepRequest passes through; anything else is the caller's to handle. */
export function isSleep(e: unknown): e is SleepRequest {
  return e instanceof SleepRequest;
}
