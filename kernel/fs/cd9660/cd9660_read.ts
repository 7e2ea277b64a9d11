/*
 * File data: reads across the extents of a (possibly multi-extent) file,
 * and bmap for a page cache that wants to fetch blocks itself.
 */
import type { BlockDev } from './blockdev.ts';
import { bread } from './cd9660_bio.ts';
import { Cd9660Error, corrupt } from './cd9660_error.ts';
import type { IsoNode } from './cd9660_node.ts';
import { EINVAL, EOPNOTSUPP } from '../../kern/errno.ts';

/** Up to len bytes of node at off; shorter at end of file. */
export function readData(dev: BlockDev, node: IsoNode, off: number, len: number): Uint8Array {
  if (off < 0 || len < 0 || !Number.isSafeInteger(off)) throw new Cd9660Error(EINVAL, 'bad read range');
  if (node.interleaved) throw new Cd9660Error(EOPNOTSUPP, `interleaved file ${node.ino}`);
  checkExtents(dev, node);
  const n = Math.max(0, Math.min(len, node.size - off));
  const out = new Uint8Array(n);
  let done = 0;
  let base = 0;         // file offset where the current extent starts
  for (const x of node.extents) {
    if (done >= n) break;
    const pos = off + done;
    if (pos < base + x.len) {
      const inExt = pos - base;
      const take = Math.min(x.len - inExt, n - done);
      out.set(bread(dev, x.start + inExt, take), done);
      done += take;
    }
    base += x.len;
  }
  return out;
}

/* Before sizing a buffer by the file's length, make sure that length is on the volume. */
function checkExtents(dev: BlockDev, node: IsoNode): void {
  for (const x of node.extents) {
    if (x.start + x.len > dev.size) corrupt(`file ${node.ino} has data beyond the end of the volume`);
  }
}

/** The volume byte offset holding file offset off and how many bytes run on from there. */
export function bmap(node: IsoNode, off: number): { offset: number; run: number } | null {
  let base = 0;
  for (const x of node.extents) {
    if (off < base + x.len) return { offset: x.start + (off - base), run: base + x.len - off };
    base += x.len;
  }
  return null;
}
