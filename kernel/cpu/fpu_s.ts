/*
 * Single-precision arithmetic instructions. Each op is computed in double
 * with its exact residual's sign (a sum of two floats has an exact TwoSum
 * error, a product of two floats is exact in double, a quotient or a square
 * root has an exact remainder), and roundF32() rounds once to single in mode
 * rm. Operands are read and results written here, so that no double crosses
 * a function boundary that V8 might not inline (it would be boxed).
 */
import { st, NV, NX, DZ, RNE, RDN, finNZ, twoProdErr, twoSumErr, roundF32 } from './fpu_round.ts';

const TWO_M126 = 2 ** -126, F32_MAX = 3.4028234663852886e38;
import { rdS, wrS, snS, nvS2 } from './fpu_regs.ts';
import { fmaGeneral, fmaSpecial, nvFma } from './fpu_d.ts';

/** Write the NaN result of a two-operand op; NV per nvS2. */
function nanS(f: Int32Array, rd: number, rs1: number, rs2: number): number {
  st.fl = nvS2(f, rs1, rs2, rdS(f, rs1), rdS(f, rs2));
  wrS(f, rd, NaN);
  return st.fl;
}

/*
 * The double result d and the sign s of its residual travel to put() in a
 * typed array: V8 boxes doubles passed to a function it does not inline.
 */
const DS = new Float64Array(2);

/** Round DS[0] (+ a residual of sign DS[1]) to single, write it to rd, return the flags. */
function put(f: Int32Array, rd: number, rm: number): number {
  roundDS(rm);
  wrS(f, rd, DS[0]);
  return st.fl;
}

/** DS[0] = roundF32(DS[0], DS[1], rm), with roundF32's common case inline. */
function roundDS(rm: number): void {
  const d = DS[0], s = DS[1];
  const r = Math.fround(d);
  if (s === 0 && r === d) return;
  const ad = d < 0 ? -d : d;
  if (rm !== RNE || !(ad > TWO_M126 && ad <= F32_MAX) || s !== 0) {
    DS[0] = roundF32(d, s, rm);
    return;
  }
  st.fl |= NX; // normal and not a midpoint (d has no residual): fround is right
  DS[0] = r;
}

function addSub(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number, neg: boolean): number {
  st.fl = 0;
  const a = rdS(f, rs1), b = neg ? -rdS(f, rs2) : rdS(f, rs2);
  const r = a + b;
  if (r !== r) return nanS(f, rd, rs1, rs2);
  if (r - r !== 0) { // an infinite operand
    DS[0] = r;
    DS[1] = 0;
    return put(f, rd, rm);
  }
  if (r === 0) {
    DS[0] = rm === RDN ? -((-a) + (-b)) : r;
    DS[1] = 0;
    return put(f, rd, rm);
  }
  DS[0] = r;
  DS[1] = twoSumErr(a, b, r);
  return put(f, rd, rm);
}

export function fadd_s(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  return addSub(f, rd, rs1, rs2, rm, false);
}

export function fsub_s(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  return addSub(f, rd, rs1, rs2, rm, true);
}

export function fmul_s(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const r = rdS(f, rs1) * rdS(f, rs2); // exact: 24 + 24 bits fit in 53
  if (r !== r) return nanS(f, rd, rs1, rs2);
  DS[0] = r;
  DS[1] = 0;
  return put(f, rd, rm);
}

export function fdiv_s(f: Int32Array, rd: number, rs1: number, rs2: number, rm: number): number {
  st.fl = 0;
  const a = rdS(f, rs1), b = rdS(f, rs2);
  const q = a / b;
  if (q !== q) return nanS(f, rd, rs1, rs2);
  if (!(finNZ(a) && finNZ(b))) {
    if (b === 0 && finNZ(a)) st.fl = DZ;
    DS[0] = q;
    DS[1] = 0;
    return put(f, rd, rm); // ±inf or ±0, exact
  }
  const p = q * b;
  const rem = (a - p) - twoProdErr(q, b, p); // exact: a - q·b is representable
  DS[0] = q;
  DS[1] = rem === 0 ? 0 : (rem > 0) === (b > 0) ? 1 : -1;
  return put(f, rd, rm);
}

export function fsqrt_s(f: Int32Array, rd: number, rs1: number, rm: number): number {
  st.fl = 0;
  const a = rdS(f, rs1);
  const r = Math.sqrt(a);
  if (r !== r) {
    st.fl = a !== a && !snS(f, rs1) ? 0 : NV;
    wrS(f, rd, r);
    return st.fl;
  }
  if (!finNZ(a)) {
    DS[0] = r;
    DS[1] = 0;
    return put(f, rd, rm);
  }
  const p = r * r;
  DS[0] = r;
  DS[1] = (a - p) - twoProdErr(r, r, p);
  return put(f, rd, rm);
}

/** (±rs1·rs2) ± rs3 with one rounding: np negates the product, nc the addend. */
function fmaS(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number,
  np: boolean, nc: boolean): number {
  st.fl = 0;
  const a = np ? -rdS(f, rs1) : rdS(f, rs1), b = rdS(f, rs2), c = nc ? -rdS(f, rs3) : rdS(f, rs3);
  if (!fmaGeneral(a, b, c)) {
    const r = fmaSpecial(a, b, c, rm);
    if (r === r) {
      DS[0] = r;
      DS[1] = 0;
      return put(f, rd, rm);
    }
    st.fl = nvFma(snS(f, rs1) || snS(f, rs2) || snS(f, rs3), a, b, c);
    wrS(f, rd, r);
    return st.fl;
  }
  const p = a * b; // exact
  const d = p + c;
  if (d === 0) { // exact cancellation
    DS[0] = rm === RDN ? -0 : 0;
    DS[1] = 0;
    return put(f, rd, rm);
  }
  DS[0] = d;
  DS[1] = twoSumErr(p, c, d);
  return put(f, rd, rm);
}

export function fmadd_s(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaS(f, rd, rs1, rs2, rs3, rm, false, false);
}
export function fmsub_s(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaS(f, rd, rs1, rs2, rs3, rm, false, true);
}
export function fnmsub_s(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaS(f, rd, rs1, rs2, rs3, rm, true, false);
}
export function fnmadd_s(f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return fmaS(f, rd, rs1, rs2, rs3, rm, true, true);
}
