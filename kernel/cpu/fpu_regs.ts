/*
 * Register-file access for the F/D instructions: doubles move through
 * Float64Array/Float32Array views of the register file, singles are NaN-boxed.
 */
import { NV } from './fpu_round.ts';

export const CANON_S = 0x7fc00000, CANON_D_HI = 0x7ff80000;

/*
 * Float views over the register file last seen, so that a double moves with
 * one 64-bit access: assembling it from two int32 stores and reading it back
 * through a Float64Array stalls store forwarding (~10x slower). The register
 * file must therefore start on an 8-byte boundary.
 */
let curF: Int32Array | null = null;
let curD: Float64Array<ArrayBufferLike> = new Float64Array(0);
let curS: Float32Array<ArrayBufferLike> = new Float32Array(0);

function bind(f: Int32Array): void {
  if (f.byteOffset & 7) throw new RangeError('fpu: the FP register file must be 8-byte aligned');
  curF = f;
  curD = new Float64Array(f.buffer, f.byteOffset, f.length >> 1);
  curS = new Float32Array(f.buffer, f.byteOffset, f.length);
}

export function rdD(f: Int32Array, r: number): number {
  if (f !== curF) bind(f);
  return curD[r];
}

export function wrD(f: Int32Array, r: number, v: number): void {
  if (v !== v) {
    f[2 * r] = 0; // the canonical NaN (a JS NaN's bits are unspecified)
    f[2 * r + 1] = CANON_D_HI;
    return;
  }
  if (f !== curF) bind(f);
  curD[r] = v;
}

/** The single in f[r], or the canonical NaN's bits if it is not NaN-boxed. */
export function bitsS(f: Int32Array, r: number): number {
  return f[2 * r + 1] === -1 ? f[2 * r] : CANON_S;
}

/*
 * NaN read from a typed array: merging the literal NaN (a tagged constant)
 * with a float load makes V8 box every value read (a heap allocation).
 */
const NAN = new Float64Array([NaN]);

export function rdS(f: Int32Array, r: number): number {
  if (f !== curF) bind(f);
  return f[2 * r + 1] !== -1 ? NAN[0] : curS[2 * r];
}

export function wrS(f: Int32Array, r: number, v: number): void {
  if (v !== v) f[2 * r] = CANON_S;
  else {
    if (f !== curF) bind(f);
    curS[2 * r] = v;
  }
  f[2 * r + 1] = -1;
}

export function snD(f: Int32Array, r: number): boolean {
  const hi = f[2 * r + 1];
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) | f[2 * r]) !== 0;
}

export function snS(f: Int32Array, r: number): boolean {
  const b = bitsS(f, r);
  return (b & 0x7fc00000) === 0x7f800000 && (b & 0x3fffff) !== 0;
}

export function wrX(x: Int32Array, rd: number, lo: number, hi: number): void {
  if (rd === 0) return;
  x[2 * rd] = lo;
  x[2 * rd + 1] = hi;
}

/** NV for a NaN result of a two-operand op: any sNaN operand, or no NaN operand (invalid). */
export function nvD2(f: Int32Array, rs1: number, rs2: number, a: number, b: number): number {
  if (a === a && b === b) return NV;
  return snD(f, rs1) || snD(f, rs2) ? NV : 0;
}

export function nvS2(f: Int32Array, rs1: number, rs2: number, a: number, b: number): number {
  if (a === a && b === b) return NV;
  return snS(f, rs1) || snS(f, rs2) ? NV : 0;
}

