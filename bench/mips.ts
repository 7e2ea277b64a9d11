/*
 * CPU engine speed: MIPS on a register loop, a branchy loop (several basic
 * blocks per iteration), a memory loop, and a real static glibc program, each
 * next to qemu-riscv64 on the same binary, measured in the same run.
 *   node --import tsx bench/mips.ts
 *
 * Both wall time and CPU time (user+sys, ours from process.cpuUsage, qemu's
 * from /usr/bin/time) are shown: on a shared machine CPU time is the steadier
 * measure. MIPS is computed from our CPU time. Each case runs twice and the
 * faster run counts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildElf, Guest, ROOT } from '../test/cpu/harness.ts';

interface Sample {
  insns: number;
  wall: number;
  cpu: number;
}

function ours(elf: string, args: string[]): Sample {
  const g = new Guest();
  g.load(readFileSync(elf), [elf, ...args]);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const insns = g.run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (g.exitStatus === null) throw new Error(`${elf} ${args}: stopped (${g.stop}) at 0x${g.cpu.ctx.pc.toString(16)}`);
  return { insns, wall, cpu: (c.user + c.system) / 1000 };
}

function qemu(elf: string, args: string[]): Sample {
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', 'qemu-riscv64', elf, ...args], { encoding: 'utf8' })
    : spawnSync('qemu-riscv64', [elf, ...args], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status === null) throw new Error(`qemu-riscv64 ${elf} failed: ${r.stderr}`);
  const [u, s] = timed ? r.stderr.trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN];
  return { insns: 0, wall, cpu: (u + s) * 1000 };
}

function best(f: () => Sample): Sample {
  const a = f(), b = f();
  return a.cpu <= b.cpu ? a : b;
}

function row(name: string, s: Sample, q: Sample): void {
  const mips = s.insns / s.cpu / 1000;
  const fmt = (v: number, w = 6): string => (Number.isNaN(v) ? '-' : v.toFixed(0)).padStart(w);
  console.log(`${name.padEnd(20)} ${(s.insns / 1e6).toFixed(1).padStart(7)}M ` +
    `${fmt(s.wall)} ${fmt(s.cpu)} ms ${fmt(mips, 5)} MIPS | qemu ${fmt(q.wall)} ${fmt(q.cpu)} ms | ` +
    `ratio wall ${(s.wall / q.wall).toFixed(1)}x cpu ${q.cpu > 0 ? (s.cpu / q.cpu).toFixed(1) + 'x' : '-'}`);
}

const loops = buildElf('loops', [join(ROOT, 'bench/cpu/loops.S')], ['-nostdlib', '-march=rv64gc']);
const prog = buildElf('benchprog', [join(ROOT, 'bench/cpu/prog.c')], ['-O2']);
const hello = buildElf('hello', [join(ROOT, 'test/cpu/src/hello.c')], ['-O2']);
console.log(`vkernel CPU engine (node ${process.version}) vs qemu-riscv64; times: wall cpu`);
for (const [name, arg] of [['register loop', 'r'], ['branchy loop', 'b'], ['memory loop', 'm']]) {
  row(name, best(() => ours(loops, [arg])), best(() => qemu(loops, [arg])));
}
row('glibc program -O2', best(() => ours(prog, [])), best(() => qemu(prog, [])));
row('glibc hello (start)', best(() => ours(hello, [])), best(() => qemu(hello, [])));
