/*
 * Directory operations on a directory inode's data (ufs_lookup.c's job):
 * find a name, add one (reusing slack and compacting chunks before growing
 * the directory by a DIRBLKSIZ chunk), remove one, point one elsewhere, and
 * list entries with seek cookies (the byte offset of the next record).
 */
import { EIO, SysError } from '../../kern/errno.ts';
import { bmap, type UfsCtx } from './ufs_bmap.ts';
import type { Dinode } from './ufs_dinode.ts';
import {
  chunkCheck, chunkFind, chunkInit, chunkInsert, chunkRecs, chunkRemove, DIRBLKSIZ, readRec, writeRec, type DirRec,
} from './ufs_dir.ts';
import { writeData } from './ufs_readwrite.ts';

export interface DirBlock {
  lbn: number;
  addr: number;
  buf: Uint8Array;
}

/** The directory's blocks, each checked chunk by chunk (EIO if malformed). */
export function* dirBlocks(ctx: UfsCtx, dip: Dinode): Generator<DirBlock> {
  const sb = ctx.sb;
  if (dip.size % DIRBLKSIZ) throw new SysError(EIO);
  for (let lbn = 0; lbn * sb.bsize < dip.size; lbn++) {
    const addr = bmap(ctx, dip, lbn);
    if (addr === 0) throw new SysError(EIO);
    const buf = ctx.io.read(addr * sb.fsize, Math.min(sb.bsize, dip.size - lbn * sb.bsize));
    for (let base = 0; base < buf.length; base += DIRBLKSIZ) {
      if (chunkCheck(buf, base) !== null) throw new SysError(EIO);
    }
    yield { lbn, addr, buf };
  }
}

function putBlock(ctx: UfsCtx, b: DirBlock): void {
  ctx.io.write(b.addr * ctx.sb.fsize, b.buf);
}

export interface DirHit {
  block: DirBlock;
  rec: DirRec;
  base: number;
}

export function dirFind(ctx: UfsCtx, dip: Dinode, name: string): DirHit | null {
  for (const block of dirBlocks(ctx, dip)) {
    for (let base = 0; base < block.buf.length; base += DIRBLKSIZ) {
      const off = chunkFind(block.buf, base, name);
      if (off >= 0) return { block, rec: readRec(block.buf, off), base };
    }
  }
  return null;
}

/** ufs_direnter. dip is updated when the directory grows; the caller writes it. */
export function dirEnter(ctx: UfsCtx, dirIno: number, dip: Dinode, name: string, ino: number, type: number): void {
  for (const block of dirBlocks(ctx, dip)) {
    for (let base = 0; base < block.buf.length; base += DIRBLKSIZ) {
      if (chunkInsert(block.buf, base, ino, type, name) >= 0) {
        putBlock(ctx, block);
        return;
      }
    }
  }
  const chunk = new Uint8Array(DIRBLKSIZ);
  chunkInit(chunk, 0);
  chunkInsert(chunk, 0, ino, type, name);
  writeData(ctx, dirIno, dip, dip.size, chunk);
}

/** ufs_dirremove: returns the inode the name pointed at. */
export function dirRemove(ctx: UfsCtx, hit: DirHit): number {
  chunkRemove(hit.block.buf, hit.base, hit.rec.off);
  putBlock(ctx, hit.block);
  return hit.rec.ino;
}

/** ufs_dirrewrite: point an existing entry at another inode. */
export function dirRewrite(ctx: UfsCtx, hit: DirHit, ino: number, type: number): void {
  writeRec(hit.block.buf, hit.rec.off, ino, hit.rec.reclen, type, hit.rec.name);
  putBlock(ctx, hit.block);
}

/** ufs_dirempty: only "." and ".." left. */
export function dirEmpty(ctx: UfsCtx, dip: Dinode): boolean {
  for (const block of dirBlocks(ctx, dip)) {
    for (let base = 0; base < block.buf.length; base += DIRBLKSIZ) {
      for (const rec of chunkRecs(block.buf, base)) if (rec.name !== '.' && rec.name !== '..') return false;
    }
  }
  return true;
}

export interface UfsDirent {
  name: string;
  ino: number;
  /** d_type (DT_REG, DT_DIR, ...). */
  type: number;
  /** Offset to resume listing after this entry. */
  cookie: number;
}

/** Entries at byte offset cookie and after, at most max of them. */
export function dirList(ctx: UfsCtx, dip: Dinode, cookie: number, max: number): UfsDirent[] {
  const out: UfsDirent[] = [];
  const bsize = ctx.sb.bsize;
  for (const block of dirBlocks(ctx, dip)) {
    const start = block.lbn * bsize;
    if (start + block.buf.length <= cookie) continue;
    for (let off = 0; off < block.buf.length;) {
      const r = readRec(block.buf, off);
      if (r.ino !== 0 && start + off >= cookie) {
        if (out.length >= max) return out;
        out.push({ name: r.name, ino: r.ino, type: r.type, cookie: start + off + r.reclen });
      }
      off += r.reclen;
    }
  }
  return out;
}
