/*
 * mkisofs, step 3: allocate blocks and write the image. Directory sizes do
 * not depend on where anything lies, so a sizing pass fixes every size
 * first; blocks are then handed out in image order (descriptors, path
 * tables, ISO directories, Joliet directories, Rock Ridge continuation
 * areas, one shared empty block, file data) and everything is written in
 * that order. Nothing reads the clock when a date is given, so the same
 * tree and options give the same bytes.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ascii, blocks, SECTOR, ucs2 } from './iso_encode.ts';
import { buildLayout, pathOrder, type Layout, type WDir } from './iso_layout.ts';
import { directoryBytes, type RecordContext } from './iso_records.ts';
import { CeAllocator } from './iso_rrip.ts';
import { scanTree } from './iso_tree.ts';
import { pathTables, terminator, volumeDescriptor, type PathTables } from './iso_vd.ts';

export interface MkisofsOptions {
  rockRidge: boolean;
  joliet: boolean;
  level: number;          // interchange level 1-3
  volid: string;
  date: number | null;    // fixed timestamp (seconds) for the volume and every file
  maxExtent: number;      // bytes per extent (a multiple of 2048); bigger files are multi-extent
}

export const MAX_EXTENT = 0xfffff800;

interface Tree {
  root: WDir;
  dirs: WDir[];
  joliet: boolean;
  paths: PathTables;
  bytes: Uint8Array[];
}

function makeTree(root: WDir, joliet: boolean): Tree {
  const dirs = pathOrder(root);
  // Path table records number their parents in 16 bits.
  if (dirs.length > 0xffff) throw new Error(`${dirs.length} directories: ISO 9660 allows 65535`);
  const paths = { size: 0, l: new Uint8Array(0), m: new Uint8Array(0), lLba: 0, mLba: 0 };
  return { root, dirs, joliet, paths, bytes: [] };
}

function identMap(t: Tree): Map<WDir, Uint8Array> {
  const m = new Map<WDir, Uint8Array>();
  for (const d of t.dirs) {
    for (const e of d.entries) {
      if (e.dir && e.role !== 'placeholder') m.set(e.dir, t.joliet ? ucs2(e.ident) : ascii(e.ident));
    }
  }
  return m;
}

function render(t: Tree, ctx: RecordContext): void {
  const c = { ...ctx, rockRidge: ctx.rockRidge && !t.joliet, joliet: t.joliet };
  t.bytes = t.dirs.map((d) => directoryBytes(c, d));
  t.dirs.forEach((d, i) => (d.size = t.bytes[i].length));
}

function checkLevel(layout: Layout, opts: MkisofsOptions): void {
  for (const f of layout.files) {
    if (f.src.size > opts.maxExtent && opts.level < 3) {
      throw new Error(`${f.src.path}: needs a multi-extent file; use -iso-level 3`);
    }
  }
}

export function writeIso(srcDir: string, outPath: string, opts: MkisofsOptions): void {
  const src = scanTree(srcDir);
  const layout = buildLayout(src, opts);
  checkLevel(layout, opts);
  const trees = [makeTree(layout.iso, false), ...(layout.joliet ? [makeTree(layout.joliet, true)] : [])];
  const ctx: RecordContext = {
    rockRidge: opts.rockRidge, joliet: false, date: opts.date, maxExtent: opts.maxExtent,
    nullLba: 0, rootSrc: src, ce: new CeAllocator(0),
  };
  // Sizing pass: locations are all 0, but every size comes out right.
  for (const t of trees) render(t, ctx);
  const ceBlocks = ctx.ce.blockCount;
  const volumeBlocks = allocate(trees, ctx, layout, ceBlocks);
  // Writing pass: the same records, now with their locations.
  for (const t of trees) {
    render(t, ctx);
    const pt = pathTables(t.dirs, identMap(t));
    t.paths.l = pt.l;
    t.paths.m = pt.m;
  }
  if (ctx.ce.blockCount !== ceBlocks) throw new Error('internal: continuation areas moved');
  const date = opts.date ?? Math.floor(Date.now() / 1000);
  emit(outPath, trees, ctx, layout, { date, volid: opts.volid, blocks: volumeBlocks });
}

/* Blocks in image order; returns the volume size in blocks. */
function allocate(trees: Tree[], ctx: RecordContext, layout: Layout, ceBlocks: number): number {
  let lba = 16 + trees.length + 1;
  for (const t of trees) {
    const pt = pathTables(t.dirs, identMap(t));
    t.paths = { size: pt.l.length, l: pt.l, m: pt.m, lLba: lba, mLba: lba + blocks(pt.l.length) };
    lba += 2 * blocks(pt.l.length);
  }
  for (const t of trees) {
    for (const d of t.dirs) {
      d.lba = lba;
      lba += blocks(d.size);
    }
  }
  ctx.ce = new CeAllocator(lba);
  lba += ceBlocks;
  ctx.nullLba = lba++;
  for (const f of layout.files) {
    f.lba = lba;
    lba += blocks(f.src.size);
  }
  return lba;
}

function emit(outPath: string, trees: Tree[], ctx: RecordContext, layout: Layout,
  vol: { date: number; volid: string; blocks: number }): void {
  const fd = openSync(outPath, 'w');
  try {
    const put = (lba: number, b: Uint8Array): void => { writeSync(fd, b, 0, b.length, lba * SECTOR); };
    put(0, new Uint8Array(16 * SECTOR));
    trees.forEach((t, i) => put(16 + i, volumeDescriptor({
      // The PVD wants d-characters, but like genisoimage we keep the label as given (ASCII).
      joliet: t.joliet,
      volid: t.joliet ? vol.volid : vol.volid.replace(/[^\x20-\x7e]/g, '_'),
      volumeBlocks: vol.blocks, root: t.root, paths: t.paths, date: vol.date,
    })));
    put(16 + trees.length, terminator());
    for (const t of trees) {
      put(t.paths.lLba, padded(t.paths.l));
      put(t.paths.mLba, padded(t.paths.m));
      t.dirs.forEach((d, i) => put(d.lba, t.bytes[i]));
    }
    for (let i = 0; i < ctx.ce.blockCount; i++) put(ctx.ce.base + i, ctx.ce.block(i));
    put(ctx.nullLba, new Uint8Array(SECTOR));
    for (const f of layout.files) copyFile(fd, f.src.path, f.src.size, f.lba);
  } finally {
    closeSync(fd);
  }
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(blocks(b.length) * SECTOR);
  out.set(b);
  return out;
}

/* File data in 1 MiB pieces, so files of any size stream through. */
function copyFile(fd: number, path: string, size: number, lba: number): void {
  const src = openSync(path, 'r');
  const buf = new Uint8Array(1 << 20);
  try {
    let off = 0;
    while (off < size) {
      const n = readSync(src, buf, 0, Math.min(buf.length, size - off), off);
      if (n <= 0) throw new Error(`${path}: shrank while being written`);
      writeSync(fd, buf, 0, n, lba * SECTOR + off);
      off += n;
    }
    const tail = (SECTOR - (size % SECTOR)) % SECTOR;
    if (tail) writeSync(fd, new Uint8Array(tail), 0, tail, lba * SECTOR + size);
  } finally {
    closeSync(src);
  }
}
