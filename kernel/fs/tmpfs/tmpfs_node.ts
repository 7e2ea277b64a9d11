/*
 * tmpfs nodes: every file lives in memory as one vnode (no separate inode
 * cache to reclaim). Attributes common to all types are here; the types are
 * TmpDir, TmpFile, TmpLink and TmpSpecial (tmpfs_vnops.ts).
 */
import { EISDIR, EINVAL, SysError } from '../../kern/errno.ts';
import { nanotime } from '../../vfs/vfs_time.ts';
import { VDIR, VREG, Vnode, type Timespec, type Vattr, type VattrChange } from '../../vfs/vnode.ts';
import type { TmpfsMount } from './tmpfs_vfsops.ts';

export abstract class TmpNode extends Vnode {
  declare readonly mount: TmpfsMount;
  readonly ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink = 1;
  rdev = 0;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  readonly btime: Timespec;

  constructor(mp: TmpfsMount, type: number, mode: number, uid: number, gid: number) {
    super(mp, type);
    this.ino = mp.allocIno();
    this.mode = mode & 0o7777;
    this.uid = uid;
    this.gid = gid;
    const now = nanotime();
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.btime = now;
  }

  /** Bytes of data (file size, symlink length, directory's nominal size). */
  protected abstract dataSize(): number;
  /** 512-byte blocks allocated. */
  protected blocks512(): number {
    return 0;
  }
  /** Change the size (regular files only). */
  protected resize(_size: number): void {
    throw new SysError(this.type === VDIR ? EISDIR : EINVAL);
  }

  getattr(): Vattr {
    return {
      type: this.type, mode: this.mode, nlink: this.nlink, uid: this.uid, gid: this.gid,
      size: this.dataSize(), blocks: this.blocks512(), blksize: 4096, ino: this.ino,
      fsid: this.mount.fsid, rdev: this.rdev,
      atime: this.atime, mtime: this.mtime, ctime: this.ctime, btime: this.btime,
    };
  }

  override setattr(ch: VattrChange): void {
    this.mount.checkWritable();
    if (ch.size !== undefined) {
      if (this.type !== VREG) throw new SysError(this.type === VDIR ? EISDIR : EINVAL);
      this.resize(ch.size);
      this.mtime = nanotime();
    }
    if (ch.mode !== undefined) this.mode = ch.mode & 0o7777;
    if (ch.uid !== undefined) this.uid = ch.uid;
    if (ch.gid !== undefined) this.gid = ch.gid;
    if (ch.atime) this.atime = ch.atime;
    if (ch.mtime) this.mtime = ch.mtime;
    this.ctime = nanotime();
  }

  /** Contents changed: mtime and ctime. */
  touchModified(): void {
    const now = nanotime();
    this.mtime = now;
    this.ctime = now;
  }

  /** Metadata changed (link count, rename): ctime. */
  touchChanged(): void {
    this.ctime = nanotime();
  }

  private freed = false;

  /** Called when the last name or the last holder goes: data and the inode slot go back. */
  maybeFree(): void {
    if (this.nlink !== 0 || this.usecount !== 0 || this.freed) return;
    this.freed = true;
    this.freeData();
    this.mount.releaseIno();
  }
  protected freeData(): void {}

  override inactive(): void {
    this.maybeFree();
  }
}
