/*
 * MBR slices, disklabel64 and the 32-bit disklabel: what we write parses,
 * names follow DragonFly (s0 = no MBR, s1.. = MBR slices), damage is not
 * mistaken for a label, and a bare file system has no slices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import {
  crc32, disklabel32Build, disklabel32Parse, disklabel64Build, disklabel64Parse, dsProbe, mbrBuild, mbrParse,
  dsOpen, DOSPTYP_DFLYBSD, SECTOR,
} from '../../kernel/dev/disk/diskslice.ts';
import { mkfs } from '../../kernel/fs/ufs/ufs_mkfs.ts';

const MIB = 1 << 20;

test('crc32 is the zlib CRC', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('MBR: one slice round-trips; a non-MBR sector is not a slice table', () => {
  const s = mbrBuild(2048, 100000, DOSPTYP_DFLYBSD);
  assert.deepEqual(mbrParse(s, 200000), [{ index: 1, type: 0x6c, start: 2048, sectors: 100000 }]);
  assert.equal(mbrParse(s, 50000), null, 'slice past the end of the disk');
  const junk = s.slice();
  junk[446] = 0x12;
  assert.equal(mbrParse(junk, 200000), null);
  assert.equal(mbrParse(new Uint8Array(512), 200000), null);
});

test('disklabel64: partition a, CRC checked', () => {
  const { label, partOffset, partSize } = disklabel64Build(64 * MIB);
  assert.equal(partOffset, MIB);
  const parts = disklabel64Parse(label, 64 * MIB);
  assert.deepEqual(parts, [{ index: 0, offset: MIB, size: partSize, fstype: 7 }]);
  label[L64_PART_A + 3] ^= 1;
  assert.equal(disklabel64Parse(label, 64 * MIB), null, 'a damaged label fails its CRC');
});
const L64_PART_A = 712;

test('disklabel32: relative and absolute offsets', () => {
  const l = disklabel32Build(10000, 16, 9984);
  assert.deepEqual(disklabel32Parse(l, 0, 10000), [{ index: 0, offset: 16 * SECTOR, size: 9984 * SECTOR, fstype: 7 }]);
  assert.deepEqual(disklabel32Parse(l, 63, 10000)?.[0].offset, 16 * SECTOR);
});

test('dsProbe: bare file system, bare label, MBR + label', () => {
  const fs = new MemBlockDev(8 * MIB);
  mkfs(fs, {});
  assert.deepEqual(dsProbe(fs), []);

  const bare = new MemBlockDev(8 * MIB);
  bare.write(0, disklabel64Build(8 * MIB).label);
  assert.deepEqual(dsProbe(bare).map((p) => [p.name, p.offset]), [['s0', 0], ['s0a', MIB]]);

  const disk = new MemBlockDev(16 * MIB);
  disk.write(0, mbrBuild(2048, (15 * MIB) / SECTOR, DOSPTYP_DFLYBSD));
  disk.write(MIB, disklabel64Build(15 * MIB).label);
  assert.deepEqual(dsProbe(disk).map((p) => [p.name, p.offset]), [['s1', MIB], ['s1a', 2 * MIB]]);
  assert.equal(dsOpen(disk, 's1a')?.size, 14 * MIB);
  assert.equal(dsOpen(disk, 's0a'), null);
  assert.equal(dsOpen(disk, ''), disk);
});
