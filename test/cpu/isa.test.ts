/*
 * ISA tests for the CPU engine, with qemu-riscv64 as the oracle: generated
 * assembly programs print one result per line; our output must match qemu's
 * line for line. Programs are built into build/cpu/ at test time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAsm, runOurs, runQemu } from './harness.ts';
import { AsmBuilder, EDGE64, EDGE_IMM, branchTest, hex64, iTypeTest, rTypeTest, type AsmTest } from './isagen.ts';

/**
 * Build, run under qemu and under each tier of our engine (interpreter only,
 * compiler only, and the normal mix), and compare with the failing case named.
 */
function check(name: string, t: AsmTest, march = 'rv64gc'): void {
  const elf = buildAsm(name, t.asm, march);
  const q = runQemu(elf);
  const ql = q.stdout.split('\n');
  assert.ok(ql.length > t.labels.length, `${name}: qemu printed every case`);
  for (const tier of ['interp', 'compile', 'auto'] as const) {
    const o = runOurs(elf, [], tier);
    const ol = o.stdout.split('\n');
    for (let i = 0; i < Math.max(ql.length, ol.length); i++) {
      if (ql[i] !== ol[i]) {
        assert.fail(`${name} [${tier}]: case ${i} (${t.labels[i] ?? 'end'}): qemu ${ql[i]} ours ${ol[i]}`);
      }
    }
    assert.equal(o.status, q.status, `${name} [${tier}]: exit status`);
  }
}

test('RV64I register-register ops', () => {
  check('rv64i_r', rTypeTest(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
    'addw', 'subw', 'sllw', 'srlw', 'sraw']));
});

test('RV64I immediate ops, shifts by 0..63, W ops sign-extend', () => {
  const sh64 = [0, 1, 5, 31, 32, 33, 62, 63];
  const sh32 = [0, 1, 5, 16, 30, 31];
  check('rv64i_i', iTypeTest([
    ...['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'].map((op) => ({ op, imms: EDGE_IMM })),
    ...['slli', 'srli', 'srai'].map((op) => ({ op, imms: sh64 })),
    ...['slliw', 'srliw', 'sraiw'].map((op) => ({ op, imms: sh32 })),
  ]));
});

test('RV64I branches', () => {
  check('rv64i_br', branchTest(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']));
});

test('RV64I lui, auipc, jal, jalr', () => {
  const b = new AsmBuilder();
  for (const v of [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345]) {
    b.raw(`    lui a2, ${v}`).print('a2', `lui ${v}`);
  }
  b.raw('1:  auipc a2, 0\n    la a3, 1b\n    sub a2, a2, a3').print('a2', 'auipc 0 = pc');
  b.raw('1:  auipc a2, 0x80000\n    la a3, 1b\n    sub a2, a2, a3').print('a2', 'auipc negative');
  b.raw('    jal a2, 1f\n1:  la a3, 1b\n    sub a2, a2, a3').print('a2', 'jal link');
  b.raw('    la a3, 2f\n    addi a3, a3, -3\n    jalr a2, 3(a3)\n2:  la a4, 2b\n    sub a2, a2, a4').print('a2', 'jalr link');
  b.raw('    la a3, 3f\n    addi a3, a3, 1\n    jalr a3, 0(a3)\n3:  li a2, 7').print('a2', 'jalr clears bit 0');
  check('rv64i_jump', b.build());
});

test('RV64I loads and stores: widths, sign extension, misaligned, page-crossing', () => {
  const b = new AsmBuilder();
  b.raw('    li t0, 0x8877665544332211\n    li t1, 0xf0e0d0c0b0a09080');
  // Fill 32 bytes on both sides of the page boundary inside scratch (scratch is page aligned).
  b.raw('    li t2, 4096-16\n    add t2, gp, t2\n    sd t0, 0(t2)\n    sd t1, 8(t2)\n    sd t0, 16(t2)\n    sd t1, 24(t2)');
  for (const base of [0, 4096 - 9, 4096 - 6, 4096 - 3]) {
    for (let off = 0; off < 8; off++) {
      const o = base - (4096 - 16) + off;
      for (const op of ['lb', 'lbu', 'lh', 'lhu', 'lw', 'lwu', 'ld']) {
        if (base === 0) continue;
        b.raw(`    ${op} a2, ${o}(t2)`).print('a2', `${op} at page-16+${o}`);
      }
    }
  }
  for (const [op, n] of [['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]] as const) {
    for (const o of [13, 14, 15, 16]) {
      b.raw(`    li a3, 0x1122334455667788\n    ${op} a3, ${o}(t2)\n    ld a2, 8(t2)`).print('a2', `${op}(${n}) at ${o}: low`);
      b.raw('    ld a2, 16(t2)').print('a2', `${op}(${n}) at ${o}: high`);
    }
  }
  b.raw('    sd zero, 0(gp)\n    lb x0, 0(gp)\n    ld a2, 0(gp)').print('a2', 'load to x0');
  check('rv64i_mem', b.build());
});

test('RV64M multiply and divide, incl. by zero and overflow', () => {
  check('rv64m', rTypeTest(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
    'mulw', 'divw', 'divuw', 'remw', 'remuw']));
});

test('RV64A AMOs (.w and .d) and LR/SC', () => {
  const b = new AsmBuilder();
  const vals = [0n, 1n, -1n, 0x7fffffffn, 0x80000000n, -0x8000000000000000n, 0x123456789abcdef0n, 5n];
  for (const op of ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu']) {
    for (const w of ['w', 'd']) {
      for (const x of vals) {
        for (const y of [-1n, 3n, 0x80000000n, 0x7fffffffffffffffn]) {
          b.raw(`    li a0, ${hex64(x)}\n    sd a0, 64(gp)\n    li a1, ${hex64(y)}\n    addi a3, gp, 64\n` +
            `    ${op}.${w} a2, a1, (a3)\n    ld a4, 64(gp)`);
          b.print('a2', `${op}.${w} old ${hex64(x)} ${hex64(y)}`).print('a4', `${op}.${w} new`);
        }
      }
    }
  }
  for (const w of ['w', 'd']) {
    b.raw(`    li a0, 0x1234567887654321\n    sd a0, 128(gp)\n    addi a3, gp, 128\n    lr.${w} a2, (a3)`).print('a2', `lr.${w}`);
    b.raw(`    li a1, -7\n    sc.${w} a2, a1, (a3)`).print('a2', `sc.${w} after lr succeeds`);
    b.raw('    ld a2, 128(gp)').print('a2', `sc.${w} stored`);
    b.raw(`    sc.${w} a2, a1, (a3)`).print('a2', `sc.${w} without reservation fails`);
    b.raw(`    lr.${w} a2, (a3)\n    addi a4, a3, 8\n    sc.${w} a2, a1, (a4)`).print('a2', `sc.${w} other address fails`);
  }
  check('rv64a', b.build());
});

test('RV64C compressed forms', () => {
  const b = new AsmBuilder();
  b.raw('    .option rvc');
  const v = '0x8000000180000003';
  const cases: [string, string][] = [
    ['c.li a0, -32', 'a0'], ['c.li a0, 31', 'a0'], ['c.lui a0, 1', 'a0'], ['c.lui a0, 0xfffe0', 'a0'],
    [`li a0, ${v}\n    c.addi a0, -1`, 'a0'], [`li a0, ${v}\n    c.addiw a0, 1`, 'a0'],
    [`li s0, ${v}\n    c.srli s0, 1`, 's0'], [`li s0, ${v}\n    c.srli s0, 63`, 's0'], [`li s0, ${v}\n    c.srai s0, 33`, 's0'],
    [`li s0, ${v}\n    c.andi s0, -2`, 's0'], [`li a0, ${v}\n    c.slli a0, 33`, 'a0'],
    [`li s0, ${v}\n    li s1, 7\n    c.sub s0, s1`, 's0'], [`li s0, ${v}\n    li s1, 7\n    c.xor s0, s1`, 's0'],
    [`li s0, ${v}\n    li s1, 7\n    c.or s0, s1`, 's0'], [`li s0, ${v}\n    li s1, 7\n    c.and s0, s1`, 's0'],
    [`li s0, ${v}\n    li s1, 7\n    c.subw s0, s1`, 's0'], [`li s0, ${v}\n    li s1, 0x7fffffff\n    c.addw s0, s1`, 's0'],
    [`li a1, ${v}\n    c.mv a0, a1`, 'a0'], [`li a1, ${v}\n    li a0, 3\n    c.add a0, a1`, 'a0'],
    ['mv s1, gp\n    li a5, -5\n    c.sw a5, 4(s1)\n    c.lw a0, 4(s1)', 'a0'],
    [`mv s1, gp\n    li a5, ${v}\n    c.sd a5, 8(s1)\n    c.ld a0, 8(s1)`, 'a0'],
    ['mv t6, sp\n    addi sp, sp, -64\n    li a5, -9\n    c.swsp a5, 12(sp)\n    c.lwsp a0, 12(sp)\n    mv sp, t6', 'a0'],
    [`mv t6, sp\n    addi sp, sp, -64\n    li a5, ${v}\n    c.sdsp a5, 24(sp)\n    c.ldsp a0, 24(sp)\n    mv sp, t6`, 'a0'],
    ['mv t6, sp\n    c.addi16sp sp, -64\n    sub a0, t6, sp\n    c.addi16sp sp, 64', 'a0'],
    ['c.addi4spn s0, sp, 8\n    sub a0, s0, sp', 'a0'],
    [`mv s1, gp\n    li a5, ${v}\n    sd a5, 16(s1)\n    c.fld fa5, 16(s1)\n    c.fsd fa5, 24(s1)\n    ld a0, 24(s1)`, 'a0'],
    [`mv t6, sp\n    addi sp, sp, -64\n    li a5, ${v}\n    sd a5, 32(sp)\n    c.fldsp fa4, 32(sp)\n    c.fsdsp fa4, 40(sp)\n    ld a0, 40(sp)\n    mv sp, t6`, 'a0'],
    ['li s0, 0\n    c.beqz s0, 1f\n    li s0, 5\n1:  c.bnez s0, 2f\n    li s0, 9\n2:  mv a0, s0', 'a0'],
    ['la t0, 1f\n    c.jr t0\n    li a0, 99\n1:  li a0, 1', 'a0'],
    ['la t0, 1f\n    c.jalr t0\n1:  la t1, 1b\n    sub a0, ra, t1', 'a0'],
    ['c.j 1f\n    li a0, 99\n1:  li a0, 2', 'a0'],
    ['li a0, 4\n    c.nop', 'a0'],
  ];
  for (const [code, reg] of cases) b.raw(`    ${code}`).print(reg, code.split('\n').pop()!.trim());
  b.raw('    .option norvc');
  check('rv64c', b.build());
});

test('Zicsr: fflags, frm, fcsr', () => {
  const b = new AsmBuilder();
  b.raw('    li a0, 0x1f\n    csrw fflags, a0\n    csrr a2, fcsr').print('a2', 'fflags→fcsr');
  b.raw('    li a0, 3\n    csrrw a2, frm, a0').print('a2', 'old frm');
  b.raw('    csrr a2, fcsr').print('a2', 'fcsr with frm');
  b.raw('    csrrci a2, fflags, 5').print('a2', 'csrrci old');
  b.raw('    csrr a2, fflags').print('a2', 'after csrrci');
  b.raw('    csrrsi a2, frm, 4').print('a2', 'csrrsi old');
  b.raw('    csrr a2, frm').print('a2', 'after csrrsi');
  b.raw('    li a0, -1\n    csrrw a2, fcsr, a0').print('a2', 'fcsr old');
  b.raw('    csrr a2, fcsr').print('a2', 'fcsr masked to 8 bits');
  b.raw('    csrrwi a2, fcsr, 0').print('a2', 'csrrwi');
  b.raw('    li a1, 0xe0\n    csrs fcsr, a1\n    csrrc a2, fcsr, a1').print('a2', 'csrrc');
  b.raw('    rdcycle a2\n    rdinstret a3\n    rdtime a4\n    li a2, 1').print('a2', 'counters readable');
  check('zicsr', b.build());
});

test('F/D loads, stores and moves: NaN-boxing, misaligned', () => {
  const b = new AsmBuilder();
  b.raw('    li a0, 0x40490fdb3f800000\n    sd a0, 0(gp)\n    li a0, 0x400921fb54442d18\n    sd a0, 8(gp)');
  b.raw('    flw fa0, 0(gp)\n    fmv.x.d a2, fa0').print('a2', 'flw NaN-boxes');
  b.raw('    flw fa0, 4(gp)\n    fmv.x.w a2, fa0').print('a2', 'fmv.x.w sign-extends');
  b.raw('    fld fa1, 8(gp)\n    fmv.x.d a2, fa1').print('a2', 'fld');
  b.raw('    fld fa1, 3(gp)\n    fmv.x.d a2, fa1').print('a2', 'fld misaligned');
  b.raw('    fsd fa1, 17(gp)\n    ld a2, 17(gp)').print('a2', 'fsd misaligned');
  b.raw('    flw fa2, 1(gp)\n    fsw fa2, 32(gp)\n    lw a2, 32(gp)').print('a2', 'flw/fsw misaligned');
  b.raw('    li a0, 0x1234567880000000\n    fmv.d.x fa3, a0\n    fsw fa3, 40(gp)\n    lwu a2, 40(gp)').print('a2', 'fsw of unboxed value stores low bits');
  b.raw('    li a0, 0xffffffff7fc00001\n    fmv.w.x fa4, a0\n    fmv.x.d a2, fa4').print('a2', 'fmv.w.x boxes');
  check('fdmem', b.build());
});

test('edge values list is what the generators use', () => {
  assert.ok(EDGE64.includes(-0x8000000000000000n));
});
