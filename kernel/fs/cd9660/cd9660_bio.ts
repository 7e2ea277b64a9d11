/*
 * Reading byte ranges of the volume through the whole-block BlockDev, with
 * the bounds check every on-disk pointer needs: an extent or continuation
 * area that points past the end of the volume is corruption, not a read.
 */
import { ISO_BSIZE, type BlockDev } from './blockdev.ts';
import { corrupt } from './cd9660_error.ts';

export function bread(dev: BlockDev, offset: number, len: number): Uint8Array {
  const first = Math.floor(offset / ISO_BSIZE);
  const end = Math.ceil((offset + len) / ISO_BSIZE);
  // Whole blocks only: a volume cut inside a block is as truncated as one cut before it.
  if (!Number.isSafeInteger(offset) || offset < 0 || len < 0 || end * ISO_BSIZE > dev.size) {
    corrupt(`read of ${len} bytes at ${offset} is outside the volume (${dev.size} bytes)`);
  }
  const buf = new Uint8Array((end - first) * ISO_BSIZE);
  if (buf.length) dev.read(first * ISO_BSIZE, buf);
  const skip = offset - first * ISO_BSIZE;
  return buf.subarray(skip, skip + len);
}
