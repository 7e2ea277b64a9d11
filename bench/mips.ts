/*
 * CPU engine speed: MIPS on a register loop, a branchy loop (several blocks
 * per iteration) and a memory loop, plus a real glibc program, each next to
 * qemu-riscv64's wall time on the same binary, measured in the same run.
 *   node --import tsx bench/mips.ts
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildElf, Guest, ROOT } from '../test/cpu/harness.ts';

interface Sample {
  insns: number;
  ms: number;
}

function ours(elf: string, args: string[]): Sample {
  const g = new Guest();
  g.load(readFileSync(elf), [elf, ...args]);
  const t0 = performance.now();
  const insns = g.run();
  const ms = performance.now() - t0;
  if (g.exitStatus === null) throw new Error(`${elf} ${args}: stopped (${g.stop}) at 0x${g.cpu.ctx.pc.toString(16)}`);
  return { insns, ms };
}

function qemuMs(elf: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync('qemu-riscv64', [elf, ...args]);
  if (r.status === null) throw new Error('qemu-riscv64 failed');
  return performance.now() - t0;
}

function row(name: string, s: Sample, q: number): void {
  const mips = s.insns / s.ms / 1000;
  console.log(`${name.padEnd(22)} ${(s.insns / 1e6).toFixed(1).padStart(8)} M insns ` +
    `${s.ms.toFixed(0).padStart(7)} ms ${mips.toFixed(0).padStart(6)} MIPS   ` +
    `qemu ${q.toFixed(0).padStart(6)} ms   ratio ${(s.ms / q).toFixed(1)}x`);
}

const loops = buildElf('loops', [join(ROOT, 'bench/cpu/loops.S')], ['-nostdlib', '-march=rv64gc']);
const prog = buildElf('benchprog', [join(ROOT, 'bench/cpu/prog.c')], ['-O2']);
console.log(`vkernel CPU engine (node ${process.version}) vs qemu-riscv64`);
for (const [name, arg] of [['register loop', 'r'], ['branchy loop', 'b'], ['memory loop', 'm']]) {
  row(name, ours(loops, [arg]), qemuMs(loops, [arg]));
}
row('glibc program (-O2)', ours(prog, []), qemuMs(prog, []));
