/*
 * System call arguments as the CPU left them: a0..a5, each a 64-bit register
 * held as a (lo, hi) pair of int32. Handlers pick the view they need.
 */
import { EFAULT, SysError } from './errno.ts';
import { USER_VA_LIMIT } from '../vm/pte.ts';

export class SysArgs {
  readonly lo = new Int32Array(6);
  readonly hi = new Int32Array(6);

  /** C int: the low 32 bits, signed. */
  int(i: number): number {
    return this.lo[i];
  }
  /** C unsigned int. */
  uint(i: number): number {
    return this.lo[i] >>> 0;
  }
  /** signed 64-bit value as a JS number (exact to 2^53). */
  i64(i: number): number {
    return this.hi[i] * 0x1_0000_0000 + (this.lo[i] >>> 0);
  }
  /** unsigned 64-bit value as a JS number (exact to 2^53; larger values are huge, never small). */
  u64(i: number): number {
    return (this.hi[i] >>> 0) * 0x1_0000_0000 + (this.lo[i] >>> 0);
  }
  /** 64-bit value as a BigInt, for the rare exact cases. */
  big(i: number): bigint {
    return (BigInt(this.hi[i]) << 32n) | BigInt(this.lo[i] >>> 0);
  }
  /** A user pointer. 0 stays 0 (NULL); anything at or past USER_VA_LIMIT faults (EFAULT). */
  ptr(i: number): number {
    if (this.hi[i] !== 0) throw new SysError(EFAULT);
    return this.lo[i] >>> 0;
  }
  /** A user pointer that may legally be any value (checked later); returns -1 if above the limit. */
  ptrOrBad(i: number): number {
    return this.hi[i] !== 0 ? -1 : this.lo[i] >>> 0;
  }
}

export { USER_VA_LIMIT };
