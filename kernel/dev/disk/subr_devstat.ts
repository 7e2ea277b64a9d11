/*
 * Device statistics (BSD's devstat): per disk, the transfers the buffer
 * cache really sent to the host's block store, their bytes, and the time
 * the device was busy (at least one transfer in flight). iostat(8) reads
 * them as kern.devstat.all. A store is wrapped once at attach.
 *
 *   struct devstat {                 80 bytes, little-endian
 *     char ds_name[16];              "vkd0", "vcd0"
 *     u64 ds_reads, ds_writes;       transfers completed
 *     u64 ds_bytes_read, ds_bytes_written;
 *     u64 ds_busy_us;                time with a transfer in flight
 *     u64 ds_read_us, ds_write_us;   summed durations of the transfers
 *     u32 ds_inflight;               transfers in flight now
 *     u32 ds_secsize;                0 (unknown here; the driver knows it)
 *   };
 */
import type { BlockStore } from '../../platform.ts';

export const DEVSTAT_SIZE = 80;

export class Devstat {
  reads = 0;
  writes = 0;
  bytesRead = 0;
  bytesWritten = 0;
  busyMs = 0;
  readMs = 0;
  writeMs = 0;
  inflight = 0;
  private busySince = 0;

  constructor(readonly name: string, private readonly now: () => number) {}

  start(): number {
    const t = this.now();
    if (this.inflight++ === 0) this.busySince = t;
    return t;
  }

  end(t0: number, write: boolean, bytes: number): void {
    const t = this.now();
    if (--this.inflight === 0) this.busyMs += t - this.busySince;
    if (write) { this.writes++; this.bytesWritten += bytes; this.writeMs += t - t0; }
    else { this.reads++; this.bytesRead += bytes; this.readMs += t - t0; }
  }

  /** Busy time up to now, counting a transfer still in flight. */
  busyNow(): number {
    return this.busyMs + (this.inflight > 0 ? this.now() - this.busySince : 0);
  }

  encode(): Uint8Array {
    const b = new Uint8Array(DEVSTAT_SIZE);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < Math.min(15, this.name.length); i++) b[i] = this.name.charCodeAt(i) & 0xff;
    const us = (ms: number): bigint => BigInt(Math.floor(ms * 1000));
    [BigInt(this.reads), BigInt(this.writes), BigInt(this.bytesRead), BigInt(this.bytesWritten),
      us(this.busyNow()), us(this.readMs), us(this.writeMs)].forEach((v, i) => dv.setBigUint64(16 + i * 8, v, true));
    dv.setUint32(72, this.inflight, true);
    return b;
  }
}

/* The attached disks, in attach order (a new boot starts over). */
const devs = new Map<string, Devstat>();

export function devstatAll(): Devstat[] {
  return [...devs.values()];
}

/** A new boot: the disks of the last one are gone. */
export function devstatReset(): void {
  devs.clear();
}

/** Wrap a disk's store so its transfers are counted under name. */
export function devstatAttach(store: BlockStore, name: string, now: () => number): BlockStore {
  const ds = new Devstat(name, now);
  devs.set(name, ds);
  const count = (p: Promise<void>, write: boolean, bytes: number): Promise<void> => {
    const t0 = ds.start();
    const fin = (): void => ds.end(t0, write, bytes);
    return p.then(fin, (e: unknown) => { fin(); throw e; });
  };
  return {
    size: store.size,
    readOnly: store.readOnly,
    read: (off, into) => count(store.read(off, into), false, into.length),
    write: (off, data) => count(store.write(off, data), true, data.length),
    flush: () => store.flush(),
    close: () => store.close(),
  };
}
