/*
 * tools/mkisofs: images read back by our reader and by xorriso (the
 * oracle), reproducibly, with sorted records, both path tables, Rock Ridge
 * relocation of deep directories and multi-extent files (with a small
 * forced extent size, since a real one needs a 4 GiB file).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSameEntries, freshDir, hostEntries, isoEntries, makePlainTree,
  makeRichTree, mountImage, pseudoRandom, run, ROOT,
} from './iso_fixture.ts';
import { isoOrder, pathTable, rawDirs } from './iso_inspect.ts';
import { MAX_EXTENT, writeIso, type MkisofsOptions } from '../../tools/iso_write.ts';

const work = freshDir('mkisofs');
const rich = join(work, 'rich');
const plain = join(work, 'plain');
const multi = join(work, 'multi');
const img = (n: string): string => join(work, `${n}.iso`);
const DATE = 1_700_000_000;
const hasIsoinfo = spawnSync('isoinfo', ['-version']).error === undefined;

function opts(o: Partial<MkisofsOptions>): MkisofsOptions {
  return { rockRidge: false, joliet: false, level: 3, volid: 'TEST', date: DATE, maxExtent: MAX_EXTENT, ...o };
}

/* What xorriso extracts from an image (osirrox), as a tree. */
function extracted(image: string, name: string): string {
  const dir = join(work, `x-${name}`);
  rmSync(dir, { recursive: true, force: true });
  run('osirrox', ['-indev', image, '-extract', '/', dir]);
  return dir;
}

before(() => {
  makeRichTree(rich);
  makePlainTree(plain);
  linkSync(join(rich, 'one'), join(rich, 'links', 'hard'));
  mkdirSync(multi);
  for (const n of [0, 4095, 4096, 4097, 8192, 10_000, 20_480]) writeFileSync(join(multi, `f${n}`), pseudoRandom(n, n + 1));
  writeIso(rich, img('rj'), opts({ rockRidge: true, joliet: true }));
  writeIso(rich, img('r'), opts({ rockRidge: true }));
  writeIso(rich, img('j'), opts({ joliet: true }));
  writeIso(plain, img('plain1'), opts({ level: 1 }));
  writeIso(multi, img('multi'), opts({ rockRidge: true, joliet: true, maxExtent: 4096 }));
});

describe('mkisofs images', () => {
  test('-R -J: our reader sees the source tree exactly (dates fixed by --date)', () => {
    const m = mountImage(img('rj'));
    assertSameEntries(isoEntries(m), hostEntries(rich), false);
    assert.equal(m.getattr(m.lookup(m.root, 'one')).mtime.sec, DATE);
    assert.equal(m.volume.volumeId, 'TEST');
  });

  test('-R -J: xorriso extracts the source tree exactly', () => {
    assertSameEntries(hostEntries(extracted(img('rj'), 'rj')), hostEntries(rich), false);
  });

  test('-R only: both readers', () => {
    assert.equal(mountImage(img('r')).tree, 'rockridge');
    assertSameEntries(isoEntries(mountImage(img('r'))), hostEntries(rich), false);
    assertSameEntries(hostEntries(extracted(img('r'), 'r')), hostEntries(rich), false);
  });

  test('-J only: Joliet names, file bytes', () => {
    const m = mountImage(img('j'));
    assert.equal(m.tree, 'joliet');
    const got = isoEntries(m);
    for (const [p, h] of hostEntries(rich)) {
      if (h.type === 'symlink' || p.startsWith('long_')) continue;
      assert.equal(got.get(p)?.type, h.type, p);
      if (h.data) assert.ok(got.get(p)!.data!.equals(h.data), p);
    }
    const x = hostEntries(extracted(img('j'), 'j'));
    assert.ok(x.get('size100000')!.data!.equals(readFileSync(join(rich, 'size100000'))));
  });

  test('plain level 1: 8.3 names read back lower-cased; xorriso agrees on the bytes', () => {
    const m = mountImage(img('plain1'));
    assert.equal(m.tree, 'iso9660');
    const got = isoEntries(m);
    assert.deepEqual([...got.keys()].sort(), [...hostEntries(plain).keys()].sort());
    const x = hostEntries(extracted(img('plain1'), 'plain1'));
    assert.ok([...x.values()].some((e) => e.data?.equals(readFileSync(join(plain, 'data.bin')))));
    assert.match(run('xorriso', ['-indev', img('plain1'), '-check_media', '--']), /Media region :\s+0 ,\s+\d+ , \+ good/);
  });

  test('deep directories are relocated (CL/PL/RE) and read back in place', () => {
    const m = mountImage(img('r'));
    let d = m.root;
    for (const n of ['deep', ...Array.from({ length: 12 }, (_, i) => `d${i + 1}`)]) {
      const up = d;
      d = m.lookup(d, n);
      assert.equal(m.lookup(d, '..'), up, n);
    }
    assert.equal(readFileSync(join(work, 'x-r', 'deep', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11', 'd12', 'bottom.txt'), 'utf8'), 'bottom');
    const plainView = mountImage(img('r'), { norrip: true });
    assert.ok(plainView.lookup(plainView.root, 'rr_moved'));
  });

  test('hard links share their data; nlink counts them', () => {
    const m = mountImage(img('r'));
    const a = m.lookup(m.root, 'one'), b = m.lookup(m.lookup(m.root, 'links'), 'hard');
    assert.equal(a.extents[0].start, b.extents[0].start);
    assert.equal(m.getattr(a).nlink, 2);
  });

  test('multi-extent files (forced 4 KiB extents): both readers get every byte', () => {
    const m = mountImage(img('multi'));
    assertSameEntries(isoEntries(m), hostEntries(multi), false);
    assert.equal(m.lookup(m.root, 'f10000').extents.length, 3);
    assert.equal(m.lookup(m.root, 'f8192').extents.length, 2);
    assertSameEntries(hostEntries(extracted(img('multi'), 'multi')), hostEntries(multi), false);
    const sections = run('xorriso', ['-indev', img('multi'), '-find', '/f10000', '-exec', 'report_sections']);
    assert.equal(sections.match(/File data lba:/g)?.length, 3, sections);
    const joliet = mountImage(img('multi'), { norrip: true });
    assert.ok(Buffer.from(joliet.read(joliet.lookup(joliet.root, 'f20480'), 0, 20480)).equals(readFileSync(join(multi, 'f20480'))));
  });

  test('a file over the extent size needs level 3', () => {
    assert.throws(() => writeIso(multi, img('bad'), opts({ level: 2, maxExtent: 4096 })), /iso-level 3/);
  });

  test('same input, same bytes; the CLI with SOURCE_DATE_EPOCH matches', () => {
    writeIso(rich, img('rj2'), opts({ rockRidge: true, joliet: true }));
    assert.ok(readFileSync(img('rj')).equals(readFileSync(img('rj2'))));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools', 'mkisofs.ts'), '-R', '-J', '-V', 'TEST', '-o', img('cli'), rich],
      { cwd: ROOT, env: { ...process.env, SOURCE_DATE_EPOCH: String(DATE) }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(img('cli')).equals(readFileSync(img('rj'))));
  });

  test('both path tables describe every directory, in order', () => {
    const bytes = readFileSync(img('rj'));
    for (const vd of [16, 17]) {
      const l = pathTable(bytes, vd, false), mt = pathTable(bytes, vd, true);
      assert.deepEqual(l, mt, 'L and M tables agree');
      const dirs = rawDirs(bytes, vd);
      assert.equal(l.length, dirs.length);
      assert.deepEqual(new Set(l.map((e) => e.extent)), new Set(dirs.map((d) => d.extent)));
      l.forEach((e, i) => {
        assert.ok(e.parent >= 1 && e.parent <= i + 1, 'parents come first');
        if (i > 0) assert.ok(l[i - 1].parent <= e.parent, 'grouped by parent');
        const d = dirs.find((x) => x.extent === e.extent)!;
        assert.equal(d.parentExtent, l[e.parent - 1].extent, '".." agrees with the parent number');
      });
    }
  });

  test('directory records are sorted (ECMA-119 9.3; Joliet by UCS-2)', () => {
    const bytes = readFileSync(img('rj'));
    for (const d of rawDirs(bytes, 16)) {
      for (let i = 1; i < d.idents.length; i++) assert.ok(isoOrder(d.idents[i - 1], d.idents[i]) <= 0, d.idents[i].toString());
    }
    for (const d of rawDirs(bytes, 17)) {
      for (let i = 1; i < d.idents.length; i++) assert.ok(Buffer.compare(d.idents[i - 1], d.idents[i]) < 0);
    }
  });

  test('isoinfo (genisoimage) reads them too', { skip: !hasIsoinfo && 'isoinfo not installed' }, () => {
    const d = run('isoinfo', ['-d', '-i', img('rj')]);
    assert.match(d, /Joliet with UCS level 3 found/);
    assert.match(d, /Rock Ridge signatures version 1 found/);
    assert.match(d, new RegExp(`Volume size is: ${readFileSync(img('rj')).length / 2048}\\b`));
    const x = (image: string, path: string): Buffer =>
      spawnSync('isoinfo', ['-R', '-i', image, '-x', path], { maxBuffer: 1 << 24 }).stdout;
    assert.ok(x(img('rj'), '/size100000').equals(readFileSync(join(rich, 'size100000'))));
    for (const f of ['f10000', 'f20480']) assert.ok(x(img('multi'), `/${f}`).equals(readFileSync(join(multi, f))), f);
  });

  test('xorriso finds nothing wrong', () => {
    for (const n of ['rj', 'multi']) {
      const out = run('xorriso', ['-indev', img(n), '-check_media', '--']);
      assert.match(out, /\+ good/);
      assert.doesNotMatch(out, /SORRY|FAILURE/);
    }
  });
});
