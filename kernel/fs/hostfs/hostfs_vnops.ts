/*
 * hostfs vnodes: one per host path, made on lookup and cached by the mount
 * so a path always maps to the same vnode (mount points depend on that).
 * On a read-only mount every change fails with EROFS and files are presented
 * as owned by root with the host's permission bits. A read-write mount passes
 * changes straight to the host (synchronously: fsync has nothing left to do)
 * and shows the host's owners and times. I/O goes by path, so a file
 * unlinked on the host while open here cannot be read any more.
 */
import { EEXIST, ENOENT, EPERM, EROFS, SysError } from '../../kern/errno.ts';
import type { HostStat } from '../../platform.ts';
import type { Cred } from '../../vfs/vfs_cred.ts';
import { PAGE_SIZE } from '../../vm/physmem.ts';
import { bstrToUnicode, unicodeToBstr } from '../../vfs/bstr.ts';
import { nanotime, timespecFromMs } from '../../vfs/vfs_time.ts';
import { VDIR, VLNK, VREG, Vnode, type DirEntry, type Vattr, type VattrChange } from '../../vfs/vnode.ts';
import type { HostfsMount } from './hostfs_vfsops.ts';

export function hostType(st: HostStat): number {
  switch (st.type) {
    case 'file': return VREG;
    case 'dir': return VDIR;
    case 'symlink': return VLNK;
    default: return VREG;
  }
}

export class HostVnode extends Vnode {
  declare readonly mount: HostfsMount;
  /** Page cache: file page → frame (one reference held here). */
  private readonly cache = new Map<number, number>();
  private names: string[] | null = null;

  /** MAP_SHARED pages written by the guest, written back at fsync and when the file goes idle. */
  private readonly dirty = new Set<number>();

  constructor(mp: HostfsMount, public path: string, private st: HostStat) {
    super(mp, hostType(st));
  }

  private child(name: string): string {
    const n = bstrToUnicode(name);
    return this.path === '' ? n : `${this.path}/${n}`;
  }

  private parentPath(): string {
    const i = this.path.lastIndexOf('/');
    return i < 0 ? '' : this.path.slice(0, i);
  }

  private get rw(): boolean {
    return !this.mount.readonly;
  }

  /** Re-read the host's attributes (a read-write mount changes them under us). */
  private restat(): void {
    const st = this.mount.host.stat(this.path);
    if (st) this.st = st;
  }

  getattr(): Vattr {
    if (this.rw) this.restat();
    const st = this.st;
    const t = timespecFromMs(st.mtimeMs);
    const rw = this.rw;
    return {
      type: this.type, mode: st.mode & 0o7777, nlink: st.nlink, uid: rw ? st.uid ?? 0 : 0,
      gid: rw ? st.gid ?? 0 : 0, size: st.size,
      blocks: rw && st.blocks !== undefined ? st.blocks : Math.ceil(st.size / 512), blksize: 4096,
      ino: st.ino, fsid: this.mount.fsid, rdev: 0,
      atime: rw && st.atimeMs !== undefined ? timespecFromMs(st.atimeMs) : t, mtime: t,
      ctime: rw && st.ctimeMs !== undefined ? timespecFromMs(st.ctimeMs) : t, btime: t,
    };
  }

  override size(): number {
    if (this.rw) this.restat();
    return this.st.size;
  }

  /* ---- changes (read-write mounts) ---- */

  private made(name: string): HostVnode {
    const vp = this.mount.vnodeAt(this.child(name));
    if (!vp) throw new SysError(ENOENT);
    this.names = null;
    return vp;
  }

  private checkNew(name: string): string {
    if (this.path === '' && this.mount.synthetic(name)) throw new SysError(EEXIST);
    return this.child(name);
  }

  override create(name: string, mode: number, _cred: Cred): Vnode {
    this.mount.writer.create(this.checkNew(name), mode & 0o7777);
    return this.made(name);
  }

  override mkdir(name: string, mode: number, _cred: Cred): Vnode {
    this.mount.writer.mkdir(this.checkNew(name), mode & 0o7777);
    return this.made(name);
  }

  override mknod(): Vnode {
    /* The host would need privileges for devices; FIFOs and sockets live in tmpfs. */
    throw new SysError(this.rw ? EPERM : EROFS);
  }

  override symlink(name: string, target: string, _cred: Cred): Vnode {
    this.mount.writer.symlink(bstrToUnicode(target), this.checkNew(name));
    return this.made(name);
  }

  override link(name: string, vp: Vnode): void {
    this.mount.writer.link((vp as HostVnode).path, this.checkNew(name));
    this.made(name);
  }

  override remove(name: string): void {
    const p = this.child(name);
    this.mount.writer.unlink(p);
    this.mount.forget(p);
    this.names = null;
  }

  override rmdir(name: string): void {
    const p = this.child(name);
    this.mount.writer.rmdir(p);
    this.mount.forget(p);
    this.names = null;
  }

  override rename(fromName: string, tdvp: Vnode, toName: string): void {
    const to = tdvp as HostVnode;
    const from = this.child(fromName);
    const dest = to.child(toName);
    this.mount.writer.rename(from, dest);
    this.mount.moved(from, dest);
    this.names = null;
    to.names = null;
  }

  override setattr(ch: VattrChange): void {
    const w = this.mount.writer;
    if (ch.mode !== undefined) w.chmod(this.path, ch.mode & 0o7777);
    if (ch.uid !== undefined || ch.gid !== undefined) {
      this.restat();
      w.chown(this.path, ch.uid ?? this.st.uid ?? 0, ch.gid ?? this.st.gid ?? 0);
    }
    if (ch.size !== undefined) {
      w.truncate(this.path, ch.size);
      this.dropPagesFrom(ch.size);
    }
    if (ch.atime !== undefined || ch.mtime !== undefined) {
      this.restat();
      const ms = (t: { sec: number; nsec: number }) => t.sec * 1000 + t.nsec / 1e6;
      const now = nanotime();
      w.utimes(this.path, ms(ch.atime ?? (this.st.atimeMs !== undefined ? timespecFromMs(this.st.atimeMs) : now)),
        ms(ch.mtime ?? timespecFromMs(this.st.mtimeMs)));
    }
    this.restat();
  }

  override write(off: number, data: Uint8Array): number {
    const n = this.mount.writer.write(this.path, off, data);
    this.updateCachedPages(off, data.subarray(0, n));
    this.restat();
    return n;
  }

  override fsync(): void {
    this.writeBackDirty();
  }

  override dirtyPage(pgoff: number): void {
    if (this.rw) this.dirty.add(pgoff);
  }

  /** Keep cached (possibly mapped) pages in step with a write(2). */
  private updateCachedPages(off: number, data: Uint8Array): void {
    const mem = this.mount.pages.mem;
    for (let pg = Math.floor(off / PAGE_SIZE); pg * PAGE_SIZE < off + data.length; pg++) {
      const ppn = this.cache.get(pg);
      if (ppn === undefined) continue;
      const from = Math.max(off, pg * PAGE_SIZE);
      const to = Math.min(off + data.length, (pg + 1) * PAGE_SIZE);
      mem.noteWrite(ppn);
      mem.u8.set(data.subarray(from - off, to - off), ppn * PAGE_SIZE + (from - pg * PAGE_SIZE));
    }
  }

  /** Truncation: cached pages past the new end go, the partial last one is zeroed beyond it. */
  private dropPagesFrom(size: number): void {
    const mem = this.mount.pages.mem;
    for (const [pg, ppn] of [...this.cache]) {
      const start = pg * PAGE_SIZE;
      if (start >= size) {
        this.cache.delete(pg);
        this.dirty.delete(pg);
        this.mount.pages.unref(ppn);
      } else if (start + PAGE_SIZE > size) {
        mem.noteWrite(ppn);
        mem.u8.fill(0, ppn * PAGE_SIZE + (size - start), (ppn + 1) * PAGE_SIZE);
      }
    }
  }

  private writeBackDirty(): void {
    if (this.dirty.size === 0) return;
    const mem = this.mount.pages.mem;
    this.restat();
    for (const pg of [...this.dirty].sort((a, b) => a - b)) {
      const ppn = this.cache.get(pg);
      const start = pg * PAGE_SIZE;
      if (ppn === undefined || start >= this.st.size) continue;
      const len = Math.min(PAGE_SIZE, this.st.size - start);
      this.mount.writer.write(this.path, start, mem.u8.slice(ppn * PAGE_SIZE, ppn * PAGE_SIZE + len));
    }
    this.dirty.clear();
  }

  override lookup(name: string): Vnode {
    if (name === '..') return this.path === '' ? this : this.mount.vnodeAt(this.parentPath()) ?? this.mount.root();
    const vp = this.mount.vnodeAt(this.child(name));
    if (vp) return vp;
    const syn = this.path === '' ? this.mount.synthetic(name) : null;
    if (syn) return syn;
    throw new SysError(ENOENT);
  }

  override readlink(): string {
    return unicodeToBstr(this.mount.host.readlink(this.path));
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    if (cookie === 0 || this.names === null) this.names = this.listNames();
    const out: DirEntry[] = [];
    for (let i = cookie; i < this.names.length + 2 && out.length < max; i++) {
      out.push(this.entryAt(i));
    }
    return out;
  }

  private listNames(): string[] {
    const names = this.mount.host.readdir(this.path).map(unicodeToBstr);
    if (this.path === '') for (const s of this.mount.syntheticNames()) if (!names.includes(s)) names.push(s);
    return names;
  }

  private entryAt(i: number): DirEntry {
    if (i === 0) return { name: '.', ino: this.st.ino, type: VDIR, cookie: 1 };
    if (i === 1) {
      const p = this.lookup('..') as HostVnode;
      return { name: '..', ino: p.st.ino, type: VDIR, cookie: 2 };
    }
    const name = (this.names as string[])[i - 2];
    let ino = 0;
    let type = VREG;
    try {
      const vp = this.lookup(name);
      const va = vp.getattr();
      ino = va.ino;
      type = vp.type;
    } catch {
      /* vanished on the host meanwhile: list it anyway */
    }
    return { name, ino, type, cookie: i + 1 };
  }

  override read(off: number, len: number): Uint8Array {
    if (this.rw) this.restat();
    const n = Math.max(0, Math.min(len, this.st.size - off));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = this.mount.host.read(this.path, off + got, buf.subarray(got));
      if (r <= 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  override getPage(pgoff: number): number {
    let ppn = this.cache.get(pgoff);
    if (ppn !== undefined) return ppn;
    if (this.rw) this.restat();
    const pa = this.mount.pages;
    ppn = pa.alloc();
    const off = pgoff * PAGE_SIZE;
    if (off < this.st.size) {
      pa.mem.noteWrite(ppn);
      const frame = pa.mem.u8.subarray(ppn * PAGE_SIZE, ppn * PAGE_SIZE + Math.min(PAGE_SIZE, this.st.size - off));
      this.mount.host.read(this.path, off, frame);
    }
    this.cache.set(pgoff, ppn);
    return ppn;
  }

  /** Nobody holds the file: give its cached pages back (mappings hold their own references). */
  override inactive(): void {
    try {
      this.writeBackDirty();
    } catch {
      /* the host file vanished: nothing left to write back to */
    }
    this.dirty.clear();
    for (const ppn of this.cache.values()) this.mount.pages.unref(ppn);
    this.cache.clear();
  }
}
