/*
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
 *
 * Speed comes from work done once per block in interpreted() rather than per
 * instruction in exec(): each instruction gets a handler id specialized on its
 * operands (li, mv, beqz, shifts by < 32 or >= 32, writes to x0 dropped), with
 * register numbers already doubled into x[] indexes and pc offsets, trap sites
 * and counts precomputed. exec() is a switch over the common instructions
 * whose cases load only the fields they use and write x[] inline: it is too
 * large for V8 to inline helpers into it, so a helper on a hot path would be
 * a real call. The rest run in rare(), which keeps exec() small enough for V8
 * to recompile quickly after a deopt (new code reaches cases with no type
 * feedback yet). bench/interp.ts measures it against the previous version.
 */
import type { Insn } from './decode.ts';
import type { BasicBlock, BlockFn } from './compile.ts';
import type { Mmu } from './mmu.ts';
import { Stop } from './stop.ts';
import * as alu from './alu.ts';
import { TLB_MASK } from './tlb.ts';

/* A module constant: under a CommonJS transform (tsx) an imported binding is a getter call per use. */
const MASK = TLB_MASK;

/** What the interpreter needs of the Cpu. */
export interface InterpHost extends Mmu {
  n: number;
  badJump(target: number): number;
  readonly ctx: { readonly x: Int32Array; readonly f: Int32Array };
}

/*
 * Handler ids. D, A, B are x[] indexes (2·rd, 2·rs1, 2·rs2), IMM the immediate
 * and IH its high word (imm >> 31), K the trap site (index · 4096 + page
 * offset), X an extra field. Pc-relative targets are page offsets (the virtual
 * page, `base`, is only known per call: shared text maps at several addresses).
 */
const END = 0; // falls through: IMM = end offset, X = instructions in the block
const LI = 1, MV = 2, AUIPC = 3, ADDI = 4, SLTI = 5, SLTIU = 6, XORI = 7, ORI = 8, ANDI = 9;
const SLLI = 10, SLLI32 = 11, SRLI = 12, SRLI32 = 13, SRAI = 14, SRAI32 = 15; // *32: shift >= 32, IMM = s - 32
const ADD = 16, SUB = 17, SLL = 18, SLT = 19, SLTU = 20, XOR = 21, SRL = 22, SRA = 23, OR = 24, AND = 25;
const ADDIW = 26, SLLIW = 27, SRLIW = 28, SRAIW = 29, ADDW = 30, SUBW = 31, SLLW = 32, SRLW = 33, SRAW = 34, MULW = 35;
const LB = 36, LH = 37, LW = 38, LD = 39, LBU = 40, LHU = 41, LWU = 42;
const SB = 43, SH = 44, SW = 45, SD = 46, FLW = 47, FLD = 48, FSW = 49, FSD = 50;
const BEQ = 51, BNE = 52, BLT = 53, BGE = 54, BLTU = 55, BGEU = 56, BEQZ = 57, BNEZ = 58, BLTZ = 59, BGEZ = 60;
const JAL = 61, JALR = 62, TRAP = 63;
const MULDIV = 64; // D, A, B are register numbers (alu.ts convention), IMM indexes MULDIV_FNS
const LOAD0 = 65; // a load into x0: still performed, it may fault; X = log2 of its size

/* Fields of a prepared instruction (W int32s). */
const OP = 0, D = 1, A = 2, B = 3, IMM = 4, IH = 5, K = 6, X = 7, W = 8;

/* Ids above the handlers': mnemonics prepare() turns into one of them. */
const FENCE = 66, ECALL = 67, EBREAK = 68, ILLEGAL = 69, FIRST_MULDIV = 70;

type AluFn = (x: Int32Array, rd: number, r1: number, r2: number) => void;
const MULDIV_OPS = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw'];
const MULDIV_FNS = MULDIV_OPS.map((op) => (alu as unknown as Record<string, AluFn>)[op]);

/* The decoder's mnemonics → ids (one lookup per instruction: interpreted() runs for every new block). */
const ID = new Map<string, number>([
  ['lui', LI], ['auipc', AUIPC], ['addi', ADDI], ['slti', SLTI], ['sltiu', SLTIU], ['xori', XORI], ['ori', ORI],
  ['andi', ANDI], ['slli', SLLI], ['srli', SRLI], ['srai', SRAI],
  ['add', ADD], ['sub', SUB], ['sll', SLL], ['slt', SLT], ['sltu', SLTU], ['xor', XOR], ['srl', SRL], ['sra', SRA],
  ['or', OR], ['and', AND], ['addiw', ADDIW], ['slliw', SLLIW], ['srliw', SRLIW], ['sraiw', SRAIW], ['addw', ADDW],
  ['subw', SUBW], ['sllw', SLLW], ['srlw', SRLW], ['sraw', SRAW], ['mulw', MULW],
  ['lb', LB], ['lh', LH], ['lw', LW], ['ld', LD], ['lbu', LBU], ['lhu', LHU], ['lwu', LWU],
  ['sb', SB], ['sh', SH], ['sw', SW], ['sd', SD], ['flw', FLW], ['fld', FLD], ['fsw', FSW], ['fsd', FSD],
  ['beq', BEQ], ['bne', BNE], ['blt', BLT], ['bge', BGE], ['bltu', BLTU], ['bgeu', BGEU], ['jal', JAL], ['jalr', JALR],
  ['fence', FENCE], ['ecall', ECALL], ['ebreak', EBREAK], ['illegal', ILLEGAL],
  ...MULDIV_OPS.map((op, i): [string, number] => [op, FIRST_MULDIV + i]),
]);

/** An interpreter function for bb, or null if bb has instructions it does not cover. */
export function interpreted(c: InterpHost, bb: BasicBlock): BlockFn | null {
  const n = bb.insns.length;
  const p = new Int32Array((n + 1) * W);
  let q = 0;
  for (let j = 0; j < n; j++) {
    const r = prepare(p, q, bb.insns[j], j * 4096 + bb.offs[j]);
    if (r < 0) return null;
    q += r;
  }
  p[q + OP] = END;
  p[q + IMM] = bb.end;
  p[q + X] = n;
  const start = bb.start;
  return (pc: number): number => exec(c, p, pc - start);
  // pc and base are int32 (see compile.ts); register values use base >>> 0.
}

/**
 * Fill the fields at p[q] for d at trap site k: returns W, or 0 when d does
 * nothing (a fence, an ALU write to x0), or -1 if the interpreter lacks it.
 */
function prepare(p: Int32Array, q: number, d: Insn, k: number): number {
  let id = ID.get(d.op);
  if (id === undefined) return -1;
  const rd = d.rd, imm = d.imm, off = k & 4095;
  p[q + D] = 2 * rd;
  p[q + A] = 2 * d.rs1;
  p[q + B] = 2 * d.rs2;
  p[q + IMM] = imm;
  p[q + IH] = imm >> 31;
  p[q + K] = k;
  if (id <= MULW) {
    if (rd === 0) return 0;
    if (id <= SRAI || id === ADD || id === OR) id = specialize(p, q, d, id);
  } else if (id <= LWU) {
    if (rd === 0) {
      p[q + X] = id === LD ? 3 : id === LW || id === LWU ? 2 : id === LH || id === LHU ? 1 : 0;
      id = LOAD0;
    }
  } else if (id <= FSD) {
    // stores; the FP ones use D and B as f[] indexes
  } else if (id <= BGEU) {
    if (d.rs2 === 0 && id <= BGE) id += BEQZ - BEQ;
    p[q + IMM] = off + imm;
    p[q + X] = off + d.len;
  } else if (id <= JALR) {
    p[q + X] = off + d.len;
    if (id === JAL) p[q + IMM] = off + imm;
  } else if (id === FENCE) {
    return 0;
  } else if (id <= ILLEGAL) {
    p[q + IMM] = id === ECALL ? Stop.ECALL : id === EBREAK ? Stop.EBREAK : Stop.ILLEGAL;
    p[q + X] = d.raw;
    id = TRAP;
  } else {
    if (rd === 0) return 0;
    p[q + D] = rd;
    p[q + A] = d.rs1;
    p[q + B] = d.rs2;
    p[q + IMM] = id - FIRST_MULDIV;
    id = MULDIV;
  }
  p[q + OP] = id;
  return W;
}

/** lui, auipc, addi, add, or and the immediate shifts, specialized on their operands (rd != 0). */
function specialize(p: Int32Array, q: number, d: Insn, id: number): number {
  const s = d.imm & 63;
  switch (id) {
    case AUIPC: p[q + IMM] = (p[q + K] & 4095) + d.imm; return AUIPC;
    case ADDI:
      if (d.rs1 === 0) return LI;
      return d.imm === 0 ? MV : ADDI;
    case ADD: case OR:
      if (d.rs1 === 0 || d.rs2 === 0) {
        p[q + A] = 2 * (d.rs1 | d.rs2); // mv from the other (or li 0 from x0)
        return MV;
      }
      return id;
    case SLLI: case SRLI: case SRAI:
      if (s === 0) return MV;
      p[q + IMM] = s < 32 ? s : s - 32;
      return s < 32 ? id : id + 1;
    default: return id;
  }
}

/*
 * Loads and stores hit the software TLB inline, as compiled code does
 * (tag = page of an aligned address); the Mmu call is for misses only,
 * which keeps the hot path free of calls that would box the address.
 * The address is an exact double: one at or above 4 GiB never hits.
 */
function exec(c: InterpHost, p: Int32Array, base: number): number {
  const x = c.ctx.x;
  const tlb = c.tlb, mem = c.mem;
  const rT = tlb.rTag, rD = tlb.rDelta, wT = tlb.wTag, wD = tlb.wDelta;
  for (let q = 0; ; q += W) {
    let t = 0, u = 0, ea = 0, ti = 0;
    switch (p[q]) {
      case END: c.n = p[q + X]; return (base + p[q + IMM]) | 0;
      case LI: t = p[q + D]; x[t] = p[q + IMM]; x[t + 1] = p[q + IH]; break;
      case MV: t = p[q + D]; u = p[q + A]; x[t] = x[u]; x[t + 1] = x[u + 1]; break;
      case AUIPC: { // (base >>> 0) + offset is in (-2^31, 2^33): its high word is -1, 0 or 1
        const v = (base >>> 0) + p[q + IMM];
        t = p[q + D];
        x[t] = v | 0;
        x[t + 1] = v >= 4294967296 ? 1 : v < 0 ? -1 : 0;
        break;
      }
      case ADDI: {
        const a = p[q + A], al = x[a];
        t = (al + p[q + IMM]) | 0;
        u = (x[a + 1] + p[q + IH] + (t >>> 0 < al >>> 0 ? 1 : 0)) | 0;
        ti = p[q + D]; x[ti] = t; x[ti + 1] = u;
        break;
      }
      case ANDI: t = p[q + D]; u = p[q + A]; x[t] = x[u] & p[q + IMM]; x[t + 1] = x[u + 1] & p[q + IH]; break;
      case SLLI: { // 0 < s < 32
        const a = p[q + A], s = p[q + IMM], lo = x[a];
        t = p[q + D]; x[t + 1] = (x[a + 1] << s) | (lo >>> (32 - s)); x[t] = lo << s;
        break;
      }
      case SRLI: {
        const a = p[q + A], s = p[q + IMM], hi = x[a + 1];
        t = p[q + D]; x[t] = (x[a] >>> s) | (hi << (32 - s)); x[t + 1] = hi >>> s;
        break;
      }
      case ADD: {
        const a = p[q + A], b = p[q + B], al = x[a];
        t = (al + x[b]) | 0;
        u = (x[a + 1] + x[b + 1] + (t >>> 0 < al >>> 0 ? 1 : 0)) | 0;
        ti = p[q + D]; x[ti] = t; x[ti + 1] = u;
        break;
      }
      case ADDIW: // the 32-bit sum, sign-extended
        t = (x[p[q + A]] + p[q + IMM]) | 0; u = p[q + D]; x[u] = t; x[u + 1] = t >> 31; break;
      case LW:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK;
        t = rT[ti] === ea - (ea & 4092) ? mem.i32[(ea + rD[ti]) >>> 2] : c.lw(ea, p[q + K]);
        u = p[q + D]; x[u] = t; x[u + 1] = t >> 31;
        break;
      case LD:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK;
        if (rT[ti] === ea - (ea & 4088)) {
          ti = (ea + rD[ti]) >>> 2;
          t = mem.i32[ti];
          u = mem.i32[ti + 1];
        } else {
          t = c.ld(ea, p[q + K]);
          u = c.hi;
        }
        ti = p[q + D]; x[ti] = t; x[ti + 1] = u;
        break;
      case LBU:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK;
        t = rT[ti] === ea - (ea & 4095) ? mem.u8[ea + rD[ti]] : c.lbu(ea, p[q + K]);
        u = p[q + D]; x[u] = t; x[u + 1] = 0;
        break;
      case SB:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK; t = x[p[q + B]];
        if (wT[ti] === ea - (ea & 4095)) mem.u8[ea + wD[ti]] = t; else c.sb(ea, t, p[q + K]);
        break;
      case SW:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK; t = x[p[q + B]];
        if (wT[ti] === ea - (ea & 4092)) mem.i32[(ea + wD[ti]) >>> 2] = t; else c.sw(ea, t, p[q + K]);
        break;
      case SD:
        ti = p[q + A]; ea = x[ti + 1] * 4294967296 + (x[ti] >>> 0) + p[q + IMM]; ti = (ea >>> 12) & MASK; u = p[q + B]; t = x[u]; u = x[u + 1];
        if (wT[ti] === ea - (ea & 4088)) {
          ti = (ea + wD[ti]) >>> 2;
          mem.i32[ti] = t;
          mem.i32[ti + 1] = u;
        } else {
          c.sd(ea, t, u, p[q + K]);
        }
        break;
      /* Control transfers end the block: c.n counts through this instruction. */
      case BEQ:
        c.n = (p[q + K] >>> 12) + 1; t = p[q + A]; u = p[q + B];
        return (base + (x[t] === x[u] && x[t + 1] === x[u + 1] ? p[q + IMM] : p[q + X])) | 0;
      case BNE:
        c.n = (p[q + K] >>> 12) + 1; t = p[q + A]; u = p[q + B];
        return (base + (x[t] !== x[u] || x[t + 1] !== x[u + 1] ? p[q + IMM] : p[q + X])) | 0;
      /* Signed and unsigned a < b on pairs: the high words decide unless equal. */
      case BLT: case BGE: {
        const a = p[q + A], b = p[q + B], ah = x[a + 1], bh = x[b + 1];
        c.n = (p[q + K] >>> 12) + 1;
        const lt = ah < bh || (ah === bh && x[a] >>> 0 < x[b] >>> 0);
        return (base + (lt === (p[q] === BLT) ? p[q + IMM] : p[q + X])) | 0;
      }
      case BLTU: case BGEU: {
        const a = p[q + A], b = p[q + B], ah = x[a + 1], bh = x[b + 1];
        c.n = (p[q + K] >>> 12) + 1;
        const lt = ah >>> 0 < bh >>> 0 || (ah === bh && x[a] >>> 0 < x[b] >>> 0);
        return (base + (lt === (p[q] === BLTU) ? p[q + IMM] : p[q + X])) | 0;
      }
      case BEQZ: c.n = (p[q + K] >>> 12) + 1; t = p[q + A]; return (base + ((x[t] | x[t + 1]) === 0 ? p[q + IMM] : p[q + X])) | 0;
      case BNEZ: c.n = (p[q + K] >>> 12) + 1; t = p[q + A]; return (base + ((x[t] | x[t + 1]) !== 0 ? p[q + IMM] : p[q + X])) | 0;
      case BLTZ: c.n = (p[q + K] >>> 12) + 1; return (base + (x[p[q + A] + 1] < 0 ? p[q + IMM] : p[q + X])) | 0;
      case BGEZ: c.n = (p[q + K] >>> 12) + 1; return (base + (x[p[q + A] + 1] >= 0 ? p[q + IMM] : p[q + X])) | 0;
      case JAL:
        c.n = (p[q + K] >>> 12) + 1;
        link(x, p[q + D], (base >>> 0) + p[q + X]);
        return (base + p[q + IMM]) | 0;
      case JALR: {
        c.n = (p[q + K] >>> 12) + 1;
        t = p[q + A];
        ea = x[t + 1] * 4294967296 + (x[t] >>> 0) + p[q + IMM];
        const target = ea - (ea & 1);
        link(x, p[q + D], (base >>> 0) + p[q + X]);
        return target >= 0 && target < 4294967296 ? target | 0 : c.badJump(target);
      }
      case TRAP:
        c.stopCode = p[q + IMM] as Stop;
        c.stopK = p[q + K];
        c.faultInsn = p[q + X] >>> 0;
        return -1;
      default: rare(c, p, q);
    }
  }
}

/** The effective address x[a] + imm as an exact double. */
function addr(x: Int32Array, a: number, imm: number): number {
  return x[a + 1] * 4294967296 + (x[a] >>> 0) + imm;
}

/** Set the link register (x index d, 0 for none) to the return address v in [0, 2^33). */
function link(x: Int32Array, d: number, v: number): void {
  if (d !== 0) {
    x[d] = v | 0;
    x[d + 1] = v >= 4294967296 ? 1 : 0;
  }
}

/** Register shifts (op SLL, SRL or SRA) by s in 0..63; JS shifts use 5 bits, so 0 and >= 32 are apart. */
function shiftReg(x: Int32Array, op: number, d: number, a: number, s: number): void {
  const lo = x[a], hi = x[a + 1];
  let l = lo, h = hi;
  if (s >= 32) {
    if (op === SLL) { h = lo << (s - 32); l = 0; } else { l = op === SRA ? hi >> (s - 32) : hi >>> (s - 32) | 0; h = op === SRA ? hi >> 31 : 0; }
  } else if (s !== 0) {
    if (op === SLL) { h = (hi << s) | (lo >>> (32 - s)); l = lo << s; } else { l = (lo >>> s) | (hi << (32 - s)); h = op === SRA ? hi >> s : hi >>> s | 0; }
  }
  x[d] = l;
  x[d + 1] = h;
}

/*
 * The less common instructions, out of exec() so that V8 compiles that (and
 * recompiles it after each deopt) in a fraction of the time: its cost grows
 * with the size of the switch. Loads and stores here go through the Mmu.
 */
function rare(c: InterpHost, p: Int32Array, q: number): void {
  const x = c.ctx.x, f = c.ctx.f, d = p[q + D], a = p[q + A], b = p[q + B], imm = p[q + IMM], k = p[q + K];
  let t = 0;
  switch (p[q]) {
    case SLTI: case SLTIU: case SLT: case SLTU: {
      const bl = p[q] <= SLTIU ? imm : x[b], bh = p[q] <= SLTIU ? p[q + IH] : x[b + 1], ah = x[a + 1];
      const unsigned = p[q] === SLTIU || p[q] === SLTU;
      const hiLt = unsigned ? ah >>> 0 < bh >>> 0 : ah < bh;
      x[d] = hiLt || (ah === bh && x[a] >>> 0 < bl >>> 0) ? 1 : 0;
      x[d + 1] = 0;
      return;
    }
    case SLL: case SRL: case SRA: shiftReg(x, p[q], d, a, x[b] & 63); return;
    case SRAI: case SRAI32: shiftReg(x, SRA, d, a, p[q] === SRAI ? imm : imm + 32); return;
    case SLLI32: case SRLI32: shiftReg(x, p[q] === SLLI32 ? SLL : SRL, d, a, imm + 32); return;
    /* Bitwise ops with an immediate (its high word in IH) or a register. */
    case XORI: x[d + 1] = x[a + 1] ^ p[q + IH]; x[d] = x[a] ^ imm; return;
    case ORI: x[d + 1] = x[a + 1] | p[q + IH]; x[d] = x[a] | imm; return;
    case XOR: t = x[a] ^ x[b]; x[d + 1] = x[a + 1] ^ x[b + 1]; x[d] = t; return;
    case OR: t = x[a] | x[b]; x[d + 1] = x[a + 1] | x[b + 1]; x[d] = t; return;
    case AND: t = x[a] & x[b]; x[d + 1] = x[a + 1] & x[b + 1]; x[d] = t; return;
    case SUB: {
      const al = x[a], bl = x[b];
      x[d + 1] = (x[a + 1] - x[b + 1] - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
      x[d] = (al - bl) | 0;
      return;
    }
    case ADDW: t = (x[a] + x[b]) | 0; break;
    /* Word ops: t is the 32-bit result, sign-extended at the end. */
    case SLLIW: t = x[a] << imm; break;
    case SRLIW: t = (x[a] >>> imm) | 0; break;
    case SRAIW: t = x[a] >> imm; break;
    case SUBW: t = (x[a] - x[b]) | 0; break;
    case SLLW: t = x[a] << (x[b] & 31); break;
    case SRLW: t = (x[a] >>> (x[b] & 31)) | 0; break;
    case SRAW: t = x[a] >> (x[b] & 31); break;
    case MULW: t = Math.imul(x[a], x[b]); break;
    case LB: t = c.lb(addr(x, a, imm), k); break;
    case LH: t = c.lh(addr(x, a, imm), k); break;
    case LHU: x[d] = c.lhu(addr(x, a, imm), k); x[d + 1] = 0; return;
    case LWU: x[d] = c.lw(addr(x, a, imm), k); x[d + 1] = 0; return;
    case SH: c.sh(addr(x, a, imm), x[b], k); return;
    /* A load into x0 is still performed: it may fault. X is log2 of its size. */
    case LOAD0: {
      const ea = addr(x, a, imm), size = p[q + X];
      if (size === 0) c.lbu(ea, k); else if (size === 1) c.lhu(ea, k); else if (size === 2) c.lw(ea, k); else c.ld(ea, k);
      return;
    }
    /* FP loads and stores move raw bits; flw NaN-boxes (high word all ones). */
    case FLW: f[d] = c.lw(addr(x, a, imm), k); f[d + 1] = -1; return;
    case FLD: f[d] = c.ld(addr(x, a, imm), k); f[d + 1] = c.hi; return;
    case FSW: c.sw(addr(x, a, imm), f[b], k); return;
    case FSD: c.sd(addr(x, a, imm), f[b], f[b + 1], k); return;
    case MULDIV: MULDIV_FNS[imm](x, d, a, b); return;
    default: throw new Error(`interp: bad handler ${p[q]}`);
  }
  x[d] = t;
  x[d + 1] = t >> 31;
}
