/*
 * Conversions between FP values and 32/64-bit integers (fcvt.{w,wu,l,lu}.{s,d}
 * and back), on JS numbers; 64-bit integers travel as (hi, lo) int32 words.
 */
import { st, NV, NX, RNE, roundIntegral, lastInexact, twoSumErr, adjust, roundF32 } from './fpu_round.ts';

export const W = 0, WU = 1, L = 2, LU = 3;

/** The 64-bit result of toInt(), as it goes into an x register. */
export const out = { lo: 0, hi: 0 };

const TWO_31 = 2 ** 31, TWO_32 = 2 ** 32, TWO_63 = 2 ** 63, TWO_64 = 2 ** 64;

function set(lo: number, hi: number): void {
  out.lo = lo;
  out.hi = hi;
}

/** n integral, |n| < 2^64: its two's complement words. */
function split(n: number): void {
  const hi = Math.floor(n / TWO_32);
  set((n - hi * TWO_32) | 0, hi | 0);
}

/** The saturated value for an invalid conversion; NaN saturates high. */
function saturate(kind: number, low: boolean): void {
  switch (kind) {
    case W: if (low) set(0x80000000 | 0, -1); else set(0x7fffffff, 0); break;
    case WU: if (low) set(0, 0); else set(-1, -1); break; // W results sign-extend
    case L: if (low) set(0, 0x80000000 | 0); else set(-1, 0x7fffffff); break;
    default: if (low) set(0, 0); else set(-1, -1);
  }
}

function inRange(n: number, kind: number): boolean {
  switch (kind) {
    case W: return n >= -TWO_31 && n < TWO_31;
    case WU: return n >= 0 && n < TWO_32; // -0 is in range
    case L: return n >= -TWO_63 && n < TWO_63;
    default: return n >= 0 && n < TWO_64;
  }
}

/** Convert v to an integer of the given kind in mode rm into `out`; returns fflags. */
export function toInt(v: number, rm: number, kind: number): number {
  if (v !== v) { saturate(kind, false); return NV; }
  const n = roundIntegral(v, rm);
  if (!inRange(n, kind)) { saturate(kind, n < 0); return NV; }
  if (kind === W || kind === WU) {
    const lo = n | 0;
    set(lo, lo >> 31);
  } else split(n);
  return lastInexact() ? NX : 0;
}

/** hi·2^32 + lo (lo unsigned, hi signed or unsigned) to double in mode rm. */
export function fromI64(hi: number, lo: number, rm: number): number {
  const h = hi * TWO_32;
  const r = h + lo;
  const e = twoSumErr(h, lo, r);
  if (e === 0) return r;
  st.fl |= NX;
  return rm === RNE ? r : adjust(r, e, rm, true);
}

/** hi·2^32 + lo to single in mode rm. */
export function fromI64F32(hi: number, lo: number, rm: number): number {
  const h = hi * TWO_32;
  const r = h + lo;
  return roundF32(r, twoSumErr(h, lo, r), rm);
}
