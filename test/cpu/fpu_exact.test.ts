/*
 * The double-precision fast paths (error-free transformations in doubles)
 * against the exact BigInt routines, on operands built to land on or next to
 * rounding midpoints, in all five modes. Complements the qemu oracle, whose
 * random operands rarely hit those cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { st, slowAdd, slowMul, slowDiv, slowSqrt, slowFma } from '../../kernel/cpu/fpu_round.ts';
import { addD, mulD, divD, sqrtD, fmaDv as fmaD } from '../../kernel/cpu/fpu_d.ts';

let seed = 0x2545f491;
function rnd32(): number {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return seed >>> 0;
}
/** A double with `bits` significant bits (1..53) and exponent in [lo, hi). */
function fewBits(bits: number, lo: number, hi: number): number {
  let m = 1;
  for (let i = 1; i < bits; i++) m = m * 2 + (rnd32() & 1);
  const e = lo + (rnd32() % (hi - lo));
  const v = m * 2 ** (e - bits + 1);
  return rnd32() & 1 ? -v : v;
}
function anyBits(lo: number, hi: number): number {
  return fewBits(1 + (rnd32() % 53), lo, hi);
}

const view = new DataView(new ArrayBuffer(8));
function bits(v: number): string {
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16);
}

type Op = (rm: number) => number;
function same(fast: Op, slow: Op, what: string, bad: string[]): void {
  for (let rm = 0; rm < 5; rm++) {
    st.fl = 0;
    const f = fast(rm), ff = st.fl;
    st.fl = 0;
    const s = slow(rm), sf = st.fl;
    if (bits(f) !== bits(s) || ff !== sf) {
      if (bad.length < 20) bad.push(`${what} rm=${rm}: fast ${bits(f)}/${ff} exact ${bits(s)}/${sf}`);
    }
  }
}

test('double fast paths agree with exact arithmetic near midpoints', () => {
  const bad: string[] = [];
  for (let i = 0; i < 20000; i++) {
    const a = anyBits(-40, 40), b = anyBits(-40, 40);
    const c = rnd32() & 1 ? -(a * b) + anyBits(-90, -20) : anyBits(-80, 80);
    const d = rnd32() % 4 === 0 ? fewBits(53, -1000, 1000) : a;
    same((rm) => fmaD(a, b, c, rm), (rm) => slowFma(a, b, c, rm), `fma ${a} ${b} ${c}`, bad);
    same((rm) => addD(a, c, rm), (rm) => slowAdd(a, c, rm), `add ${a} ${c}`, bad);
    same((rm) => mulD(d, b, rm), (rm) => slowMul(d, b, rm), `mul ${d} ${b}`, bad);
    same((rm) => divD(d, b, rm), (rm) => slowDiv(d, b, rm), `div ${d} ${b}`, bad);
    const q = Math.abs(d);
    same((rm) => sqrtD(q, rm), (rm) => slowSqrt(q, rm), `sqrt ${q}`, bad);
  }
  // fma with the addend cancelling the product's high part, at the range edges too
  for (let i = 0; i < 20000; i++) {
    const lo = rnd32() & 1 ? -500 : -1000;
    const a = fewBits(1 + (rnd32() % 53), lo, lo + 20), b = fewBits(1 + (rnd32() % 53), 0, 600);
    const p = a * b;
    const c = -p + (rnd32() & 1 ? 0 : p * 2 ** -(50 + (rnd32() % 10)));
    same((rm) => fmaD(a, b, c, rm), (rm) => slowFma(a, b, c, rm), `fma ${a} ${b} ${c}`, bad);
  }
  assert.deepEqual(bad, []);
});
