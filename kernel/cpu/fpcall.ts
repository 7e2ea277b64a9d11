/*
 * Compiled code for F/D computational instructions: a call to the function of
 * fpu.ts named after the mnemonic ('.' → '_'), with the argument order of its
 * kind (docs/architecture.md, CPU engine), the rounding mode resolved, and the
 * returned exception flags ORed into fcsr. FP loads and stores are compile.ts's.
 */
import type { Insn } from './decode.ts';
import * as fpu from './fpu.ts';
import { SYNC, reloadOnly, syncOnly } from './regsync.ts';

/* Argument lists after the function name, by instruction. */
type Kind = 'f_rr_rm' | 'f_rrr_rm' | 'f_r_rm' | 'f_rr' | 'x_rr' | 'x_r_rm' | 'x_r' | 'fx_r_rm' | 'fx_r';

const KINDS: Record<string, Kind> = {};

for (const t of ['s', 'd']) {
  for (const op of ['fadd', 'fsub', 'fmul', 'fdiv']) KINDS[`${op}.${t}`] = 'f_rr_rm';
  for (const op of ['fmadd', 'fmsub', 'fnmsub', 'fnmadd']) KINDS[`${op}.${t}`] = 'f_rrr_rm';
  for (const op of ['fsgnj', 'fsgnjn', 'fsgnjx', 'fmin', 'fmax']) KINDS[`${op}.${t}`] = 'f_rr';
  for (const op of ['feq', 'flt', 'fle']) KINDS[`${op}.${t}`] = 'x_rr';
  KINDS[`fsqrt.${t}`] = 'f_r_rm';
  KINDS[`fclass.${t}`] = 'x_r';
  for (const i of ['w', 'wu', 'l', 'lu']) {
    KINDS[`fcvt.${i}.${t}`] = 'x_r_rm';
    KINDS[`fcvt.${t}.${i}`] = 'fx_r_rm';
  }
}
KINDS['fcvt.s.d'] = 'f_r_rm';
KINDS['fcvt.d.s'] = 'f_r_rm';
KINDS['fmv.x.w'] = 'x_r';
KINDS['fmv.x.d'] = 'x_r';
KINDS['fmv.w.x'] = 'fx_r';
KINDS['fmv.d.x'] = 'fx_r';

const fnName = (op: string): string => op.replace(/\./g, '_');

/** The fpu.ts functions compiled code calls as F.<name>: a plain object, cheap to index. */
export function fpuEnv(): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  const mod = fpu as unknown as Record<string, unknown>;
  for (const op of Object.keys(KINDS)) {
    if (typeof mod[fnName(op)] === 'function') table[fnName(op)] = mod[fnName(op)];
  }
  return table;
}

/** True for an FP computational instruction whose fpu.ts function does not exist. */
export function fpuMissing(op: string): boolean {
  return KINDS[op] !== undefined && typeof (fpu as unknown as Record<string, unknown>)[fnName(op)] !== 'function';
}

/**
 * The rounding mode as an expression. A static mode was checked by the decoder
 * (5 and 6 are illegal there); dyn (7) reads frm at run time, and frm ≥ 5
 * makes the instruction illegal.
 */
function rmSetup(d: Insn, k: string): { pre: string; rm: string } {
  if (d.rm !== 7) return { pre: '', rm: `${d.rm}` };
  return { pre: `s = (ctx.fcsr >>> 5) & 7; if (s > 4) (${SYNC}c.illegal(${d.raw}, ${k}));\n`, rm: 's' };
}

export function fpuCall(d: Insn, k: string): string {
  const kind = KINDS[d.op];
  if (kind === undefined) throw new Error(`compile: no code for ${d.op}`);
  const fn = `F.${fnName(d.op)}`;
  const { pre, rm } = kind.endsWith('_rm') ? rmSetup(d, k) : { pre: '', rm: '' };
  let args: string;
  switch (kind) {
    case 'f_rr_rm': args = `f, ${d.rd}, ${d.rs1}, ${d.rs2}, ${rm}`; break;
    case 'f_rrr_rm': args = `f, ${d.rd}, ${d.rs1}, ${d.rs2}, ${d.rs3}, ${rm}`; break;
    case 'f_r_rm': args = `f, ${d.rd}, ${d.rs1}, ${rm}`; break;
    case 'f_rr': args = `f, ${d.rd}, ${d.rs1}, ${d.rs2}`; break;
    case 'x_rr': args = `x, f, ${d.rd}, ${d.rs1}, ${d.rs2}`; break;
    case 'x_r_rm': args = `x, f, ${d.rd}, ${d.rs1}, ${rm}`; break;
    case 'x_r': args = `x, f, ${d.rd}, ${d.rs1}`; break;
    case 'fx_r_rm': args = `f, x, ${d.rd}, ${d.rs1}, ${rm}`; break;
    case 'fx_r': args = `f, x, ${d.rd}, ${d.rs1}`; break;
  }
  // FP helpers cannot trap: they read x only for an x source and write it only for an x destination.
  const sync = kind.startsWith('fx_') ? syncOnly(d.rs1) : '';
  const reload = kind.startsWith('x_') ? reloadOnly(d.rd) : '';
  return `${pre}t = (${sync}${fn}(${args})); ${reload} if (t !== 0) ctx.fcsr |= t;\n`;
}
