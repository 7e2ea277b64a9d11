/*
 * The UFS library on its own: directory chunks, the checker catching
 * damage, the clean flag, fragment accounting under churn, and operations
 * that are interrupted by a sleeping device and rerun.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemBlockDev, type BlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume, IFREG } from '../../kernel/fs/ufs/ufs_volume.ts';
import { mkfs } from '../../kernel/fs/ufs/ufs_mkfs.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { chunkInit, chunkInsert, chunkRecs, chunkRemove, chunkCheck, DIRBLKSIZ, DT_REG } from '../../kernel/fs/ufs/ufs_dir.ts';
import { Cg } from '../../kernel/fs/ufs/ufs_cg.ts';
import { SleepRequest } from '../../kernel/kern/sleep.ts';
import { EPERM, EROFS, SysError } from '../../kernel/kern/errno.ts';
import { pattern } from './ufs_helpers.ts';

const CLOCK = () => 1_600_000_000_000;

function fresh(ufs2: boolean, size = 8 << 20): MemBlockDev {
  const dev = new MemBlockDev(size);
  mkfs(dev, { ufs2, bsize: 4096, fsize: 512, time: 1_600_000_000 });
  return dev;
}

test('directory chunks: insert, remove, compaction', () => {
  const buf = new Uint8Array(DIRBLKSIZ);
  chunkInit(buf, 0);
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const name = `name-${i}`;
    if (chunkInsert(buf, 0, 100 + i, DT_REG, name) < 0) break;
    names.push(name);
  }
  assert.ok(names.length > 20);
  assert.equal(chunkCheck(buf, 0), null);
  for (let i = 1; i < names.length; i += 2) {
    const r = chunkRecs(buf, 0).find((x) => x.name === names[i]);
    assert.ok(r);
    chunkRemove(buf, 0, r.off);
  }
  /* The freed space is scattered; a long name still fits after compaction. */
  const long = 'L'.repeat(60);
  assert.ok(chunkInsert(buf, 0, 999, DT_REG, long) >= 0);
  assert.equal(chunkCheck(buf, 0), null);
  const left = chunkRecs(buf, 0).map((r) => r.name);
  assert.ok(left.includes(long) && left.includes(names[0]) && !left.includes(names[1]));
});

test('new file systems check clean and mount', () => {
  for (const ufs2 of [false, true]) {
    const dev = fresh(ufs2);
    const r = fsck(dev);
    assert.deepEqual(r.errors, []);
    const vol = UfsVolume.mount(dev);
    assert.equal(vol.readdir(vol.root).map((e) => e.name).join(), '.,..');
    vol.unmount();
  }
});

test('the checker finds damage', () => {
  const build = () => {
    const dev = fresh(false);
    const vol = UfsVolume.mount(dev, { clock: CLOCK });
    const ino = vol.create(vol.root, 'f', IFREG | 0o644);
    vol.write(ino, 0, pattern(10000, 1));
    const d = vol.mkdir(vol.root, 'd', 0o755);
    vol.unmount();
    return { dev, vol, ino, d };
  };
  const { dev, vol, ino } = build();
  assert.ok(fsck(dev).ok);
  const sb = vol.sb;
  /* A used block marked free in the map. */
  const ip = vol.iget(ino);
  const cgOff = sb.cgtod(0) * sb.fsize;
  const cg = new Cg(sb, dev.bytes.subarray(cgOff, cgOff + sb.cgsize));
  cg.setFragFree(ip.db[0], true);
  assert.ok(fsck(dev).errors.some((e) => e.includes('map')));

  const b = build();
  const off = b.vol.sb.inoOffset(b.ino);
  b.dev.bytes[off + 2] = 5; /* di_nlink */
  assert.ok(fsck(b.dev).errors.some((e) => e.includes('link count')));

  const c = build();
  const coff = c.vol.sb.inoOffset(c.ino);
  c.dev.bytes[coff + 104] ^= 0x10; /* di_blocks */
  assert.ok(fsck(c.dev).errors.some((e) => e.includes('di_blocks')));

  const d = build();
  const root = d.vol.iget(2);
  const rootDir = root.db[0] * d.vol.sb.fsize;
  d.dev.bytes[rootDir + 24] = 77; /* the inode number of the first name after ".." */
  assert.ok(!fsck(d.dev).ok);
});

test('clean flag: a dirty file system is refused read-write', () => {
  const dev = fresh(true);
  const vol = UfsVolume.mount(dev);
  vol.create(vol.root, 'x', IFREG | 0o644);
  vol.sync(); /* crash: no unmount */
  const r = fsck(dev);
  assert.equal(r.clean, false);
  assert.deepEqual(r.errors, []);
  assert.throws(() => UfsVolume.mount(dev), (e: unknown) => e instanceof SysError && e.errno === EPERM);
  const ro = UfsVolume.mount(dev, { dirty: 'readonly' });
  assert.ok(ro.readonly);
  assert.throws(() => ro.create(ro.root, 'y', IFREG), (e: unknown) => e instanceof SysError && e.errno === EROFS);
  const rw = UfsVolume.mount(dev, { dirty: 'force' });
  rw.unmount();
  assert.ok(fsck(dev).clean);
});

test('fragment accounting survives churn', () => {
  for (const ufs2 of [false, true]) {
    const dev = fresh(ufs2);
    const vol = UfsVolume.mount(dev, { clock: CLOCK });
    const live = new Map<string, number>();
    let seed = 1;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let step = 0; step < 600; step++) {
      const name = `f${rnd(60)}`;
      const ino = live.get(name);
      if (ino === undefined) live.set(name, vol.create(vol.root, name, IFREG | 0o644));
      else if (rnd(5) === 0) {
        vol.unlink(vol.root, name);
        live.delete(name);
      } else if (rnd(3) === 0) vol.truncate(ino, rnd(70000));
      else vol.write(ino, rnd(60000), pattern(1 + rnd(9000), step));
    }
    vol.unmount();
    const r = fsck(dev);
    assert.deepEqual(r.errors, []);
  }
});

/* A device whose reads "miss" the first time a block is asked for, like the buffer cache will. */
class SleepyDev implements BlockDev {
  sleeps = 0;
  private cached = new Set<number>();
  constructor(readonly inner: MemBlockDev, readonly every: number) {}
  get size(): number { return this.inner.size; }
  read(off: number, into: Uint8Array): void {
    const key = Math.floor(off / 512);
    if (!this.cached.has(key) && key % this.every === 0) {
      this.cached.add(key);
      this.sleeps++;
      throw new SleepRequest(this, Infinity, false);
    }
    this.inner.read(off, into);
  }
  write(off: number, data: Uint8Array): void { this.inner.write(off, data); }
}

function retry<T>(fn: () => T): T {
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof SleepRequest)) throw e;
    }
  }
}

test('operations interrupted by a sleeping device rerun to the same result', () => {
  const run = (dev: BlockDev) => {
    const vol = retry(() => UfsVolume.mount(dev, { clock: CLOCK }));
    const d = retry(() => vol.mkdir(vol.root, 'dir', 0o755));
    for (let i = 0; i < 40; i++) {
      const ino = retry(() => vol.create(d, `file${i}`, IFREG | 0o644));
      retry(() => vol.write(ino, i * 1000, pattern(3000 + i * 500, i)));
      if (i % 4 === 0) retry(() => vol.truncate(ino, 100));
      if (i % 5 === 0) retry(() => vol.rename(d, `file${i}`, vol.root, `moved${i}`));
      if (i % 10 === 0) retry(() => vol.unlink(vol.root, `moved${i}`));
    }
    retry(() => vol.unmount());
  };
  const a = fresh(false), b = fresh(false);
  run(a);
  const sleepy = new SleepyDev(b, 1);
  run(sleepy);
  assert.ok(sleepy.sleeps > 20, `only ${sleepy.sleeps} sleeps`);
  assert.deepEqual(fsck(b).errors, []);
  assert.ok(Buffer.from(a.bytes).equals(Buffer.from(b.bytes)), 'same bytes with and without sleeps');
});

test('repair: the damage the checker finds is fixed', () => {
  const dev = fresh(false);
  const vol = UfsVolume.mount(dev, { clock: CLOCK });
  const ino = vol.create(vol.root, 'f', IFREG | 0o644);
  vol.write(ino, 0, pattern(10000, 1));
  const d = vol.mkdir(vol.root, 'd', 0o755);
  vol.create(d, 'inner', IFREG | 0o644);
  vol.unmount();
  const sb = vol.sb;
  dev.bytes[sb.inoOffset(ino) + 2] = 5;                  /* wrong link count */
  dev.bytes[sb.inoOffset(d) + 0] = 0;                    /* directory inode wiped: its child is orphaned */
  dev.bytes[sb.inoOffset(d) + 1] = 0;
  assert.ok(!fsck(dev).ok);
  const r = fsck(dev, { repair: true });
  assert.deepEqual(r.errors, []);
  assert.ok(r.repaired.length > 0 && r.clean);
  const again = UfsVolume.mount(dev);
  assert.equal(again.getattr(ino).nlink, 1);
  assert.deepEqual(again.readdir(again.root).map((e) => e.name).sort(), ['.', '..', 'f']);
  again.create(again.root, 'g', IFREG | 0o644);
  again.unmount();
  assert.deepEqual(fsck(dev).errors, []);
});

/*
 * A crash with a write-back cache: the running system sees all its writes
 * (view), the disk (inner) only some of those made after a point.
 */
class LossyDev implements BlockDev {
  n = 0;
  armed = false;
  readonly view: MemBlockDev;
  constructor(readonly inner: MemBlockDev, readonly keep: (n: number) => boolean) {
    this.view = new MemBlockDev(inner.bytes.slice());
  }
  get size(): number { return this.inner.size; }
  read(off: number, into: Uint8Array): void { this.view.read(off, into); }
  write(off: number, data: Uint8Array): void {
    this.view.write(off, data);
    if (this.armed && !this.keep(this.n++)) return;
    this.inner.write(off, data);
  }
}

test('repair: a crash that lost writes leaves a file system fsck can fix', () => {
  for (const ufs2 of [false, true]) {
    for (const lose of [3, 5, 7]) {
      const inner = fresh(ufs2, 16 << 20);
      const dev = new LossyDev(inner, (n) => n % lose !== 0);
      const vol = UfsVolume.mount(dev, { clock: CLOCK });
      const base = vol.mkdir(vol.root, 'base', 0o755);
      for (let i = 0; i < 20; i++) vol.write(vol.create(base, `b${i}`, IFREG | 0o644), 0, pattern(i * 3000, i));
      dev.armed = true;
      for (let i = 0; i < 30; i++) {
        const dn = vol.mkdir(vol.root, `d${i}`, 0o755);
        vol.write(vol.create(dn, 'x', IFREG | 0o644), 0, pattern(7000 + i * 100, i));
        if (i % 3 === 0) vol.unlink(base, `b${i % 20}`);
        if (i % 4 === 0) vol.rename(vol.root, `d${i}`, base, `moved${i}`);
      }
      /* crash: no unmount */
      assert.ok(!fsck(inner).ok, 'the crash did damage');
      const r = fsck(inner, { repair: true });
      if (process.env.UFS_DEBUG) console.log(r.repaired.slice(0, 8));
      assert.deepEqual(r.errors, [], `ufs${ufs2 ? 2 : 1} losing every ${lose}th write`);
      const after = UfsVolume.mount(inner);
      const walk = (ino: number) => {
        for (const e of after.readdir(ino)) {
          if (e.name === '.' || e.name === '..') continue;
          if (e.type === 4) walk(e.ino);
          else after.read(e.ino, 0, 1 << 20);
        }
      };
      walk(after.root);
      after.write(after.create(after.root, 'post', IFREG | 0o644), 0, pattern(50000, 5));
      after.unmount();
      assert.deepEqual(fsck(inner).errors, []);
    }
  }
});

test('symlinks: fast below fs_maxsymlinklen, slow from it on', () => {
  for (const ufs2 of [false, true]) {
    const dev = fresh(ufs2);
    const vol = UfsVolume.mount(dev, { clock: CLOCK });
    const max = ufs2 ? 120 : 60;
    const fast = vol.symlink(vol.root, 'fast', 'f'.repeat(max - 1));
    const slow = vol.symlink(vol.root, 'slow', 's'.repeat(max));
    assert.equal(vol.getattr(fast).blocks, 0);
    assert.ok(vol.getattr(slow).blocks > 0);
    vol.unmount();
    const again = UfsVolume.mount(dev, { readonly: true });
    assert.equal(again.readlink(fast), 'f'.repeat(max - 1));
    assert.equal(again.readlink(slow), 's'.repeat(max));
    assert.deepEqual(fsck(dev).errors, []);
  }
});

test('filling every cylinder group gives ENOSPC and leaves a consistent file system', () => {
  const dev = new MemBlockDev(48 << 20);
  mkfs(dev, { ufs2: true, bsize: 4096, fsize: 512, time: 1 });
  const vol = UfsVolume.mount(dev, { clock: CLOCK });
  assert.ok(vol.sb.ncg >= 3);
  const chunk = pattern(1 << 20, 3);
  let n = 0, short = -1;
  assert.throws(() => {
    for (;; n++) {
      const ino = vol.create(vol.root, `fill${n}`, IFREG | 0o644);
      const wrote = vol.write(ino, 0, chunk);
      if (wrote < chunk.length) short = wrote;
      assert.equal(vol.getattr(ino).size, wrote);
    }
  }, (e: unknown) => e instanceof SysError && e.errno === 28);
  assert.ok(n > 35);
  assert.ok(short > 0, 'the last write that fitted partly was short');
  const st = vol.statfs();
  assert.ok(st.bfree < 2048);
  for (let i = 0; i < n; i += 2) vol.unlink(vol.root, `fill${i}`);
  vol.unmount();
  assert.deepEqual(fsck(dev).errors, []);
});

/* A device that insists on sector-aligned requests, as a buffer cache may. */
class AlignedDev implements BlockDev {
  constructor(readonly inner: MemBlockDev) {}
  get size(): number { return this.inner.size; }
  private check(off: number, len: number): void {
    assert.ok(off % 512 === 0 && len % 512 === 0, `unaligned request ${off}+${len}`);
  }
  read(off: number, into: Uint8Array): void { this.check(off, into.length); this.inner.read(off, into); }
  write(off: number, data: Uint8Array): void { this.check(off, data.length); this.inner.write(off, data); }
}

test('every device request is sector aligned', () => {
  for (const ufs2 of [false, true]) {
    const dev = new AlignedDev(new MemBlockDev(8 << 20));
    mkfs(dev, { ufs2, bsize: 4096, fsize: 512, time: 1 });
    const vol = UfsVolume.mount(dev, { clock: CLOCK });
    const d = vol.mkdir(vol.root, 'd', 0o755);
    for (let i = 0; i < 50; i++) {
      const ino = vol.create(d, `f${i}`, IFREG | 0o644);
      vol.write(ino, i * 77, pattern(i * 333 + 1, i));
      vol.read(ino, 3, 1000);
      if (i % 3 === 0) vol.truncate(ino, 7);
    }
    vol.symlink(d, 'l', 'x'.repeat(200));
    vol.rename(vol.root, 'd', vol.root, 'e');
    vol.unmount();
    assert.deepEqual(fsck(dev).errors, []);
    assert.deepEqual(fsck(dev, { repair: true }).errors, []);
  }
});
