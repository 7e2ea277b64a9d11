/*
 * The buffer cache alone, over an in-memory asynchronous block store:
 * misses sleep and the rerun finds the data, sequential reads read ahead,
 * adjacent dirty buffers go out as one store write, partial writes keep
 * the sectors nobody wrote, the syncer writes only old buffers, and clean
 * buffers are evicted beyond the memory bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SleepRequest } from '../../kernel/kern/sleep.ts';
import type { BlockStore } from '../../kernel/platform.ts';
import { BIO_BSIZE, BufCache, DIRTY_AGE_MS } from '../../kernel/vfs/vfs_bio.ts';
import { setCurproc } from '../../kernel/vfs/vfs_curproc.ts';
import type { Proc } from '../../kernel/kern/proc.ts';
import type { PageAllocator } from '../../kernel/vm/vm_page.ts';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { mkfs } from '../../kernel/fs/ufs/ufs_mkfs.ts';
import { IFREG } from '../../kernel/fs/ufs/ufs_volume.ts';
import { UfsMount } from '../../kernel/fs/ufs/ufs_vfsops.ts';

class MemStore implements BlockStore {
  readonly bytes: Uint8Array;
  reads: [number, number][] = [];
  writes: [number, number][] = [];
  flushes = 0;
  readonly readOnly = false;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) this.bytes[i] = (i * 7 + (i >> 12)) & 0xff;
  }
  get size(): number { return this.bytes.length; }
  async read(off: number, into: Uint8Array): Promise<void> {
    this.reads.push([off, into.length]);
    into.set(this.bytes.subarray(off, off + into.length));
  }
  async write(off: number, data: Uint8Array): Promise<void> {
    this.writes.push([off, data.length]);
    this.bytes.set(data, off);
  }
  async flush(): Promise<void> { this.flushes++; }
  async close(): Promise<void> {}
}

function setup(size = 1 << 20, maxBytes = 1 << 20) {
  let now = 0;
  const cache = new BufCache({ maxBytes, uptimeMs: () => now });
  const store = new MemStore(size);
  const dev = cache.attach(store, 'vkd0');
  return { cache, store, dev, tick: (ms: number) => { now += ms; } };
}

/* Run fn like a syscall: rerun after each sleep once the cache is idle. */
async function rerun<T>(cache: BufCache, fn: () => T): Promise<T> {
  for (let i = 0; i < 100; i++) {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof SleepRequest)) throw e;
      await new Promise<void>((r) => cache.whenIdle(r));
    }
  }
  throw new Error('never completed');
}

test('a miss sleeps; the rerun reads what the store holds', async () => {
  const { cache, store, dev } = setup();
  const buf = new Uint8Array(1000);
  assert.throws(() => dev.read(5000, buf), (e: unknown) => e instanceof SleepRequest);
  await rerun(cache, () => dev.read(5000, buf));
  assert.deepEqual(buf, store.bytes.subarray(5000, 6000));
  assert.ok(cache.stats.hits > 0 && cache.stats.misses > 0);
});

test('sequential reads read ahead: fewer store reads than blocks', async () => {
  const { cache, store, dev } = setup();
  const buf = new Uint8Array(BIO_BSIZE);
  for (let b = 0; b < 64; b++) await rerun(cache, () => dev.read(b * BIO_BSIZE, buf));
  assert.ok(store.reads.length <= 8, `store reads: ${store.reads.length}`);
  assert.deepEqual(buf, store.bytes.subarray(63 * BIO_BSIZE, 64 * BIO_BSIZE));
});

test('adjacent dirty buffers are one store write; a partial buffer writes only its dirty sectors', async () => {
  const { cache, store, dev } = setup();
  dev.write(0, new Uint8Array(8 * BIO_BSIZE).fill(0xaa));
  dev.write(20 * BIO_BSIZE + 1024, new Uint8Array(512).fill(0xbb));
  assert.equal(store.writes.length, 0, 'writes are cached');
  const t = dev.flush(Infinity);
  await new Promise<void>((r) => cache.whenIdle(r));
  assert.ok(t.done && !t.failed);
  assert.deepEqual(store.writes, [[0, 8 * BIO_BSIZE], [20 * BIO_BSIZE + 1024, 512]]);
  assert.equal(store.flushes, 1, 'a full flush ends with the store flushed');
  assert.equal(dev.dirtyCount, 0);
});

test('a partial write into an unread block keeps the other sectors when read', async () => {
  const { cache, store, dev } = setup();
  const orig = store.bytes.slice(40 * BIO_BSIZE, 41 * BIO_BSIZE);
  dev.write(40 * BIO_BSIZE + 512, new Uint8Array(512).fill(0xcc));
  const buf = new Uint8Array(BIO_BSIZE);
  await rerun(cache, () => dev.read(40 * BIO_BSIZE, buf));
  assert.deepEqual(buf.subarray(0, 512), orig.subarray(0, 512));
  assert.ok(buf.subarray(512, 1024).every((x) => x === 0xcc));
  assert.deepEqual(buf.subarray(1024), orig.subarray(1024));
});

test('the syncer writes buffers dirty for 30 s, not younger ones', async () => {
  const { cache, store, dev, tick } = setup();
  dev.write(0, new Uint8Array(BIO_BSIZE).fill(1));
  tick(DIRTY_AGE_MS - 1000);
  dev.write(10 * BIO_BSIZE, new Uint8Array(BIO_BSIZE).fill(2));
  tick(1000);
  cache.syncerRun();
  await new Promise<void>((r) => cache.whenIdle(r));
  assert.deepEqual(store.writes, [[0, BIO_BSIZE]]);
  assert.equal(dev.dirtyCount, 1);
});

test('clean buffers are evicted beyond the bound; dirty ones stay', async () => {
  const { cache, dev } = setup(4 << 20, 64 * BIO_BSIZE);
  dev.write(0, new Uint8Array(BIO_BSIZE).fill(9));
  const buf = new Uint8Array(BIO_BSIZE);
  for (let b = 1; b < 300; b++) await rerun(cache, () => dev.read(b * BIO_BSIZE, buf));
  assert.ok(cache.stats.buffers <= cache.maxBuffers + 1, `buffers: ${cache.stats.buffers}`);
  assert.ok(cache.stats.evictions > 0);
  const first = new Uint8Array(BIO_BSIZE);
  dev.read(0, first);
  assert.ok(first.every((x) => x === 9), 'the dirty buffer survived');
});

/* A store whose writes finish only when the test says so. */
class GatedStore extends MemStore {
  gates: (() => void)[] = [];
  override async write(off: number, data: Uint8Array): Promise<void> {
    this.writes.push([off, data.length]);
    await new Promise<void>((r) => this.gates.push(r));
    this.bytes.set(data, off);
  }
}

test('flushes are ordered: the second one\'s writes start after the first is on the store; buffers in flight are not evicted', async () => {
  let now = 0;
  const cache = new BufCache({ maxBytes: 64 * BIO_BSIZE, uptimeMs: () => now++ });
  const store = new GatedStore(4 << 20);
  const dev = cache.attach(store, 'vkd0');
  dev.write(5 * BIO_BSIZE, new Uint8Array(BIO_BSIZE).fill(1));   /* e.g. metadata */
  dev.write(9 * BIO_BSIZE, new Uint8Array(BIO_BSIZE).fill(2));
  const first = dev.flush(Infinity);
  dev.write(0, new Uint8Array(512).fill(3));                      /* e.g. the superblock's clean mark */
  const second = dev.flush(Infinity);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(store.writes, [[5 * BIO_BSIZE, BIO_BSIZE], [9 * BIO_BSIZE, BIO_BSIZE]], 'only the first flush is issued');
  /* Reading far more blocks than the cache holds must not drop the unwritten buffers. */
  const buf = new Uint8Array(BIO_BSIZE);
  for (let b = 100; b < 300; b++) {
    try { dev.read(b * BIO_BSIZE, buf); } catch (e) { if (!(e instanceof SleepRequest)) throw e; }
    await new Promise((r) => setTimeout(r, 0));
  }
  dev.read(5 * BIO_BSIZE, buf);
  assert.ok(buf.every((x) => x === 1), 'a buffer being written stays cached');
  store.gates.splice(0).forEach((g) => g());
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(first.done && !first.failed && !second.done);
  assert.deepEqual(store.writes.slice(2), [[0, 512]], 'the second flush follows');
  store.gates.splice(0).forEach((g) => g());
  await new Promise<void>((r) => cache.whenIdle(r));
  assert.ok(second.done && !second.failed);
  assert.ok(store.bytes.subarray(0, 512).every((x) => x === 3));
});

test('fsync in one process does not return on a flush another process started before its writes', async () => {
  const img = new MemBlockDev(8 << 20);
  mkfs(img, { time: 1 });
  const cache = new BufCache({ maxBytes: 4 << 20, uptimeMs: () => 0 });
  const store = new GatedStore(img.size);
  store.bytes.set(img.bytes);
  const dev = cache.attach(store, 'vkd0');
  const open = () => store.gates.splice(0).forEach((g) => g());
  const settle = () => new Promise((r) => setTimeout(r, 10));
  const mp = await rerun(cache, () => new UfsMount({
    dev, bio: dev, from: '/dev/vkd0', pages: {} as PageAllocator, readonly: false, dirty: 'refuse', wallMs: () => 1000,
  }));
  for (let i = 0; i < 5; i++) { open(); await settle(); }
  const [a, b] = [{}, {}] as Proc[];
  const aData = new Uint8Array(8192).fill(0x41), bData = new Uint8Array(8192).fill(0x42);
  const fileA = await rerun(cache, () => mp.vol.create(mp.vol.root, 'a', IFREG | 0o644, 0, 0));
  const fileB = await rerun(cache, () => mp.vol.create(mp.vol.root, 'b', IFREG | 0o644, 0, 0));
  try {
    setCurproc(a);
    await rerun(cache, () => mp.vol.write(fileA, 0, aData));
    assert.throws(() => mp.waitFlush(), (e: unknown) => e instanceof SleepRequest, 'A sleeps on its flush');
    setCurproc(b);
    await rerun(cache, () => mp.vol.write(fileB, 0, bData));
    assert.throws(() => mp.waitFlush(), (e: unknown) => e instanceof SleepRequest, 'B sleeps');
    open(); /* A's flush reaches the store; B's is next */
    await settle();
    const onStore = () => Buffer.from(store.bytes).includes(Buffer.from(bData));
    let returned = true;
    try { mp.waitFlush(); } catch (e) { if (!(e instanceof SleepRequest)) throw e; returned = false; }
    if (returned) assert.ok(onStore(), 'B\'s fsync returned before its data was on the store');
    for (let i = 0; i < 5; i++) { open(); await settle(); }
    mp.waitFlush();
    assert.ok(onStore(), 'B\'s data is on the store');
    setCurproc(a);
    mp.waitFlush();
    assert.ok(Buffer.from(store.bytes).includes(Buffer.from(aData)));
  } finally {
    setCurproc(null);
  }
});
