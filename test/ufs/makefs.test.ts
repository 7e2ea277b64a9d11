/*
 * tools/makefs.ts: images of the test tree check clean, hold exactly the
 * tree, are reproducible byte for byte, can be wrapped in an MBR slice and
 * a disklabel the slice code finds, and are recognised by Debian's blkid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage } from '../../tools/makefs.ts';
import { MemBlockDev, SubBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { dsProbe } from '../../kernel/dev/disk/diskslice.ts';
import { BUILD, compareWithHost, makeTree } from './ufs_helpers.ts';

const EPOCH = 1_700_000_000;

function checkImage(dev: MemBlockDev | SubBlockDev, tree: string, ufs2: boolean): void {
  const r = fsck(dev);
  assert.deepEqual(r.errors, []);
  assert.ok(r.ok && r.clean && r.ufs2 === ufs2);
  const vol = UfsVolume.mount(dev, { readonly: true });
  assert.ok(compareWithHost(vol, tree) > 1200);
  const a = vol.getattr(vol.lookup(vol.root, 'small.txt'));
  assert.equal(a.mtime.sec, EPOCH);
  assert.equal(a.uid, 0);
  vol.unmount();
}

for (const version of [1, 2] as const) {
  test(`makefs UFS${version}: checks clean, holds the tree, reproducible`, () => {
    const tree = makeTree();
    const img = buildImage(tree, { version, epoch: EPOCH });
    checkImage(new MemBlockDev(img), tree, version === 2);
    const again = buildImage(tree, { version, epoch: EPOCH });
    assert.ok(Buffer.from(img).equals(Buffer.from(again)), 'same input, same bytes');
    const file = join(BUILD, `makefs-v${version}.img`);
    writeFileSync(file, img);
    if (existsSync('/usr/sbin/blkid')) {
      const out = execFileSync('/usr/sbin/blkid', ['-p', '-o', 'export', file]).toString();
      assert.match(out, /TYPE=ufs/);
      assert.match(out, new RegExp(`VERSION=${version}`));
    }
  });
}

test('makefs --mbr-disklabel: slice 1 with a disklabel64, partition a (vkd0s1a)', () => {
  const tree = makeTree();
  const img = buildImage(tree, { version: 1, epoch: EPOCH, wrap: 'mbr', bsize: 8192, fsize: 1024 });
  const disk = new MemBlockDev(img);
  const parts = dsProbe(disk);
  assert.deepEqual(parts.map((p) => p.name), ['s1', 's1a']);
  assert.equal(parts[0].fstype, 0x6c);
  const a = parts[1];
  checkImage(new SubBlockDev(disk, a.offset, a.size), tree, false);
});

test('makefs --disklabel: bare disklabel64 (vkd0s0a), and the 32-bit label in an MBR', () => {
  const tree = makeTree();
  const bare = new MemBlockDev(buildImage(tree, { version: 2, epoch: EPOCH, wrap: 'label' }));
  const p = dsProbe(bare);
  assert.deepEqual(p.map((x) => x.name), ['s0', 's0a']);
  checkImage(new SubBlockDev(bare, p[1].offset, p[1].size), tree, true);

  const l32 = new MemBlockDev(buildImage(tree, { version: 1, epoch: EPOCH, wrap: 'mbr', label32: true }));
  const q = dsProbe(l32);
  assert.deepEqual(q.map((x) => x.name), ['s1', 's1a']);
  assert.equal(q[0].fstype, 0xa5);
  checkImage(new SubBlockDev(l32, q[1].offset, q[1].size), tree, false);
});

test('makefs command line, SOURCE_DATE_EPOCH', () => {
  const tree = makeTree();
  const out = join(BUILD, 'cli.img');
  execFileSync(process.execPath, ['--import', 'tsx', 'tools/makefs.ts', '-t', 'ffs', '-o', 'version=2,bsize=8192,fsize=1024', '-s', '48m', out, tree], {
    cwd: join(import.meta.dirname, '../..'), env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) }, stdio: 'pipe',
  });
  const bytes = new Uint8Array(readFileSync(out));
  assert.equal(bytes.length, 48 << 20);
  checkImage(new MemBlockDev(bytes), tree, true);
});

test('an image we wrote takes a write workload and checks clean again', () => {
  const tree = makeTree();
  const dev = new MemBlockDev(buildImage(tree, { version: 1, epoch: EPOCH, size: 64 << 20 }));
  const vol = UfsVolume.mount(dev, { clock: () => EPOCH * 1000 });
  const d = vol.mkdir(vol.root, 'new', 0o755);
  for (let i = 0; i < 300; i++) vol.write(vol.create(d, `n${i}`, 0o100644), 0, new Uint8Array(i * 37).fill(i));
  vol.rename(vol.root, 'many', d, 'many');
  vol.unlink(vol.root, 'big.bin');
  vol.unmount();
  assert.deepEqual(fsck(dev).errors, []);
  const again = UfsVolume.mount(dev, { readonly: true });
  const n = again.lookup(again.lookup(again.root, 'new'), 'n299');
  assert.equal(again.getattr(n).size, 299 * 37);
  assert.deepEqual([...again.read(n, 0, 5)], [299 & 255, 299 & 255, 299 & 255, 299 & 255, 299 & 255]);
});
