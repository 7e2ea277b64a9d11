/*
 * hostfs vnodes: one per host path, made on lookup and cached by the mount
 * so a path always maps to the same vnode (mount points depend on that).
 * Read-only: every change fails with EROFS. Files are presented as owned by
 * root with the host's permission bits.
 */
import { ENOENT, EROFS, SysError } from '../../kern/errno.ts';
import type { HostStat } from '../../platform.ts';
import { PAGE_SIZE } from '../../vm/physmem.ts';
import { bstrToUnicode, unicodeToBstr } from '../../vfs/bstr.ts';
import { timespecFromMs } from '../../vfs/vfs_time.ts';
import { VDIR, VLNK, VREG, Vnode, type DirEntry, type Vattr } from '../../vfs/vnode.ts';
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

  constructor(mp: HostfsMount, readonly path: string, private st: HostStat) {
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

  getattr(): Vattr {
    const st = this.st;
    const t = timespecFromMs(st.mtimeMs);
    return {
      type: this.type, mode: st.mode & 0o7777, nlink: st.nlink, uid: 0, gid: 0, size: st.size,
      blocks: Math.ceil(st.size / 512), blksize: 4096, ino: st.ino, fsid: this.mount.fsid, rdev: 0,
      atime: t, mtime: t, ctime: t, btime: t,
    };
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

  override write(): number {
    throw new SysError(EROFS);
  }

  override getPage(pgoff: number): number {
    let ppn = this.cache.get(pgoff);
    if (ppn !== undefined) return ppn;
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
    for (const ppn of this.cache.values()) this.mount.pages.unref(ppn);
    this.cache.clear();
  }
}
