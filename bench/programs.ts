/*
 * Wall time of real CPU-heavy corpus programs (static, -O2) under
 * qemu-riscv64 and under bin/vkernel, measured in the same run and printed
 * as ratios (ours / qemu; lower is better, DESIGN.md §5 wants <= 30x).
 *
 *   node --import tsx bench/programs.ts [runs]
 *
 * Each program runs `runs` times (default 3) on each side; the best time
 * counts.  bin/vkernel's time includes its boot and shutdown, like a user's.
 * A run whose output differs from qemu's is reported, not timed.
 */
import { VARIANTS, buildCorpus, listPrograms, type Variant } from '../test/corpus/build.ts';
import { runQemu, runVkernel, vkernelPresent, type RunResult } from '../test/corpus/run.ts';

const PROGRAMS = ['interp', 'nbody', 'strings', 'malloc', 'cow'];
const VARIANT: Variant = 'static-O2';
const runs = Number(process.argv[2] ?? 3);

async function best(fn: () => Promise<RunResult>): Promise<{ ms: number; r: RunResult }> {
  let bestRun: { ms: number; r: RunResult } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await fn();
    if (!bestRun || r.ms < bestRun.ms) bestRun = { ms: r.ms, r };
  }
  return bestRun!;
}

async function main(): Promise<void> {
  if (!VARIANTS.includes(VARIANT)) throw new Error(VARIANT);
  const errors = await buildCorpus({ filter: new RegExp(`^(${PROGRAMS.join('|')})$`) });
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exitCode = 1;
    return;
  }
  const ours = vkernelPresent();
  if (!ours) console.log('bin/vkernel not present: timing qemu-riscv64 only');
  console.log(`program          qemu-riscv64     bin/vkernel      ratio   (${VARIANT}, best of ${runs})`);
  const ratios: number[] = [];
  for (const p of listPrograms().filter((x) => PROGRAMS.includes(x.name))) {
    const q = await best(() => runQemu(p, VARIANT, 120_000));
    let col = '-';
    let ratio = '';
    if (ours) {
      const v = await best(() => runVkernel(p, VARIANT, 600_000));
      const out = v.r.stdout.replace(/\r\n/g, '\n');
      if (v.r.timedOut) col = 'timeout';
      else if (out !== q.r.stdout || v.r.status !== q.r.status) col = `wrong (status ${v.r.status})`;
      else {
        col = `${v.ms.toFixed(0)} ms`;
        ratios.push(v.ms / q.ms);
        ratio = `${(v.ms / q.ms).toFixed(1)}x`;
      }
    }
    console.log(`${p.name.padEnd(16)} ${`${q.ms.toFixed(0)} ms`.padEnd(16)} ${col.padEnd(16)} ${ratio}`);
  }
  if (ratios.length) {
    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(`geometric mean ratio: ${geo.toFixed(1)}x over ${ratios.length} program(s)`);
  }
}

await main();
