/*
 * Staged device I/O. Every volume operation runs as one transaction: reads
 * see the operation's own pending writes, and the writes reach the device
 * only at commit, after the last read. If a read throws (a SleepRequest from
 * the buffer cache, or EIO) the transaction is dropped whole, the device is
 * as it was before the operation, and the rerun starts from scratch.
 *
 * Writes are kept in fixed-size units (the fragment size) so overlapping
 * metadata updates of different sizes merge simply.
 */
import type { BlockDev } from './ufs_blockdev.ts';

export class UfsIo {
  private pending = new Map<number, Uint8Array>();

  constructor(readonly dev: BlockDev, readonly unit: number) {}

  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /** Bytes [off, off+len). The device is asked for whole units only (a buffer cache wants aligned blocks). */
  read(off: number, len: number): Uint8Array {
    const u = this.unit;
    const start = Math.floor(off / u) * u, end = Math.ceil((off + len) / u) * u;
    let out = new Uint8Array(end - start);
    this.dev.read(start, out);
    if (start !== off || end !== off + len) out = out.slice(off - start, off - start + len);
    if (this.pending.size > 0) this.overlay(off, out);
    return out;
  }

  private overlay(off: number, out: Uint8Array): void {
    const u = this.unit;
    const first = Math.floor(off / u) * u;
    for (let a = first; a < off + out.length; a += u) {
      const p = this.pending.get(a);
      if (!p) continue;
      const s = Math.max(a, off), e = Math.min(a + u, off + out.length);
      out.set(p.subarray(s - a, e - a), s - off);
    }
  }

  write(off: number, data: Uint8Array): void {
    const u = this.unit;
    for (let a = Math.floor(off / u) * u; a < off + data.length; a += u) {
      const s = Math.max(a, off), e = Math.min(a + u, off + data.length);
      let p = this.pending.get(a);
      if (!p) {
        p = s === a && e === a + u ? new Uint8Array(u) : this.read(a, u);
        this.pending.set(a, p);
      }
      p.set(data.subarray(s - off, e - off), s - a);
    }
  }

  /** Hand the staged units to the device, adjacent units in one write. */
  commit(): void {
    const keys = [...this.pending.keys()].sort((a, b) => a - b);
    const u = this.unit;
    for (let i = 0; i < keys.length;) {
      let j = i + 1;
      while (j < keys.length && keys[j] === keys[j - 1] + u && j - i < 256) j++;
      const buf = new Uint8Array((j - i) * u);
      for (let k = i; k < j; k++) buf.set(this.pending.get(keys[k]) as Uint8Array, (k - i) * u);
      this.dev.write(keys[i], buf);
      i = j;
    }
    if (keys.length) this.dev.barrier?.();
    this.pending.clear();
  }

  abort(): void {
    this.pending.clear();
  }
}
