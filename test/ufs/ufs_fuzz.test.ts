/*
 * Damaged images: random bytes flipped in the superblock, cylinder groups,
 * inodes and directory blocks. Mounting, walking, reading, writing and
 * checking must end in a SysError (or succeed), never in another exception
 * or a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume, IFDIR, IFREG, IFLNK } from '../../kernel/fs/ufs/ufs_volume.ts';
import { mkfs } from '../../kernel/fs/ufs/ufs_mkfs.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { SysError } from '../../kernel/kern/errno.ts';
import { pattern } from './ufs_helpers.ts';

function base(ufs2: boolean): { bytes: Uint8Array; regions: [number, number][] } {
  const dev = new MemBlockDev(4 << 20);
  mkfs(dev, { ufs2, bsize: 4096, fsize: 512, time: 1 });
  const vol = UfsVolume.mount(dev, { clock: () => 1000 });
  const d = vol.mkdir(vol.root, 'dir', 0o755);
  for (let i = 0; i < 30; i++) vol.write(vol.create(d, `f${i}`, IFREG | 0o644), 0, pattern(i * 900, i));
  const big = vol.create(vol.root, 'big', IFREG | 0o644);
  vol.write(big, 0, pattern(200_000, 99));
  vol.symlink(vol.root, 'l', 'x'.repeat(150));
  vol.unmount();
  const sb = vol.sb;
  const regions: [number, number][] = [
    [sb.location, sb.location + 1376],
    [sb.cgtod(0) * sb.fsize, sb.cgtod(0) * sb.fsize + sb.cgsize],
    [sb.cgimin(0) * sb.fsize, sb.cgimin(0) * sb.fsize + 40 * sb.dinodeSize],
    [vol.iget(2).db[0] * sb.fsize, vol.iget(2).db[0] * sb.fsize + 512],
    [vol.iget(d).db[0] * sb.fsize, vol.iget(d).db[0] * sb.fsize + 1024],
    [vol.iget(big).ib[0] * sb.fsize, vol.iget(big).ib[0] * sb.fsize + 64],
  ];
  return { bytes: dev.bytes, regions };
}

function exercise(dev: MemBlockDev): void {
  fsck(dev);
  const vol = UfsVolume.mount(dev, { dirty: 'force', clock: () => 2000 });
  const walk = (ino: number, depth: number) => {
    if (depth > 8) return;
    for (const e of vol.readdir(ino)) {
      if (e.name === '.' || e.name === '..') continue;
      try {
        const a = vol.getattr(e.ino);
        if ((a.mode & 0o170000) === IFDIR) walk(e.ino, depth + 1);
        else if ((a.mode & 0o170000) === IFLNK) vol.readlink(e.ino);
        else vol.read(e.ino, 0, 1 << 20);
        if ((a.mode & 0o170000) === IFREG) vol.write(e.ino, 100, pattern(5000, 1));
      } catch (err) {
        if (!(err instanceof SysError)) throw err;
      }
    }
  };
  walk(vol.root, 0);
  try {
    vol.create(vol.root, 'new', IFREG | 0o644);
    vol.unlink(vol.root, 'big');
  } catch (err) {
    if (!(err instanceof SysError)) throw err;
  }
  vol.unmount();
}

for (const ufs2 of [false, true]) {
  test(`fuzzed UFS${ufs2 ? 2 : 1} metadata gives errors, not crashes`, () => {
    const { bytes, regions } = base(ufs2);
    let seed = 12345;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 200; round++) {
      const img = bytes.slice();
      const [s, e] = regions[round % regions.length];
      for (let k = 0, n = 1 + rnd(6); k < n; k++) img[s + rnd(e - s)] ^= 1 << rnd(8);
      try {
        exercise(new MemBlockDev(img));
      } catch (err) {
        assert.ok(err instanceof SysError, `round ${round}: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  });
}
