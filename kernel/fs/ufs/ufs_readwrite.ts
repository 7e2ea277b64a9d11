/*
 * File data: ffs_read and ffs_write over the block map. Holes read as
 * zeros. Writing follows the FFS fragment rules: a file's tail block below
 * NDADDR holds only the fragments its size needs; before a write extends a
 * file past such a fragmented tail, the tail is first grown into a full
 * block, so fragments only ever occur at the end.
 */
import { EFBIG, SysError } from '../../kern/errno.ts';
import { balloc, bmap, type UfsCtx } from './ufs_bmap.ts';
import type { Dinode } from './ufs_dinode.ts';
import { NDADDR } from './ufs_fs.ts';

export function readData(ctx: UfsCtx, ip: Dinode, off: number, len: number): Uint8Array {
  const sb = ctx.sb;
  const end = Math.min(ip.size, off + len);
  if (off >= end) return new Uint8Array(0);
  const out = new Uint8Array(end - off);
  for (let pos = off; pos < end;) {
    const lbn = sb.lblkno(pos), boff = sb.blkoff(pos);
    const n = Math.min(end - pos, sb.bsize - boff);
    const a = bmap(ctx, ip, lbn);
    if (a !== 0) out.set(ctx.io.read(a * sb.fsize + boff, n), pos - off);
    pos += n;
  }
  return out;
}

/** The fragments lbn holds now in a file of ip.size bytes (0 past EOF or for a hole). */
function heldFrags(ctx: UfsCtx, ip: Dinode, lbn: number): number {
  const sb = ctx.sb;
  if (ip.size <= lbn * sb.bsize) return 0;
  return sb.numfrags(sb.blksize(ip.size, lbn));
}

/* Grow a fragmented tail block to a full one before the file extends past it. */
function growTail(ctx: UfsCtx, ino: number, ip: Dinode, firstLbn: number): void {
  const sb = ctx.sb;
  const nb = sb.lblkno(ip.size);
  if (nb >= NDADDR || nb >= firstLbn || ip.size === nb * sb.bsize) return;
  if (ip.db[nb] !== 0) balloc(ctx, ino, ip, nb, sb.frag, heldFrags(ctx, ip, nb));
  ip.size = (nb + 1) * sb.bsize;
}

/** How far a write got before it failed (for a short write on ENOSPC). */
export interface WriteProgress {
  done: number;
}

/** Write data at off, allocating as needed; updates ip (size, blocks, pointers), not its times. */
export function writeData(ctx: UfsCtx, ino: number, ip: Dinode, off: number, data: Uint8Array, progress?: WriteProgress): void {
  const sb = ctx.sb;
  const end = off + data.length;
  if (end > sb.maxFileSize) throw new SysError(EFBIG);
  if (data.length === 0) return;
  const oldSize = ip.size;
  growTail(ctx, ino, ip, sb.lblkno(off));
  for (let pos = off; pos < end;) {
    const lbn = sb.lblkno(pos), boff = sb.blkoff(pos);
    const n = Math.min(end - pos, sb.bsize - boff);
    const newSize = Math.max(ip.size, pos + n);
    const need = sb.numfrags(sb.blksize(newSize, lbn));
    const held = bmap(ctx, ip, lbn) === 0 ? 0 : heldFrags(ctx, ip, lbn);
    const a = balloc(ctx, ino, ip, lbn, need, held);
    ctx.io.write(a * sb.fsize + boff, data.subarray(pos - off, pos - off + n));
    ip.size = newSize;
    pos += n;
    if (progress) progress.done = pos - off;
  }
  if (ip.size < oldSize) ip.size = oldSize;
}
