/*
 * A frozen copy of kernel/cpu/interp.ts before the C2 speed work, the baseline
 * bench/interp.ts measures the current interpreter against. Not used by the kernel.
 *
 * The cold tier: an interpreter for basic blocks that have not run often.
 * Compiling a block costs V8 tens of microseconds of parsing, far more than
 * running startup code that executes a handful of times; so blocks are
 * interpreted until hot, then compiled as regions (compile.ts).
 *
 * It covers the integer, memory and control instructions that make up nearly
 * all code; blocks with anything else (FP arithmetic, CSRs, atomics, FENCE.I)
 * are compiled right away. Semantics match emit.ts; the ISA tests run in both
 * tiers. Same conventions as compiled code: returns the next pc and sets c.n,
 * or returns -1 after a trap; slow paths throw with k = idx * 4096 + offset.
 */
import type { Insn } from '../kernel/cpu/decode.ts';
import type { BasicBlock, BlockFn } from '../kernel/cpu/compile.ts';
import type { Mmu } from '../kernel/cpu/mmu.ts';
import { Stop } from '../kernel/cpu/stop.ts';
import * as alu from '../kernel/cpu/alu.ts';
import { TLB_MASK } from '../kernel/cpu/tlb.ts';

/** What the interpreter needs of the Cpu. */
export interface InterpHost extends Mmu {
  n: number;
  badJump(target: number): number;
  readonly ctx: { readonly x: Int32Array; readonly f: Int32Array };
}

const OPS = [
  'lui', 'auipc', 'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'addiw', 'slliw', 'srliw', 'sraiw', 'addw', 'subw', 'sllw', 'srlw', 'sraw', 'mulw',
  'lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd', 'flw', 'fld', 'fsw', 'fsd',
  'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'jal', 'jalr', 'fence', 'ecall', 'ebreak', 'illegal',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw',
] as const;
const OP_ID = new Map<string, number>(OPS.map((op, i) => [op, i]));
const FIRST_MULDIV = OPS.indexOf('mul');
const MULDIV = OPS.slice(FIRST_MULDIV).map((op) => (alu as unknown as Record<string, AluFn>)[op]);
type AluFn = (x: Int32Array, rd: number, r1: number, r2: number) => void;

/* A prepared instruction: 8 int32 fields. */
const OP = 0, RD = 1, R1 = 2, R2 = 3, IMM = 4, OFF = 5, LEN = 6, RAW = 7, W = 8;

/** An interpreter function for bb, or null if bb has instructions it does not cover. */
export function interpreted(c: InterpHost, bb: BasicBlock): BlockFn | null {
  const n = bb.insns.length;
  const p = new Int32Array(n * W);
  for (let j = 0; j < n; j++) {
    const d: Insn = bb.insns[j];
    const id = OP_ID.get(d.op);
    if (id === undefined) return null;
    p.set([id, d.rd, d.rs1, d.rs2, d.imm, bb.offs[j], d.len, d.raw], j * W);
  }
  const start = bb.start, end = bb.end;
  return (pc: number): number => exec(c, p, n, pc - start, end);
  // pc and base are int32 (see compile.ts); register values use base >>> 0.
}

function ltS(al: number, ah: number, bl: number, bh: number): boolean {
  return ah < bh || (ah === bh && al >>> 0 < bl >>> 0);
}

function ltU(al: number, ah: number, bl: number, bh: number): boolean {
  return ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0);
}

/** Shift (lo, hi) by s in 0..63; kind 0 = left, 1 = logical right, 2 = arithmetic right. */
function shift64(x: Int32Array, rd: number, lo: number, hi: number, s: number, kind: number): void {
  let l: number, h: number;
  if (s === 0) {
    l = lo; h = hi;
  } else if (kind === 0) {
    if (s < 32) { h = (hi << s) | (lo >>> (32 - s)); l = lo << s; } else { h = lo << (s - 32); l = 0; }
  } else if (s < 32) {
    l = (lo >>> s) | (hi << (32 - s));
    h = kind === 2 ? hi >> s : hi >>> s;
  } else {
    l = kind === 2 ? hi >> (s - 32) : hi >>> (s - 32);
    h = kind === 2 ? hi >> 31 : 0;
  }
  set(x, rd, l, h);
}

function set(x: Int32Array, rd: number, lo: number, hi: number): void {
  if (rd !== 0) {
    x[2 * rd] = lo;
    x[2 * rd + 1] = hi;
  }
}

function setW(x: Int32Array, rd: number, v: number): void {
  if (rd !== 0) {
    x[2 * rd] = v;
    x[2 * rd + 1] = v >> 31;
  }
}

/** Set rd to a JS number in (-2^32, 2^33) as 64 bits. */
function setNum(x: Int32Array, rd: number, v: number): void {
  set(x, rd, v | 0, v >= 4294967296 ? 1 : v < 0 ? -1 : 0);
}

function exec(c: InterpHost, p: Int32Array, n: number, base: number, end: number): number {
  const x = c.ctx.x, f = c.ctx.f;
  const tlb = c.tlb, mem = c.mem;
  const rT = tlb.rTag, rD = tlb.rDelta, wT = tlb.wTag, wD = tlb.wDelta;
  for (let j = 0, q = 0; j < n; j++, q += W) {
    const op = p[q + OP], rd = p[q + RD], r1 = p[q + R1], r2 = p[q + R2], imm = p[q + IMM], off = p[q + OFF];
    const k = j * 4096 + off;
    const al = x[2 * r1], ah = x[2 * r1 + 1], bl = x[2 * r2], bh = x[2 * r2 + 1];
    const ih = imm >> 31;
    /*
     * Loads and stores hit the software TLB inline, as compiled code does
     * (tag = page of an aligned address); the Mmu call is for misses only,
     * which keeps the hot path free of calls that would box the address.
     */
    const ea = ah * 4294967296 + (al >>> 0) + imm;
    const ti = (ea >>> 12) & TLB_MASK;
    let t = 0;
    switch (op) {
      case 0: set(x, rd, imm, ih); break; // lui
      case 1: setNum(x, rd, (base >>> 0) + off + imm); break; // auipc
      case 2: t = (al + imm) | 0; set(x, rd, t, (ah + ih + (t >>> 0 < al >>> 0 ? 1 : 0)) | 0); break;
      case 3: set(x, rd, ltS(al, ah, imm, ih) ? 1 : 0, 0); break;
      case 4: set(x, rd, ltU(al, ah, imm, ih) ? 1 : 0, 0); break;
      case 5: set(x, rd, al ^ imm, ah ^ ih); break;
      case 6: set(x, rd, al | imm, ah | ih); break;
      case 7: set(x, rd, al & imm, ah & ih); break;
      case 8: shift64(x, rd, al, ah, imm & 63, 0); break;
      case 9: shift64(x, rd, al, ah, imm & 63, 1); break;
      case 10: shift64(x, rd, al, ah, imm & 63, 2); break;
      case 11: t = (al + bl) | 0; set(x, rd, t, (ah + bh + (t >>> 0 < al >>> 0 ? 1 : 0)) | 0); break;
      case 12: set(x, rd, (al - bl) | 0, (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0); break;
      case 13: shift64(x, rd, al, ah, bl & 63, 0); break;
      case 14: set(x, rd, ltS(al, ah, bl, bh) ? 1 : 0, 0); break;
      case 15: set(x, rd, ltU(al, ah, bl, bh) ? 1 : 0, 0); break;
      case 16: set(x, rd, al ^ bl, ah ^ bh); break;
      case 17: shift64(x, rd, al, ah, bl & 63, 1); break;
      case 18: shift64(x, rd, al, ah, bl & 63, 2); break;
      case 19: set(x, rd, al | bl, ah | bh); break;
      case 20: set(x, rd, al & bl, ah & bh); break;
      case 21: setW(x, rd, (al + imm) | 0); break; // addiw
      case 22: setW(x, rd, al << imm); break;
      case 23: setW(x, rd, (al >>> imm) | 0); break;
      case 24: setW(x, rd, al >> imm); break;
      case 25: setW(x, rd, (al + bl) | 0); break;
      case 26: setW(x, rd, (al - bl) | 0); break;
      case 27: setW(x, rd, al << (bl & 31)); break;
      case 28: setW(x, rd, (al >>> (bl & 31)) | 0); break;
      case 29: setW(x, rd, al >> (bl & 31)); break;
      case 30: setW(x, rd, Math.imul(al, bl)); break;
      case 31: t = rT[ti] === ea - (ea & 4095) ? mem.i8[ea + rD[ti]] : c.lb(ea, k); set(x, rd, t, t >> 31); break;
      case 32: t = rT[ti] === ea - (ea & 4094) ? mem.i16[(ea + rD[ti]) >>> 1] : c.lh(ea, k); set(x, rd, t, t >> 31); break;
      case 33: t = rT[ti] === ea - (ea & 4092) ? mem.i32[(ea + rD[ti]) >>> 2] : c.lw(ea, k); set(x, rd, t, t >> 31); break;
      case 34:
        if (rT[ti] === ea - (ea & 4088)) { t = (ea + rD[ti]) >>> 2; set(x, rd, mem.i32[t], mem.i32[t + 1]); } else { t = c.ld(ea, k); set(x, rd, t, c.hi); }
        break;
      case 35: set(x, rd, rT[ti] === ea - (ea & 4095) ? mem.u8[ea + rD[ti]] : c.lbu(ea, k), 0); break;
      case 36: set(x, rd, rT[ti] === ea - (ea & 4094) ? mem.u16[(ea + rD[ti]) >>> 1] : c.lhu(ea, k), 0); break;
      case 37: set(x, rd, rT[ti] === ea - (ea & 4092) ? mem.i32[(ea + rD[ti]) >>> 2] : c.lw(ea, k), 0); break;
      case 38: if (wT[ti] === ea - (ea & 4095)) mem.u8[ea + wD[ti]] = bl; else c.sb(ea, bl, k); break;
      case 39: if (wT[ti] === ea - (ea & 4094)) mem.u16[(ea + wD[ti]) >>> 1] = bl; else c.sh(ea, bl, k); break;
      case 40: if (wT[ti] === ea - (ea & 4092)) mem.i32[(ea + wD[ti]) >>> 2] = bl; else c.sw(ea, bl, k); break;
      case 41:
        if (wT[ti] === ea - (ea & 4088)) { t = (ea + wD[ti]) >>> 2; mem.i32[t] = bl; mem.i32[t + 1] = bh; } else c.sd(ea, bl, bh, k);
        break;
      case 42: f[2 * rd] = c.lw(ea, k); f[2 * rd + 1] = -1; break; // flw NaN-boxes
      case 43: t = c.ld(ea, k); f[2 * rd] = t; f[2 * rd + 1] = c.hi; break;
      case 44: c.sw(ea, f[2 * r2], k); break;
      case 45: c.sd(ea, f[2 * r2], f[2 * r2 + 1], k); break;
      case 46: case 47: case 48: case 49: case 50: case 51: {
        c.n = j + 1;
        return (branch(op, al, ah, bl, bh) ? base + off + imm : base + off + p[q + LEN]) | 0;
      }
      case 52: c.n = j + 1; setNum(x, rd, (base >>> 0) + off + p[q + LEN]); return (base + off + imm) | 0; // jal
      case 53: { // jalr
        c.n = j + 1;
        const target = ea - (ea & 1);
        setNum(x, rd, (base >>> 0) + off + p[q + LEN]);
        return target >= 0 && target < 4294967296 ? target | 0 : c.badJump(target);
      }
      case 54: break; // fence
      case 55: case 56: case 57:
        c.stopCode = op === 55 ? Stop.ECALL : op === 56 ? Stop.EBREAK : Stop.ILLEGAL;
        c.stopK = k;
        c.faultInsn = p[q + RAW] >>> 0;
        return -1;
      default:
        if (rd !== 0) MULDIV[op - FIRST_MULDIV](x, rd, r1, r2);
    }
  }
  c.n = n;
  return (base + end) | 0;
}

function branch(op: number, al: number, ah: number, bl: number, bh: number): boolean {
  switch (op) {
    case 46: return al === bl && ah === bh;
    case 47: return al !== bl || ah !== bh;
    case 48: return ltS(al, ah, bl, bh);
    case 49: return !ltS(al, ah, bl, bh);
    case 50: return ltU(al, ah, bl, bh);
    default: return !ltU(al, ah, bl, bh);
  }
}
