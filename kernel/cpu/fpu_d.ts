/*
 * Double-precision arithmetic cores on JS numbers: each returns the result
 * rounded in mode rm and ORs NX/UF/OF/DZ into st.fl. Invalid operations
 * return NaN without flags; the caller decides NV from the operand bits.
 *
 * Fast paths stay in doubles (error-free transformations); the range guards
 * send overflow, underflow and subnormal cases to the exact BigInt routines.
 */
import {
  st, NV, NX, DZ, RNE, RDN, RMM, TWO_M960, TWO_1020, TWO_995, finNZ, twoProdErr, twoSumErr,
  adjust, halfGapMin, slowAdd, slowMul, slowDiv, slowSqrt, slowFma,
} from './fpu_round.ts';

const TWO_1022 = 2 ** 1022, MIN_NORMAL = 2 ** -1022;

/*
 * Dekker's product is exact when neither operand is subnormal or above 2^995
 * (the Veltkamp split would overflow) and the product lies in [2^-960, 2^1020]
 * (its error is then representable and nothing overflows).
 */
function dekkerOk(a: number, b: number, p: number): boolean {
  const aa = Math.abs(a), ab = Math.abs(b), ap = Math.abs(p);
  return aa >= MIN_NORMAL && aa <= TWO_995 && ab >= MIN_NORMAL && ab <= TWO_995 &&
    ap >= TWO_M960 && ap <= TWO_1020;
}

export function addD(a: number, b: number, rm: number): number {
  const r = a + b;
  if (r - r !== 0) {
    // NaN (invalid or NaN operand), an infinite operand, or overflow.
    if (r !== r || a - a !== 0 || b - b !== 0) return r;
    return slowAdd(a, b, rm);
  }
  // A zero sum is exact; only its sign depends on the mode (x - x = -0 in RDN).
  if (r === 0) return rm === RDN ? -((-a) + (-b)) : r;
  const e = twoSumErr(a, b, r);
  if (e === 0) return r;
  if (e - e !== 0 || Math.abs(r) >= TWO_1022) return slowAdd(a, b, rm);
  st.fl |= NX;
  return rm === RNE ? r : adjust(r, e, rm, true);
}

export function mulD(a: number, b: number, rm: number): number {
  const r = a * b;
  if (!(finNZ(a) && finNZ(b))) return r; // NaN, inf and zero operands give exact results
  if (!dekkerOk(a, b, r)) return slowMul(a, b, rm);
  const e = twoProdErr(a, b, r);
  if (e === 0) return r;
  st.fl |= NX;
  return rm === RNE ? r : adjust(r, e, rm, true);
}

export function divD(a: number, b: number, rm: number): number {
  const q = a / b;
  if (!(finNZ(a) && finNZ(b))) {
    if (b === 0 && finNZ(a)) st.fl |= DZ;
    return q;
  }
  // The remainder a - q·b is exactly representable; its sign gives the error's.
  const p = q * b;
  if (!dekkerOk(q, b, p)) return slowDiv(a, b, rm);
  const rem = (a - p) - twoProdErr(q, b, p);
  if (rem === 0) return q;
  st.fl |= NX;
  if (rm === RNE || rm === RMM) return q; // a quotient of normals is never a tie
  return adjust(q, (rem > 0) === (b > 0) ? 1 : -1, rm, false);
}

export function sqrtD(a: number, rm: number): number {
  const r = Math.sqrt(a);
  if (!finNZ(a) || a < 0) return r; // ±0, +inf exact; NaN for a < 0
  if (!(a >= TWO_M960 && a <= TWO_1020)) return slowSqrt(a, rm);
  const p = r * r;
  const rem = (a - p) - twoProdErr(r, r, p);
  if (rem === 0) return r;
  st.fl |= NX;
  if (rm === RNE || rm === RMM) return r; // square roots are never ties
  return adjust(r, rem, rm, false);
}

/**
 * Operands and result of fmaD: FMA[0..2] = a, b, c in, FMA[3] = a*b + c out.
 * A typed array rather than arguments and a return value, because fmaD is
 * too big to inline and V8 would box every double crossing the call.
 */
export const FMA = new Float64Array(4);

/**
 * a*b + c with one rounding for finite nonzero a, b and finite c (the rest
 * is fmaSpecial's); operands and result in FMA.
 */
export function fmaD(rm: number): void {
  const a = FMA[0], b = FMA[1], c = FMA[2];
  if (c === 0) { FMA[3] = mulD(a, b, rm); return; } // the exact product is nonzero: its sign wins
  const p = a * b;
  if (!dekkerOk(a, b, p) || Math.abs(c) > TWO_1020) {
    FMA[3] = slowFma(a, b, c, rm);
    return;
  }
  // exact = p + pe + c = h + e1 + pe = h + m + e2 = r + e3 + e2
  const pe = twoProdErr(a, b, p);
  const h = c + p, e1 = twoSumErr(c, p, h);
  const m = e1 + pe, e2 = twoSumErr(e1, pe, m);
  const r = h + m, e3 = twoSumErr(h, m, r);
  const ar = Math.abs(r);
  const err = e3 + e2; // rounded, but zero iff exact and of the right sign
  // Below the smaller half gap, r is the nearest and no tie is possible.
  if (!(ar >= TWO_M960 && ar <= TWO_1020) || !(Math.abs(err) < halfGapMin(r))) {
    FMA[3] = slowFma(a, b, c, rm);
    return;
  }
  if (err !== 0) st.fl |= NX;
  FMA[3] = err === 0 || rm === RNE || rm === RMM ? r : adjust(r, err, rm, false);
}

/** fmaD on arguments, for tests. */
export function fmaDv(a: number, b: number, c: number, rm: number): number {
  FMA[0] = a; FMA[1] = b; FMA[2] = c;
  fmaD(rm);
  return FMA[3];
}

/** Whether a*b + c needs fmaD/fmaS rather than fmaSpecial. */
export function fmaGeneral(a: number, b: number, c: number): boolean {
  return finNZ(a) && finNZ(b) && c - c === 0;
}

/**
 * a*b + c when fmaGeneral() is false: some operand is NaN or infinite, or a
 * or b is zero. The results are exact; only a zero sum's sign needs the mode.
 */
export function fmaSpecial(a: number, b: number, c: number, rm: number): number {
  if (finNZ(a) && finNZ(b)) return c; // c is ±inf or NaN; a*b may not overflow it
  const p = a * b; // exact: 0, ±inf or NaN
  if (p === 0) return rm === RDN ? -((-p) + (-c)) : p + c;
  return p + c;
}

/** NV for a NaN fma result: an sNaN, 0·inf (even with a quiet NaN addend), inf - inf. */
export function nvFma(sn: boolean, a: number, b: number, c: number): number {
  if (sn) return NV;
  return a === a && b === b && (a * b !== a * b || c === c) ? NV : 0;
}
