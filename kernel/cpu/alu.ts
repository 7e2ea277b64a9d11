/*
 * 64-bit multiply and divide on int32 (lo, hi) register pairs. These are too
 * long to inline in every compiled block, so compiled code calls them with
 * register numbers: op(x, rd, rs1, rs2), rd != 0 (the compiler drops writes to x0).
 *
 * The common cases stay in exact double arithmetic (products of 16-bit limbs,
 * quotients of values below 2^53); BigInt is only the fallback for huge operands.
 */

const TWO32 = 4294967296;

/*
 * Intermediate results live in a typed array, not in module variables: a
 * double stored in a closure variable is a heap allocation on every store.
 * R[P_LO], R[P_HI]: umul32's 64-bit product; R[H_LO], R[H_HI]: umulh's result.
 */
const R = new Float64Array(4);
const P_LO = 0, P_HI = 1, H_LO = 2, H_HI = 3;

/** The 64-bit product of two uint32, as two uint32 doubles in R. */
function umul32(a: number, b: number): void {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0;
  const mid = a0 * b1 + a1 * b0 + (p00 >>> 16); // < 2^34, exact
  R[P_LO] = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  R[P_HI] = a1 * b1 + Math.floor(mid / 65536);
}

export function mul(x: Int32Array, rd: number, r1: number, r2: number): void {
  const al = x[2 * r1], ah = x[2 * r1 + 1], bl = x[2 * r2], bh = x[2 * r2 + 1];
  umul32(al >>> 0, bl >>> 0);
  x[2 * rd + 1] = (R[P_HI] + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  x[2 * rd] = R[P_LO] | 0;
}

/** High 64 bits of the unsigned 128-bit product, into R[H_LO], R[H_HI]. */
function umulh(al: number, ah: number, bl: number, bh: number): void {
  umul32(al, bl);
  const w1a = R[P_HI];
  umul32(al, bh);
  const p1l = R[P_LO], p1h = R[P_HI];
  umul32(ah, bl);
  const p2l = R[P_LO], p2h = R[P_HI];
  umul32(ah, bh);
  const w1 = w1a + p1l + p2l;
  const w2 = p1h + p2h + R[P_LO] + Math.floor(w1 / TWO32);
  R[H_LO] = w2 % TWO32;
  R[H_HI] = (R[P_HI] + Math.floor(w2 / TWO32)) % TWO32;
}

/** Subtract the 64-bit value (lo, hi) from the pending high product (mod 2^64). */
function subHigh(lo: number, hi: number): void {
  const l = R[H_LO] - (lo >>> 0);
  R[H_LO] = l < 0 ? l + TWO32 : l;
  let h = R[H_HI] - (hi >>> 0) - (l < 0 ? 1 : 0);
  while (h < 0) h += TWO32;
  R[H_HI] = h;
}

export function mulhu(x: Int32Array, rd: number, r1: number, r2: number): void {
  umulh(x[2 * r1] >>> 0, x[2 * r1 + 1] >>> 0, x[2 * r2] >>> 0, x[2 * r2 + 1] >>> 0);
  x[2 * rd] = R[H_LO] | 0;
  x[2 * rd + 1] = R[H_HI] | 0;
}

/* Signed high products: the unsigned one, minus b for negative a and a for negative b. */
export function mulh(x: Int32Array, rd: number, r1: number, r2: number): void {
  const al = x[2 * r1], ah = x[2 * r1 + 1], bl = x[2 * r2], bh = x[2 * r2 + 1];
  umulh(al >>> 0, ah >>> 0, bl >>> 0, bh >>> 0);
  if (ah < 0) subHigh(bl, bh);
  if (bh < 0) subHigh(al, ah);
  x[2 * rd] = R[H_LO] | 0;
  x[2 * rd + 1] = R[H_HI] | 0;
}

export function mulhsu(x: Int32Array, rd: number, r1: number, r2: number): void {
  const al = x[2 * r1], ah = x[2 * r1 + 1], bl = x[2 * r2], bh = x[2 * r2 + 1];
  umulh(al >>> 0, ah >>> 0, bl >>> 0, bh >>> 0);
  if (ah < 0) subHigh(bl, bh);
  x[2 * rd] = R[H_LO] | 0;
  x[2 * rd + 1] = R[H_HI] | 0;
}

/* ------------------------------------------------------------- divide */

/* Below 2^53 in magnitude, the double quotient truncates exactly. */
const SAFE_HI = 0x200000;

function setNum(x: Int32Array, rd: number, v: number): void {
  x[2 * rd] = v | 0;
  x[2 * rd + 1] = Math.floor(v / TWO32) | 0;
}

function big(x: Int32Array, r: number): bigint {
  return (BigInt(x[2 * r + 1]) << 32n) | BigInt(x[2 * r] >>> 0);
}

function ubig(x: Int32Array, r: number): bigint {
  return (BigInt(x[2 * r + 1] >>> 0) << 32n) | BigInt(x[2 * r] >>> 0);
}

function setBig(x: Int32Array, rd: number, v: bigint): void {
  x[2 * rd] = Number(BigInt.asIntN(32, v));
  x[2 * rd + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

function copy(x: Int32Array, rd: number, r: number): void {
  const lo = x[2 * r], hi = x[2 * r + 1];
  x[2 * rd] = lo;
  x[2 * rd + 1] = hi;
}

function isZero(x: Int32Array, r: number): boolean {
  return (x[2 * r] | x[2 * r + 1]) === 0;
}

function signedSafe(x: Int32Array, r: number): boolean {
  const h = x[2 * r + 1];
  return h < SAFE_HI && h >= -SAFE_HI;
}

function sval(x: Int32Array, r: number): number {
  return x[2 * r + 1] * TWO32 + (x[2 * r] >>> 0);
}

function uval(x: Int32Array, r: number): number {
  return (x[2 * r + 1] >>> 0) * TWO32 + (x[2 * r] >>> 0);
}

export function div(x: Int32Array, rd: number, r1: number, r2: number): void {
  if (isZero(x, r2)) {
    x[2 * rd] = -1;
    x[2 * rd + 1] = -1;
  } else if (signedSafe(x, r1) && signedSafe(x, r2)) {
    setNum(x, rd, Math.trunc(sval(x, r1) / sval(x, r2)));
  } else {
    const a = big(x, r1), b = big(x, r2);
    // -2^63 / -1 overflows: the result is the dividend (asIntN wraps it back).
    setBig(x, rd, a / b);
  }
}

export function divu(x: Int32Array, rd: number, r1: number, r2: number): void {
  if (isZero(x, r2)) {
    x[2 * rd] = -1;
    x[2 * rd + 1] = -1;
  } else if ((x[2 * r1 + 1] >>> 0) < SAFE_HI && (x[2 * r2 + 1] >>> 0) < SAFE_HI) {
    setNum(x, rd, Math.floor(uval(x, r1) / uval(x, r2)));
  } else {
    setBig(x, rd, ubig(x, r1) / ubig(x, r2));
  }
}

export function rem(x: Int32Array, rd: number, r1: number, r2: number): void {
  if (isZero(x, r2)) {
    copy(x, rd, r1);
  } else if (signedSafe(x, r1) && signedSafe(x, r2)) {
    setNum(x, rd, sval(x, r1) % sval(x, r2));
  } else {
    // BigInt % truncates like RISC-V; -2^63 % -1 is 0.
    setBig(x, rd, big(x, r1) % big(x, r2));
  }
}

export function remu(x: Int32Array, rd: number, r1: number, r2: number): void {
  if (isZero(x, r2)) {
    copy(x, rd, r1);
  } else if ((x[2 * r1 + 1] >>> 0) < SAFE_HI && (x[2 * r2 + 1] >>> 0) < SAFE_HI) {
    setNum(x, rd, uval(x, r1) % uval(x, r2));
  } else {
    setBig(x, rd, ubig(x, r1) % ubig(x, r2));
  }
}

/* 32-bit divides: exact in doubles; results are sign-extended words. */

function setW(x: Int32Array, rd: number, v: number): void {
  x[2 * rd] = v | 0;
  x[2 * rd + 1] = (v | 0) >> 31;
}

export function divw(x: Int32Array, rd: number, r1: number, r2: number): void {
  const a = x[2 * r1], b = x[2 * r2];
  if (b === 0) setW(x, rd, -1);
  else if (a === -0x80000000 && b === -1) setW(x, rd, a);
  else setW(x, rd, Math.trunc(a / b));
}

export function divuw(x: Int32Array, rd: number, r1: number, r2: number): void {
  const a = x[2 * r1] >>> 0, b = x[2 * r2] >>> 0;
  setW(x, rd, b === 0 ? -1 : Math.floor(a / b));
}

export function remw(x: Int32Array, rd: number, r1: number, r2: number): void {
  const a = x[2 * r1], b = x[2 * r2];
  if (b === 0) setW(x, rd, a);
  else if (b === -1) setW(x, rd, 0);
  else setW(x, rd, a % b);
}

export function remuw(x: Int32Array, rd: number, r1: number, r2: number): void {
  const a = x[2 * r1] >>> 0, b = x[2 * r2] >>> 0;
  setW(x, rd, b === 0 ? a : a % b);
}
