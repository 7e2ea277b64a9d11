/*
 * Instruction decoder: RV64IMAFDC + Zicsr + Zifencei, user mode.
 *
 * Every instruction, 32-bit or compressed, decodes to one Insn whose `op` is the
 * canonical mnemonic of the 32-bit form (c.addi → addi, c.ldsp → ld, …), so the
 * compiler knows one set of operations. Decoding happens once per basic block
 * compile, so clarity beats speed here.
 */

export interface Insn {
  /** Canonical mnemonic ('addi', 'fadd.d', …) or 'illegal'. */
  op: string;
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  /** Sign-extended immediate (branch/jump offsets, load/store offsets, CSR number). */
  imm: number;
  /** FP rounding mode field (funct3) where the instruction has one. */
  rm: number;
  /** Encoded length in bytes: 2 (RVC) or 4. */
  len: number;
  /** The instruction bits as fetched (16 or 32 bits). */
  raw: number;
}

/** 2 for a compressed instruction parcel, 4 otherwise (longer encodings are not supported). */
export function insnLength(parcel: number): number {
  return (parcel & 3) === 3 ? 4 : 2;
}

function mk(op: string, raw: number, len: number, rd = 0, rs1 = 0, rs2 = 0, imm = 0, rm = 0, rs3 = 0): Insn {
  return { op, rd, rs1, rs2, rs3, imm, rm, len, raw };
}

function illegal(raw: number, len: number): Insn {
  return mk('illegal', raw, len);
}

function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

export function decode(raw: number): Insn {
  return (raw & 3) === 3 ? decode32(raw | 0) : decode16(raw & 0xffff);
}

/* ---------------------------------------------------------------- 32-bit */

const BRANCH = ['beq', 'bne', '', '', 'blt', 'bge', 'bltu', 'bgeu'];
const LOAD = ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', ''];
const STORE = ['sb', 'sh', 'sw', 'sd', '', '', '', ''];
const OPIMM = ['addi', 'slli', 'slti', 'sltiu', 'xori', 'srli', 'ori', 'andi'];
const OP = ['add', 'sll', 'slt', 'sltu', 'xor', 'srl', 'or', 'and'];
const MULDIV = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const MULDIVW = ['mulw', '', '', '', 'divw', 'divuw', 'remw', 'remuw'];
const CSR = ['', 'csrrw', 'csrrs', 'csrrc', '', 'csrrwi', 'csrrsi', 'csrrci'];
const AMO: Record<number, string> = {
  0x00: 'amoadd', 0x01: 'amoswap', 0x02: 'lr', 0x03: 'sc', 0x04: 'amoxor', 0x08: 'amoor',
  0x0c: 'amoand', 0x10: 'amomin', 0x14: 'amomax', 0x18: 'amominu', 0x1c: 'amomaxu',
};

function decode32(i: number): Insn {
  const opc = i & 0x7f;
  const rd = (i >>> 7) & 31;
  const f3 = (i >>> 12) & 7;
  const rs1 = (i >>> 15) & 31;
  const rs2 = (i >>> 20) & 31;
  const f7 = i >>> 25;
  const immI = i >> 20;
  const immS = ((i >> 25) << 5) | ((i >>> 7) & 31);
  switch (opc) {
    case 0x37: return mk('lui', i, 4, rd, 0, 0, i & 0xfffff000);
    case 0x17: return mk('auipc', i, 4, rd, 0, 0, i & 0xfffff000);
    case 0x6f: return mk('jal', i, 4, rd, 0, 0, immJ(i));
    case 0x67: return f3 === 0 ? mk('jalr', i, 4, rd, rs1, 0, immI) : illegal(i, 4);
    case 0x63: return BRANCH[f3] ? mk(BRANCH[f3], i, 4, 0, rs1, rs2, immB(i)) : illegal(i, 4);
    case 0x03: return LOAD[f3] ? mk(LOAD[f3], i, 4, rd, rs1, 0, immI) : illegal(i, 4);
    case 0x23: return STORE[f3] ? mk(STORE[f3], i, 4, 0, rs1, rs2, immS) : illegal(i, 4);
    case 0x13: return decodeOpImm(i, rd, f3, rs1, immI);
    case 0x1b: return decodeOpImm32(i, rd, f3, rs1, immI);
    case 0x33: return decodeOp(i, rd, f3, rs1, rs2, f7);
    case 0x3b: return decodeOp32(i, rd, f3, rs1, rs2, f7);
    case 0x0f:
      if (f3 === 0) return mk('fence', i, 4);
      if (f3 === 1) return mk('fence.i', i, 4);
      return illegal(i, 4);
    case 0x73: return decodeSystem(i, rd, f3, rs1);
    case 0x2f: return decodeAmo(i, rd, f3, rs1, rs2);
    case 0x07:
      if (f3 === 2) return mk('flw', i, 4, rd, rs1, 0, immI);
      if (f3 === 3) return mk('fld', i, 4, rd, rs1, 0, immI);
      return illegal(i, 4);
    case 0x27:
      if (f3 === 2) return mk('fsw', i, 4, 0, rs1, rs2, immS);
      if (f3 === 3) return mk('fsd', i, 4, 0, rs1, rs2, immS);
      return illegal(i, 4);
    case 0x43: case 0x47: case 0x4b: case 0x4f: return decodeFma(i, opc, rd, f3, rs1, rs2);
    case 0x53: return decodeOpFp(i, rd, f3, rs1, rs2, f7);
    default: return illegal(i, 4);
  }
}

function immJ(i: number): number {
  return ((i >> 31) << 20) | (((i >>> 12) & 0xff) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 0x3ff) << 1);
}

function immB(i: number): number {
  return ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 0x3f) << 5) | (((i >>> 8) & 0xf) << 1);
}

function decodeOpImm(i: number, rd: number, f3: number, rs1: number, imm: number): Insn {
  const sh = imm & 63;
  const f6 = (i >>> 26) & 63;
  if (f3 === 1) return f6 === 0 ? mk('slli', i, 4, rd, rs1, 0, sh) : illegal(i, 4);
  if (f3 === 5) {
    if (f6 === 0) return mk('srli', i, 4, rd, rs1, 0, sh);
    if (f6 === 0x10) return mk('srai', i, 4, rd, rs1, 0, sh);
    return illegal(i, 4);
  }
  return mk(OPIMM[f3], i, 4, rd, rs1, 0, imm);
}

function decodeOpImm32(i: number, rd: number, f3: number, rs1: number, imm: number): Insn {
  const sh = imm & 31;
  const f7 = i >>> 25;
  if (f3 === 0) return mk('addiw', i, 4, rd, rs1, 0, imm);
  if (f3 === 1 && f7 === 0) return mk('slliw', i, 4, rd, rs1, 0, sh);
  if (f3 === 5 && f7 === 0) return mk('srliw', i, 4, rd, rs1, 0, sh);
  if (f3 === 5 && f7 === 0x20) return mk('sraiw', i, 4, rd, rs1, 0, sh);
  return illegal(i, 4);
}

function decodeOp(i: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  if (f7 === 0) return mk(OP[f3], i, 4, rd, rs1, rs2);
  if (f7 === 1) return mk(MULDIV[f3], i, 4, rd, rs1, rs2);
  if (f7 === 0x20 && f3 === 0) return mk('sub', i, 4, rd, rs1, rs2);
  if (f7 === 0x20 && f3 === 5) return mk('sra', i, 4, rd, rs1, rs2);
  return illegal(i, 4);
}

function decodeOp32(i: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  if (f7 === 0) {
    if (f3 === 0) return mk('addw', i, 4, rd, rs1, rs2);
    if (f3 === 1) return mk('sllw', i, 4, rd, rs1, rs2);
    if (f3 === 5) return mk('srlw', i, 4, rd, rs1, rs2);
  } else if (f7 === 0x20) {
    if (f3 === 0) return mk('subw', i, 4, rd, rs1, rs2);
    if (f3 === 5) return mk('sraw', i, 4, rd, rs1, rs2);
  } else if (f7 === 1 && MULDIVW[f3]) {
    return mk(MULDIVW[f3], i, 4, rd, rs1, rs2);
  }
  return illegal(i, 4);
}

function decodeSystem(i: number, rd: number, f3: number, rs1: number): Insn {
  if (f3 === 0) {
    if (i === 0x00000073) return mk('ecall', i, 4);
    if (i === 0x00100073) return mk('ebreak', i, 4);
    return illegal(i, 4); // wfi, xret, sfence: privileged
  }
  if (!CSR[f3]) return illegal(i, 4);
  return mk(CSR[f3], i, 4, rd, rs1, 0, i >>> 20);
}

function decodeAmo(i: number, rd: number, f3: number, rs1: number, rs2: number): Insn {
  const name = AMO[i >>> 27];
  if (name === undefined || (f3 !== 2 && f3 !== 3)) return illegal(i, 4);
  if (name === 'lr' && rs2 !== 0) return illegal(i, 4);
  return mk(`${name}.${f3 === 2 ? 'w' : 'd'}`, i, 4, rd, rs1, rs2);
}

/* ------------------------------------------------------------ F and D */

const FMA = { 0x43: 'fmadd', 0x47: 'fmsub', 0x4b: 'fnmsub', 0x4f: 'fnmadd' } as Record<number, string>;

function fmtSuffix(fmt: number): string {
  return fmt === 0 ? 's' : fmt === 1 ? 'd' : '';
}

/** Rounding-mode fields 5 and 6 are reserved: the instruction is illegal. */
function rmOk(rm: number): boolean {
  return rm !== 5 && rm !== 6;
}

function decodeFma(i: number, opc: number, rd: number, rm: number, rs1: number, rs2: number): Insn {
  const s = fmtSuffix((i >>> 25) & 3);
  if (!s || !rmOk(rm)) return illegal(i, 4);
  return mk(`${FMA[opc]}.${s}`, i, 4, rd, rs1, rs2, 0, rm, i >>> 27);
}

const FARITH: Record<number, string> = { 0x00: 'fadd', 0x04: 'fsub', 0x08: 'fmul', 0x0c: 'fdiv' };

function decodeOpFp(i: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  const s = fmtSuffix(f7 & 3);
  const base = f7 & ~3;
  if (!s) return illegal(i, 4);
  const op = (name: string, withRm: boolean): Insn =>
    withRm && !rmOk(f3) ? illegal(i, 4) : mk(name, i, 4, rd, rs1, rs2, 0, f3);
  if (FARITH[base] !== undefined) return op(`${FARITH[base]}.${s}`, true);
  switch (base) {
    case 0x2c: return rs2 === 0 ? op(`fsqrt.${s}`, true) : illegal(i, 4);
    case 0x10: return f3 < 3 ? op(`${['fsgnj', 'fsgnjn', 'fsgnjx'][f3]}.${s}`, false) : illegal(i, 4);
    case 0x14: return f3 < 2 ? op(`${['fmin', 'fmax'][f3]}.${s}`, false) : illegal(i, 4);
    case 0x20:
      if (s === 's' && rs2 === 1) return op('fcvt.s.d', true);
      if (s === 'd' && rs2 === 0) return op('fcvt.d.s', true);
      return illegal(i, 4);
    case 0x50: return f3 < 3 ? op(`${['fle', 'flt', 'feq'][f3]}.${s}`, false) : illegal(i, 4);
    case 0x60: return rs2 < 4 ? op(`fcvt.${['w', 'wu', 'l', 'lu'][rs2]}.${s}`, true) : illegal(i, 4);
    case 0x68: return rs2 < 4 ? op(`fcvt.${s}.${['w', 'wu', 'l', 'lu'][rs2]}`, true) : illegal(i, 4);
    case 0x70:
      if (rs2 !== 0) return illegal(i, 4);
      if (f3 === 0) return op(s === 's' ? 'fmv.x.w' : 'fmv.x.d', false);
      if (f3 === 1) return op(`fclass.${s}`, false);
      return illegal(i, 4);
    case 0x78:
      if (rs2 !== 0 || f3 !== 0) return illegal(i, 4);
      return op(s === 's' ? 'fmv.w.x' : 'fmv.d.x', false);
    default: return illegal(i, 4);
  }
}

/* ---------------------------------------------------------------- RVC */

function decode16(i: number): Insn {
  switch (i & 3) {
    case 0: return decodeQ0(i);
    case 1: return decodeQ1(i);
    default: return decodeQ2(i);
  }
}

/** rd'/rs2' in bits 4:2, rs1' in bits 9:7: registers x8..x15. */
const rp = (v: number): number => (v & 7) + 8;

function decodeQ0(i: number): Insn {
  const rdp = rp(i >>> 2);
  const rs1p = rp(i >>> 7);
  const offW = ((i >>> 7) & 0x38) | ((i >>> 4) & 4) | ((i << 1) & 0x40);
  const offD = ((i >>> 7) & 0x38) | ((i << 1) & 0xc0);
  switch (i >>> 13) {
    case 0: {
      const imm = ((i >>> 7) & 0x30) | ((i >>> 1) & 0x3c0) | ((i >>> 4) & 4) | ((i >>> 2) & 8);
      return imm === 0 ? illegal(i, 2) : mk('addi', i, 2, rdp, 2, 0, imm);
    }
    case 1: return mk('fld', i, 2, rdp, rs1p, 0, offD);
    case 2: return mk('lw', i, 2, rdp, rs1p, 0, offW);
    case 3: return mk('ld', i, 2, rdp, rs1p, 0, offD);
    case 5: return mk('fsd', i, 2, 0, rs1p, rdp, offD);
    case 6: return mk('sw', i, 2, 0, rs1p, rdp, offW);
    case 7: return mk('sd', i, 2, 0, rs1p, rdp, offD);
    default: return illegal(i, 2);
  }
}

function decodeQ1(i: number): Insn {
  const rd = (i >>> 7) & 31;
  const imm6 = sext(((i >>> 2) & 0x1f) | ((i >>> 7) & 0x20), 6);
  switch (i >>> 13) {
    case 0: return mk('addi', i, 2, rd, rd, 0, imm6);
    case 1: return rd === 0 ? illegal(i, 2) : mk('addiw', i, 2, rd, rd, 0, imm6);
    case 2: return mk('addi', i, 2, rd, 0, 0, imm6);
    case 3: {
      if (rd === 2) {
        const imm = sext(((i >>> 3) & 0x200) | ((i >>> 2) & 0x10) | ((i << 1) & 0x40) |
          ((i << 4) & 0x180) | ((i << 3) & 0x20), 10);
        return imm === 0 ? illegal(i, 2) : mk('addi', i, 2, 2, 2, 0, imm);
      }
      return imm6 === 0 ? illegal(i, 2) : mk('lui', i, 2, rd, 0, 0, imm6 << 12);
    }
    case 4: return decodeCAlu(i);
    case 5: return mk('jal', i, 2, 0, 0, 0, immCJ(i));
    case 6: return mk('beq', i, 2, 0, rp(i >>> 7), 0, immCB(i));
    default: return mk('bne', i, 2, 0, rp(i >>> 7), 0, immCB(i));
  }
}

function immCJ(i: number): number {
  return sext(((i >>> 1) & 0x800) | ((i >>> 7) & 0x10) | ((i >>> 1) & 0x300) | ((i << 2) & 0x400) |
    ((i >>> 1) & 0x40) | ((i << 1) & 0x80) | ((i >>> 2) & 0xe) | ((i << 3) & 0x20), 12);
}

function immCB(i: number): number {
  return sext(((i >>> 4) & 0x100) | ((i >>> 7) & 0x18) | ((i << 1) & 0xc0) | ((i >>> 2) & 6) |
    ((i << 3) & 0x20), 9);
}

function decodeCAlu(i: number): Insn {
  const rd = rp(i >>> 7);
  const rs2 = rp(i >>> 2);
  const sh = ((i >>> 2) & 0x1f) | ((i >>> 7) & 0x20);
  switch ((i >>> 10) & 3) {
    case 0: return mk('srli', i, 2, rd, rd, 0, sh);
    case 1: return mk('srai', i, 2, rd, rd, 0, sh);
    case 2: return mk('andi', i, 2, rd, rd, 0, sext(sh, 6));
    default: {
      const f = (i >>> 5) & 3;
      if ((i & 0x1000) === 0) return mk(['sub', 'xor', 'or', 'and'][f], i, 2, rd, rd, rs2);
      if (f === 0) return mk('subw', i, 2, rd, rd, rs2);
      if (f === 1) return mk('addw', i, 2, rd, rd, rs2);
      return illegal(i, 2);
    }
  }
}

function decodeQ2(i: number): Insn {
  const rd = (i >>> 7) & 31;
  const rs2 = (i >>> 2) & 31;
  const sh = ((i >>> 2) & 0x1f) | ((i >>> 7) & 0x20);
  const offW = ((i >>> 7) & 0x20) | ((i >>> 2) & 0x1c) | ((i << 4) & 0xc0);
  const offD = ((i >>> 7) & 0x20) | ((i >>> 2) & 0x18) | ((i << 4) & 0x1c0);
  const soffW = ((i >>> 7) & 0x3c) | ((i >>> 1) & 0xc0);
  const soffD = ((i >>> 7) & 0x38) | ((i >>> 1) & 0x1c0);
  switch (i >>> 13) {
    case 0: return mk('slli', i, 2, rd, rd, 0, sh);
    case 1: return mk('fld', i, 2, rd, 2, 0, offD);
    case 2: return rd === 0 ? illegal(i, 2) : mk('lw', i, 2, rd, 2, 0, offW);
    case 3: return rd === 0 ? illegal(i, 2) : mk('ld', i, 2, rd, 2, 0, offD);
    case 4: {
      if ((i & 0x1000) === 0) {
        if (rs2 !== 0) return mk('add', i, 2, rd, 0, rs2); // c.mv
        return rd === 0 ? illegal(i, 2) : mk('jalr', i, 2, 0, rd, 0, 0); // c.jr
      }
      if (rs2 !== 0) return mk('add', i, 2, rd, rd, rs2);
      return rd === 0 ? mk('ebreak', i, 2) : mk('jalr', i, 2, 1, rd, 0, 0); // c.jalr
    }
    case 5: return mk('fsd', i, 2, 0, 2, rs2, soffD);
    case 6: return mk('sw', i, 2, 0, 2, rs2, soffW);
    default: return mk('sd', i, 2, 0, 2, rs2, soffD);
  }
}
