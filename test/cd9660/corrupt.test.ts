/*
 * Damaged images: truncated, garbage descriptors, looping continuation
 * areas, extents off the end, broken records, and a seeded fuzz of the
 * metadata. Every failure must be a Cd9660Error (a SysError with EIO or
 * EINVAL and a message), never another exception and never a hang.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, pseudoRandom } from './iso_fixture.ts';
import { memBlockDev } from '../../kernel/fs/cd9660/blockdev.ts';
import { Cd9660Error } from '../../kernel/fs/cd9660/cd9660_error.ts';
import { IsoMnt } from '../../kernel/fs/cd9660/cd9660_vfsops.ts';
import type { IsoNode } from '../../kernel/fs/cd9660/cd9660_node.ts';
import { EINVAL, EIO } from '../../kernel/kern/errno.ts';
import { VDIR, VLNK } from '../../kernel/vfs/vnode.ts';
import { MAX_EXTENT, writeIso } from '../../tools/iso_write.ts';

const work = freshDir('corrupt');
let image: Buffer;

before(() => {
  const src = join(work, 'src');
  mkdirSync(join(src, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), { recursive: true });
  writeFileSync(join(src, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'deep.txt'), 'deep');
  writeFileSync(join(src, 'data'), pseudoRandom(5000, 3));
  writeFileSync(join(src, 'x'.repeat(240)), 'long name');
  symlinkSync('t/'.repeat(200), join(src, 'link'));
  for (let i = 0; i < 60; i++) writeFileSync(join(src, `f${i}`), `${i}`);
  writeIso(src, join(work, 'good.iso'), { rockRidge: true, joliet: true, level: 3, volid: 'X', date: 0, maxExtent: MAX_EXTENT });
  image = readFileSync(join(work, 'good.iso'));
});

/* Everything the VFS could ask for, bounded so a corrupt cycle cannot run the test away. */
function walk(m: IsoMnt): number {
  const seen = new Set<number>();
  const visit = (d: IsoNode): void => {
    if (seen.has(d.ino) || seen.size > 5000) return;
    seen.add(d.ino);
    for (const e of m.readdir(d, 0, Infinity)) {
      if (e.name === '.' || e.name === '..') continue;
      const n = m.lookup(d, e.name);
      m.getattr(n);
      if (n.type === VDIR) visit(n);
      else if (n.type === VLNK) m.readlink(n);
      else m.read(n, 0, n.size);
    }
  };
  visit(m.root);
  return seen.size;
}

/** Mount and walk; returns the error (a Cd9660Error) or null if the image read fine. */
function attempt(bytes: Uint8Array): Cd9660Error | null {
  try {
    walk(IsoMnt.mount(memBlockDev(bytes)));
    return null;
  } catch (e) {
    if (!(e instanceof Cd9660Error)) throw new Error(`not a Cd9660Error: ${String(e)}`, { cause: e });
    assert.doesNotMatch(e.message, /internal/, 'an unanticipated fault');
    return e;
  }
}

function copy(): Buffer {
  return Buffer.from(image);
}

/* The root directory's bytes and where its records are. */
function rootRecords(b: Buffer): { off: number; name: string; len: number }[] {
  const ext = b.readUInt32LE(16 * 2048 + 156 + 2) * 2048;
  const out = [];
  for (let off = ext; b[off] !== 0;) {
    out.push({ off, name: b.subarray(off + 33, off + 33 + b[off + 32]).toString('latin1'), len: b[off] });
    off += b[off];
  }
  return out;
}

function suEntry(b: Buffer, rec: { off: number; len: number }, sig: string): number {
  const nameLen = b[rec.off + 32];
  let p = rec.off + 33 + nameLen + ((nameLen & 1) ^ 1);
  while (p + 4 <= rec.off + rec.len) {
    if (b.toString('latin1', p, p + 2) === sig) return p;
    p += b[p + 2];
  }
  return -1;
}

describe('corrupt images', () => {
  test('the good image reads', () => {
    assert.equal(attempt(image), null);
  });

  test('truncated anywhere: a clean error', () => {
    for (const len of [0, 100, 16 * 2048, 17 * 2048, 18 * 2048 + 7, image.length >> 1, image.length - 2048, image.length - 1]) {
      const e = attempt(image.subarray(0, len));
      assert.ok(e, `truncated to ${len} should fail`);
    }
  });

  test('garbage volume descriptors', () => {
    const b = copy();
    b.set(pseudoRandom(4 * 2048, 99), 16 * 2048);
    assert.equal(attempt(b)?.errno, EINVAL);
    const zero = copy();
    zero.fill(0, 16 * 2048, 20 * 2048);
    assert.equal(attempt(zero)?.errno, EINVAL);
    const lbs = copy();
    lbs.writeUInt16LE(3000, 16 * 2048 + 128);
    assert.equal(attempt(lbs)?.errno, EIO);
    const root = copy();
    root.fill(0xff, 16 * 2048 + 156, 16 * 2048 + 190);
    assert.equal(attempt(root)?.errno, EIO);
  });

  test('a CE continuation that loops back on itself', () => {
    const b = copy();
    const dot = rootRecords(b)[0];
    const ce = suEntry(b, dot, 'CE');
    assert.ok(ce > 0, 'the root "." record continues (its ER entry)');
    const area = b.readUInt32LE(ce + 4) * 2048 + b.readUInt32LE(ce + 12);
    // The continuation area now holds only a CE pointing at itself.
    b.copy(b, area, ce, ce + 28);
    b.writeUInt32LE(28, area + 20);
    assert.match(attempt(b)?.message ?? '', /loop/);
  });

  test('two continuation areas pointing at each other', () => {
    const b = copy();
    const dot = rootRecords(b)[0];
    const ce = suEntry(b, dot, 'CE');
    const blk = b.readUInt32LE(ce + 4), off = b.readUInt32LE(ce + 12);
    const a1 = blk * 2048 + off, a2 = blk * 2048 + 1024;
    b.copy(b, a1, ce, ce + 28);
    b.writeUInt32LE(1024, a1 + 12);
    b.writeUInt32LE(28, a1 + 20);
    b.copy(b, a2, ce, ce + 28);
    b.writeUInt32LE(28, a2 + 20);
    assert.match(attempt(b)?.message ?? '', /loop/);
  });

  test('directory and file extents beyond the volume', () => {
    for (const [name, field, value] of [['A', 2, 0x7fffffff], ['DATA.;1', 2, 0x00ffffff], ['DATA.;1', 10, 0x7fffffff]] as const) {
      const b = copy();
      const rec = rootRecords(b).find((r) => r.name === name)!;
      b.writeUInt32LE(value, rec.off + field);
      const e = attempt(b);
      assert.equal(e?.errno, EIO, `${name} @${field}`);
    }
    // A directory's size comes from its own "." record (as in BSD's cd9660_vget).
    const b = copy();
    const dirA = b.readUInt32LE(rootRecords(b).find((r) => r.name === 'A')!.off + 2) * 2048;
    b.writeUInt32LE(0xfffff800, dirA + 10);
    assert.equal(attempt(b)?.errno, EIO);
  });

  test('broken record lengths and names', () => {
    const short = copy();
    short[rootRecords(short)[3].off] = 20;
    assert.equal(attempt(short)?.errno, EIO);
    const name = copy();
    name[rootRecords(name)[3].off + 32] = 250;
    assert.equal(attempt(name)?.errno, EIO);
  });

  test('seeded fuzz of the metadata: only clean errors', () => {
    const firstData = 16 + 40;           // descriptors, path tables, directories, CE areas
    let x = 12345, failures = 0;
    const rnd = (n: number): number => {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      return (x >>> 0) % n;
    };
    for (let i = 0; i < 300; i++) {
      const b = copy();
      for (let k = 1 + rnd(8); k > 0; k--) b[16 * 2048 + rnd((firstData - 16) * 2048)] = rnd(256);
      if (attempt(b)) failures++;
    }
    assert.ok(failures > 0, 'some damage is noticed');
  });
});
