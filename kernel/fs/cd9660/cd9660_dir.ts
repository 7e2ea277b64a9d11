/*
 * A directory's entries, parsed once (BSD's cd9660_readdir and the scan in
 * cd9660_lookup, merged: the volume is read-only, so the parse is cached on
 * the node). Multi-extent files — consecutive records of one name, all but
 * the last flagged — become one entry. Rock Ridge decides names, types and
 * the relocation of deep directories (CL stand-ins appear as directories,
 * RE originals are hidden, PL gives a relocated directory's real parent).
 */
import type { BlockDev } from './blockdev.ts';
import { bread } from './cd9660_bio.ts';
import { corrupt } from './cd9660_error.ts';
import { dirRecords, isDotDotRecord, isDotRecord, type IsoDirRecord } from './cd9660_dirrec.ts';
import { ISO_FLAG_ASSOCIATED, ISO_FLAG_DIRECTORY, ISO_FLAG_MULTI_EXTENT } from './iso.ts';
import { rripAnalyze, type RrInfo } from './cd9660_rrip.ts';
import { suspEntries } from './cd9660_susp.ts';
import { isofntrans, type NameTrans } from './cd9660_util.ts';
import type { IsoNode } from './cd9660_node.ts';
import { ifmtToVtype, VDIR, VLNK, VNON, VREG } from '../../vfs/vnode.ts';

/* Directories are read whole; a bigger one is damage, not data (≈ 600k entries). */
const MAX_DIR_SIZE = 64 * 1024 * 1024;

/** What a scan needs to know about the mount. */
export interface DirContext {
  dev: BlockDev;
  lbs: number;
  rrip: boolean;
  rrSkip: number;       // SP's LEN_SKP
  trans: NameTrans;
}

export interface IsoDirent {
  name: string;         // byte string
  ino: number;
  type: number;         // vtype
  off: number;          // offset of its first record in the directory: its readdir position
  cookie: number;       // offset just after its last record: where readdir resumes
  recs: IsoDirRecord[]; // one, or the pieces of a multi-extent file
  rr: RrInfo | null;
}

export function scanDir(ctx: DirContext, dir: IsoNode): IsoDirent[] {
  const ext = dir.extents[0];
  if (!ext || ext.len > MAX_DIR_SIZE) corrupt(`directory ${dir.ino} has an impossible size`);
  const buf = bread(ctx.dev, ext.start, ext.len);
  const out: IsoDirent[] = [];
  let pending: IsoDirRecord[] = [];
  for (const rec of dirRecords(buf, ext.start)) {
    if (pending.length) {
      if (!sameName(pending[0], rec)) corrupt(`multi-extent file at ${pending[0].diskOffset} is cut short`);
      pending.push(rec);
      if (rec.flags & ISO_FLAG_MULTI_EXTENT) continue;
    } else if (rec.flags & ISO_FLAG_MULTI_EXTENT) {
      pending = [rec];
      continue;
    } else {
      pending = [rec];
    }
    const e = makeDirent(ctx, dir, pending);
    if (e) out.push(e);
    pending = [];
  }
  if (pending.length) corrupt(`multi-extent file at ${pending[0].diskOffset} runs off its directory`);
  return out;
}

function sameName(a: IsoDirRecord, b: IsoDirRecord): boolean {
  if (a.name.length !== b.name.length) return false;
  for (let i = 0; i < a.name.length; i++) if (a.name[i] !== b.name[i]) return false;
  return true;
}

export function recordRrip(ctx: DirContext, rec: IsoDirRecord): RrInfo | null {
  return ctx.rrip ? rripAnalyze(suspEntries(ctx.dev, ctx.lbs, rec, ctx.rrSkip)) : null;
}

function makeDirent(ctx: DirContext, dir: IsoNode, recs: IsoDirRecord[]): IsoDirent | null {
  const first = recs[0], last = recs[recs.length - 1];
  const pos = { off: first.dirOffset, cookie: last.dirOffset + last.raw.length, recs };
  if (isDotRecord(first)) return { name: '.', ino: dir.ino, type: VDIR, rr: null, ...pos };
  if (isDotDotRecord(first)) {
    const rr = recordRrip(ctx, first);
    const ino = rr?.parentLink != null ? rr.parentLink * ctx.lbs : dataStart(ctx, first);
    return { name: '..', ino, type: VDIR, rr, ...pos };
  }
  // Associated files are resource forks of the file of the same name.
  if (first.flags & ISO_FLAG_ASSOCIATED) return null;
  const rr = recordRrip(ctx, first);
  if (rr?.relocated) return null;
  const name = rr?.name || isofntrans(first.name, ctx.trans);
  if (rr?.childLink != null) return { name, ino: rr.childLink * ctx.lbs, type: VDIR, rr, ...pos };
  if (first.flags & ISO_FLAG_DIRECTORY) return { name, ino: dataStart(ctx, first), type: VDIR, rr, ...pos };
  return { name, ino: first.diskOffset, type: fileType(rr), rr, ...pos };
}

function fileType(rr: RrInfo | null): number {
  if (rr?.mode != null) {
    const t = ifmtToVtype(rr.mode);
    if (t !== VNON && t !== VDIR) return t;
  }
  return rr?.symlink != null ? VLNK : VREG;
}

/** Where a record's data starts: after its extended attribute record. */
export function dataStart(ctx: DirContext, rec: IsoDirRecord): number {
  return (rec.extent + rec.xarLen) * ctx.lbs;
}
