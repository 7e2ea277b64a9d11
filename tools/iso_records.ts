/*
 * mkisofs: the directory records of one directory, in either tree, and
 * their packing into sectors (a record never straddles a sector).
 */
import { ascii, dirRecord, dirRecordLen, date7, SECTOR, ucs2 } from './iso_encode.ts';
import type { WDir, WEntry, WFile } from './iso_layout.ts';
import {
  CeAllocator, packSusp, rrCL, rrNM, rrPL, rrPN, rrPX, rrRE, rrSL, rrTF, suspER, suspSP,
  type RrAttrs,
} from './iso_rrip.ts';
import type { SrcNode } from './iso_tree.ts';

const FLAG_DIR = 0x02, FLAG_MULTI_EXTENT = 0x80;

export interface RecordContext {
  rockRidge: boolean;     // this tree carries Rock Ridge (the ISO tree with -R)
  joliet: boolean;        // this is the Joliet tree
  date: number | null;    // fixed timestamp for everything, or null for the host's
  maxExtent: number;      // bytes per extent of a multi-extent file
  nullLba: number;        // where empty files and non-files point
  rootSrc: SrcNode;
  ce: CeAllocator;
}

function attrs(ctx: RecordContext, src: SrcNode, nlink: number): RrAttrs {
  const t = (host: number): number => ctx.date ?? host;
  return { mode: src.mode, nlink, uid: src.uid, gid: src.gid, mtime: t(src.mtime), atime: t(src.atime), ctime: t(src.ctime) };
}

function dirAttrs(ctx: RecordContext, d: WDir): RrAttrs {
  return attrs(ctx, d.src ?? ctx.rootSrc, 2 + d.subdirs);
}

function su(ctx: RecordContext, identLen: number, entries: () => Uint8Array[]): Uint8Array {
  if (!ctx.rockRidge) return new Uint8Array(0);
  return packSusp(entries(), 255 - dirRecordLen(identLen, 0), ctx.ce);
}

function ident(ctx: RecordContext, e: WEntry): Uint8Array {
  return ctx.joliet ? ucs2(e.ident) : ascii(e.ident);
}

function dotRecords(ctx: RecordContext, d: WDir): Uint8Array[] {
  const self = dirAttrs(ctx, d), up = dirAttrs(ctx, d.realParent);
  const isRoot = d.parent === d;
  const dot = dirRecord({
    ident: Uint8Array.of(0), extent: d.lba, size: d.size, flags: FLAG_DIR, date: date7(self.mtime),
    su: su(ctx, 1, () => [...(isRoot ? [suspSP()] : []), rrPX(self), rrTF(self), ...(isRoot ? [suspER()] : [])]),
  });
  const dotdot = dirRecord({
    ident: Uint8Array.of(1), extent: d.parent.lba, size: d.parent.size, flags: FLAG_DIR,
    date: date7(up.mtime),
    su: su(ctx, 1, () => [rrPX(up), rrTF(up), ...(d.relocated ? [rrPL(d.realParent.lba)] : [])]),
  });
  return [dot, dotdot];
}

function entryRecords(ctx: RecordContext, e: WEntry): Uint8Array[] {
  return e.dir ? dirEntryRecord(ctx, e, e.dir) : fileRecords(ctx, e);
}

/* A subdirectory, or a CL stand-in for one relocated to rr_moved (a zero-length file). */
function dirEntryRecord(ctx: RecordContext, e: WEntry, dir: WDir): Uint8Array[] {
  const id = ident(ctx, e);
  const a = dirAttrs(ctx, dir);
  const stand = e.role === 'placeholder';
  const rr = (): Uint8Array[] => [rrPX(a), rrTF(a), ...rrNM(e.src.name),
    ...(hidden(e) ? [rrRE()] : []), ...(stand ? [rrCL(dir.lba)] : [])];
  return [dirRecord({
    ident: id, extent: stand ? ctx.nullLba : dir.lba, size: stand ? 0 : dir.size,
    flags: stand ? 0 : FLAG_DIR, date: date7(a.mtime), su: su(ctx, id.length, rr),
  })];
}

/* A file: one record per extent (all but the last flagged), each with the full Rock Ridge set. */
function fileRecords(ctx: RecordContext, e: WEntry): Uint8Array[] {
  const id = ident(ctx, e);
  const a = attrs(ctx, e.src, e.file ? e.file.links : 1);
  const rr = (): Uint8Array[] => [rrPX(a), rrTF(a), ...rrNM(e.src.name), ...special(e.src)];
  return extents(ctx, e.file).map((x, i, all) => dirRecord({
    ident: id, extent: x.lba, size: x.size, flags: i < all.length - 1 ? FLAG_MULTI_EXTENT : 0,
    date: date7(a.mtime), su: su(ctx, id.length, rr),
  }));
}

/*
 * RE hides a relocated directory from Rock Ridge readers where it really
 * lies; rr_moved itself gets one too, as xorriso does, so the Rock Ridge
 * view is exactly the host tree.
 */
function hidden(e: WEntry): boolean {
  return e.role === 'relocated' || (e.dir !== null && e.dir.src === null);
}

function special(src: SrcNode): Uint8Array[] {
  if (src.kind === 'symlink') return rrSL(src.target);
  if (src.kind === 'chr' || src.kind === 'blk') return [rrPN(src.rdev)];
  return [];
}

/** A file's extents: one per maxExtent bytes (a multi-extent file past that). */
export function extents(ctx: { maxExtent: number; nullLba: number }, f: WFile | null): { lba: number; size: number }[] {
  const size = f ? f.src.size : 0;
  if (!f || size === 0) return [{ lba: ctx.nullLba, size: 0 }];
  const out: { lba: number; size: number }[] = [];
  for (let off = 0; off < size; off += ctx.maxExtent) {
    out.push({ lba: f.lba + off / SECTOR, size: Math.min(ctx.maxExtent, size - off) });
  }
  return out;
}

/** The directory's bytes: its records packed into whole sectors. */
export function directoryBytes(ctx: RecordContext, d: WDir): Uint8Array {
  const recs = [...dotRecords(ctx, d), ...d.entries.flatMap((e) => entryRecords(ctx, e))];
  const sectors: Uint8Array[] = [new Uint8Array(SECTOR)];
  let used = 0;
  for (const r of recs) {
    if (used + r.length > SECTOR) {
      sectors.push(new Uint8Array(SECTOR));
      used = 0;
    }
    sectors[sectors.length - 1].set(r, used);
    used += r.length;
  }
  const out = new Uint8Array(sectors.length * SECTOR);
  sectors.forEach((s, i) => out.set(s, i * SECTOR));
  return out;
}
