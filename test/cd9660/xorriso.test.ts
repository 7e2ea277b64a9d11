/*
 * Images written by Debian's xorriso (the oracle) read back through
 * kernel/fs/cd9660: every file byte-exact, names, modes, owners, times and
 * symlinks as in the source tree, for Rock Ridge, Joliet and plain
 * ISO 9660 levels 1-3.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  freshDir, hostEntries, isoEntries, makePlainTree, makeRichTree, mountImage, xorrisoMkisofs,
  LONG_NAME, assertSameTree, run,
} from './iso_fixture.ts';
import { Cd9660Error } from '../../kernel/fs/cd9660/cd9660_error.ts';
import { IsoMnt } from '../../kernel/fs/cd9660/cd9660_vfsops.ts';
import type { BlockDev } from '../../kernel/fs/cd9660/blockdev.ts';
import { ENOENT } from '../../kernel/kern/errno.ts';

const work = freshDir('xorriso');
const rich = join(work, 'rich');
const plain = join(work, 'plain');
const img = (n: string): string => join(work, `${n}.iso`);

before(() => {
  makeRichTree(rich);
  makePlainTree(plain);
  xorrisoMkisofs(img('rj'), rich, ['-R', '-J']);
  xorrisoMkisofs(img('r'), rich, ['-R']);
  // xorriso writes deep trees as they are unless told to keep to 8 levels, relocating.
  xorrisoMkisofs(img('reloc'), rich, ['-R', '-J'],
    ['-compliance', 'deep_paths_off:long_paths_off', '-rr_reloc_dir', 'rr_moved']);
  xorrisoMkisofs(img('j'), rich, ['-J', '--norock']);
  for (const l of [1, 2, 3]) xorrisoMkisofs(img(`plain${l}`), plain, ['--norock', '-iso-level', String(l)]);
});

function assertRockRidgeTree(m: IsoMnt): void {
  assertSameTree(m, rich);
}

/*
 * A real multi-extent file from xorriso without writing 4 GiB: the source is
 * a sparse 5 GiB file, and only the image's first 4 MiB (all its metadata
 * and the start of the data) are kept; the rest of the volume reads as the
 * zeros the sparse file holds.
 */
function hugeImage(): { dev: BlockDev; sections: string } {
  const src = join(work, 'huge');
  mkdirSync(src, { recursive: true });
  const fd = openSync(join(src, 'huge'), 'w');
  writeSync(fd, Buffer.from('start of a 5 GiB file'), 0, 21, 0);
  ftruncateSync(fd, 5 * 2 ** 30);
  closeSync(fd);
  const head = join(work, 'huge-head.iso');
  run('sh', ['-c', `xorriso -as mkisofs -iso-level 3 -R -J -o - '${src}' 2>/dev/null | head -c 4194304 > '${head}'`]);
  // The sparse source is 5 GiB to anything that copies build/ naively; it has served.
  rmSync(src, { recursive: true, force: true });
  const bytes = readFileSync(head);
  const sections = run('xorriso', ['-indev', head, '-find', '/huge', '-exec', 'report_sections']);
  const dev: BlockDev = {
    size: bytes.readUInt32LE(16 * 2048 + 80) * 2048,
    read(offset: number, into: Uint8Array): void {
      into.fill(0);
      if (offset < bytes.length) into.set(bytes.subarray(offset, offset + into.length));
    },
  };
  return { dev, sections };
}

describe('xorriso images', () => {
  test('level 3 multi-extent file (5 GiB): the extents xorriso reports, read in order', () => {
    const { dev, sections } = hugeImage();
    const want = [...sections.matchAll(/File data lba:\s+\d+ ,\s+(\d+) ,\s+\d+ ,\s+(\d+) ,/g)]
      .map((x) => ({ start: Number(x[1]) * 2048, len: Number(x[2]) }));
    assert.equal(want.length, 2, sections);
    for (const opts of [{}, { norrip: true }]) {
      const m = IsoMnt.mount(dev, opts);
      const n = m.lookup(m.root, 'huge');
      assert.deepEqual(n.extents, want);
      assert.equal(m.getattr(n).size, 5 * 2 ** 30);
      assert.equal(Buffer.from(m.read(n, 0, 21)).toString(), 'start of a 5 GiB file');
      assert.deepEqual(m.bmap(n, want[0].len), { offset: want[1].start, run: want[1].len });
      assert.equal(m.read(n, want[0].len - 8, 16).length, 16);
    }
  });

  test('-R -J: Rock Ridge wins; everything matches the source tree', () => {
    assertRockRidgeTree(mountImage(img('rj')));
  });

  test('-R -J with deep directories relocated (CL/PL/RE)', () => {
    const m = mountImage(img('reloc'));
    assertRockRidgeTree(m);
    // xorriso marks rr_moved itself with RE, so the Rock Ridge view is exactly the source tree.
    assert.throws(() => m.lookup(m.root, 'rr_moved'), Cd9660Error);
    const plainView = mountImage(img('reloc'), { norrip: true, nojoliet: true });
    const moved = plainView.lookup(plainView.root, 'rr_moved');
    assert.ok(plainView.readdir(moved, 0, 10).length > 2, 'the moved directories are there');
    let d = m.root;
    for (const n of ['deep', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8']) {
      const up = d;
      d = m.lookup(d, n);
      assert.equal(m.lookup(d, '..'), up, `${n}/.. (PL for a relocated one)`);
    }
  });

  test('-R only', () => {
    assertRockRidgeTree(mountImage(img('r')));
  });

  test('-J only: Joliet names (UCS-2, 64 characters), no symlinks', () => {
    const m = mountImage(img('j'));
    assert.equal(m.tree, 'joliet');
    checkJoliet(m);
  });

  test('-R -J mounted with norrip falls back to Joliet', () => {
    const m = mountImage(img('rj'), { norrip: true });
    assert.equal(m.tree, 'joliet');
    checkJoliet(m);
  });

  for (const level of [1, 2, 3]) {
    test(`plain ISO 9660 level ${level}: lower-cased names, versions stripped`, () => {
      const m = mountImage(img(`plain${level}`));
      assert.equal(m.tree, 'iso9660');
      const host = hostEntries(plain);
      const iso = isoEntries(m);
      assert.deepEqual([...iso.keys()].sort(), [...host.keys()].sort());
      for (const [p, h] of host) {
        assert.equal(iso.get(p)!.type, h.type, p);
        if (h.data) assert.ok(iso.get(p)!.data!.equals(h.data), p);
        assert.equal(iso.get(p)!.mode, 0o555, `${p}: BSD's default mode`);
      }
    });
  }

  test('plain names: any case and version on lookup, versions kept with gens', () => {
    const m = mountImage(img('plain2'));
    const a = m.lookup(m.root, 'README.TXT;1');
    assert.equal(a, m.lookup(m.root, 'readme.txt'));
    assert.throws(() => m.lookup(m.root, 'nope'), (e: unknown) => e instanceof Cd9660Error && e.errno === ENOENT);
    const g = mountImage(img('plain2'), { gens: true });
    const names = g.readdir(g.root, 0, 100).map((e) => e.name);
    assert.ok(names.includes('readme.txt;1'), names.join(','));
    const o = mountImage(img('plain2'), { original: true });
    assert.ok(o.readdir(o.root, 0, 100).some((e) => e.name === 'README.TXT;1'));
  });

  test('inode numbers are stable and consistent with "." and ".."', () => {
    const m1 = mountImage(img('rj')), m2 = mountImage(img('rj'));
    let dir1 = m1.root, dir2 = m2.root;
    for (const name of ['deep', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11']) {
      const parentIno = dir1.ino;
      dir1 = m1.lookup(dir1, name);
      dir2 = m2.lookup(dir2, name);
      assert.equal(dir1.ino, dir2.ino);
      const ents = m1.readdir(dir1, 0, 1000);
      assert.equal(ents.find((e) => e.name === '.')!.ino, dir1.ino, name);
      assert.equal(ents.find((e) => e.name === '..')!.ino, parentIno, `${name}/..`);
      assert.equal(m1.lookup(dir1, '..').ino, parentIno);
    }
    const f = m1.lookup(m1.root, 'one');
    assert.equal(m1.readdir(m1.root, 0, 1000).find((e) => e.name === 'one')!.ino, f.ino);
  });

  test('readdir resumes at cookies', () => {
    const m = mountImage(img('rj'));
    const many = m.lookup(m.root, 'many');
    const all = m.readdir(many, 0, Infinity);
    assert.equal(all.length, 152);
    const pieces = [];
    for (let cookie = 0; ;) {
      const part = m.readdir(many, cookie, 7);
      if (!part.length) break;
      pieces.push(...part);
      cookie = part[part.length - 1].cookie;
    }
    assert.deepEqual(pieces, all);
  });

  test('reads at odd offsets and past the end', () => {
    const m = mountImage(img('r'));
    const n = m.lookup(m.root, 'size100000');
    const whole = m.read(n, 0, 100_000);
    assert.deepEqual(m.read(n, 2047, 4099), whole.subarray(2047, 2047 + 4099));
    assert.equal(m.read(n, 99_990, 100).length, 10);
    assert.equal(m.read(n, 200_000, 10).length, 0);
  });
});

function checkJoliet(m: IsoMnt): void {
  const host = hostEntries(rich);
  const iso = isoEntries(m);
  for (const [p, h] of host) {
    if (h.type === 'symlink') continue;
    if (p.includes(LONG_NAME)) continue;
    const e = iso.get(p);
    assert.ok(e, `${p} missing`);
    assert.equal(e.type, h.type, p);
    if (h.data) assert.ok(e.data!.equals(h.data), p);
  }
  // Names beyond the Joliet limit (64 UCS-2 characters, xorriso keeps a few more) are cut, not lost.
  assert.ok([...iso.keys()].some((k) => k.startsWith('long_nnnn') && k.length <= 66));
  assert.ok(![...iso.values()].some((e) => e.type === 'symlink'));
}
