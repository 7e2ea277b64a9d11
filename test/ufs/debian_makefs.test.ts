/*
 * Images from Debian's makefs (NetBSD's makefs -t ffs, UFS1 and UFS2) open
 * with our library, read back byte-exact and check clean; then a write
 * workload, an unmount and a remount leave everything in place, checking
 * clean again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { SysError, ENOTEMPTY, EEXIST, ENOENT } from '../../kernel/kern/errno.ts';
import { compareWithHost, debianImage, makeTree, pattern } from './ufs_helpers.ts';
import { Model } from './ufs_model.ts';

function expectErr(errno: number, fn: () => void): void {
  assert.throws(fn, (e: unknown) => e instanceof SysError && e.errno === errno);
}

function workload(m: Model, bsize: number): void {
  /* Append across fragment → block growth, then into indirect blocks. */
  m.mkdir('/w');
  m.create('/w/grow');
  for (let i = 0; i < 40; i++) m.write('/w/grow', i * 700, pattern(700, 100 + i));
  m.write('/w/grow', 0, pattern(10, 7));
  /* Truncation: shrink into the single indirect range, then extend with a hole. */
  m.truncate('/big.bin', 3_000_001);
  m.truncate('/big.bin', 5_000_000);
  m.write('/big.bin', 4_000_000, pattern(5000, 8));
  m.truncate('/small.txt', 0);
  m.write('/small.txt', 0, new TextEncoder().encode('abc'));
  m.truncate('/mid.bin', 1234); /* a block file becomes a fragment tail */
  /* Sparse writes reaching the triple indirect block. */
  m.create('/w/sparse');
  m.write('/w/sparse', 0, pattern(10, 9));
  m.write('/w/sparse', 100_000, pattern(10, 10));
  m.write('/w/sparse', 50_000_000, pattern(bsize, 11));
  m.write('/w/sparse', 4_400_000_000, pattern(3000, 12));
  /* A directory of 1000 entries, thinned out. */
  m.mkdir('/w/d1000');
  for (let i = 0; i < 1000; i++) m.create(`/w/d1000/entry-${i}-${'z'.repeat(i % 30)}`);
  for (let i = 0; i < 1000; i += 3) m.unlink(`/w/d1000/entry-${i}-${'z'.repeat(i % 30)}`);
  for (let i = 0; i < 200; i += 3) m.create(`/w/d1000/again-${i}`);
  expectErr(ENOTEMPTY, () => m.rmdir('/w/d1000'));
  expectErr(EEXIST, () => m.create('/w/d1000/again-0'));
  /* Renames: a directory to another parent, a file over a file, a dir over an empty dir. */
  m.rename('/many', '/w/many2');
  m.create('/w/newfile');
  m.write('/w/newfile', 0, pattern(5000, 13));
  m.rename('/w/newfile', '/small.txt'); /* replaces one name of a hard-linked file */
  m.mkdir('/w/emptydir');
  m.mkdir('/w/other');
  m.create('/w/other/inside');
  m.rename('/w/other', '/w/emptydir');
  /* Unlinks, links, symlinks, rmdir. */
  m.unlink('/frag.bin');
  m.unlink('/links/short');
  m.link('/w/sparse', '/w/sparse-link');
  m.symlink('/w/fast', 'tiny');
  m.symlink('/w/slow', 'q'.repeat(300));
  let deep = '/deep';
  for (let i = 0; i < 24; i++) deep += `/d${i}`;
  m.unlink(`${deep}/bottom.txt`);
  m.rmdir(deep);
  expectErr(ENOENT, () => m.vol.lookup(m.ino('/deep'), 'nonexistent'));
  /* A few megabytes more. */
  m.create('/w/data');
  for (let i = 0; i < 8; i++) m.write('/w/data', i * 262144, pattern(262144, 20 + i));
  m.vol.setattr(m.ino('/w/data'), { mode: 0o600, uid: 1000, gid: 100 });
  assert.equal(m.vol.getattr(m.ino('/w/data')).uid, 1000);
}

for (const version of [1, 2] as const) {
  test(`Debian makefs UFS${version}: mount, read back, write, remount`, () => {
    const tree = makeTree();
    const dev = new MemBlockDev(debianImage(version, tree));
    const first = fsck(dev);
    assert.deepEqual(first.errors, []);
    assert.ok(first.ok && first.clean);

    let vol = UfsVolume.mount(dev, { readonly: true });
    assert.equal(vol.ufs2, version === 2);
    assert.ok(compareWithHost(vol, tree, { mtimes: true }) > 1200);
    vol.unmount();

    vol = UfsVolume.mount(dev, { clock: () => 1_700_000_000_000 });
    const m = new Model(vol);
    workload(m, vol.sb.bsize);
    m.verify(vol);
    const before = vol.statfs();
    vol.unmount();

    const after = fsck(dev);
    assert.deepEqual(after.errors, []);
    assert.deepEqual(after.warnings, []);
    assert.ok(after.clean);

    vol = UfsVolume.mount(dev);
    m.verify(vol);
    assert.deepEqual(vol.statfs(), before);
    vol.unmount();
  });
}

for (const version of [1, 2] as const) {
  test(`Debian makefs UFS${version} with its default block sizes reads back`, () => {
    const tree = makeTree();
    const dev = new MemBlockDev(debianImage(version, tree, false));
    assert.deepEqual(fsck(dev).errors, []);
    const vol = UfsVolume.mount(dev, { readonly: true });
    assert.ok(compareWithHost(vol, tree, { mtimes: true }) > 1200);
    vol.unmount();
  });
}
