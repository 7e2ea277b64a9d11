/*
 * devfs nodes: directories, device nodes and symlinks the kernel creates.
 * Users may chmod/chown/touch device nodes (ttys change owner at login) but
 * not create or remove names.
 */
import { ENOENT, SysError } from '../../kern/errno.ts';
import { nanotime } from '../../vfs/vfs_time.ts';
import {
  VCHR, VDIR, VLNK, Vnode, type DirEntry, type Timespec, type Vattr, type VattrChange,
} from '../../vfs/vnode.ts';
import type { DevfsMount } from './devfs_vfsops.ts';

export abstract class DevNode extends Vnode {
  declare readonly mount: DevfsMount;
  readonly ino: number;
  mode: number;
  uid: number;
  gid: number;
  readonly rdev: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;

  constructor(mp: DevfsMount, type: number, mode: number, rdev: number) {
    super(mp, type);
    this.ino = mp.allocIno();
    this.mode = mode & 0o7777;
    this.uid = 0;
    this.gid = 0;
    this.rdev = rdev;
    const now = nanotime();
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
  }

  protected size0(): number {
    return 0;
  }

  getattr(): Vattr {
    return {
      type: this.type, mode: this.mode, nlink: this.type === VDIR ? 2 : 1, uid: this.uid,
      gid: this.gid, size: this.size0(), blocks: 0, blksize: 4096, ino: this.ino,
      fsid: this.mount.fsid, rdev: this.rdev, atime: this.atime, mtime: this.mtime,
      ctime: this.ctime, btime: this.ctime,
    };
  }

  override setattr(ch: VattrChange): void {
    if (ch.size !== undefined && this.type !== VCHR) super.setattr(ch);
    if (ch.mode !== undefined) this.mode = ch.mode & 0o7777;
    if (ch.uid !== undefined) this.uid = ch.uid;
    if (ch.gid !== undefined) this.gid = ch.gid;
    if (ch.atime) this.atime = ch.atime;
    if (ch.mtime) this.mtime = ch.mtime;
    this.ctime = nanotime();
  }
}

export class DevDir extends DevNode {
  readonly entries = new Map<string, DevNode>();
  readonly parent: DevDir;

  constructor(mp: DevfsMount, parent: DevDir | null, mode = 0o755) {
    super(mp, VDIR, mode, 0);
    this.parent = parent ?? this;
  }

  protected override size0(): number {
    return 512;
  }

  override lookup(name: string): Vnode {
    if (name === '..') return this.parent;
    const n = this.entries.get(name);
    if (!n) throw new SysError(ENOENT);
    return n;
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    const all: DirEntry[] = [
      { name: '.', ino: this.ino, type: VDIR, cookie: 1 },
      { name: '..', ino: this.parent.ino, type: VDIR, cookie: 2 },
    ];
    let i = 2;
    for (const [name, n] of this.entries) all.push({ name, ino: n.ino, type: n.type, cookie: ++i });
    return all.slice(cookie, cookie + max);
  }
}

export class DevCdev extends DevNode {
  constructor(mp: DevfsMount, rdev: number, mode: number) {
    super(mp, VCHR, mode, rdev);
  }
}

export class DevLink extends DevNode {
  constructor(mp: DevfsMount, readonly target: string) {
    super(mp, VLNK, 0o777, 0);
  }
  protected override size0(): number {
    return this.target.length;
  }
  override readlink(): string {
    return this.target;
  }
}
