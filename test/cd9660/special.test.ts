/*
 * Device nodes and FIFOs (Rock Ridge PX types and PN device numbers), in
 * images from xorriso and from tools/mkisofs. Making device nodes needs
 * root, so this skips otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, IS_ROOT, mountImage, run, xorrisoMkisofs } from './iso_fixture.ts';
import { MAX_EXTENT, writeIso } from '../../tools/iso_write.ts';
import { VBLK, VCHR, VFIFO } from '../../kernel/vfs/vnode.ts';

/* Linux's dev_t encoding, what Vattr.rdev carries. */
const mkdev = (major: number, minor: number): number => (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);

test('device nodes and FIFOs keep their types and numbers', { skip: !IS_ROOT && 'needs root for mknod' }, () => {
  const work = freshDir('special');
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'plain'), 'x');
  run('mknod', ['-m', '0620', join(src, 'tty5'), 'c', '4', '5']);
  run('mknod', ['-m', '0660', join(src, 'disk'), 'b', '8', '300']);
  run('mkfifo', ['-m', '0640', join(src, 'pipe')]);
  const ours = join(work, 'ours.iso');
  writeIso(src, ours, { rockRidge: true, joliet: false, level: 3, volid: 'S', date: 0, maxExtent: MAX_EXTENT });
  for (const image of [xorrisoMkisofs(join(work, 'x.iso'), src, ['-R']), ours]) {
    const m = mountImage(image);
    const tty = m.getattr(m.lookup(m.root, 'tty5'));
    assert.equal(tty.type, VCHR);
    assert.equal(tty.rdev, mkdev(4, 5));
    assert.equal(tty.mode, 0o620);
    const disk = m.getattr(m.lookup(m.root, 'disk'));
    assert.equal(disk.type, VBLK);
    assert.equal(disk.rdev, mkdev(8, 300));
    const pipe = m.getattr(m.lookup(m.root, 'pipe'));
    assert.equal(pipe.type, VFIFO);
    assert.equal(pipe.mode, 0o640);
  }
  // And xorriso reads our device nodes back the same way.
  assert.match(run('xorriso', ['-indev', ours, '-find', '/', '-exec', 'lsdl']), /crw--w----.* 4,\s*5 .*'\/tty5'/);
});
