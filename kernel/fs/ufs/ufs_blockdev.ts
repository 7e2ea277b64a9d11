/*
 * The block device a UFS volume sits on. The kernel's buffer cache will
 * implement it later; read may then throw a SleepRequest on a cache miss,
 * which is why the volume stages its writes per operation (ufs_txn.ts) and
 * only hands them to write() once the operation can no longer sleep.
 *
 * Offsets and lengths are bytes. The UFS code keeps both multiples of the
 * file system's fragment size (and so of DEV_BSIZE, 512), and the slice code
 * multiples of 512, so a buffer cache can rely on sector alignment.
 */
export interface BlockDev {
  readonly size: number;
  read(offset: number, into: Uint8Array): void;
  write(offset: number, data: Uint8Array): void;
  /**
   * Optional: called after the writes of one file system operation. What
   * was written before a barrier is one consistent state of the file system;
   * a write-back cache that flushes whole barrier groups (or journals them)
   * never leaves a half-done operation on disk.
   */
  barrier?(): void;
}

/** A disk image held in memory: tests, makefs, the browser's "new disk". */
export class MemBlockDev implements BlockDev {
  readonly bytes: Uint8Array;

  constructor(sizeOrBytes: number | Uint8Array) {
    this.bytes = typeof sizeOrBytes === 'number' ? new Uint8Array(sizeOrBytes) : sizeOrBytes;
  }

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, into: Uint8Array): void {
    if (offset < 0 || offset + into.length > this.bytes.length) throw new RangeError('read past end of device');
    into.set(this.bytes.subarray(offset, offset + into.length));
  }

  write(offset: number, data: Uint8Array): void {
    if (offset < 0 || offset + data.length > this.bytes.length) throw new RangeError('write past end of device');
    this.bytes.set(data, offset);
  }
}

/** A window of another device: a slice or a disklabel partition. */
export class SubBlockDev implements BlockDev {
  constructor(readonly parent: BlockDev, readonly base: number, readonly size: number) {}

  read(offset: number, into: Uint8Array): void {
    if (offset < 0 || offset + into.length > this.size) throw new RangeError('read past end of partition');
    this.parent.read(this.base + offset, into);
  }

  write(offset: number, data: Uint8Array): void {
    if (offset < 0 || offset + data.length > this.size) throw new RangeError('write past end of partition');
    this.parent.write(this.base + offset, data);
  }

  barrier(): void {
    this.parent.barrier?.();
  }
}
