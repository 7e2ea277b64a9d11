/*
 * tmpfs node types: directories (a name → node map with stable readdir
 * cookies), regular files (data in page frames, sparse), symlinks, and
 * special files (FIFOs, sockets, device nodes).
 */
import { EEXIST, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, ENXIO, EXDEV, EFBIG, SysError } from '../../kern/errno.ts';
import { PAGE_SIZE } from '../../vm/physmem.ts';
import type { Cred } from '../../vfs/vfs_cred.ts';
import { nanotime } from '../../vfs/vfs_time.ts';
import { S_ISGID, VDIR, VLNK, VREG, type DirEntry, type Vnode } from '../../vfs/vnode.ts';
import { TmpNode } from './tmpfs_node.ts';
import { FramePages } from './tmpfs_pages.ts';
import type { TmpfsMount } from './tmpfs_vfsops.ts';

/* Largest file: what a JS number addresses exactly, as on a 64-bit file system (well, 2^53). */
const MAXFILESIZE = 2 ** 53 - PAGE_SIZE;

interface DirSlot {
  node: TmpNode;
  seq: number;
}

/* readdir cookies: 0 = '.', 1 = '..', then each entry's sequence number. */
const FIRST_SEQ = 2;

export class TmpDir extends TmpNode {
  private readonly entries = new Map<string, DirSlot>();
  private nextSeq = FIRST_SEQ;
  /** '..'; the root is its own parent. */
  parent: TmpDir;

  constructor(mp: TmpfsMount, mode: number, uid: number, gid: number, parent: TmpDir | null) {
    super(mp, VDIR, mode, uid, gid);
    this.nlink = 2;
    this.parent = parent ?? this;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  protected dataSize(): number {
    /* What BSD tmpfs reports: a nominal size growing with the entries. */
    return (this.entries.size + 2) * 32;
  }

  override lookup(name: string): Vnode {
    if (name === '..') return this.parent;
    const slot = this.entries.get(name);
    if (!slot) throw new SysError(ENOENT);
    return slot.node;
  }

  private checkNew(name: string): void {
    this.mount.checkWritable();
    if (this.nlink === 0) throw new SysError(ENOENT);
    if (this.entries.has(name)) throw new SysError(EEXIST);
  }

  /** New files take the directory's group when it is set-group-ID (BSD always does). */
  private newGid(cred: Cred): number {
    return (this.mode & S_ISGID) !== 0 ? this.gid : cred.egid;
  }

  private enter(name: string, node: TmpNode): void {
    this.entries.set(name, { node, seq: this.nextSeq++ });
    this.touchModified();
  }

  override create(name: string, mode: number, cred: Cred): Vnode {
    this.checkNew(name);
    const f = new TmpFile(this.mount, mode, cred.euid, this.newGid(cred));
    this.enter(name, f);
    return f;
  }

  override mkdir(name: string, mode: number, cred: Cred): Vnode {
    this.checkNew(name);
    const d = new TmpDir(this.mount, mode | (this.mode & S_ISGID), cred.euid, this.newGid(cred), this);
    this.enter(name, d);
    this.nlink++;
    return d;
  }

  override mknod(name: string, type: number, mode: number, rdev: number, cred: Cred): Vnode {
    if (type === VREG) return this.create(name, mode, cred);
    if (type === VDIR) return this.mkdir(name, mode, cred);
    this.checkNew(name);
    const n = new TmpSpecial(this.mount, type, mode, cred.euid, this.newGid(cred), rdev);
    this.enter(name, n);
    return n;
  }

  override symlink(name: string, target: string, cred: Cred): Vnode {
    this.checkNew(name);
    const l = new TmpLink(this.mount, target, cred.euid, this.newGid(cred));
    this.enter(name, l);
    return l;
  }

  override link(name: string, vp: Vnode): void {
    if (!(vp instanceof TmpNode) || vp.mount !== this.mount) throw new SysError(EXDEV);
    this.checkNew(name);
    vp.nlink++;
    vp.touchChanged();
    this.enter(name, vp);
  }

  private slot(name: string): DirSlot {
    const s = this.entries.get(name);
    if (!s) throw new SysError(ENOENT);
    return s;
  }

  override remove(name: string): void {
    this.mount.checkWritable();
    const { node } = this.slot(name);
    if (node.type === VDIR) throw new SysError(EISDIR);
    this.entries.delete(name);
    this.touchModified();
    node.nlink--;
    node.touchChanged();
    node.maybeFree();
  }

  override rmdir(name: string): void {
    this.mount.checkWritable();
    const { node } = this.slot(name);
    if (!(node instanceof TmpDir)) throw new SysError(ENOTDIR);
    if (!node.isEmpty) throw new SysError(ENOTEMPTY);
    this.entries.delete(name);
    this.nlink--;
    node.nlink = 0;
    this.touchModified();
    node.touchChanged();
    node.maybeFree();
  }

  override rename(fromName: string, tdvp: Vnode, toName: string): void {
    this.mount.checkWritable();
    if (!(tdvp instanceof TmpDir) || tdvp.mount !== this.mount) throw new SysError(EXDEV);
    const { node } = this.slot(fromName);
    const target = tdvp.entries.get(toName);
    if (target?.node === node) return;
    if (target) tdvp.dropForRename(toName, target.node, node);
    this.entries.delete(fromName);
    this.touchModified();
    tdvp.enter(toName, node);
    node.touchChanged();
    if (node instanceof TmpDir && tdvp !== this) {
      this.nlink--;
      tdvp.nlink++;
      node.parent = tdvp;
    }
  }

  /** rename over an existing name: the replaced node loses this link. */
  private dropForRename(name: string, old: TmpNode, incoming: TmpNode): void {
    if (old instanceof TmpDir) {
      if (incoming.type !== VDIR) throw new SysError(EISDIR);
      if (!old.isEmpty) throw new SysError(ENOTEMPTY);
      this.nlink--;
      old.nlink = 0;
    } else {
      if (incoming.type === VDIR) throw new SysError(ENOTDIR);
      old.nlink--;
    }
    this.entries.delete(name);
    old.touchChanged();
    old.maybeFree();
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    const out: DirEntry[] = [];
    /* A removed directory reads as empty, '.' and '..' included (as on Linux). */
    if (this.nlink === 0) return out;
    if (cookie === 0 && out.length < max) out.push({ name: '.', ino: this.ino, type: VDIR, cookie: 1 });
    if (cookie <= 1 && out.length < max) {
      out.push({ name: '..', ino: this.parent.ino, type: VDIR, cookie: FIRST_SEQ });
    }
    for (const [name, { node, seq }] of this.entries) {
      if (out.length >= max) break;
      if (seq < cookie) continue;
      out.push({ name, ino: node.ino, type: node.type, cookie: seq + 1 });
    }
    this.atime = nanotime();
    return out;
  }
}

export class TmpFile extends TmpNode {
  private sizeBytes = 0;
  private readonly data: FramePages;

  constructor(mp: TmpfsMount, mode: number, uid: number, gid: number) {
    super(mp, VREG, mode, uid, gid);
    this.data = new FramePages(mp.pages, mp.budget);
  }

  protected dataSize(): number {
    return this.sizeBytes;
  }
  protected override blocks512(): number {
    return this.data.count * (PAGE_SIZE / 512);
  }

  protected override resize(size: number): void {
    if (size > MAXFILESIZE) throw new SysError(EFBIG);
    if (size < this.sizeBytes) this.data.truncate(size);
    this.sizeBytes = size;
  }

  override read(off: number, len: number): Uint8Array {
    const n = Math.max(0, Math.min(len, this.sizeBytes - off));
    this.atime = nanotime();
    return this.data.read(off, n);
  }

  override write(off: number, data: Uint8Array): number {
    this.mount.checkWritable();
    if (off + data.length > MAXFILESIZE) throw new SysError(EFBIG);
    this.data.write(off, data);
    if (off + data.length > this.sizeBytes) this.sizeBytes = off + data.length;
    this.touchModified();
    return data.length;
  }

  override getPage(pgoff: number): number {
    return this.data.page(pgoff);
  }

  override dirtyPage(_pgoff: number): void {
    this.touchModified();
  }

  /* Pages without a frame are holes. */
  override seekData(off: number, hole: boolean): number {
    const size = this.sizeBytes;
    for (let pg = Math.floor(off / PAGE_SIZE); pg * PAGE_SIZE < size; pg++) {
      if (this.data.has(pg) !== hole) return Math.max(off, pg * PAGE_SIZE);
    }
    if (hole) return size;
    throw new SysError(ENXIO);
  }

  protected override freeData(): void {
    this.data.freeAll();
    this.sizeBytes = 0;
  }
}

export class TmpLink extends TmpNode {
  constructor(mp: TmpfsMount, readonly target: string, uid: number, gid: number) {
    super(mp, VLNK, 0o777, uid, gid);
  }
  protected dataSize(): number {
    return this.target.length;
  }
  override readlink(): string {
    return this.target;
  }
}

export class TmpSpecial extends TmpNode {
  constructor(mp: TmpfsMount, type: number, mode: number, uid: number, gid: number, rdev: number) {
    super(mp, type, mode, uid, gid);
    this.rdev = rdev;
  }
  protected dataSize(): number {
    return 0;
  }
}
