/*
 * mkisofs, step 2: the directory trees of the image. The ISO 9660 tree may
 * be at most 8 levels deep (ECMA-119 6.8.2.1); with Rock Ridge, deeper
 * directories move to /rr_moved and leave a CL stand-in behind, as mkisofs
 * does. The Joliet tree mirrors the host tree (files and directories only).
 * Files are shared by both trees and by hard links.
 */
import { isoIdentCompare, isoNames, jolietCompare, jolietNames } from './iso_names.ts';
import type { SrcNode } from './iso_tree.ts';

const MAX_ISO_DEPTH = 8;

export interface WFile {
  src: SrcNode;
  links: number;          // names it has in the tree (hard links)
  lba: number;            // first block of its data, once allocated
}

export type Role = 'normal' | 'placeholder' | 'relocated';

export interface WEntry {
  ident: string;          // ISO identifier or Joliet name
  src: SrcNode;
  dir: WDir | null;       // directories
  file: WFile | null;     // regular files
  role: Role;
}

export interface WDir {
  src: SrcNode | null;    // null for rr_moved
  name: string;           // Rock Ridge name
  entries: WEntry[];
  parent: WDir;           // where ".." points in this tree
  realParent: WDir;       // where it lives in the host tree (PL for relocated ones)
  relocated: boolean;
  depth: number;
  subdirs: number;        // host subdirectories, for nlink
  lba: number;
  size: number;
}

export interface Layout {
  iso: WDir;
  joliet: WDir | null;
  files: WFile[];         // in data order
}

export interface LayoutOptions {
  rockRidge: boolean;
  joliet: boolean;
  level: number;
}

function newDir(src: SrcNode | null, name: string, parent: WDir | null, depth: number): WDir {
  const subdirs = src ? src.children.filter((c) => c.kind === 'dir').length : 0;
  const d: WDir = {
    src, name, entries: [], relocated: false, depth, lba: 0, size: 0, subdirs,
    // The root is its own parent; others get theirs right here.
    parent: parent ?? (null as never), realParent: parent ?? (null as never),
  };
  if (!parent) d.parent = d.realParent = d;
  return d;
}

class Builder {
  readonly files: WFile[] = [];
  private readonly byHostId = new Map<string, WFile>();
  private readonly bySrc = new Map<SrcNode, WFile>();
  private moved: WDir | null = null;

  constructor(private readonly opts: LayoutOptions, private readonly root: WDir) {}

  /* One data copy per host file: the Joliet tree and hard links point at the same blocks. */
  fileFor(src: SrcNode): WFile {
    const known = this.bySrc.get(src) ?? (src.nlink > 1 ? this.byHostId.get(src.hostId) : undefined);
    if (known) {
      this.bySrc.set(src, known);
      return known;
    }
    const f: WFile = { src, links: 0, lba: 0 };
    this.files.push(f);
    this.bySrc.set(src, f);
    if (src.nlink > 1) this.byHostId.set(src.hostId, f);
    return f;
  }

  /* Which host entries the ISO tree can record. */
  private wanted(c: SrcNode): boolean {
    return c.kind === 'dir' || c.kind === 'file' || (this.opts.rockRidge && c.kind !== 'sock');
  }

  fillIso(d: WDir, src: SrcNode): void {
    const kids = src.children.filter((c) => this.wanted(c));
    const idents = isoNames(kids.map((c) => ({ name: c.name, isDir: c.kind === 'dir' })), this.opts.level);
    kids.forEach((c, i) => this.addIso(d, c, idents[i]));
  }

  private addIso(d: WDir, c: SrcNode, ident: string): void {
    if (c.kind !== 'dir') {
      const file = c.kind === 'file' ? this.fileFor(c) : null;
      if (file) file.links++;
      d.entries.push({ ident, src: c, dir: null, file, role: 'normal' });
      return;
    }
    if (this.opts.rockRidge && d.depth + 1 > MAX_ISO_DEPTH) {
      const moved = this.rrMoved();
      const sub = newDir(c, c.name, moved, moved.depth + 1);
      sub.realParent = d;
      sub.relocated = true;
      d.entries.push({ ident, src: c, dir: sub, file: null, role: 'placeholder' });
      moved.entries.push({ ident: '', src: c, dir: sub, file: null, role: 'relocated' });
      this.fillIso(sub, c);
      return;
    }
    const sub = newDir(c, c.name, d, d.depth + 1);
    d.entries.push({ ident, src: c, dir: sub, file: null, role: 'normal' });
    this.fillIso(sub, c);
  }

  private rrMoved(): WDir {
    if (!this.moved) this.moved = newDir(null, 'rr_moved', this.root, 2);
    return this.moved;
  }

  /* rr_moved joins the root last, so host names keep their identifiers. */
  finishMoved(): void {
    const m = this.moved;
    if (!m) return;
    const names = isoNames(m.entries.map((e) => ({ name: e.src.name, isDir: true })), this.opts.level);
    m.entries.forEach((e, i) => (e.ident = names[i]));
    m.subdirs = m.entries.length;
    const taken = new Set(this.root.entries.map((e) => e.ident));
    let ident = 'RR_MOVED';
    for (let n = 1; taken.has(ident); n++) ident = `RR_MOVED${n}`;
    const rootSrc = this.root.src;
    if (!rootSrc) throw new Error('internal: root without a source');
    const src: SrcNode = { ...rootSrc, name: 'rr_moved', children: [] };
    m.src = null;
    this.root.entries.push({ ident, src, dir: m, file: null, role: 'normal' });
    this.root.subdirs++;
  }

  fillJoliet(d: WDir, src: SrcNode): void {
    const kids = src.children.filter((c) => c.kind === 'dir' || c.kind === 'file');
    const idents = jolietNames(kids);
    kids.forEach((c, i) => {
      if (c.kind === 'dir') {
        const sub = newDir(c, c.name, d, d.depth + 1);
        d.entries.push({ ident: idents[i], src: c, dir: sub, file: null, role: 'normal' });
        this.fillJoliet(sub, c);
      } else {
        d.entries.push({ ident: idents[i], src: c, dir: null, file: this.fileFor(c), role: 'normal' });
      }
    });
  }
}

function sortTree(d: WDir, cmp: (a: string, b: string) => number, seen = new Set<WDir>()): void {
  if (seen.has(d)) return;
  seen.add(d);
  d.entries.sort((a, b) => cmp(a.ident, b.ident));
  for (const e of d.entries) if (e.dir && e.role !== 'placeholder') sortTree(e.dir, cmp, seen);
}

/** Directories of a tree in path table order: by level, then parent, then name. */
export function pathOrder(root: WDir): WDir[] {
  const out: WDir[] = [root];
  for (let i = 0; i < out.length; i++) {
    for (const e of out[i].entries) if (e.dir && e.role !== 'placeholder') out.push(e.dir);
  }
  return out;
}

export function buildLayout(src: SrcNode, opts: LayoutOptions): Layout {
  const iso = newDir(src, '', null, 1);
  const b = new Builder(opts, iso);
  b.fillIso(iso, src);
  b.finishMoved();
  sortTree(iso, isoIdentCompare);
  let joliet: WDir | null = null;
  if (opts.joliet) {
    joliet = newDir(src, '', null, 1);
    b.fillJoliet(joliet, src);
    sortTree(joliet, jolietCompare);
  }
  // Data goes in ISO tree order, which is also the order files were met.
  return { iso, joliet, files: b.files };
}
