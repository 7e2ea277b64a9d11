/*
 * RISC-V F and D instruction semantics (everything but loads and stores), one
 * function per instruction, called by the compiled code. See
 * docs/architecture.md ("CPU engine") for the signatures:
 *   FP destination:  op(f, rd, rs1[, rs2[, rs3]][, rm])
 *   x destination:   op(x, f, rd, rs1[, rs2][, rm])     (rd = 0 is not written)
 *   x source:        op(f, x, rd, rs1[, rm])
 * Register files are Int32Array (lo, hi) pairs. The return value is the
 * fflags raised (NV DZ OF UF NX = 16 8 4 2 1); rm is already resolved (0..4).
 *
 * Results are bit-exact with the RISC-V spec: canonical NaNs, NaN-boxed
 * singles (an unboxed single input reads as the canonical NaN), tininess
 * after rounding, fmin/fmax per the 2.2 spec.
 *
 * Files: fpu_round.ts (rounding, error-free transformations, exact BigInt
 * fallback), fpu_d.ts (double arithmetic), fpu_s.ts (single arithmetic
 * instructions, re-exported here), fpu_cvt.ts (integer conversions),
 * fpu_regs.ts (register access; the FP register file must be 8-byte aligned).
 * Tests: test/cpu/fpu.test.ts (qemu-riscv64 oracle), fpu_exact.test.ts.
 */
import { st, NV, roundF32 } from './fpu_round.ts';
import { addD, mulD, divD, sqrtD, fmaD, FMA, fmaGeneral, fmaSpecial, nvFma } from './fpu_d.ts';
import { toInt, out, W, WU, L, LU, fromI64, fromI64F32 } from './fpu_cvt.ts';
import { CANON_S, rdD, wrD, bitsS, rdS, wrS, snD, snS, wrX, nvD2 } from './fpu_regs.ts';

export { NV, DZ, OF, UF, NX, RNE, RTZ, RDN, RUP, RMM } from './fpu_round.ts';
export {
  fadd_s, fsub_s, fmul_s, fdiv_s, fsqrt_s, fmadd_s, fmsub_s, fnmsub_s, fnmadd_s,
} from './fpu_s.ts';

/* ---------- double: arithmetic ---------- */

function arithD(f: Int32Array, rd: number, rs1: number, rs2: number, r: number, a: number, b: number): number {
  if (r !== r) st.fl = nvD2(f, rs1, rs2, a, b);
  wrD(f, rd, r);
  return st.fl;
}

export function fadd_d(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const a = rdD(f, rs1), b = rdD(f, rs2);
  return arithD(f, rd, rs1, rs2, addD(a, b, rm), a, b);
}

export function fsub_d(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const a = rdD(f, rs1), b = rdD(f, rs2);
  return arithD(f, rd, rs1, rs2, addD(a, -b, rm), a, b);
}

export function fmul_d(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const a = rdD(f, rs1), b = rdD(f, rs2);
  return arithD(f, rd, rs1, rs2, mulD(a, b, rm), a, b);
}

export function fdiv_d(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const a = rdD(f, rs1), b = rdD(f, rs2);
  return arithD(f, rd, rs1, rs2, divD(a, b, rm), a, b);
}

export function fsqrt_d(f: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  const a = rdD(f, rs1);
  const r = sqrtD(a, rm);
  if (r !== r) st.fl = a !== a && !snD(f, rs1) ? 0 : NV;
  wrD(f, rd, r);
  return st.fl;
}

/** (±rs1·rs2) ± rs3 with one rounding: np negates the product, nc the addend. */
function fmaRegD(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number,
  np: boolean, nc: boolean): number {
  st.fl = 0;
  const a = np ? -rdD(f, rs1) : rdD(f, rs1), b = rdD(f, rs2), c = nc ? -rdD(f, rs3) : rdD(f, rs3);
  if (fmaGeneral(a, b, c)) {
    FMA[0] = a; FMA[1] = b; FMA[2] = c;
    fmaD(rm);
    wrD(f, rd, FMA[3]);
    return st.fl;
  }
  const r = fmaSpecial(a, b, c, rm);
  if (r !== r) st.fl = nvFma(snD(f, rs1) || snD(f, rs2) || snD(f, rs3), a, b, c);
  wrD(f, rd, r);
  return st.fl;
}

export function fmadd_d(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaRegD(f, rd, rs1, rs2, rs3, rm, false, false);
}
export function fmsub_d(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaRegD(f, rd, rs1, rs2, rs3, rm, false, true);
}
export function fnmsub_d(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaRegD(f, rd, rs1, rs2, rs3, rm, true, false);
}
export function fnmadd_d(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaRegD(f, rd, rs1, rs2, rs3, rm, true, true);
}

/* ---------- sign injection ---------- */

function sgnjD(f: Int32Array, rd: number, rs1: number, rs2: number, mode: number): number {
  const lo = f[2 * rs1], h1 = f[2 * rs1 + 1], h2 = f[2 * rs2 + 1];
  const sign = mode === 0 ? h2 : mode === 1 ? ~h2 : h1 ^ h2;
  f[2 * rd] = lo;
  f[2 * rd + 1] = (h1 & 0x7fffffff) | (sign & 0x80000000);
  return 0;
}

function sgnjS(f: Int32Array, rd: number, rs1: number, rs2: number, mode: number): number {
  const b1 = bitsS(f, rs1), b2 = bitsS(f, rs2);
  const sign = mode === 0 ? b2 : mode === 1 ? ~b2 : b1 ^ b2;
  f[2 * rd] = (b1 & 0x7fffffff) | (sign & 0x80000000);
  f[2 * rd + 1] = -1;
  return 0;
}

export function fsgnj_d(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjD(f, rd, rs1, rs2, 0);
}
export function fsgnjn_d(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjD(f, rd, rs1, rs2, 1);
}
export function fsgnjx_d(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjD(f, rd, rs1, rs2, 2);
}
export function fsgnj_s(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjS(f, rd, rs1, rs2, 0);
}
export function fsgnjn_s(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjS(f, rd, rs1, rs2, 1);
}
export function fsgnjx_s(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return sgnjS(f, rd, rs1, rs2, 2);
}

/* ---------- min / max (RISC-V 2.2: -0 < +0, a single NaN operand loses) ---------- */

/**
 * Which operand fmin (max = false) or fmax returns: 1 or 2, or 0 for the
 * canonical NaN. neg1/neg2 are the sign bits, deciding between ±0.
 */
function pick(a: number, b: number, neg1: boolean, neg2: boolean, max: boolean): number {
  if (a !== a) return b !== b ? 0 : 2;
  if (b !== b) return 1;
  if (a !== b) return (a < b) !== max ? 1 : 2;
  return neg1 !== max ? 1 : 2;
}

function minmaxD(f: Int32Array, rd: number, rs1: number, rs2: number, max: boolean): number {
  const fl = snD(f, rs1) || snD(f, rs2) ? NV : 0;
  const w = pick(rdD(f, rs1), rdD(f, rs2), f[2 * rs1 + 1] < 0, f[2 * rs2 + 1] < 0, max);
  if (w === 0) wrD(f, rd, NaN);
  else {
    const src = w === 1 ? rs1 : rs2;
    const lo = f[2 * src], hi = f[2 * src + 1];
    f[2 * rd] = lo;
    f[2 * rd + 1] = hi;
  }
  return fl;
}

function minmaxS(f: Int32Array, rd: number, rs1: number, rs2: number, max: boolean): number {
  const fl = snS(f, rs1) || snS(f, rs2) ? NV : 0;
  const b1 = bitsS(f, rs1), b2 = bitsS(f, rs2);
  const w = pick(rdS(f, rs1), rdS(f, rs2), b1 < 0, b2 < 0, max);
  f[2 * rd] = w === 0 ? CANON_S : w === 1 ? b1 : b2;
  f[2 * rd + 1] = -1;
  return fl;
}

export function fmin_d(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return minmaxD(f, rd, rs1, rs2, false);
}
export function fmax_d(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return minmaxD(f, rd, rs1, rs2, true);
}
export function fmin_s(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return minmaxS(f, rd, rs1, rs2, false);
}
export function fmax_s(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  return minmaxS(f, rd, rs1, rs2, true);
}

/* ---------- comparisons: feq is quiet, flt/fle signal on any NaN ---------- */

export function feq_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdD(f, rs1), b = rdD(f, rs2);
  wrX(x, rd, a === b ? 1 : 0, 0);
  return snD(f, rs1) || snD(f, rs2) ? NV : 0;
}
export function flt_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdD(f, rs1), b = rdD(f, rs2);
  wrX(x, rd, a < b ? 1 : 0, 0);
  return a !== a || b !== b ? NV : 0;
}
export function fle_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdD(f, rs1), b = rdD(f, rs2);
  wrX(x, rd, a <= b ? 1 : 0, 0);
  return a !== a || b !== b ? NV : 0;
}
export function feq_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdS(f, rs1), b = rdS(f, rs2);
  wrX(x, rd, a === b ? 1 : 0, 0);
  return snS(f, rs1) || snS(f, rs2) ? NV : 0;
}
export function flt_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdS(f, rs1), b = rdS(f, rs2);
  wrX(x, rd, a < b ? 1 : 0, 0);
  return a !== a || b !== b ? NV : 0;
}
export function fle_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rs2: number): number {
  const a = rdS(f, rs1), b = rdS(f, rs2);
  wrX(x, rd, a <= b ? 1 : 0, 0);
  return a !== a || b !== b ? NV : 0;
}

/* ---------- fclass ---------- */

/** The fclass bit for sign, exponent class (0 zero/subnormal, 2 inf/NaN, 1 normal), fraction. */
function classify(neg: boolean, expClass: number, fracNZ: boolean, quiet: boolean): number {
  if (expClass === 2) {
    if (fracNZ) return quiet ? 1 << 9 : 1 << 8;
    return neg ? 1 << 0 : 1 << 7;
  }
  if (expClass === 1) return neg ? 1 << 1 : 1 << 6;
  if (fracNZ) return neg ? 1 << 2 : 1 << 5;
  return neg ? 1 << 3 : 1 << 4;
}

export function fclass_d(x: Int32Array, f: Int32Array, rd: number, rs1: number): number {
  const hi = f[2 * rs1 + 1], lo = f[2 * rs1];
  const e = (hi >>> 20) & 0x7ff;
  const ec = e === 0x7ff ? 2 : e === 0 ? 0 : 1;
  wrX(x, rd, classify(hi < 0, ec, ((hi & 0xfffff) | lo) !== 0, (hi & 0x80000) !== 0), 0);
  return 0;
}

export function fclass_s(x: Int32Array, f: Int32Array, rd: number, rs1: number): number {
  const b = bitsS(f, rs1);
  const e = (b >>> 23) & 0xff;
  const ec = e === 0xff ? 2 : e === 0 ? 0 : 1;
  wrX(x, rd, classify(b < 0, ec, (b & 0x7fffff) !== 0, (b & 0x400000) !== 0), 0);
  return 0;
}

/* ---------- moves ---------- */

export function fmv_x_w(x: Int32Array, f: Int32Array, rd: number, rs1: number): number {
  const b = f[2 * rs1];
  wrX(x, rd, b, b >> 31);
  return 0;
}
export function fmv_w_x(f: Int32Array, x: Int32Array, rd: number, rs1: number): number {
  f[2 * rd] = x[2 * rs1];
  f[2 * rd + 1] = -1;
  return 0;
}
export function fmv_x_d(x: Int32Array, f: Int32Array, rd: number, rs1: number): number {
  wrX(x, rd, f[2 * rs1], f[2 * rs1 + 1]);
  return 0;
}
export function fmv_d_x(f: Int32Array, x: Int32Array, rd: number, rs1: number): number {
  const lo = x[2 * rs1], hi = x[2 * rs1 + 1];
  f[2 * rd] = lo;
  f[2 * rd + 1] = hi;
  return 0;
}

/* ---------- conversions between formats ---------- */

export function fcvt_s_d(f: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  const v = rdD(f, rs1);
  if (v !== v) st.fl = snD(f, rs1) ? NV : 0;
  wrS(f, rd, v !== v ? v : roundF32(v, 0, rm));
  return st.fl;
}

export function fcvt_d_s(f: Int32Array, rd: number, rs1: number, _rm: number): number {
  const v = rdS(f, rs1); // exact
  const fl = v !== v && snS(f, rs1) ? NV : 0;
  wrD(f, rd, v);
  return fl;
}

/* ---------- FP to integer ---------- */

function toX(x: Int32Array, rd: number, v: number, rm: number, kind: number): number {
  const fl = toInt(v, rm, kind);
  wrX(x, rd, out.lo, out.hi);
  return fl;
}

export function fcvt_w_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdD(f, rs1), rm, W);
}
export function fcvt_wu_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdD(f, rs1), rm, WU);
}
export function fcvt_l_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdD(f, rs1), rm, L);
}
export function fcvt_lu_d(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdD(f, rs1), rm, LU);
}
export function fcvt_w_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdS(f, rs1), rm, W);
}
export function fcvt_wu_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdS(f, rs1), rm, WU);
}
export function fcvt_l_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdS(f, rs1), rm, L);
}
export function fcvt_lu_s(x: Int32Array, f: Int32Array, rd: number, rs1: number, rm: number): number {
  return toX(x, rd, rdS(f, rs1), rm, LU);
}

/* ---------- integer to FP ---------- */

export function fcvt_d_w(f: Int32Array, x: Int32Array, rd: number, rs1: number, _rm: number): number {
  wrD(f, rd, x[2 * rs1]); // exact
  return 0;
}
export function fcvt_d_wu(f: Int32Array, x: Int32Array, rd: number, rs1: number, _rm: number): number {
  wrD(f, rd, x[2 * rs1] >>> 0);
  return 0;
}
export function fcvt_d_l(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrD(f, rd, fromI64(x[2 * rs1 + 1], x[2 * rs1] >>> 0, rm));
  return st.fl;
}
export function fcvt_d_lu(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrD(f, rd, fromI64(x[2 * rs1 + 1] >>> 0, x[2 * rs1] >>> 0, rm));
  return st.fl;
}
export function fcvt_s_w(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrS(f, rd, roundF32(x[2 * rs1], 0, rm));
  return st.fl;
}
export function fcvt_s_wu(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrS(f, rd, roundF32(x[2 * rs1] >>> 0, 0, rm));
  return st.fl;
}
export function fcvt_s_l(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrS(f, rd, fromI64F32(x[2 * rs1 + 1], x[2 * rs1] >>> 0, rm));
  return st.fl;
}
export function fcvt_s_lu(f: Int32Array, x: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  wrS(f, rd, fromI64F32(x[2 * rs1 + 1] >>> 0, x[2 * rs1] >>> 0, rm));
  return st.fl;
}
