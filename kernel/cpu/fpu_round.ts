/*
 * Rounding machinery for the F/D instructions (see fpu.ts for the instructions).
 *
 * JS arithmetic rounds to nearest-even only. Every op first computes the
 * round-to-nearest result r in double precision together with the exact error
 * (exact - r), using error-free transformations (TwoSum, Veltkamp/Dekker
 * TwoProduct, exact remainders). The error's sign is all a directed mode needs
 * to move r by one ulp; its exact size tells RMM about ties. When a range
 * condition makes the transformations unreliable (overflow, underflow,
 * subnormals), the op falls back to exact BigInt arithmetic and roundBig().
 *
 * Single precision is computed in double and then rounded with roundF32(),
 * which takes the sign of the residual the double result dropped, so the
 * second rounding is never a double rounding.
 */

export const NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;
export const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

/*
 * Scratch views over one 8-byte buffer, to read a double's bits without
 * allocating. Only write F64 and read I32 here: the other way round (two
 * 32-bit stores, one 64-bit load) stalls the CPU's store forwarding.
 */
const scratch = new ArrayBuffer(8);
export const F64 = new Float64Array(scratch);
export const I32 = new Int32Array(scratch);

/** fflags raised by the current instruction; each instruction resets it. */
export const st = { fl: 0 };

/** Inexactness of the last roundMag() call. */
let inexact = false;

/* 2^e for e in [-1100, 1100), by table lookup (P2[e + 1100]). */
const P2 = new Float64Array(2200);
for (let i = 0; i < 2200; i++) P2[i] = 2 ** (i - 1100);
export function pow2(e: number): number {
  return P2[e + 1100];
}

export const TWO_M960 = 2 ** -960, TWO_1020 = 2 ** 1020, TWO_995 = 2 ** 995;
const TWO_M126 = 2 ** -126, TWO_M127 = 2 ** -127, TWO_M149 = 2 ** -149, TWO_M150 = 2 ** -150;
const TWO_128 = 2 ** 128, TWO_24 = 2 ** 24;
const F32_MAX = 3.4028234663852886e38;

/** Finite and nonzero (x - x is NaN for ±inf and NaN). */
export function finNZ(x: number): boolean {
  return x - x === 0 && x !== 0;
}

/** Exact error of a*b's rounding, p = RN(a*b) (Dekker; caller checks ranges). */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = 134217729 * a;
  const ah = t - (t - a), al = a - ah;
  t = 134217729 * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Exact error of s = RN(a+b) (Knuth's TwoSum). */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/* ---------- one-ulp steps on doubles (r finite, nonzero) ---------- */

/*
 * One-ulp steps by adding the ulp (rather than incrementing the bit pattern,
 * which would read a double back from two int32 stores and stall store
 * forwarding). r must be a normal double; callers keep it below overflow.
 */
function ulpOf(hi: number): number {
  return pow2(((hi >>> 20) & 0x7ff) - 1075);
}

/** The next double away from zero. */
export function stepOut(r: number): number {
  F64[0] = r;
  const u = ulpOf(I32[1]);
  return r > 0 ? r + u : r - u;
}

/** The next double toward zero (the gap below a power of two is half an ulp). */
export function stepIn(r: number): number {
  F64[0] = r;
  const hi = I32[1];
  let u = ulpOf(hi);
  if (((hi & 0xfffff) | I32[0]) === 0 && (hi & 0x7ff00000) > 0x00100000) u *= 0.5;
  return r > 0 ? r - u : r + u;
}

/**
 * Half the distance from r to its neighbour on the side of err.
 * Needs |r| ≥ 2^-1021 (so the gap below a power of two is half the ulp).
 */
function halfGap(r: number, err: number): number {
  F64[0] = r;
  const hi = I32[1];
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  const pow = ((hi & 0xfffff) | I32[0]) === 0;
  return pow && (err > 0) !== (r > 0) ? pow2(e - 54) : pow2(e - 53);
}

/** The smaller of r's two half gaps: |err| below it means r = RN(exact), no tie. */
export function halfGapMin(r: number): number {
  F64[0] = r;
  const hi = I32[1];
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  return ((hi & 0xfffff) | I32[0]) === 0 ? pow2(e - 54) : pow2(e - 53);
}

/**
 * Given r = RN(exact) with exact - r = err exactly (or, if exactErr is false,
 * only err's sign, and no tie possible), return the result in mode rm.
 * The caller keeps r away from overflow and the subnormal range.
 */
export function adjust(r: number, err: number, rm: number, exactErr: boolean): number {
  switch (rm) {
    case RTZ: return (err > 0) !== (r > 0) ? stepIn(r) : r;
    case RDN: return err < 0 ? (r > 0 ? stepIn(r) : stepOut(r)) : r;
    case RUP: return err > 0 ? (r > 0 ? stepOut(r) : stepIn(r)) : r;
    case RMM:
      // RNE and RMM differ only on a tie that RNE resolved toward zero.
      if (exactErr && (err > 0) === (r > 0) && Math.abs(err) === halfGap(r, err)) return stepOut(r);
      return r;
    default: return r;
  }
}

/* ---------- rounding a real to an integer ---------- */

/**
 * Round x ≥ 0 (plus a residual of sign sm beyond x, far below x's ulp) to an
 * integer, the value's sign being neg. Sets `inexact`.
 */
export function roundMag(x: number, sm: number, neg: boolean, rm: number): number {
  let n = Math.floor(x);
  const fr = x - n;
  let half: number; // sign of (fraction - 1/2)
  if (fr === 0) {
    if (sm === 0) { inexact = false; return n; }
    if (sm < 0) { n -= 1; half = 1; } else half = -1;
  } else {
    half = fr > 0.5 ? 1 : fr < 0.5 ? -1 : sm > 0 ? 1 : sm < 0 ? -1 : 0;
  }
  inexact = true;
  switch (rm) {
    case RNE: return half > 0 || (half === 0 && n % 2 === 1) ? n + 1 : n;
    case RTZ: return n;
    case RDN: return neg ? n + 1 : n;
    case RUP: return neg ? n : n + 1;
    default: return half >= 0 ? n + 1 : n;
  }
}

export function lastInexact(): boolean {
  return inexact;
}

/** Round a double to an integral double in mode rm (|v| ≥ 2^52, inf: already integral). */
export function roundIntegral(v: number, rm: number): number {
  const neg = v < 0;
  const a = neg ? -v : v;
  if (!(a < 4503599627370496)) { inexact = false; return v; }
  const n = roundMag(a, 0, neg, rm);
  return neg ? -n : n;
}

/** The overflowed result: ±inf or ±max depending on the mode. */
export function overflowed(neg: boolean, rm: number, max: number): number {
  let inf: boolean;
  switch (rm) {
    case RTZ: inf = false; break;
    case RDN: inf = neg; break;
    case RUP: inf = !neg; break;
    default: inf = true;
  }
  const m = inf ? Infinity : max;
  return neg ? -m : m;
}

/**
 * Round d + (a residual of sign s, smaller than half an ulp of d in double) to
 * single precision in mode rm, raising NX/UF/OF. d must not be NaN; d = 0 only
 * with s = 0. Tininess is detected after rounding, as RISC-V specifies.
 */
export function roundF32(d: number, s: number, rm: number): number {
  // Kept small so that it inlines: the general case is roundF32Any().
  const r = Math.fround(d);
  if (s === 0 && r === d) return d;
  const ad = d < 0 ? -d : d;
  if (rm !== RNE || !(ad > TWO_M126 && ad <= F32_MAX)) {
    IO[0] = d;
    IO[1] = s;
    roundF32Any(rm);
    return IO[0];
  }
  // Normal, finite results: fround is right unless d is a midpoint that the
  // residual s decides. d is a midpoint iff its mirror image 2d - r is a float.
  st.fl |= NX;
  if (s === 0) return r;
  const t = 2 * d - r;
  if (Math.fround(t) !== t) return r;
  return (s > 0) === (t > r) ? t : r;
}

/*
 * roundF32Any's operands (d, s) and result (IO[0]): a typed array, since V8
 * boxes doubles passed to or returned from a function it does not inline.
 */
const IO = new Float64Array(2);

/** roundF32() for every mode and range, on IO. */
function roundF32Any(rm: number): void {
  const d = IO[0], s = IO[1];
  const neg = d < 0;
  const a = neg ? -d : d;
  const sm = neg ? -s : s;
  let q = TWO_M149;
  if (a >= TWO_M126) {
    F64[0] = a;
    const hi = I32[1];
    q = pow2((hi >>> 20) - 1023 - 23);
    // Just below a power of two the spacing is half as wide.
    if (sm < 0 && a > TWO_M126 && ((hi & 0xfffff) | I32[0]) === 0) q *= 0.5;
  }
  const m = roundMag(a / q, sm, neg, rm) * q;
  const inx = inexact;
  if (m >= TWO_128) {
    st.fl |= OF | NX;
    IO[0] = overflowed(neg, rm, F32_MAX);
    return;
  }
  if (inx) {
    st.fl |= NX;
    // Tiny unless rounding to 24 bits with an unbounded exponent reaches 2^-126.
    const below = a < TWO_M126 || (a === TWO_M126 && sm < 0);
    if (below && (a < TWO_M127 || roundMag(a / TWO_M150, sm, neg, rm) < TWO_24)) st.fl |= UF;
  }
  IO[0] = neg ? -m : m;
}

/* ---------- exact BigInt fallback ---------- */

function bitLen(m: bigint): number {
  return m.toString(2).length;
}

/** Shift mag·2^exp so its lsb sits at 2^target and round; sets `inexact`. */
function shiftRound(mag: bigint, exp: number, target: number, sticky: boolean, neg: boolean, rm: number): bigint {
  const sh = target - exp;
  let kept: bigint, half: number, nz: boolean;
  if (sh <= 0) {
    kept = mag << BigInt(-sh);
    half = -1; // callers guarantee a sticky residue stays below half an ulp
    nz = sticky;
  } else {
    const s = BigInt(sh);
    kept = mag >> s;
    const dropped = mag & ((1n << s) - 1n);
    const h = 1n << (s - 1n);
    half = dropped > h ? 1 : dropped < h ? -1 : sticky ? 1 : 0;
    nz = dropped !== 0n || sticky;
  }
  inexact = nz;
  if (!nz) return kept;
  let inc: boolean;
  switch (rm) {
    case RNE: inc = half > 0 || (half === 0 && (kept & 1n) === 1n); break;
    case RTZ: inc = false; break;
    case RDN: inc = neg; break;
    case RUP: inc = !neg; break;
    default: inc = half >= 0;
  }
  return inc ? kept + 1n : kept;
}

/**
 * Round ±(mag·2^exp + sticky) to a binary format with p bits of precision and
 * exponent range [emin, emax]; mag > 0. When sticky is set, mag must carry at
 * least p+2 bits. Raises NX/UF/OF; returns the rounded value as a number.
 */
export function roundBig(neg: boolean, mag: bigint, exp: number, sticky: boolean, rm: number,
  p: number, emin: number, emax: number): number {
  const e = exp + bitLen(mag) - 1; // exponent of the leading bit
  let target = Math.max(e - p + 1, emin - p + 1);
  let kept = shiftRound(mag, exp, target, sticky, neg, rm);
  const inx = inexact;
  if (kept >> BigInt(p) !== 0n) { kept >>= 1n; target++; }
  if (target + p - 1 > emax) {
    st.fl |= OF | NX;
    const max = (2 ** p - 1) * 2 ** (emax - p + 1);
    return overflowed(neg, rm, max);
  }
  if (inx) {
    st.fl |= NX;
    if (e < emin) {
      const k2 = shiftRound(mag, exp, e - p + 1, sticky, neg, rm);
      if (!(e === emin - 1 && k2 === 1n << BigInt(p))) st.fl |= UF;
    }
  }
  const v = Number(kept) * 2 ** target;
  return neg ? -v : v;
}

/* Decomposition of a finite nonzero double as ±M·2^E, M < 2^53. */
let decM = 0, decE = 0;
function decomp(x: number): void {
  F64[0] = x;
  const hi = I32[1];
  const be = (hi >>> 20) & 0x7ff;
  const m = (hi & 0xfffff) * 4294967296 + (I32[0] >>> 0);
  if (be === 0) { decM = m; decE = -1074; } else { decM = m + 4503599627370496; decE = be - 1075; }
}

function round64(neg: boolean, mag: bigint, exp: number, sticky: boolean, rm: number): number {
  return roundBig(neg, mag, exp, sticky, rm, 53, -1022, 1023);
}

/** Exact ±m1·2^e1 ± m2·2^e2, rounded; an exact zero sum gets the sign the mode gives it. */
function sumRound(n1: boolean, m1: bigint, e1: number, n2: boolean, m2: bigint, e2: number, rm: number): number {
  const e = Math.min(e1, e2);
  const a = m1 << BigInt(e1 - e), b = m2 << BigInt(e2 - e);
  const s = (n1 ? -a : a) + (n2 ? -b : b);
  if (s === 0n) return rm === RDN ? -0 : 0;
  return s < 0n ? round64(true, -s, e, false, rm) : round64(false, s, e, false, rm);
}

/** a + b, both finite and nonzero, exactly rounded. */
export function slowAdd(a: number, b: number, rm: number): number {
  decomp(a);
  const m1 = BigInt(decM), e1 = decE;
  decomp(b);
  return sumRound(a < 0, m1, e1, b < 0, BigInt(decM), decE, rm);
}

/** a * b, both finite and nonzero, exactly rounded. */
export function slowMul(a: number, b: number, rm: number): number {
  decomp(a);
  const m1 = BigInt(decM), e1 = decE;
  decomp(b);
  return round64((a < 0) !== (b < 0), m1 * BigInt(decM), e1 + decE, false, rm);
}

/** a / b, both finite and nonzero, exactly rounded. */
export function slowDiv(a: number, b: number, rm: number): number {
  decomp(a);
  const n = BigInt(decM) << 110n, e1 = decE;
  decomp(b);
  const d = BigInt(decM);
  const q = n / d;
  return round64((a < 0) !== (b < 0), q, e1 - decE - 110, q * d !== n, rm);
}

/** floor(sqrt(n)) for n > 0, by Newton's iteration from above. */
function isqrt(n: bigint): bigint {
  let x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 2 ** -40))) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(a), a finite and positive, exactly rounded. */
export function slowSqrt(a: number, rm: number): number {
  decomp(a);
  let m = BigInt(decM), e = decE;
  if (e & 1) { m <<= 1n; e -= 1; }
  m <<= 120n;
  e -= 120;
  const s = isqrt(m);
  return round64(false, s, e / 2, s * s !== m, rm);
}

/** a*b + c, all finite and nonzero, with a single rounding. */
export function slowFma(a: number, b: number, c: number, rm: number): number {
  decomp(a);
  const ma = BigInt(decM), ea = decE;
  decomp(b);
  const mp = ma * BigInt(decM), ep = ea + decE;
  decomp(c);
  return sumRound((a < 0) !== (b < 0), mp, ep, c < 0, BigInt(decM), decE, rm);
}
