/*
 * procfs nodes: directories whose entries are made on demand (and cached so
 * a name keeps its vnode), read-only files whose text is generated on each
 * read, and symlinks whose target is computed when read.
 */
import { EACCES, ENOENT, EROFS, SysError } from '../../kern/errno.ts';
import { bstrToBytes } from '../../vfs/bstr.ts';
import { nanotime } from '../../vfs/vfs_time.ts';
import { VDIR, VLNK, VREG, Vnode, type DirEntry, type Timespec, type Vattr } from '../../vfs/vnode.ts';
import type { ProcfsMount } from './procfs_vfsops.ts';

export abstract class PfsNode extends Vnode {
  declare readonly mount: ProcfsMount;
  readonly ino: number;
  private readonly time: Timespec = nanotime();

  constructor(mp: ProcfsMount, type: number, readonly mode: number, readonly uid = 0, readonly gid = 0) {
    super(mp, type);
    this.ino = mp.allocIno();
  }

  protected sizeNow(): number {
    return 0;
  }

  getattr(): Vattr {
    const t = this.time;
    return {
      type: this.type, mode: this.mode, nlink: this.type === VDIR ? 2 : 1, uid: this.uid,
      gid: this.gid, size: this.sizeNow(), blocks: 0, blksize: 1024, ino: this.ino,
      fsid: this.mount.fsid, rdev: 0, atime: t, mtime: t, ctime: t, btime: t,
    };
  }

  override write(): number {
    throw new SysError(EACCES);
  }

  override setattr(): void {
    throw new SysError(EROFS);
  }
}

/** A directory: fixed entries plus a dynamic part (pids, fds). */
export class PfsDir extends PfsNode {
  private readonly cache = new Map<string, PfsNode>();

  constructor(
    mp: ProcfsMount,
    readonly parent: PfsDir | null,
    /** Current entry names with a maker for each (called once per name while it exists). */
    private readonly list: () => Map<string, () => PfsNode>,
    mode = 0o555, uid = 0, gid = 0,
  ) {
    super(mp, VDIR, mode, uid, gid);
  }

  override lookup(name: string): Vnode {
    if (name === '..') return this.parent ?? this;
    const make = this.list().get(name);
    if (!make) {
      this.cache.delete(name);
      throw new SysError(ENOENT);
    }
    let n = this.cache.get(name);
    if (!n) {
      n = make();
      this.cache.set(name, n);
    }
    return n;
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    const all: DirEntry[] = [
      { name: '.', ino: this.ino, type: VDIR, cookie: 1 },
      { name: '..', ino: (this.parent ?? this).ino, type: VDIR, cookie: 2 },
    ];
    for (const name of this.list().keys()) {
      try {
        const n = this.lookup(name) as PfsNode;
        all.push({ name, ino: n.ino, type: n.type, cookie: all.length + 1 });
      } catch {
        /* gone meanwhile */
      }
    }
    return all.slice(cookie, cookie + max);
  }
}

/** A file whose contents are generated when read. */
export class PfsFile extends PfsNode {
  constructor(mp: ProcfsMount, private readonly gen: () => string, mode = 0o444, uid = 0, gid = 0) {
    super(mp, VREG, mode, uid, gid);
  }

  override read(off: number, len: number): Uint8Array {
    const all = bstrToBytes(this.gen());
    return all.slice(off, off + len);
  }
}

/** A symlink whose target is computed when read (self, exe, cwd, fd/N). */
export class PfsLink extends PfsNode {
  constructor(mp: ProcfsMount, private readonly target: () => string, uid = 0, gid = 0) {
    super(mp, VLNK, 0o777, uid, gid);
  }

  protected override sizeNow(): number {
    try {
      return this.target().length;
    } catch {
      return 0;
    }
  }

  override readlink(): string {
    return this.target();
  }
}
