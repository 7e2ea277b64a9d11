/*
 * A RISC-V disassembler for ddb's x/i and "Stopped at", built on the CPU's own
 * decoder (cpu/decode.ts), so ddb shows exactly what the engine executes.
 * Compressed instructions print as their 32-bit equivalents (the decoder
 * expands them), with the common assembler pseudo-instructions (li, mv, ret,
 * j, nop) the way objdump shows them.
 */
import { decode, insnLength, type Insn } from '../cpu/decode.ts';

export const XREG = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4',
  'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
export const FREG = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9',
  'ft10', 'ft11'];
const CSRNAME: Record<number, string> = { 1: 'fflags', 2: 'frm', 3: 'fcsr', 0xc00: 'cycle', 0xc01: 'time', 0xc02: 'instret' };

const LOADS = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']);
const STORES = new Set(['sb', 'sh', 'sw', 'sd']);
const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);
const IMM_OPS = new Set(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai', 'addiw', 'slliw',
  'srliw', 'sraiw']);

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const shex = (n: number): string => (n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`);

/** The instruction's length in bytes from its first 16-bit parcel. */
export function insnLen(parcel: number): number {
  return insnLength(parcel);
}

/** Disassemble raw (16 or 32 bits as fetched) at pc: "mnemonic operands". */
export function disasm(raw: number, pc: number): string {
  const i = decode(raw);
  if (i.op === 'illegal') return i.len === 2 ? `.short ${hex(raw & 0xffff)}` : `.word ${hex(raw)}`;
  const ops = operands(i, pc);
  return ops === '' ? i.op : `${i.op.padEnd(7)} ${ops}`;
}

function operands(i: Insn, pc: number): string {
  const x = XREG, f = FREG;
  const op = i.op;
  if (op === 'lui' || op === 'auipc') return `${x[i.rd]},${hex((i.imm >>> 12) & 0xfffff)}`;
  if (op === 'jal') return `${x[i.rd]},${hex(pc + i.imm)}`;
  if (op === 'jalr') return `${x[i.rd]},${i.imm}(${x[i.rs1]})`;
  if (BRANCHES.has(op)) return `${x[i.rs1]},${x[i.rs2]},${hex(pc + i.imm)}`;
  if (LOADS.has(op)) return `${x[i.rd]},${i.imm}(${x[i.rs1]})`;
  if (STORES.has(op)) return `${x[i.rs2]},${i.imm}(${x[i.rs1]})`;
  if (op === 'flw' || op === 'fld') return `${f[i.rd]},${i.imm}(${x[i.rs1]})`;
  if (op === 'fsw' || op === 'fsd') return `${f[i.rs2]},${i.imm}(${x[i.rs1]})`;
  if (IMM_OPS.has(op)) return `${x[i.rd]},${x[i.rs1]},${i.imm}`;
  if (op === 'ecall' || op === 'ebreak' || op === 'fence' || op === 'fence.i') return '';
  if (op.startsWith('csr')) return csrOperands(i);
  if (op.startsWith('lr.')) return `${x[i.rd]},(${x[i.rs1]})`;
  if (op.startsWith('sc.') || op.startsWith('amo')) return `${x[i.rd]},${x[i.rs2]},(${x[i.rs1]})`;
  if (op.startsWith('f')) return fpOperands(i);
  return `${x[i.rd]},${x[i.rs1]},${x[i.rs2]}`;
}

function csrOperands(i: Insn): string {
  const csr = CSRNAME[i.imm & 0xfff] ?? hex(i.imm & 0xfff);
  const src = i.op.endsWith('i') ? String(i.rs1) : XREG[i.rs1];
  return `${XREG[i.rd]},${csr},${src}`;
}

/* FP operands: which of rd/rs1 are integer registers depends on the operation. */
function fpOperands(i: Insn): string {
  const x = XREG, f = FREG;
  const op = i.op;
  if (/^fn?m(add|sub)\./.test(op)) return `${f[i.rd]},${f[i.rs1]},${f[i.rs2]},${f[i.rs3]}`;
  if (/^f(le|lt|eq)\./.test(op)) return `${x[i.rd]},${f[i.rs1]},${f[i.rs2]}`;
  if (/^fcvt\.(w|wu|l|lu)\./.test(op) || op.startsWith('fmv.x.') || op.startsWith('fclass')) {
    return `${x[i.rd]},${f[i.rs1]}`;
  }
  if (/^fcvt\.[sd]\.(w|wu|l|lu)$/.test(op) || /^fmv\.[wd]\.x$/.test(op)) return `${f[i.rd]},${x[i.rs1]}`;
  if (op.startsWith('fsqrt') || op.startsWith('fcvt')) return `${f[i.rd]},${f[i.rs1]}`;
  return `${f[i.rd]},${f[i.rs1]},${f[i.rs2]}`;
}

/** objdump's pseudo-instructions for the common cases; otherwise the plain form. */
export function disasmPretty(raw: number, pc: number): string {
  const i = decode(raw);
  const x = XREG;
  if (i.op === 'addi' && i.rd === 0 && i.rs1 === 0 && i.imm === 0) return 'nop';
  if (i.op === 'addi' && i.rs1 === 0) return `${'li'.padEnd(7)} ${x[i.rd]},${i.imm}`;
  if (i.op === 'addi' && i.imm === 0) return `${'mv'.padEnd(7)} ${x[i.rd]},${x[i.rs1]}`;
  if (i.op === 'add' && i.rs1 === 0) return `${'mv'.padEnd(7)} ${x[i.rd]},${x[i.rs2]}`;
  if (i.op === 'jalr' && i.rd === 0 && i.rs1 === 1 && i.imm === 0) return 'ret';
  if (i.op === 'jal' && i.rd === 0) return `${'j'.padEnd(7)} ${hex(pc + i.imm)}`;
  if (i.op === 'jalr' && i.rd === 0 && i.imm === 0) return `${'jr'.padEnd(7)} ${x[i.rs1]}`;
  return disasm(raw, pc);
}

export { shex, hex };
