/*
 * F/D semantics against qemu-riscv64: test/cpu/fpu_oracle.c is compiled with
 * riscv64-linux-gnu-gcc, run under qemu-riscv64, and every line it prints
 * (op, rm, operands, result, fflags) is replayed through kernel/cpu/fpu.ts.
 * FPU_ORACLE_N sets the number of random operand sets per op (default 2000),
 * FPU_ORACLE_SEED the oracle's random seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fpu from '../../kernel/cpu/fpu.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'test', 'cpu', 'fpu_oracle.c');
const bin = join(root, 'build', 'fpu_oracle');

type Fn = (...args: (Int32Array | number)[]) => number;
/* Operand shapes, as in docs/architecture.md. */
type Shape = 'f1' | 'f2' | 'f3' | 'x1' | 'x2' | 'fx';

function shapeOf(name: string): Shape {
  if (/^f(n?madd|n?msub)\./.test(name)) return 'f3';
  if (/^(feq|flt|fle)\./.test(name)) return 'x2';
  if (/^(fclass\.|fmv\.x\.|fcvt\.(w|wu|l|lu)\.)/.test(name)) return 'x1';
  if (/^(fmv\.[wd]\.x|fcvt\.[sd]\.(w|wu|l|lu)$)/.test(name)) return 'fx';
  if (/^(fsqrt\.|fcvt\.[sd]\.[sd]$)/.test(name)) return 'f1';
  return 'f2';
}

const RS1 = 1, RS2 = 2, RS3 = 3, RD = 4, XS = 5, XD = 6;

function hiOf(h: string): number { return parseInt(h.slice(0, 8), 16) | 0; }
function loOf(h: string): number { return parseInt(h.slice(8), 16) | 0; }
function hex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function buildOracle(): boolean {
  mkdirSync(join(root, 'build'), { recursive: true });
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(src).mtimeMs) return true;
  const r = spawnSync('riscv64-linux-gnu-gcc', ['-O2', '-static', '-o', bin, src], { encoding: 'utf8' });
  if (r.status !== 0) console.error(r.stderr);
  return r.status === 0;
}

interface Stats { lines: number; bad: number; modes: Set<number>; inputs: Set<string> }

/** Replay one oracle line; returns a description of the mismatch, or null. */
function check(fn: Fn, shape: Shape, parts: string[], f: Int32Array, x: Int32Array): string | null {
  const rm = +parts[1], [a, b, c, want] = [parts[2], parts[3], parts[4], parts[5]];
  const wantFl = parseInt(parts[6], 16);
  f.fill(0x5a5a5a5a);
  x.fill(0x5a5a5a5a);
  for (const [r, h] of [[RS1, a], [RS2, b], [RS3, c]] as const) { f[2 * r] = loOf(h); f[2 * r + 1] = hiOf(h); }
  x[2 * XS] = loOf(a);
  x[2 * XS + 1] = hiOf(a);
  let fl: number, got: string;
  switch (shape) {
    case 'f1': fl = fn(f, RD, RS1, rm); got = hex(f[2 * RD + 1], f[2 * RD]); break;
    case 'f2': fl = fn(f, RD, RS1, RS2, rm); got = hex(f[2 * RD + 1], f[2 * RD]); break;
    case 'f3': fl = fn(f, RD, RS1, RS2, RS3, rm); got = hex(f[2 * RD + 1], f[2 * RD]); break;
    case 'x1': fl = fn(x, f, XD, RS1, rm); got = hex(x[2 * XD + 1], x[2 * XD]); break;
    case 'x2': fl = fn(x, f, XD, RS1, RS2); got = hex(x[2 * XD + 1], x[2 * XD]); break;
    default: fl = fn(f, x, RD, XS, rm); got = hex(f[2 * RD + 1], f[2 * RD]);
  }
  if (got === want && fl === wantFl) return null;
  return `${parts.slice(0, 5).join(' ')}: want ${want} fl=${wantFl.toString(16)}, got ${got} fl=${fl.toString(16)}`;
}

test('F/D instructions match qemu-riscv64 bit for bit (results and fflags)', (t) => {
  if (!buildOracle()) { t.skip('riscv64-linux-gnu-gcc unavailable'); return; }
  const n = process.env.FPU_ORACLE_N ?? '2000';
  const args = [bin, n];
  if (process.env.FPU_ORACLE_SEED) args.push(process.env.FPU_ORACLE_SEED);
  const run = spawnSync('qemu-riscv64', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error) { t.skip('qemu-riscv64 unavailable'); return; }
  assert.equal(run.status, 0);
  const f = new Int32Array(64), x = new Int32Array(64);
  const stats = new Map<string, Stats>();
  const failures: string[] = [];
  const table = fpu as unknown as Record<string, Fn>;
  for (const line of run.stdout.split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    const name = parts[0];
    const fn = table[name.replaceAll('.', '_')];
    assert.ok(fn, `fpu.ts has no ${name}`);
    let s = stats.get(name);
    if (!s) stats.set(name, s = { lines: 0, bad: 0, modes: new Set(), inputs: new Set() });
    s.lines++;
    s.modes.add(+parts[1]);
    s.inputs.add(parts[2] + parts[3] + parts[4]);
    const bad = check(fn, shapeOf(name), parts, f, x);
    if (bad) { s.bad++; if (failures.length < 40) failures.push(bad); }
  }
  let total = 0, inputs = 0;
  const rows: string[] = [];
  for (const [name, s] of stats) {
    total += s.lines;
    inputs += s.inputs.size;
    rows.push(`${name.padEnd(10)} modes=${s.modes.size} inputs=${s.inputs.size} cases=${s.lines}${s.bad ? ` BAD=${s.bad}` : ''}`);
  }
  t.diagnostic(`${stats.size} ops, ${inputs} operand sets, ${total} cases`);
  if (failures.length || process.env.FPU_ORACLE_VERBOSE) console.log(rows.join('\n'));
  assert.deepEqual(failures, []);
});

test('register conventions: x0 stays zero, rd may alias sources, singles are NaN-boxed', () => {
  const f = new Int32Array(64), x = new Int32Array(64);
  const d = new Float64Array(f.buffer);
  d[1] = 2.5;
  d[2] = -3;
  assert.equal(fpu.fcvt_l_d(x, f, 0, 1, 0), fpu.NX);
  assert.deepEqual([x[0], x[1]], [0, 0]);
  assert.equal(fpu.flt_d(x, f, 0, 2, 1), 0);
  assert.deepEqual([x[0], x[1]], [0, 0]);
  fpu.fmul_d(f, 1, 1, 1, 0); // rd = rs1 = rs2
  assert.equal(d[1], 6.25);
  fpu.fcvt_s_d(f, 3, 2, 0);
  assert.deepEqual([f[6] >>> 0, f[7]], [0xc0400000, -1]);
  fpu.fadd_s(f, 3, 3, 3, 0); // -3f + -3f
  assert.deepEqual([f[6] >>> 0, f[7]], [0xc0c00000, -1]);
  f[7] = 0; // no longer NaN-boxed: reads as the canonical NaN
  assert.equal(fpu.fadd_s(f, 4, 3, 3, 0), 0);
  assert.deepEqual([f[8] >>> 0, f[9]], [0x7fc00000, -1]);
  x[10] = -7; x[11] = -1;
  assert.equal(fpu.fcvt_d_l(f, x, 5, 5, 1), 0);
  assert.equal(d[5], -7);
  assert.throws(() => fpu.fadd_d(new Int32Array(f.buffer, 4, 32), 1, 1, 1, 0), RangeError);
});
