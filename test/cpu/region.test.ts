/*
 * Regions (compile.ts) leave on a TLB miss instead of calling the slow path,
 * and a region that misses at its first instruction has that block run once
 * by the cold tier (Cpu.run). Loops over more pages than the TLB holds miss
 * on every pass, at a block's first instruction and at later ones; the result
 * must be the same in every tier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildAsm, Guest } from './harness.ts';

const PAGES = 600; // more than the 512 TLB entries
const PASSES = 30; // enough dispatches for the blocks to become regions

/* Pass p adds (page + 1) to a word of every page; then sums them PASSES times. */
const ASM = `    .text
    .globl _start
_start:
    la s0, buf
    li s1, 0
    li s2, ${PASSES}
outer:
    li t0, 0
    li t1, ${PAGES}
inner:
    slli t2, t0, 12
    add t2, t2, s0
    ld t3, 8(t2)
    addi t3, t3, 1
    add t3, t3, t0
    sd t3, 8(t2)
    addi t0, t0, 1
    blt t0, t1, inner
    addi s1, s1, 1
    blt s1, s2, outer
    li s3, 0
    li s1, 0
again:
    li t0, 0
    mv t2, s0
    li t4, 4096
sum:
    ld t3, 8(t2)
    add s3, s3, t3
    add t2, t2, t4
    addi t0, t0, 1
    blt t0, t1, sum
    addi s1, s1, 1
    blt s1, s2, again
    mv a0, s3
    li a7, 93
    ecall
    .bss
    .align 12
buf: .space ${PAGES * 4096}
`;

test('regions leave and resume correctly on TLB misses, in every tier', () => {
  const elf = buildAsm('t_region_miss', ASM);
  let perPass = 0;
  for (let k = 0; k < PAGES; k++) perPass += PASSES * (k + 1);
  for (const tier of ['interp', 'compile', 'auto'] as const) {
    const g = new Guest(tier);
    g.load(readFileSync(elf), ['t_region_miss']);
    g.run();
    assert.notEqual(g.exitStatus, null, `${tier}: stopped (${g.stop})`);
    assert.equal(g.cpu.ctx.getX(19), BigInt(PASSES * perPass), tier); // s3
  }
});
