/*
 * The device a cd9660 mount reads: a synchronous byte-addressed view of a
 * volume. The kernel's buffer cache implements it over vcd; tests and the
 * browser's "inspect an ISO" path use memBlockDev over an ArrayBuffer.
 *
 * cd9660 only ever asks for whole 2048-byte blocks (offset and length both
 * multiples of ISO_BSIZE), so an implementation may rely on that. read may
 * throw SleepRequest (the syscall reruns when the block is in) or SysError;
 * cd9660 caches nothing from a read that did not complete, so a rerun is safe.
 * UFS's BlockDev (kernel/fs/ufs/ufs_blockdev.ts) is a superset of this one,
 * so the same device objects serve both file systems.
 */
export const ISO_BSIZE = 2048;

export interface BlockDev {
  /** Size of the volume in bytes. */
  readonly size: number;
  /** Fill `into` with the bytes at `offset`. */
  read(offset: number, into: Uint8Array): void;
}

/** A BlockDev over bytes already in memory (an uploaded image, a test). */
export function memBlockDev(image: Uint8Array): BlockDev {
  return {
    size: image.length,
    read(offset: number, into: Uint8Array): void {
      into.set(image.subarray(offset, offset + into.length));
      // A short image reads as zeros past its end; the mount checks bounds first.
      if (offset + into.length > image.length) into.fill(0, Math.max(0, image.length - offset));
    },
  };
}
