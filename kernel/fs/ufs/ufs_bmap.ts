/*
 * Logical → physical block mapping (ufs_bmap), allocation on write
 * (ffs_balloc) and truncation (ffs_truncate) through the direct, single,
 * double and triple indirect pointers. Addresses are fragment numbers; 0 is
 * a hole. Only the last block of a small file (lbn < NDADDR) may be a run of
 * fragments shorter than a block; everything else is whole blocks.
 */
import { EFBIG, EIO, SysError } from '../../kern/errno.ts';
import type { UfsAlloc } from './ufs_alloc.ts';
import type { Dinode } from './ufs_dinode.ts';
import { DEV_BSIZE, NDADDR, NIADDR, type Superblock } from './ufs_fs.ts';
import type { UfsIo } from './ufs_txn.ts';

export interface UfsCtx {
  sb: Superblock;
  io: UfsIo;
  alloc: UfsAlloc;
}

/** Where lbn lives: level -1 = direct, else indirect level 0..2 with the index at each step. */
export interface IndirPath {
  level: number;
  idx: number[];
}

export function indirPath(sb: Superblock, lbn: number): IndirPath {
  if (lbn < NDADDR) return { level: -1, idx: [lbn] };
  let rest = lbn - NDADDR, span = 1;
  for (let level = 0; level < NIADDR; level++) {
    span *= sb.nindir;
    if (rest < span) {
      const idx: number[] = [];
      for (let k = 0; k <= level; k++) {
        span /= sb.nindir;
        idx.push(Math.floor(rest / span));
        rest %= span;
      }
      return { level, idx };
    }
    rest -= span;
  }
  throw new SysError(EFBIG);
}

export function ptrGet(sb: Superblock, blk: Uint8Array, i: number): number {
  const dv = new DataView(blk.buffer, blk.byteOffset, blk.byteLength);
  return sb.ufs2 ? Number(dv.getBigInt64(8 * i, true)) : dv.getInt32(4 * i, true);
}

export function ptrSet(sb: Superblock, blk: Uint8Array, i: number, v: number): void {
  const dv = new DataView(blk.buffer, blk.byteOffset, blk.byteLength);
  if (sb.ufs2) dv.setBigInt64(8 * i, BigInt(v), true);
  else dv.setInt32(4 * i, v, true);
}

function checkAddr(ctx: UfsCtx, a: number): number {
  if (a !== 0 && !ctx.alloc.isDataFrag(a)) throw new SysError(EIO);
  return a;
}

function readBlk(ctx: UfsCtx, a: number): Uint8Array {
  return ctx.io.read(a * ctx.sb.fsize, ctx.sb.bsize);
}

/** ufs_bmap: the fragment address of logical block lbn, 0 for a hole. */
export function bmap(ctx: UfsCtx, ip: Dinode, lbn: number): number {
  const p = indirPath(ctx.sb, lbn);
  if (p.level < 0) return checkAddr(ctx, ip.db[lbn]);
  let a = checkAddr(ctx, ip.ib[p.level]);
  for (const i of p.idx) {
    if (a === 0) return 0;
    a = checkAddr(ctx, ptrGet(ctx.sb, readBlk(ctx, a), i));
  }
  return a;
}

/* ffs_blkpref, simplified: right after the previous block, else the inode's group. */
function blkpref(ctx: UfsCtx, ino: number, ip: Dinode, lbn: number): number {
  const sb = ctx.sb;
  if (lbn > 0 && lbn - 1 < NDADDR && ip.db[lbn - 1] > 0) return ip.db[lbn - 1] + sb.frag;
  if (lbn > 0 && lbn - 1 >= NDADDR) {
    const prev = bmap(ctx, ip, lbn - 1);
    if (prev > 0) return prev + sb.frag;
  }
  return sb.cgdmin(sb.inoToCg(ino));
}

function addBlocks(ctx: UfsCtx, ip: Dinode, frags: number): void {
  ip.blocks += (frags * ctx.sb.fsize) / DEV_BSIZE;
}

function zeroFrags(ctx: UfsCtx, a: number, n: number): void {
  ctx.io.write(a * ctx.sb.fsize, new Uint8Array(n * ctx.sb.fsize));
}

/**
 * ffs_balloc: make logical block lbn hold nfrags fragments (a full block
 * beyond the direct blocks). oldFrags is what the block holds now (0 if a
 * hole). New space is zero-filled; a grown fragment keeps its data.
 */
export function balloc(ctx: UfsCtx, ino: number, ip: Dinode, lbn: number, nfrags: number, oldFrags: number): number {
  const sb = ctx.sb;
  const cg = sb.inoToCg(ino);
  const p = indirPath(sb, lbn);
  if (p.level < 0) {
    ip.db[lbn] = growDirect(ctx, ino, ip, lbn, nfrags, oldFrags);
    return ip.db[lbn];
  }
  if (ip.ib[p.level] === 0) {
    ip.ib[p.level] = ctx.alloc.allocBlock(blkpref(ctx, ino, ip, lbn), cg);
    zeroFrags(ctx, ip.ib[p.level], sb.frag);
    addBlocks(ctx, ip, sb.frag);
  }
  let parent = checkAddr(ctx, ip.ib[p.level]);
  for (let k = 0; k < p.idx.length; k++) {
    const blk = readBlk(ctx, parent);
    let a = checkAddr(ctx, ptrGet(sb, blk, p.idx[k]));
    if (a === 0) {
      a = ctx.alloc.allocBlock(k === p.idx.length - 1 ? blkpref(ctx, ino, ip, lbn) : parent + sb.frag, cg);
      zeroFrags(ctx, a, sb.frag);
      addBlocks(ctx, ip, sb.frag);
      ptrSet(sb, blk, p.idx[k], a);
      ctx.io.write(parent * sb.fsize, blk);
    }
    parent = a;
  }
  return parent;
}

function growDirect(ctx: UfsCtx, ino: number, ip: Dinode, lbn: number, nfrags: number, oldFrags: number): number {
  const sb = ctx.sb, cur = checkAddr(ctx, ip.db[lbn]);
  if (cur !== 0 && oldFrags >= nfrags) return cur;
  const cg = sb.inoToCg(ino);
  if (cur === 0) {
    const a = ctx.alloc.allocFrags(nfrags, blkpref(ctx, ino, ip, lbn), cg);
    zeroFrags(ctx, a, nfrags);
    addBlocks(ctx, ip, nfrags);
    return a;
  }
  /* ffs_realloccg: extend in place, else move the data to a bigger run. */
  if (ctx.alloc.extendFrags(cur, oldFrags, nfrags)) {
    zeroFrags(ctx, cur + oldFrags, nfrags - oldFrags);
    addBlocks(ctx, ip, nfrags - oldFrags);
    return cur;
  }
  const a = ctx.alloc.allocFrags(nfrags, blkpref(ctx, ino, ip, lbn), cg);
  const data = new Uint8Array(nfrags * sb.fsize);
  data.set(ctx.io.read(cur * sb.fsize, oldFrags * sb.fsize));
  ctx.io.write(a * sb.fsize, data);
  ctx.alloc.free(cur, oldFrags);
  addBlocks(ctx, ip, nfrags - oldFrags);
  return a;
}

/**
 * ffs_truncate (shrinking): drop every block past newSize, shrink a direct
 * tail block to the fragments it still needs, and zero the bytes past EOF in
 * the new last block so that a later extension reads zeros there.
 */
export function truncateBlocks(ctx: UfsCtx, ip: Dinode, newSize: number): void {
  const sb = ctx.sb, oldSize = ip.size;
  const last = newSize === 0 ? -1 : sb.lblkno(newSize - 1);
  for (let lbn = NDADDR - 1; lbn > last && lbn >= 0; lbn--) {
    if (ip.db[lbn] === 0) continue;
    const n = sb.numfrags(sb.blksize(oldSize, lbn));
    ctx.alloc.free(checkAddr(ctx, ip.db[lbn]), n);
    addBlocks(ctx, ip, -n);
    ip.db[lbn] = 0;
  }
  let base = NDADDR, span = 1;
  for (let level = 0; level < NIADDR; level++) {
    span *= sb.nindir;
    if (ip.ib[level] !== 0 && trimIndir(ctx, ip, checkAddr(ctx, ip.ib[level]), level, base, last)) ip.ib[level] = 0;
    base += span;
  }
  if (last >= 0) shrinkTail(ctx, ip, oldSize, newSize, last);
}

/* Free what lies past lastKeep below the indirect block a; true if a itself went. */
function trimIndir(ctx: UfsCtx, ip: Dinode, a: number, level: number, base: number, lastKeep: number): boolean {
  const sb = ctx.sb;
  const childSpan = sb.nindir ** level;
  if (base + childSpan * sb.nindir - 1 <= lastKeep) return false;
  const blk = readBlk(ctx, a);
  let changed = false;
  for (let i = 0; i < sb.nindir; i++) {
    const child = checkAddr(ctx, ptrGet(sb, blk, i));
    const cbase = base + i * childSpan;
    if (child === 0 || cbase + childSpan - 1 <= lastKeep) continue;
    const gone = level === 0 ? freeData(ctx, ip, child) : trimIndir(ctx, ip, child, level - 1, cbase, lastKeep);
    if (gone) {
      ptrSet(sb, blk, i, 0);
      changed = true;
    }
  }
  if (base > lastKeep) {
    ctx.alloc.free(a, sb.frag);
    addBlocks(ctx, ip, -sb.frag);
    return true;
  }
  if (changed) ctx.io.write(a * sb.fsize, blk);
  return false;
}

function freeData(ctx: UfsCtx, ip: Dinode, a: number): boolean {
  ctx.alloc.free(a, ctx.sb.frag);
  addBlocks(ctx, ip, -ctx.sb.frag);
  return true;
}

function shrinkTail(ctx: UfsCtx, ip: Dinode, oldSize: number, newSize: number, last: number): void {
  const sb = ctx.sb;
  const a = bmap(ctx, ip, last);
  if (a === 0) return;
  const osize = sb.blksize(oldSize, last), nsize = sb.blksize(newSize, last);
  if (last < NDADDR && nsize < osize) {
    const keep = sb.numfrags(nsize), had = sb.numfrags(osize);
    ctx.alloc.free(a + keep, had - keep);
    addBlocks(ctx, ip, keep - had);
  }
  const off = sb.blkoff(newSize);
  if (off !== 0) ctx.io.write(a * sb.fsize + off, new Uint8Array(nsize - off));
}
