/*
 * The buffer cache (BSD's vfs_bio.c) over the host's asynchronous block
 * stores. File systems see each disk as a synchronous BlockDev (BioDev):
 *
 *  - read: a cached buffer is copied out at once; a miss starts the store
 *    read (clustered with its missing neighbours, plus read-ahead when the
 *    reads are sequential) and tsleep()s on the buffer. The syscall reruns
 *    when the data is in; UFS and cd9660 are built to be rerun.
 *  - write: lands in the buffer and marks it dirty; never sleeps. A write
 *    may cover part of a buffer whose rest was never read: per-sector valid
 *    and dirty masks keep that straight without a read-modify-write.
 *  - flush: dirty buffers go out in block order, adjacent ones clustered
 *    into one store write; sync waits (sleeps) until the store has them.
 *    Flushes are ordered: one flush's store writes start only after every
 *    earlier flush's writes (and store flush) finished, so what a file
 *    system flushed and then wrote reaches the store after it (UFS: the
 *    dirty mark before anything a mount writes; the clean mark last).
 *
 * A periodic syncer writes buffers dirty for longer than DIRTY_AGE_MS, and
 * clean buffers are evicted LRU beyond the memory bound.
 */
import { EIO, EROFS, SysError } from '../kern/errno.ts';
import { tsleep, wakeup } from '../kern/sleep.ts';
import type { BlockStore } from '../platform.ts';

export const BIO_BSIZE = 4096;
const SECTOR = 512;
const SECTORS = BIO_BSIZE / SECTOR;
const FULL = (1 << SECTORS) - 1;
/* Largest clustered read or write, in blocks (128 KiB). */
const MAXCLUSTER = 32;
/* Read-ahead window for sequential readers, in blocks. */
const READAHEAD = 32;
/* Read streams remembered for sequential detection (data reads interleave with metadata reads). */
const STREAMS = 8;
/* The syncer wakes every SYNCER_MS and writes what has been dirty for DIRTY_AGE_MS. */
export const SYNCER_MS = 5000;
export const DIRTY_AGE_MS = 30000;

export interface BioStats {
  buffers: number;      // buffers held
  dirty: number;        // of which dirty
  reads: number;        // store reads issued
  writes: number;       // store writes issued
  readBytes: number;
  writeBytes: number;
  hits: number;         // block lookups served from the cache
  misses: number;
  evictions: number;
}

/** One cached block of one device. */
export class Buf {
  readonly data = new Uint8Array(BIO_BSIZE);
  valid = 0;            // sector mask: bytes present
  dirty = 0;            // sector mask: bytes newer than the store's
  dirtySince = 0;       // uptime ms of the first dirtying
  reading = false;      // a store read is filling it
  error = false;        // the last read failed
  used = false;         // touched since eviction last passed it
  writing = 0;          // store writes of its contents in flight: not evictable (a reread would be stale)
  constructor(readonly dev: BioDev, readonly blkno: number) {}
}

/** A flush that sync(2)/fsync/umount can wait for. */
export class FlushToken {
  done = false;
  failed = false;
  /** Settles when done (for the cache's own bookkeeping). */
  finished: Promise<void> = Promise.resolve();
}

export interface BufCacheOptions {
  maxBytes: number;
  uptimeMs(): number;
  /** The host's timer (platform.schedule); absent: no periodic syncer. */
  schedule?(fn: () => void, ms: number): () => void;
}

export class BufCache {
  /**
   * Set while the kernel syncs outside any thread (halt): file systems
   * start their flushes but do not sleep; the halt path waits for the
   * cache to go idle instead.
   */
  static noSleep = false;
  /* Insertion order ≈ least recently used first (see touch). */
  private readonly lru = new Set<Buf>();
  readonly devs: BioDev[] = [];
  readonly stats: BioStats = {
    buffers: 0, dirty: 0, reads: 0, writes: 0, readBytes: 0, writeBytes: 0, hits: 0, misses: 0, evictions: 0,
  };
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];
  private cancelSyncer: (() => void) | null = null;
  private stopped = false;
  readonly maxBuffers: number;

  constructor(readonly opts: BufCacheOptions) {
    this.maxBuffers = Math.max(64, Math.floor(opts.maxBytes / BIO_BSIZE));
  }

  /** Add a device; the first one starts the periodic syncer. */
  attach(store: BlockStore, name: string): BioDev {
    const d = new BioDev(this, store, name);
    this.devs.push(d);
    if (this.devs.length === 1) this.armSyncer();
    return d;
  }

  /* CLOCK-style LRU: a use only sets a bit; eviction gives used buffers a second chance. */
  touch(bp: Buf): void {
    bp.used = true;
  }

  added(bp: Buf): void {
    this.lru.add(bp);
    this.stats.buffers++;
    if (this.lru.size > this.maxBuffers) this.evict();
  }

  /*
   * Drop clean, idle buffers from the cold end until under the bound. The
   * scan is bounded: under a flood of dirty buffers it gives up, and one
   * write-back of everything dirty makes them clean (evictable) later.
   */
  private evict(): void {
    let excess = this.lru.size - this.maxBuffers;
    let budget = excess * 4 + 256;
    for (const bp of this.lru) {
      if (excess <= 0 || budget-- <= 0) break;
      if (bp.used) {
        bp.used = false;
        this.lru.delete(bp);
        this.lru.add(bp);
        continue;
      }
      if (bp.dirty || bp.reading || bp.writing) continue;
      this.lru.delete(bp);
      bp.dev.forget(bp);
      this.stats.buffers--;
      this.stats.evictions++;
      excess--;
    }
    if (excess > 0 && !this.pressureFlush) {
      this.pressureFlush = true;
      const all = this.devs.map((d) => d.flush(Infinity, false).finished);
      Promise.all(all).then(() => { this.pressureFlush = false; });
    }
  }
  private pressureFlush = false;

  forgetAll(dev: BioDev): void {
    for (const bp of this.lru) if (bp.dev === dev) { this.lru.delete(bp); this.stats.buffers--; }
  }

  /* ---- I/O accounting: boot and halt wait for the cache to go quiet ---- */

  ioStart(): void {
    this.inflight++;
  }

  ioDone(): void {
    if (--this.inflight > 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const fn of w) fn();
  }

  get busy(): boolean {
    return this.inflight > 0;
  }

  /** Call fn once no store I/O is in flight (at once if none is). */
  whenIdle(fn: () => void): void {
    if (this.inflight === 0) queueMicrotask(fn);
    else this.idleWaiters.push(fn);
  }

  /* ---- the syncer ---- */

  private armSyncer(): void {
    const sched = this.opts.schedule;
    if (!sched || this.stopped) return;
    this.cancelSyncer = sched(() => {
      this.syncerRun();
      this.armSyncer();
    }, SYNCER_MS);
  }

  /** Write back buffers dirty for at least DIRTY_AGE_MS (the syncer's pass). */
  syncerRun(): void {
    const cutoff = this.opts.uptimeMs() - DIRTY_AGE_MS;
    for (const d of this.devs) d.flush(cutoff);
  }

  /** Start writing every dirty buffer of every device; the token completes when the stores have them. */
  flushAll(): FlushToken[] {
    return this.devs.map((d) => d.flush(Infinity));
  }

  /** Halt: stop the syncer (the host closes the stores). */
  shutdown(): void {
    this.stopped = true;
    this.cancelSyncer?.();
    this.cancelSyncer = null;
  }
}

/**
 * One block store as a synchronous, byte-addressed BlockDev (the interface
 * kernel/fs/ufs/ufs_blockdev.ts and kernel/fs/cd9660/blockdev.ts expect).
 */
export class BioDev {
  private readonly bufs = new Map<number, Buf>();
  private readonly dirtyBufs = new Set<Buf>();
  /* The last flush: the next one's writes start when it has settled (true: it succeeded). */
  private chain: Promise<boolean> = Promise.resolve(true);
  /* Where recent reads ended: a read starting at one of them is sequential. */
  private readonly streamEnds: number[] = [];
  /** Ordering points seen (UFS: one per finished operation). */
  barriers = 0;
  readonly size: number;
  readonly readOnly: boolean;

  constructor(readonly cache: BufCache, readonly store: BlockStore, readonly name: string) {
    this.size = store.size;
    this.readOnly = store.readOnly;
  }

  get dirtyCount(): number {
    return this.dirtyBufs.size;
  }

  read(offset: number, into: Uint8Array): void {
    this.checkRange(offset, into.length);
    if (into.length === 0) return;
    const first = Math.floor(offset / BIO_BSIZE), last = Math.floor((offset + into.length - 1) / BIO_BSIZE);
    const held = this.ensure(first, last, offset, into.length);
    for (let b = first; b <= last; b++) {
      const bp = held[b - first];
      const start = Math.max(offset, b * BIO_BSIZE), end = Math.min(offset + into.length, (b + 1) * BIO_BSIZE);
      into.set(bp.data.subarray(start - b * BIO_BSIZE, end - b * BIO_BSIZE), start - offset);
      this.cache.touch(bp);
    }
    this.noteStream(first, last + 1);
  }

  private noteStream(first: number, next: number): void {
    const i = this.streamEnds.indexOf(first);
    if (i >= 0) this.streamEnds.splice(i, 1);
    this.streamEnds.push(next);
    if (this.streamEnds.length > STREAMS) this.streamEnds.shift();
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new SysError(EROFS);
    this.checkRange(offset, data.length);
    const now = this.cache.opts.uptimeMs();
    for (let done = 0; done < data.length;) {
      const pos = offset + done;
      const b = Math.floor(pos / BIO_BSIZE), inBlk = pos - b * BIO_BSIZE;
      const n = Math.min(data.length - done, BIO_BSIZE - inBlk);
      const bp = this.getblk(b);
      bp.data.set(data.subarray(done, done + n), inBlk);
      const mask = sectorMask(inBlk, n);
      bp.valid |= mask;
      if (!bp.dirty) {
        bp.dirtySince = now;
        this.dirtyBufs.add(bp);
        this.cache.stats.dirty++;
      }
      bp.dirty |= mask;
      this.cache.touch(bp);
      done += n;
    }
  }

  /** An ordering point: what was written before it is one consistent state. */
  barrier(): void {
    this.barriers++;
  }

  /* Every byte of [offset, offset+len) present, or a read started and a sleep. */
  private ensure(first: number, last: number, offset: number, len: number): Buf[] {
    let sleepOn: Buf | null = null;
    const held: Buf[] = [];
    for (let b = first; b <= last; b++) {
      const bp = this.getblk(b);
      held.push(bp);
      this.cache.touch(bp);
      const need = sectorMask(Math.max(offset, b * BIO_BSIZE) - b * BIO_BSIZE,
        Math.min(offset + len, (b + 1) * BIO_BSIZE) - Math.max(offset, b * BIO_BSIZE));
      if ((bp.valid & need) === need) {
        this.cache.stats.hits++;
        continue;
      }
      if (bp.error && !bp.reading) {
        bp.error = false;
        throw new SysError(EIO);
      }
      this.cache.stats.misses++;
      if (!bp.reading) this.startRead(b, last, this.streamEnds.includes(first) || this.streamEnds.includes(first + 1));
      sleepOn ??= bp;
    }
    /* Disk waits are not interruptible (BSD's biowait). */
    if (sleepOn) tsleep(sleepOn, Infinity, false);
    return held;
  }

  /* Read the run of missing blocks starting at b (through last, plus read-ahead). */
  private startRead(b: number, last: number, sequential: boolean): void {
    const endBlk = Math.ceil(this.size / BIO_BSIZE);
    const limit = Math.min(endBlk, b + MAXCLUSTER, sequential ? last + 1 + READAHEAD : last + 1);
    const run: Buf[] = [];
    for (let k = b; k < limit; k++) {
      const bp = this.getblk(k);
      if (bp.reading || bp.valid === FULL) break;
      bp.reading = true;
      run.push(bp);
    }
    if (!run.length) return;
    const off = b * BIO_BSIZE;
    const len = Math.min(run.length * BIO_BSIZE, this.size - off);
    const tmp = new Uint8Array(len);
    this.cache.stats.reads++;
    this.cache.stats.readBytes += len;
    this.cache.ioStart();
    this.store.read(off, tmp).then(
      () => this.readDone(run, tmp, false),
      () => this.readDone(run, tmp, true),
    );
  }

  private readDone(run: Buf[], tmp: Uint8Array, failed: boolean): void {
    run.forEach((bp, i) => {
      bp.reading = false;
      if (failed) {
        bp.error = true;
      } else {
        const src = tmp.subarray(i * BIO_BSIZE, (i + 1) * BIO_BSIZE);
        mergeClean(bp, src);
      }
      wakeup(bp);
    });
    this.cache.ioDone();
  }

  private getblk(b: number): Buf {
    let bp = this.bufs.get(b);
    if (!bp) {
      bp = new Buf(this, b);
      /* A partial last block: the bytes past the store's end read as zeros and are never written. */
      const tail = this.size - b * BIO_BSIZE;
      if (tail < BIO_BSIZE) bp.valid = FULL & ~sectorMask(0, Math.ceil(tail / SECTOR) * SECTOR);
      this.bufs.set(b, bp);
      this.cache.added(bp);
    }
    return bp;
  }

  forget(bp: Buf): void {
    this.bufs.delete(bp.blkno);
  }

  /**
   * Write back dirty buffers that were dirtied at or before `before` (uptime
   * ms; Infinity = all). Their contents are taken now and the buffers are
   * clean at once; the store writes start when every earlier flush has
   * finished. The token completes when these writes and all earlier ones
   * are on the store (and the store flushed); it fails if any of them did.
   */
  flush(before: number, storeFlush = before === Infinity): FlushToken {
    const token = new FlushToken();
    const list = [...this.dirtyBufs].filter((bp) => bp.dirtySince <= before).sort((a, b) => a.blkno - b.blkno);
    const runs = clusters(list).map((run) => this.takeRun(run));
    this.cache.ioStart();
    const earlier = this.chain;
    const mine = earlier.then(async () => {
      try {
        await Promise.all(runs.map((r) => this.writeRun(r)));
        if (storeFlush && !this.readOnly) await this.store.flush();
        return true;
      } catch {
        return false;
      }
    });
    this.chain = mine;
    token.finished = Promise.all([earlier, mine]).then(([earlierOk, ok]) => {
      token.failed = !(earlierOk && ok);
      token.done = true;
      wakeup(token);
      this.cache.ioDone();
    });
    return token;
  }

  /* A run's bytes as they are now; its buffers are clean but pinned until the store has them. */
  private takeRun(run: Buf[]): { bufs: Buf[]; pieces: { off: number; bytes: Uint8Array }[] } {
    const pieces = runPieces(run);
    for (const bp of run) {
      this.clean(bp);
      bp.writing++;
    }
    return { bufs: run, pieces };
  }

  /* The store writes of one run (one write for adjacent whole buffers, or the dirty sectors of a partial one). */
  private async writeRun(r: { bufs: Buf[]; pieces: { off: number; bytes: Uint8Array }[] }): Promise<void> {
    try {
      await Promise.all(r.pieces.map(({ off, bytes }) => {
        this.cache.stats.writes++;
        this.cache.stats.writeBytes += bytes.length;
        return this.store.write(off, bytes);
      }));
    } finally {
      for (const bp of r.bufs) bp.writing--;
    }
  }

  private clean(bp: Buf): void {
    bp.dirty = 0;
    this.dirtyBufs.delete(bp);
    this.cache.stats.dirty--;
  }

  /** Forget every buffer (the device goes away); dirty ones must have been flushed. */
  invalidate(): void {
    this.cache.forgetAll(this);
    for (const bp of this.dirtyBufs) this.cache.stats.dirty--;
    this.dirtyBufs.clear();
    this.bufs.clear();
  }

  private checkRange(offset: number, len: number): void {
    if (offset < 0 || len < 0 || offset + len > this.size) throw new SysError(EIO);
  }
}

/** Sectors touched by [off, off+len) within one block. */
function sectorMask(off: number, len: number): number {
  if (len <= 0) return 0;
  const s0 = Math.floor(off / SECTOR), s1 = Math.floor((off + len - 1) / SECTOR);
  return ((1 << (s1 + 1)) - 1) & ~((1 << s0) - 1);
}

/* Fill the sectors of bp that nobody wrote meanwhile. */
function mergeClean(bp: Buf, src: Uint8Array): void {
  for (let s = 0; s < SECTORS; s++) {
    if (bp.dirty & (1 << s)) continue;
    const a = s * SECTOR;
    if (a < src.length) bp.data.set(src.subarray(a, Math.min(a + SECTOR, src.length)), a);
  }
  bp.valid = FULL;
}

/* Runs of adjacent, wholly dirty buffers; a partly dirty buffer is a run of its own. */
function clusters(list: Buf[]): Buf[][] {
  const out: Buf[][] = [];
  let cur: Buf[] = [];
  for (const bp of list) {
    const prev = cur[cur.length - 1];
    const joins = prev && prev.blkno + 1 === bp.blkno && prev.dirty === FULL && bp.dirty === FULL && cur.length < MAXCLUSTER;
    if (!joins && cur.length) { out.push(cur); cur = []; }
    cur.push(bp);
  }
  if (cur.length) out.push(cur);
  return out;
}

/* The bytes to write for a run: whole blocks, or the dirty sector ranges of a lone partial buffer. */
function runPieces(run: Buf[]): { off: number; bytes: Uint8Array }[] {
  const dev = run[0].dev;
  const base = run[0].blkno * BIO_BSIZE;
  if (run.length > 1 || run[0].dirty === FULL) {
    const len = Math.min(run.length * BIO_BSIZE, dev.size - base);
    const bytes = new Uint8Array(len);
    run.forEach((bp, i) => bytes.set(bp.data.subarray(0, Math.min(BIO_BSIZE, len - i * BIO_BSIZE)), i * BIO_BSIZE));
    return [{ off: base, bytes }];
  }
  const bp = run[0];
  const out: { off: number; bytes: Uint8Array }[] = [];
  for (let s = 0; s < SECTORS;) {
    if (!(bp.dirty & (1 << s))) { s++; continue; }
    let e = s;
    while (e < SECTORS && bp.dirty & (1 << e)) e++;
    const a = s * SECTOR, z = Math.min(e * SECTOR, dev.size - base);
    if (z > a) out.push({ off: base + a, bytes: bp.data.slice(a, z) });
    s = e;
  }
  return out;
}
