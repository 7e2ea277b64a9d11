/*
 * Files past 4 GiB without 4 GiB of disk: the writer's extent split for a
 * 5 GiB file, and the reader's multi-extent reads on a synthetic 6 GiB
 * device whose bytes are a function of their offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockDev } from '../../kernel/fs/cd9660/blockdev.ts';
import { readData, bmap } from '../../kernel/fs/cd9660/cd9660_read.ts';
import type { IsoNode } from '../../kernel/fs/cd9660/cd9660_node.ts';
import { extents } from '../../tools/iso_records.ts';
import { MAX_EXTENT } from '../../tools/iso_write.ts';
import type { SrcNode } from '../../tools/iso_tree.ts';
import { VREG } from '../../kernel/vfs/vnode.ts';

const GiB = 2 ** 30;
const byteAt = (off: number): number => (off * 7 + Math.floor(off / 65536)) & 0xff;

const synthetic: BlockDev = {
  size: 6 * GiB,
  read(offset: number, into: Uint8Array): void {
    for (let i = 0; i < into.length; i++) into[i] = byteAt(offset + i);
  },
};

test('a 5 GiB file becomes two extents, the first of 4 GiB - 2 KiB', () => {
  const size = 5 * GiB;
  const x = extents({ maxExtent: MAX_EXTENT, nullLba: 0 }, { src: { size } as SrcNode, links: 1, lba: 100 });
  assert.deepEqual(x, [{ lba: 100, size: MAX_EXTENT }, { lba: 100 + MAX_EXTENT / 2048, size: size - MAX_EXTENT }]);
});

test('reads across extents past 4 GiB', () => {
  const first = { start: 10 * 2048, len: MAX_EXTENT };
  const second = { start: first.start + MAX_EXTENT + 2048 * 5, len: GiB };
  const node = { type: VREG, size: first.len + second.len, extents: [first, second], interleaved: false } as IsoNode;
  const off = MAX_EXTENT - 10;
  const got = readData(synthetic, node, off, 30);
  const want = Uint8Array.from({ length: 30 }, (_, i) => byteAt(i < 10 ? first.start + off + i : second.start + i - 10));
  assert.deepEqual(got, want);
  assert.equal(readData(synthetic, node, node.size - 4, 100).length, 4);
  assert.deepEqual(bmap(node, MAX_EXTENT + 100), { offset: second.start + 100, run: GiB - 100 });
});
