/*
 * Cold-tier speed: MIPS of the block interpreter alone (tiering 'interp', so
 * nothing is promoted to regions), the current kernel/cpu/interp.ts next to
 * the frozen baseline in bench/interp_base.ts, in one run.
 *   node --import tsx bench/interp.ts [rounds]
 *
 * Each variant runs in its own node process (so neither shares JIT feedback
 * with the other), alternating base/new for `rounds` rounds; a process runs
 * every workload once to warm up, then REPS times, and the median CPU time
 * counts. "first" is the first run of a workload in a fresh process (cold JIT),
 * closer to what a short-lived program sees. Also timed, in this process:
 * interpreted() itself, preparing a sample of the basic blocks of a static
 * glibc binary's text.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElf, Guest, ROOT } from '../test/cpu/harness.ts';
import { decode, insnLength, type Insn } from '../kernel/cpu/decode.ts';
import { endsBlock, type BasicBlock, type BlockFn } from '../kernel/cpu/compile.ts';
import { interpreted as current, type InterpHost } from '../kernel/cpu/interp.ts';
import { interpreted as base } from './interp_base.ts';

type Prepare = (c: InterpHost, bb: BasicBlock) => BlockFn | null;

const REPS = 5;

interface Workload {
  name: string;
  elf: string;
  args: string[];
  /** Instructions to run (the program may exit earlier). */
  budget: number;
  /** Runs per sample, for programs too short to time once. */
  times: number;
}

function workloads(): Workload[] {
  const loops = buildElf('loops', [join(ROOT, 'bench/cpu/loops.S')], ['-nostdlib', '-march=rv64gc']);
  const prog = buildElf('benchprog', [join(ROOT, 'bench/cpu/prog.c')], ['-O2']);
  const hello = buildElf('hello', [join(ROOT, 'test/cpu/src/hello.c')], ['-O2']);
  return [
    { name: 'register loop', elf: loops, args: ['r'], budget: 10e6, times: 1 },
    { name: 'branchy loop', elf: loops, args: ['b'], budget: 10e6, times: 1 },
    { name: 'memory loop', elf: loops, args: ['m'], budget: 10e6, times: 1 },
    { name: 'glibc program -O2', elf: prog, args: [], budget: 30e6, times: 1 },
    { name: 'glibc hello (start)', elf: hello, args: [], budget: 1e9, times: 20 },
  ];
}

/* The Cpu's code cache takes its interpreter as a constructor argument; the bench swaps it. */
interface CacheSlot {
  cache: { interpret: (bb: BasicBlock) => BlockFn | null };
}

function runOnce(w: Workload, prep: Prepare): { insns: number; cpu: number } {
  let insns = 0, cpu = 0;
  for (let i = 0; i < w.times; i++) {
    const g = new Guest('interp');
    (g.cpu as unknown as CacheSlot).cache.interpret = (bb) => prep(g.cpu, bb);
    g.load(readFileSync(w.elf), [w.elf, ...w.args]);
    const c0 = process.cpuUsage();
    insns += g.run(w.budget);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    if (g.stop !== null) throw new Error(`${w.name}: stopped (${g.stop}) at 0x${g.cpu.ctx.pc.toString(16)}`);
  }
  return { insns, cpu };
}

/** Every basic block starting at each 2-byte offset of the ELF's first executable segment, decoded. */
function textBlocks(elf: string): BasicBlock[] {
  const b = readFileSync(elf);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const phoff = Number(dv.getBigUint64(32, true)), phnum = dv.getUint16(56, true);
  let off = 0, size = 0;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * 56;
    if (dv.getUint32(p, true) === 1 && (dv.getUint32(p + 4, true) & 1) !== 0) {
      off = Number(dv.getBigUint64(p + 8, true));
      size = Number(dv.getBigUint64(p + 32, true));
      break;
    }
  }
  const blocks: BasicBlock[] = [];
  const u16 = (o: number): number => dv.getUint16(o, true);
  // Block starts every 64 bytes: a sample of real code, decoded like codecache.ts does.
  for (let s = off; s + 8 < off + size; s += 64) {
    const insns: Insn[] = [], offs: number[] = [];
    let o = s & 4095;
    const page = s - o;
    while (o < 4094 && insns.length < 64 && page + o + 4 <= off + size) {
      const p0 = u16(page + o);
      const len = insnLength(p0);
      const d = decode(len === 4 ? p0 | (u16(page + o + 2) << 16) : p0);
      insns.push(d);
      offs.push(o);
      o += len;
      if (endsBlock(d.op)) break;
    }
    if (insns.length > 0) blocks.push({ start: s & 4095, insns, offs, end: o });
  }
  return blocks;
}

/** Microseconds per prepared block (blocks the interpreter does not cover count too). */
function prepareCost(prep: Prepare, blocks: BasicBlock[]): number {
  const g = new Guest('interp');
  const c0 = process.cpuUsage();
  let made = 0;
  for (let r = 0; r < 20; r++) for (const bb of blocks) if (prep(g.cpu, bb) !== null) made++;
  const c = process.cpuUsage(c0);
  if (made === 0) throw new Error('no block prepared');
  return (c.user + c.system) / (20 * blocks.length);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Report {
  /** Per workload: [first-run MIPS, median MIPS]. */
  mips: Record<string, [number, number]>;
}

function child(variant: string): void {
  const prep = variant === 'base' ? base : current;
  const ws = workloads();
  const out: Report = { mips: {} };
  for (const w of ws) {
    const first = runOnce(w, prep);
    const samples: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const s = runOnce(w, prep);
      samples.push(s.insns / s.cpu / 1000);
    }
    out.mips[w.name] = [first.insns / first.cpu / 1000, median(samples)];
  }
  console.log(JSON.stringify(out));
}

function parent(rounds: number): void {
  const self = fileURLToPath(import.meta.url);
  const got: Record<string, Report[]> = { base: [], new: [] };
  workloads(); // build the ELFs once, outside the children
  for (let r = 0; r < rounds; r++) {
    for (const v of ['base', 'new']) {
      const p = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', v], { encoding: 'utf8', cwd: ROOT });
      if (p.status !== 0) throw new Error(`bench child ${v} failed: ${p.stderr}`);
      got[v].push(JSON.parse(p.stdout.trim().split('\n').pop() as string) as Report);
    }
  }
  console.log(`cold-tier MIPS (tiering 'interp', node ${process.version}), median of ${rounds} processes x ${REPS} runs`);
  console.log(`${'workload'.padEnd(22)} ${'base'.padStart(14)} ${'new'.padStart(14)}   speedup (steady, first)`);
  const names = Object.keys(got.base[0].mips);
  const fmt = (v: number): string => v.toFixed(0).padStart(5);
  for (const n of names) {
    const b = [0, 1].map((i) => median(got.base.map((x) => x.mips[n][i])));
    const c = [0, 1].map((i) => median(got.new.map((x) => x.mips[n][i])));
    console.log(`${n.padEnd(22)} ${fmt(b[1])} (${fmt(b[0])}) ${fmt(c[1])} (${fmt(c[0])})   ` +
      `${(c[1] / b[1]).toFixed(2)}x ${(c[0] / b[0]).toFixed(2)}x`);
  }
  // Both preparers in one process, interleaved: block preparation is short enough for noise to swamp separate runs.
  const blocks = textBlocks(workloads()[4].elf);
  const pbs: number[] = [], pcs: number[] = [];
  for (let r = 0; r < 2 * rounds + 1; r++) {
    pbs.push(prepareCost(base, blocks));
    pcs.push(prepareCost(current, blocks));
  }
  const pb = median(pbs), pc = median(pcs);
  console.log(`${'interpreted() per block'.padEnd(22)} ${pb.toFixed(2).padStart(8)} us ${pc.toFixed(2).padStart(11)} us   ${(pb / pc).toFixed(2)}x`);
}

if (process.argv[2] === '--child') child(process.argv[3]);
else parent(Number(process.argv[2] ?? 3));
