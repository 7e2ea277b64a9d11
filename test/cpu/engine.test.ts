/*
 * The engine's contract with the kernel (docs/architecture.md, CPU engine):
 * where pc is after ecall/ebreak/illegal/faults, fault addresses and access
 * kinds, retirement of earlier instructions, counters, code invalidation,
 * physical-address code caching, budgets. Plus C programs against qemu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm, buildElf, Guest, ROOT, runOurs, runQemu } from './harness.ts';
import { Access, Stop } from '../../kernel/cpu/cpu.ts';
import { PTE_R, PTE_X } from '../../kernel/vm/pte.ts';

const TIERS = ['interp', 'compile', 'auto'] as const;
let tier: (typeof TIERS)[number] = 'auto';

/** Run a test body once per engine tier (interpreter, compiler, normal mix). */
function eachTier(body: () => void): () => void {
  return () => {
    for (const t of TIERS) {
      tier = t;
      body();
    }
    tier = 'auto';
  };
}

/** Load a freestanding program (body after _start) without running it, in the current tier. */
function guest(name: string, body: string, flags: string[] = []): Guest {
  const asm = `    .text\n    .globl _start\n_start:\n${body}\n    li a7, 93\n    ecall\n    .data\n    .align 12\nbuf: .space 8192\n`;
  const elf = flags.length ? buildElfAsm(name, asm, flags) : buildAsm(name, asm);
  const g = new Guest(tier);
  g.load(readFileSync(elf), [name]);
  return g;
}

function buildElfAsm(name: string, asm: string, flags: string[]): string {
  buildAsm(name, asm); // writes the source
  return buildElf(`${name}-f`, [join(ROOT, 'build', 'cpu', `${name}.S`)], ['-nostdlib', ...flags]);
}

const reg = (g: Guest, r: number): bigint => g.cpu.ctx.getX(r);
const S0 = 8, S1 = 9, A0 = 10, A1 = 11;

test('ecall stops with pc at the ecall; earlier instructions retired', eachTier(() => {
  const g = guest('t_ecall', '    li s1, 5\n    la s0, 1f\n1:  ecall');
  const before = g.cpu.instret;
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(BigInt(g.cpu.ctx.pc), reg(g, S0));
  assert.equal(reg(g, S1), 5n);
  assert.ok(g.cpu.instret - before >= 3);
}));

test('ebreak and illegal instructions stop at the instruction with its bits', eachTier(() => {
  const g = guest('t_ebreak', '    la s0, 1f\n1:  ebreak');
  assert.equal(g.cpu.run(1000), Stop.EBREAK);
  assert.equal(BigInt(g.cpu.ctx.pc), reg(g, S0));
  for (const [word, bits] of [['.half 0', 0], ['.word 0x30200073', 0x30200073], ['.word 0xffffffff', -1],
    ['csrr a0, mstatus', 0x30002573], ['csrw cycle, a0', 0xc0051073], ['.word 0x02b55553', 0x02b55553]] as const) {
    const h = guest(`t_ill_${bits >>> 0}`, `    .option rvc\n    la s0, 1f\n    li s1, 1\n1:  ${word}`);
    assert.equal(h.cpu.run(1000), Stop.ILLEGAL, word);
    assert.equal(BigInt(h.cpu.ctx.pc), reg(h, S0), word);
    assert.equal(h.cpu.faultInsn, bits >>> 0, word);
    assert.equal(reg(h, S1), 1n);
  }
}));

test('FP with dynamic rounding and frm >= 5 is illegal', eachTier(() => {
  const g = guest('t_frm', '    li a0, 5\n    fsrm a0\n    la s0, 1f\n1:  fadd.d fa0, fa1, fa2, dyn');
  assert.equal(g.cpu.run(1000), Stop.ILLEGAL);
  assert.equal(BigInt(g.cpu.ctx.pc), reg(g, S0));
}));

test('load, store and fetch faults report address and access; pc at the instruction', eachTier(() => {
  const cases: [string, string, number, Access][] = [
    ['t_fault_ld', '    li a0, 0x12345678\n    la s0, 1f\n    li s1, 7\n1:  ld a1, 0(a0)', 0x12345678, Access.READ],
    ['t_fault_sd', '    la a0, _start\n    la s0, 1f\n    li s1, 7\n1:  sd a0, 8(a0)', -1, Access.WRITE],
    ['t_fault_4g', '    li a0, 0x100000000\n    la s0, 1f\n    li s1, 7\n1:  lw a1, 16(a0)', 0x100000010, Access.READ],
    ['t_fault_neg', '    li a0, -8\n    la s0, 1f\n    li s1, 7\n1:  sb a1, 0(a0)', -8, Access.WRITE],
    ['t_fault_amo', '    la a0, _start\n    la s0, 1f\n    li s1, 7\n1:  amoadd.w a1, a1, (a0)', -1, Access.WRITE],
  ];
  for (const [name, body, addr, access] of cases) {
    const g = guest(name, body);
    assert.equal(g.cpu.run(1000), Stop.FAULT, name);
    assert.equal(BigInt(g.cpu.ctx.pc), reg(g, S0), name);
    assert.equal(g.cpu.faultAccess, access, name);
    if (addr !== -1) assert.equal(g.cpu.faultAddr, addr, name);
    assert.equal(reg(g, S1), 7n, `${name}: earlier instructions retired`);
  }
  const x = guest('t_fault_exec', '    li a0, 0x50000000\n    jr a0');
  assert.equal(x.cpu.run(1000), Stop.FAULT);
  assert.equal(x.cpu.faultAccess, Access.EXEC);
  assert.equal(x.cpu.faultAddr, 0x50000000);
  assert.equal(x.cpu.ctx.pc, 0x50000000);
  const far = guest('t_fault_far', '    li a0, 0x100000008\n    li s1, 7\n    jalr ra, 0(a0)');
  assert.equal(far.cpu.run(1000), Stop.FAULT);
  assert.equal(far.cpu.faultAccess, Access.EXEC);
  assert.equal(far.cpu.faultAddr, 0x100000008);
  assert.equal(far.cpu.ctx.pc, 0x100000008);
  assert.equal(reg(far, S1), 7n);
  assert.ok(reg(far, 1) !== 0n, 'the jalr retired: ra holds the link');
  const z = guest('t_fault_zero', '    jr zero');
  assert.equal(z.cpu.run(1000), Stop.FAULT);
  assert.equal(z.cpu.ctx.pc, 0);
}));

test('a fault resolved by the kernel resumes at the faulting instruction', eachTier(() => {
  const g = guest('t_resume', '    li a0, 0x30000800\n    li a1, 0x55\n    sd a1, 2044(a0)\n    ld a0, 2044(a0)');
  assert.equal(g.cpu.run(1000), Stop.FAULT);
  assert.equal(g.cpu.faultAddr, 0x30000000 + 4092);
  g.mapPage(0x30000000, PTE_R | 4);
  assert.equal(g.cpu.run(1000), Stop.FAULT, 'the misaligned store crosses into the next page');
  assert.equal(g.cpu.faultAddr, 0x30001000);
  g.mapPage(0x30001000, PTE_R | 4);
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, A0), 0x55n);
}));

test('rdinstret and rdcycle count retired instructions exactly', eachTier(() => {
  const g = guest('t_instret', '    rdinstret s0\n' + '    addi a1, a1, 1\n'.repeat(10) + '    rdinstret s1\n    rdcycle a0\n    sub a0, a0, s1');
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, S1) - reg(g, S0), 11n);
  assert.equal(reg(g, A0), 1n);
  // s1 itself, rdcycle, sub and li a7 retired after s1 was read; the ecall did not.
  assert.equal(BigInt(g.cpu.instret), reg(g, S1) + 4n);
}));

test('run(budget) returns at a block boundary even in an infinite loop', eachTier(() => {
  const g = guest('t_budget', '1:  addi a0, a0, 1\n    j 1b');
  for (let i = 0; i < 3; i++) {
    const before = g.cpu.instret;
    assert.equal(g.cpu.run(1000), Stop.BUDGET);
    assert.ok(g.cpu.instret - before >= 1000 && g.cpu.instret - before < 1100);
  }
  assert.equal(BigInt(g.cpu.instret), reg(g, A0) * 2n + 0n);
}));

test('LR/SC: the reservation dropped by a context switch makes SC fail', () => {
  const g = guest('t_lrsc', '    la a0, buf\n    lr.d a1, (a0)\n    ecall\n    sc.d s0, a1, (a0)');
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  g.cpu.ctx.reservation = -1;
  g.cpu.ctx.pc += 4;
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, S0), 1n);
});

test('kernel writes (noteWrite) drop compiled code of the frame', eachTier(() => {
  const g = guest('t_notewrite', '    .option norvc\n1:  li a0, 1\n    ecall\n    j 1b');
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, A0), 1n);
  const pc = g.cpu.ctx.pc - 4; // li a0, 1 (addi a0, x0, 1)
  const pa = g.pa(pc);
  assert.ok(g.mem.codePage[Math.floor(pa / 4096)] !== 0);
  g.mem.noteWrite(Math.floor(pa / 4096));
  g.mem.u32[pa / 4] = 0x00200513; // li a0, 2
  g.cpu.ctx.pc += 4;
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, A0), 2n);
}));

test('the same code frame mapped at two addresses runs with each pc', eachTier(() => {
  const g = guest('t_alias', '    la s0, 1f\n    la s1, 3f\n1:  auipc a0, 0\n    j 2f\n    nop\n2:  li a1, 0\n    beqz a1, 3f\n    nop\n3:  ecall');
  const code = BigInt(g.cpu.ctx.pc) & ~4095n;
  assert.equal(g.cpu.run(1000), Stop.ECALL);
  assert.equal(reg(g, A0), reg(g, S0));
  const off = Number(reg(g, S0) - code);
  // The second alias is above 2 GiB, where pcs are negative in int32 form inside the engine.
  for (const alias of [0x20000000, 0xc0000000, 0xfffe0000]) {
    g.mapPage(alias, PTE_R | PTE_X, Math.floor(g.pa(Number(code)) / 4096));
    g.cpu.ctx.pc = alias + off;
    assert.equal(g.cpu.run(1000), Stop.ECALL);
    assert.equal(reg(g, A0), BigInt(alias + off));
    assert.equal(g.cpu.ctx.pc, alias + Number(reg(g, S1) - code), 'branches at high addresses');
  }
}));

test('self-modifying code with fence.i matches qemu', () => {
  const asm = `
    .text
    .globl _start
_start:
    li   s1, 0
    li   s2, 0
loop:
    call f
    add  s2, s2, a0
    # patch f's first instruction to "li a0, s1+2" and re-sync the icache
    la   t0, f
    addi t1, s1, 2
    slli t1, t1, 20
    li   t2, 0x513
    or   t1, t1, t2
    sw   t1, 0(t0)
    fence.i
    addi s1, s1, 1
    li   t3, 5
    blt  s1, t3, loop
    # write s2 as one byte + newline
    la   t0, out
    addi s2, s2, 48
    sb   s2, 0(t0)
    li   a0, 1
    mv   a1, t0
    li   a2, 2
    li   a7, 64
    ecall
    li   a0, 0
    li   a7, 93
    ecall
    .option norvc
f:  li   a0, 1
    ret
    .data
out: .byte 0, 10
`;
  buildAsm('t_smc', asm);
  const elf = buildElf('t_smc-n', [join(ROOT, 'build', 'cpu', 't_smc.S')], ['-nostdlib', '-Wl,-N']);
  const q = runQemu(elf);
  const o = runOurs(elf);
  assert.equal(o.stdout, q.stdout);
  assert.equal(o.stdout, String.fromCharCode(48 + 1 + 2 + 3 + 4 + 5) + '\n');
});

test('static glibc programs match qemu (-O0 and -O2)', () => {
  for (const opt of ['-O0', '-O2']) {
    const elf = buildElf(`hello${opt}`, [join(ROOT, 'test/cpu/src/hello.c')], [opt]);
    const q = runQemu(elf, ['a', 'b']);
    const o = runOurs(elf, ['a', 'b']);
    assert.equal(o.stdout, q.stdout, opt);
    assert.equal(o.status, q.status, opt);
  }
});
