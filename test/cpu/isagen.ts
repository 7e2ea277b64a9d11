/*
 * Generators of freestanding riscv64 assembly test programs. Each case leaves a
 * result in a register and prints it as one hex line (`P reg`), so the output
 * of our engine can be diffed line by line against qemu-riscv64, and line i
 * names case i (labels[i]).
 */

export interface AsmTest {
  asm: string;
  labels: string[];
}

/* The runtime: print_hex (all registers preserved) and exit. */
const PRELUDE = `
    .option norvc
    .text
    .globl _start
_start:
    la   gp, scratch
    j    main

# print a0 as 16 hex digits and a newline; preserves every register
print_hex:
    addi sp, sp, -96
    sd   t0, 0(sp); sd t1, 8(sp); sd t2, 16(sp); sd t3, 24(sp)
    sd   a0, 32(sp); sd a1, 40(sp); sd a2, 48(sp); sd a7, 56(sp)
    mv   t0, a0
    li   t1, 60
    addi t2, sp, 64
1:  srl  t3, t0, t1
    andi t3, t3, 15
    addi t3, t3, 48
    li   a1, 58
    blt  t3, a1, 2f
    addi t3, t3, 39
2:  sb   t3, 0(t2)
    addi t2, t2, 1
    addi t1, t1, -4
    bgez t1, 1b
    li   t3, 10
    sb   t3, 0(t2)
    li   a0, 1
    addi a1, sp, 64
    li   a2, 17
    li   a7, 64
    ecall
    ld   t0, 0(sp); ld t1, 8(sp); ld t2, 16(sp); ld t3, 24(sp)
    ld   a0, 32(sp); ld a1, 40(sp); ld a2, 48(sp); ld a7, 56(sp)
    addi sp, sp, 96
    ret

exit0:
    li   a0, 0
    li   a7, 93
    ecall

    .macro P reg
    addi sp, sp, -16
    sd   a0, 0(sp)
    sd   ra, 8(sp)
    mv   a0, \\reg
    call print_hex
    ld   a0, 0(sp)
    ld   ra, 8(sp)
    addi sp, sp, 16
    .endm
main:
`;

const EPILOGUE = `
    j exit0
    .data
    .align 12
scratch: .space 8192
`;

export class AsmBuilder {
  private body: string[] = [];
  readonly labels: string[] = [];
  private pending = 0;

  /** Emit raw lines. */
  raw(code: string): this {
    this.body.push(code);
    return this;
  }

  /** Print a register as the result of the named case. */
  print(reg: string, label: string): this {
    this.body.push(`    P ${reg}`);
    this.labels.push(label);
    return this;
  }

  /** A unique local label. */
  label(): string {
    return `L${this.pending++}`;
  }

  build(prelude = PRELUDE): AsmTest {
    return { asm: prelude + this.body.join('\n') + EPILOGUE, labels: this.labels };
  }
}

/* Interesting 64-bit values for operands. */
export const EDGE64: bigint[] = [
  0n, 1n, 2n, 3n, -1n, -2n, -3n, 5n, 31n, 32n, 33n, 63n, 64n + 5n, 0x7fffn, -0x8000n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x80000000n, -0x80000001n,
  0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdef0n, -0x123456789abcdefn,
  0x00000000fedcba98n, 0x8000000000000001n - (1n << 64n),
];

export const EDGE_IMM: number[] = [0, 1, -1, 2, 5, 31, 32, 33, 63, 2047, -2048, 0x555, -0x556];

export function hex64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}

/** R-type: every op on every pair of edge values. */
export function rTypeTest(ops: string[], values: bigint[] = EDGE64): AsmTest {
  const b = new AsmBuilder();
  for (const op of ops) {
    for (const x of values) {
      for (const y of values) {
        b.raw(`    li a0, ${hex64(x)}\n    li a1, ${hex64(y)}\n    ${op} a2, a0, a1`);
        b.print('a2', `${op} ${hex64(x)}, ${hex64(y)}`);
      }
    }
  }
  return b.build();
}

/** I-type: every op on every edge value with each immediate that fits. */
export function iTypeTest(ops: { op: string; imms: number[] }[], values: bigint[] = EDGE64): AsmTest {
  const b = new AsmBuilder();
  for (const { op, imms } of ops) {
    for (const x of values) {
      for (const imm of imms) {
        b.raw(`    li a0, ${hex64(x)}\n    ${op} a2, a0, ${imm}`);
        b.print('a2', `${op} ${hex64(x)}, ${imm}`);
      }
    }
  }
  return b.build();
}

/** Branches: print 1 if taken, 0 if not, for every pair. */
export function branchTest(ops: string[], values: bigint[] = EDGE64): AsmTest {
  const b = new AsmBuilder();
  for (const op of ops) {
    for (const x of values) {
      for (const y of values) {
        const taken = b.label(), done = b.label();
        b.raw(`    li a0, ${hex64(x)}\n    li a1, ${hex64(y)}\n    li a2, 0\n    ${op} a0, a1, ${taken}\n` +
          `    j ${done}\n${taken}:\n    li a2, 1\n${done}:`);
        b.print('a2', `${op} ${hex64(x)}, ${hex64(y)}`);
      }
    }
  }
  return b.build();
}
