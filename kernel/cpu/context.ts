/*
 * A hart's user-visible state, as saved in a thread while it is not on a vCPU
 * and as a vCPU's register file (which lives in shared memory; see cpu.ts).
 *
 * x: 32 integer registers as (lo, hi) int32 pairs: x[2*r] = low word,
 *    x[2*r+1] = high word. x0 is always 0.
 * f: 32 FP registers as raw 64-bit patterns, (lo, hi) int32 pairs in the same
 *    layout; single-precision values are NaN-boxed (hi = -1).
 * fcsr: frm in bits 7:5, fflags in 4:0 (NV DZ OF UF NX = bits 4..0).
 * pc: the program counter as a JS number (user addresses are < 2^32).
 */
export class CpuContext {
  readonly x = new Int32Array(64);
  readonly f = new Int32Array(64);
  fcsr = 0;
  pc = 0;
  /** Reservation set by LR, cleared on context switch and by SC. */
  reservation = -1;

  copyFrom(o: CpuContext): void {
    this.x.set(o.x);
    this.f.set(o.f);
    this.fcsr = o.fcsr;
    this.pc = o.pc;
    this.reservation = -1;
  }

  getX(r: number): bigint {
    return (BigInt(this.x[2 * r + 1]) << 32n) | BigInt(this.x[2 * r] >>> 0);
  }

  setX(r: number, v: bigint): void {
    if (r === 0) return;
    this.x[2 * r] = Number(BigInt.asIntN(32, v));
    this.x[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }

  /** Set xr from a JS number (exact integers to ±2^53; negative values sign-extend). */
  setXNum(r: number, v: number): void {
    if (r === 0) return;
    const lo = v % 0x1_0000_0000;
    this.x[2 * r] = lo | 0;
    this.x[2 * r + 1] = Math.floor(v / 0x1_0000_0000) | 0;
  }
}

/* Register numbers of the Linux calling convention. */
export const REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_A0 = 10, REG_A1 = 11,
  REG_A2 = 12, REG_A7 = 17;
