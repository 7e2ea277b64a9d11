/*
 * Instruction → JavaScript: the code each decoded instruction compiles to.
 *
 * Registers are int32 pairs in x (lo = x[2r], hi = x[2r+1]); 64-bit arithmetic
 * is open-coded on the pairs. Loads and stores inline the TLB hit path
 * (tlb.ts explains the tag trick) and call the Cpu's slow paths otherwise
 * (regions leave instead: Site.miss).
 * Multiply/divide (alu.ts), CSRs, atomics and FP (fpcall.ts) call out.
 *
 * Generated code runs inside a block function (compile.ts) with these locals:
 * a, i, p, s, t, u scratch; n instructions retired in the call so far; base the
 * virtual address of the page the code is in, as an int32 (pcs are int32 in the
 * dispatcher so that addresses above 2 GiB are not heap numbers); and the
 * closure names ENV_NAMES.
 */
import type { Insn } from './decode.ts';
import { Stop } from './stop.ts';
import { TLB_MASK } from './tlb.ts';
import { fpuCall } from './fpcall.ts';
import { RELOAD, SYNC, reloadOnly, syncOnly } from './regsync.ts';

const TERMINATORS = new Set([
  'jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'ecall', 'ebreak', 'illegal', 'fence.i',
]);

export function endsBlock(op: string): boolean {
  return TERMINATORS.has(op);
}

export function isBranch(op: string): boolean {
  return CONDS[op] !== undefined;
}

/* ------------------------------------------------------------ helpers */

const lo = (r: number): string => (r === 0 ? '0' : `x[${2 * r}]`);
const hi = (r: number): string => (r === 0 ? '0' : `x[${2 * r + 1}]`);
const sx = (imm: number): number => (imm < 0 ? -1 : 0);

/** Set rd from lo/hi expressions, via temporaries so rd may alias a source. */
function set(rd: number, l: string, h: string): string {
  if (rd === 0) return '';
  return `t = ${l}; u = ${h}; x[${2 * rd}] = t; x[${2 * rd + 1}] = u;\n`;
}

/** Set rd to a sign-extended 32-bit result. */
function setW(rd: number, l: string): string {
  if (rd === 0) return '';
  return `t = ${l}; x[${2 * rd}] = t; x[${2 * rd + 1}] = t >> 31;\n`;
}

/** Set rd to the 64-bit value of a JS number expression in (-2^32, 2^33). */
function setNum(rd: number, v: string): string {
  if (rd === 0) return '';
  return `a = ${v}; x[${2 * rd}] = a | 0; x[${2 * rd + 1}] = a >= 4294967296 ? 1 : a < 0 ? -1 : 0;\n`;
}

function copy(rd: number, rs: number): string {
  if (rd === 0 || rd === rs) return '';
  return `x[${2 * rd}] = ${lo(rs)}; x[${2 * rd + 1}] = ${hi(rs)};\n`;
}

/** The virtual address base + off as an unsigned value (for registers). */
const uva = (off: number): string => `(base >>> 0) + ${off}`;

/** The virtual address base + off as an int32 pc (for the dispatcher). */
export const ipc = (off: number): string => `(base + ${off}) | 0`;

/** The effective address rs1 + imm as an exact double (≥ 2^32 or < 0 never hits the TLB). */
function addr(rs1: number, imm: number): string {
  if (rs1 === 0) return `a = ${imm};\n`;
  return `a = ${hi(rs1)} * 4294967296 + (${lo(rs1)} >>> 0) + (${imm});\n`;
}

const TLB_INDEX = `i = (a >>> 12) & ${TLB_MASK};\n`;

/* ------------------------------------------------------- code per insn */

export interface Site {
  /**
   * What a trap at this instruction tells the Cpu, as an expression:
   * (instructions retired before it) * 4096 + (its offset in the page).
   */
  k: string;
  /** The instruction's offset in its page; `base + off` is its virtual address (int32 form). */
  off: number;
  /**
   * Cold code: loads and stores call the Cpu's methods (which check the TLB)
   * instead of inlining the TLB hit path, so the source is short and parses fast.
   */
  compact: boolean;
  /**
   * Hot code only, or null: a statement that leaves the compiled code before
   * this instruction, used on a TLB miss instead of the slow-path call. The
   * dispatcher then runs the instruction from the cold tier, which fills the
   * TLB. The leaving path needs no type feedback, so a first miss at a site
   * does not make V8 throw away the optimized region.
   */
  miss: string | null;
}

/** Control transfers, supplied by the block/region writer. */
export interface Flow {
  /** Continue at page offset `off` (0..4095 stays in this page; others leave it). */
  goto(off: number): string;
  /** Leave the compiled code for the virtual address in the JS expression. */
  leave(target: string): string;
}

type Emit = (d: Insn, s: Site) => string;

const ALU: Record<string, Emit> = {
  lui: (d) => (d.rd ? `x[${2 * d.rd}] = ${d.imm}; x[${2 * d.rd + 1}] = ${sx(d.imm)};\n` : ''),
  auipc: (d, s) => setNum(d.rd, uva(s.off + d.imm)),
  addi: (d) => {
    if (d.rd === 0) return '';
    if (d.rs1 === 0) return `x[${2 * d.rd}] = ${d.imm}; x[${2 * d.rd + 1}] = ${sx(d.imm)};\n`;
    if (d.imm === 0) return copy(d.rd, d.rs1);
    const [cy, ncy] = d.imm < 0 ? [0, -1] : [1, 0];
    return `t = (${lo(d.rs1)} + ${d.imm}) | 0; ` +
      `x[${2 * d.rd + 1}] = (${hi(d.rs1)} + ((t >>> 0) < (${lo(d.rs1)} >>> 0) ? ${cy} : ${ncy})) | 0; ` +
      `x[${2 * d.rd}] = t;\n`;
  },
  add: (d) => {
    if (d.rs1 === 0) return copy(d.rd, d.rs2);
    if (d.rs2 === 0) return copy(d.rd, d.rs1);
    // set() assigns t (the low word) before evaluating the high word, which needs its carry.
    return set(d.rd, `(${lo(d.rs1)} + ${lo(d.rs2)}) | 0`,
      `(${hi(d.rs1)} + ${hi(d.rs2)} + ((t >>> 0) < (${lo(d.rs1)} >>> 0) ? 1 : 0)) | 0`);
  },
  sub: (d) => set(d.rd, `(${lo(d.rs1)} - ${lo(d.rs2)}) | 0`,
    `(${hi(d.rs1)} - ${hi(d.rs2)} - ((${lo(d.rs1)} >>> 0) < (${lo(d.rs2)} >>> 0) ? 1 : 0)) | 0`),
  and: (d) => set(d.rd, `${lo(d.rs1)} & ${lo(d.rs2)}`, `${hi(d.rs1)} & ${hi(d.rs2)}`),
  or: (d) => set(d.rd, `${lo(d.rs1)} | ${lo(d.rs2)}`, `${hi(d.rs1)} | ${hi(d.rs2)}`),
  xor: (d) => set(d.rd, `${lo(d.rs1)} ^ ${lo(d.rs2)}`, `${hi(d.rs1)} ^ ${hi(d.rs2)}`),
  andi: (d) => set(d.rd, `${lo(d.rs1)} & ${d.imm}`, d.imm < 0 ? hi(d.rs1) : '0'),
  ori: (d) => set(d.rd, `${lo(d.rs1)} | ${d.imm}`, d.imm < 0 ? '-1' : hi(d.rs1)),
  xori: (d) => set(d.rd, `${lo(d.rs1)} ^ ${d.imm}`, d.imm < 0 ? `~${hi(d.rs1)}` : hi(d.rs1)),
  slt: (d) => set(d.rd, bool(ltS(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2))), '0'),
  sltu: (d) => set(d.rd, bool(ltU(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2))), '0'),
  slti: (d) => set(d.rd, bool(ltS(lo(d.rs1), hi(d.rs1), `${d.imm}`, `${sx(d.imm)}`)), '0'),
  sltiu: (d) => set(d.rd, bool(ltU(lo(d.rs1), hi(d.rs1), `${d.imm}`, `${sx(d.imm)}`)), '0'),
  slli: (d) => shiftLeftImm(d.rd, d.rs1, d.imm),
  srli: (d) => shiftRightImm(d.rd, d.rs1, d.imm, false),
  srai: (d) => shiftRightImm(d.rd, d.rs1, d.imm, true),
  sll: (d) => shiftReg(d, 'sll'),
  srl: (d) => shiftReg(d, 'srl'),
  sra: (d) => shiftReg(d, 'sra'),
  addiw: (d) => setW(d.rd, `(${lo(d.rs1)} + ${d.imm}) | 0`),
  slliw: (d) => setW(d.rd, `${lo(d.rs1)} << ${d.imm}`),
  srliw: (d) => setW(d.rd, `(${lo(d.rs1)} >>> ${d.imm}) | 0`),
  sraiw: (d) => setW(d.rd, `${lo(d.rs1)} >> ${d.imm}`),
  addw: (d) => setW(d.rd, `(${lo(d.rs1)} + ${lo(d.rs2)}) | 0`),
  subw: (d) => setW(d.rd, `(${lo(d.rs1)} - ${lo(d.rs2)}) | 0`),
  sllw: (d) => setW(d.rd, `${lo(d.rs1)} << (${lo(d.rs2)} & 31)`),
  srlw: (d) => setW(d.rd, `(${lo(d.rs1)} >>> (${lo(d.rs2)} & 31)) | 0`),
  sraw: (d) => setW(d.rd, `${lo(d.rs1)} >> (${lo(d.rs2)} & 31)`),
  mulw: (d) => setW(d.rd, `Math.imul(${lo(d.rs1)}, ${lo(d.rs2)})`),
  fence: () => '',
};

for (const op of ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw']) {
  // The helpers read rs1 and rs2, write rd, and cannot trap (RISC-V defines division by zero).
  ALU[op] = (d) => (d.rd === 0 ? '' : `(${syncOnly(d.rs1, d.rs2)}A.${op}(x, ${d.rd}, ${d.rs1}, ${d.rs2})); ${reloadOnly(d.rd)}\n`);
}

/** Signed 64-bit a < b on pairs, as a JS condition. */
function ltS(al: string, ah: string, bl: string, bh: string): string {
  return `(${ah} < ${bh} || (${ah} === ${bh} && (${al} >>> 0) < (${bl} >>> 0)))`;
}

function ltU(al: string, ah: string, bl: string, bh: string): string {
  return `((${ah} >>> 0) < (${bh} >>> 0) || (${ah} === ${bh} && (${al} >>> 0) < (${bl} >>> 0)))`;
}

const bool = (cond: string): string => `${cond} ? 1 : 0`;

function shiftLeftImm(rd: number, rs: number, sh: number): string {
  if (sh === 0) return copy(rd, rs);
  if (sh < 32) return set(rd, `${lo(rs)} << ${sh}`, `(${hi(rs)} << ${sh}) | (${lo(rs)} >>> ${32 - sh})`);
  return set(rd, '0', `${lo(rs)} << ${sh - 32}`);
}

function shiftRightImm(rd: number, rs: number, sh: number, arith: boolean): string {
  const op = arith ? '>>' : '>>>';
  if (sh === 0) return copy(rd, rs);
  if (sh < 32) return set(rd, `(${lo(rs)} >>> ${sh}) | (${hi(rs)} << ${32 - sh})`, `(${hi(rs)} ${op} ${sh}) | 0`);
  return set(rd, `(${hi(rs)} ${op} ${sh - 32}) | 0`, arith ? `${hi(rs)} >> 31` : '0');
}

/* Shift amounts are 6 bits; JS shifts use 5, so ≥ 32 moves words and 0 is special (x >>> 32 is x). */
function shiftReg(d: Insn, kind: 'sll' | 'srl' | 'sra'): string {
  if (d.rd === 0) return '';
  const L = lo(d.rs1), H = hi(d.rs1);
  const dl = `x[${2 * d.rd}]`, dh = `x[${2 * d.rd + 1}]`;
  let big: string, small: string;
  if (kind === 'sll') {
    big = `t = 0; u = ${L} << s;`;
    small = `u = (${H} << s) | (${L} >>> (32 - s)); t = ${L} << s;`;
  } else {
    const op = kind === 'sra' ? '>>' : '>>>';
    big = `t = (${H} ${op} s) | 0; u = ${kind === 'sra' ? `${H} >> 31` : '0'};`;
    small = `t = (${L} >>> s) | (${H} << (32 - s)); u = (${H} ${op} s) | 0;`;
  }
  return `s = ${lo(d.rs2)} & 63; if (s & 32) { ${big} } else if (s !== 0) { ${small} } else { t = ${L}; u = ${H}; } ` +
    `${dl} = t; ${dh} = u;\n`;
}

/* ----------------------------------------------------- loads and stores */

interface Width {
  /** Mask whose complement must equal the page base: 4096 - size. */
  mask: number;
  view: string;
  shift: number;
}

const WIDTH: Record<number, Width> = {
  1: { mask: 4095, view: 'u8', shift: 0 },
  2: { mask: 4094, view: 'u16', shift: 1 },
  4: { mask: 4092, view: 'i32', shift: 2 },
  8: { mask: 4088, view: 'i32', shift: 2 },
};

const LOADS: Record<string, { size: number; view: string; slow: string; hi: 'sign' | 'zero' | 'word' }> = {
  lb: { size: 1, view: 'i8', slow: 'lb', hi: 'sign' },
  lbu: { size: 1, view: 'u8', slow: 'lbu', hi: 'zero' },
  lh: { size: 2, view: 'i16', slow: 'lh', hi: 'sign' },
  lhu: { size: 2, view: 'u16', slow: 'lhu', hi: 'zero' },
  lw: { size: 4, view: 'i32', slow: 'lw', hi: 'sign' },
  lwu: { size: 4, view: 'i32', slow: 'lw', hi: 'zero' },
  ld: { size: 8, view: 'i32', slow: 'ld', hi: 'word' },
};

/** Load `size` bytes at a into t (and u for 8 bytes). */
function loadInto(size: number, view: string, slow: string, s: Site): string {
  const k = s.k;
  if (s.compact) return size === 8 ? `t = (${SYNC}c.ld(a, ${k})); u = c.hi;\n` : `t = (${SYNC}c.${slow}(a, ${k}));\n`;
  const w = WIDTH[size];
  const hit = `rT[i] === a - (a & ${w.mask})`;
  const pa = `(a + rD[i]) >>> ${w.shift}`;
  if (s.miss !== null) {
    const get = size === 8 ? `p = ${pa}; t = i32[p]; u = i32[p + 1];` : `t = ${view}[${pa}];`;
    return TLB_INDEX + `if (${hit}) { ${get} } else ${s.miss}\n`;
  }
  if (size === 8) {
    return TLB_INDEX + `if (${hit}) { p = ${pa}; t = i32[p]; u = i32[p + 1]; } else { t = (${SYNC}c.ld(a, ${k})); u = c.hi; }\n`;
  }
  return TLB_INDEX + `t = ${hit} ? ${view}[${pa}] : (${SYNC}c.${slow}(a, ${k}));\n`;
}

function emitLoad(d: Insn, s: Site): string {
  const l = LOADS[d.op];
  let code = addr(d.rs1, d.imm) + loadInto(l.size, l.view, l.slow, s);
  if (d.rd === 0) return code; // still performed: it may fault
  const h = l.hi === 'sign' ? 't >> 31' : l.hi === 'zero' ? '0' : 'u';
  code += `x[${2 * d.rd}] = t; x[${2 * d.rd + 1}] = ${h};\n`;
  return code;
}

/** Store the value expressions vl (and vh for 8 bytes) at a. */
function storeFrom(size: number, vl: string, vh: string, s: Site): string {
  const k = s.k;
  const slow = ['', 'sb', 'sh', '', 'sw'][size] ?? '';
  if (s.compact) return size === 8 ? `(${SYNC}c.sd(a, ${vl}, ${vh}, ${k}));\n` : `(${SYNC}c.${slow}(a, ${vl}, ${k}));\n`;
  const w = WIDTH[size];
  const hit = `wT[i] === a - (a & ${w.mask})`;
  const pa = `(a + wD[i]) >>> ${w.shift}`;
  const miss = s.miss ?? (size === 8 ? `(${SYNC}c.sd(a, ${vl}, ${vh}, ${k}));` : `(${SYNC}c.${slow}(a, ${vl}, ${k}));`);
  if (size === 8) return TLB_INDEX + `if (${hit}) { p = ${pa}; i32[p] = ${vl}; i32[p + 1] = ${vh}; } else ${miss}\n`;
  return TLB_INDEX + `if (${hit}) ${w.view}[${pa}] = ${vl}; else ${miss}\n`;
}

const STORE_SIZE: Record<string, number> = { sb: 1, sh: 2, sw: 4, sd: 8 };

function emitStore(d: Insn, s: Site): string {
  return addr(d.rs1, d.imm) + storeFrom(STORE_SIZE[d.op], lo(d.rs2), hi(d.rs2), s);
}

/* FP loads and stores move raw bits; flw NaN-boxes (high word all ones). */
function emitFpMem(d: Insn, s: Site): string {
  switch (d.op) {
    case 'flw':
      return addr(d.rs1, d.imm) + loadInto(4, 'i32', 'lw', s) + `f[${2 * d.rd}] = t; f[${2 * d.rd + 1}] = -1;\n`;
    case 'fld':
      return addr(d.rs1, d.imm) + loadInto(8, 'i32', 'ld', s) + `f[${2 * d.rd}] = t; f[${2 * d.rd + 1}] = u;\n`;
    case 'fsw':
      return addr(d.rs1, d.imm) + storeFrom(4, `f[${2 * d.rs2}]`, '', s);
    default:
      return addr(d.rs1, d.imm) + storeFrom(8, `f[${2 * d.rs2}]`, `f[${2 * d.rs2 + 1}]`, s);
  }
}

/* ------------------------------------------------------ control flow */

const CONDS: Record<string, (d: Insn) => string> = {
  beq: (d) => `${lo(d.rs1)} === ${lo(d.rs2)} && ${hi(d.rs1)} === ${hi(d.rs2)}`,
  bne: (d) => `${lo(d.rs1)} !== ${lo(d.rs2)} || ${hi(d.rs1)} !== ${hi(d.rs2)}`,
  blt: (d) => ltS(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2)),
  bge: (d) => `!${ltS(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2))}`,
  bltu: (d) => ltU(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2)),
  bgeu: (d) => `!${ltU(lo(d.rs1), hi(d.rs1), lo(d.rs2), hi(d.rs2))}`,
};

/** Comparisons against x0, the common case (beqz, bnez, bltz, bgez). */
function zeroCond(d: Insn): string | null {
  if (d.rs2 !== 0) return null;
  const L = lo(d.rs1), H = hi(d.rs1);
  switch (d.op) {
    case 'beq': return `(${L} | ${H}) === 0`;
    case 'bne': return `(${L} | ${H}) !== 0`;
    case 'blt': return `${H} < 0`;
    case 'bge': return `${H} >= 0`;
    default: return null;
  }
}

const TRAP: Record<string, number> = { ecall: Stop.ECALL, ebreak: Stop.EBREAK, illegal: Stop.ILLEGAL };

/** The code of instruction d at site s; control transfers go through flow. */
export function emitInsn(d: Insn, s: Site, flow: Flow): string {
  const emit = ALU[d.op];
  if (emit !== undefined) return emit(d, s);
  if (LOADS[d.op] !== undefined) return emitLoad(d, s);
  if (STORE_SIZE[d.op] !== undefined) return emitStore(d, s);
  const next = s.off + d.len;
  switch (d.op) {
    case 'flw': case 'fld': case 'fsw': case 'fsd':
      return emitFpMem(d, s);
    case 'jal':
      return setNum(d.rd, uva(next)) + flow.goto(s.off + d.imm) + '\n';
    case 'jalr':
      // A target at or above 4 GiB (or negative) has no int32 pc: c.badJump records the fetch fault.
      return addr(d.rs1, d.imm) + 'a = a - (a & 1); p = a >= 0 && a < 4294967296 ? a | 0 : c.badJump(a);\n' +
        setNum(d.rd, uva(next)) + flow.leave('p') + '\n';
    case 'ecall': case 'ebreak': case 'illegal':
      return `(${SYNC}0); c.stopCode = ${TRAP[d.op]}; c.stopK = ${s.k}; c.faultInsn = ${d.raw >>> 0}; return -1;\n`;
    case 'fence.i':
      return `c.flushCode(); ${flow.leave(ipc(next))}\n`;
    case 'csrrw': case 'csrrs': case 'csrrc': case 'csrrwi': case 'csrrsi': case 'csrrci':
      return `(${SYNC}c.csr(${d.raw}, ${s.k})); ${RELOAD}\n`;
  }
  if (d.op.startsWith('amo') || d.op.startsWith('lr.') || d.op.startsWith('sc.')) {
    return `(${SYNC}c.amo(${d.raw}, ${s.k})); ${RELOAD}\n`;
  }
  const cond = CONDS[d.op];
  if (cond !== undefined) {
    return `if (${zeroCond(d) ?? cond(d)}) ${flow.goto(s.off + d.imm)}\n${flow.goto(next)}\n`;
  }
  return fpuCall(d, s.k);
}
