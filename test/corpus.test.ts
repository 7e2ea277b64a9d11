/*
 * The differential test corpus: every test/corpus/*.c program, in four
 * variants (static/dynamic x -O0/-O2), runs under qemu-riscv64 (the oracle)
 * and under bin/vkernel; stdout and the exit status must match.
 *
 * Under qemu each program must also exit 0, print no "FAIL:" line and
 * print exactly test/corpus/expected/<name>.out, so the corpus itself is
 * proven against the oracle (CORPUS_UPDATE=1 rewrites those files from
 * qemu's output).  Until bin/vkernel exists, our side is skipped.
 *
 *   CORPUS_FILTER=regex     only programs whose name matches
 *   CORPUS_VARIANTS=regex   only variants that match (e.g. static-O2)
 *   CORPUS_TIMEOUT=ms       per run under bin/vkernel (default 120000)
 *   CORPUS_UPDATE=1         rewrite the expected outputs from qemu
 *   CORPUS_QEMU_ONLY=1      do not run bin/vkernel
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_SRC, VARIANTS, buildCorpus, listPrograms, type Program, type Variant } from './corpus/build.ts';
import { qemuExecSupported, runQemu, runVkernel, vkernelPresent, type RunResult } from './corpus/run.ts';

const filter = process.env.CORPUS_FILTER ? new RegExp(process.env.CORPUS_FILTER) : undefined;
const variantFilter = process.env.CORPUS_VARIANTS ? new RegExp(process.env.CORPUS_VARIANTS) : undefined;
const update = process.env.CORPUS_UPDATE === '1';
const QEMU_TIMEOUT = 60_000;
const OURS_TIMEOUT = Number(process.env.CORPUS_TIMEOUT ?? 120_000);
const EXPECTED = join(CORPUS_SRC, 'expected');

const programs = listPrograms().filter((p) => !filter || filter.test(p.name));
const variants = VARIANTS.filter((v) => !variantFilter || variantFilter.test(v));
const qemuOnly = process.env.CORPUS_QEMU_ONLY === '1';
const haveVkernel = vkernelPresent();

function statusText(r: RunResult): string {
  if (r.timedOut) return 'timed out';
  return r.status > 128 ? `${r.status} (signal ${r.status - 128})` : String(r.status);
}

/** A short line diff: the first differences with a little context. */
export function diff(expected: string, actual: string, context = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out: string[] = [];
  let shown = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && shown < 3; i++) {
    if (a[i] === b[i]) continue;
    shown++;
    const from = Math.max(0, i - context);
    out.push(`@@ line ${i + 1} @@`);
    for (let j = from; j < i; j++) out.push(`  ${a[j]}`);
    let k = i;
    while (k < Math.max(a.length, b.length) && a[k] !== b[k] && k < i + 10) {
      if (k < a.length) out.push(`- ${a[k]}`);
      if (k < b.length) out.push(`+ ${b[k]}`);
      k++;
    }
    for (let j = k; j < Math.min(a.length, k + context); j++) out.push(`  ${a[j]}`);
    i = k;
  }
  return out.join('\n');
}

function expectedPath(p: Program): string {
  return join(EXPECTED, `${p.name}.out`);
}

function readExpected(p: Program): string | undefined {
  const f = expectedPath(p);
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

/** Our console is a tty: the host may see CR LF where the program wrote LF. */
function normalise(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

let buildErrors: string[] = [];

before(async () => {
  buildErrors = await buildCorpus({ filter, jobs: 2 });
});

after(() => {
  if (!haveVkernel) console.log('# corpus: bin/vkernel not present yet: only the qemu-riscv64 side ran');
});

for (const p of programs) {
  describe(`corpus ${p.name}`, { concurrency: 2 }, () => {
    // Each variant's qemu result, awaited by its vkernel test (they may run concurrently).
    const qemuOut = new Map<Variant, { promise: Promise<RunResult | undefined>; resolve: (r: RunResult | undefined) => void }>();
    for (const v of variants) {
      let resolve!: (r: RunResult | undefined) => void;
      const promise = new Promise<RunResult | undefined>((res) => { resolve = res; });
      qemuOut.set(v, { promise, resolve });
    }

    /** Run under qemu, check the verdict lines, the status and the recorded output. */
    async function qemuSide(t: { skip: (m: string) => void; diagnostic: (m: string) => void }, v: Variant): Promise<void> {
      const failed = buildErrors.filter((e) => e.startsWith(`${p.name}.${v}:`));
      assert.equal(failed.length, 0, failed.join('\n'));
      if (p.tags.has('exec') && !qemuExecSupported()) {
        t.skip('needs execve of riscv64 binaries under qemu: no private binfmt_misc here (Linux >= 6.7, unshare)');
        return;
      }
      const r = await runQemu(p, v, QEMU_TIMEOUT);
      qemuOut.get(v)!.resolve(r);
      const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
      assert.ok(!r.timedOut, `timed out after ${QEMU_TIMEOUT} ms\n${r.stdout}`);
      assert.deepEqual(fails, [], `the program reports failures under qemu:\n${fails.join('\n')}`);
      assert.equal(r.status, 0, `exit status ${statusText(r)} under qemu\n${r.stderr}`);
      const want = readExpected(p);
      if (update) {
        if (want !== r.stdout) {
          mkdirSync(EXPECTED, { recursive: true });
          writeFileSync(expectedPath(p), r.stdout);
          t.diagnostic(`wrote ${expectedPath(p)}`);
        }
        return;
      }
      assert.ok(want !== undefined, `no ${expectedPath(p)}: run with CORPUS_UPDATE=1 to record qemu's output`);
      assert.ok(want === r.stdout, `qemu output differs from expected/${p.name}.out:\n${diff(want, r.stdout)}`);
    }

    for (const v of variants) {
      test(`${p.name}.${v} under qemu-riscv64`, async (t) => {
        try {
          await qemuSide(t, v);
        } finally {
          qemuOut.get(v)!.resolve(undefined);	// no-op if already resolved with the result
        }
      });

      test(`${p.name}.${v} under bin/vkernel`, async (t) => {
        if (!haveVkernel || qemuOnly) {
          t.skip(qemuOnly ? 'CORPUS_QEMU_ONLY=1' : 'bin/vkernel not present yet');
          return;
        }
        const failed = buildErrors.filter((e) => e.startsWith(`${p.name}.${v}:`));
        assert.equal(failed.length, 0, failed.join('\n'));
        // The oracle: this run's qemu output, else the recorded one (status 0).
        const q = await qemuOut.get(v)!.promise;
        const want = q?.stdout ?? readExpected(p);
        const wantStatus = q?.status ?? 0;
        assert.ok(want !== undefined, 'no qemu output and no expected file to compare with');
        const r = await runVkernel(p, v, OURS_TIMEOUT);
        const got = normalise(r.stdout);
        assert.ok(!r.timedOut, `timed out after ${OURS_TIMEOUT} ms; output so far:\n${got}\n${r.stderr}`);
        assert.ok(got === want, `stdout differs from qemu-riscv64 (- qemu, + vkernel):\n${diff(want, got)}\nstderr:\n${r.stderr}`);
        assert.equal(r.status, wantStatus, `exit status ${statusText(r)} under bin/vkernel, ${wantStatus} under qemu\n${r.stderr}`);
      });
    }
  });
}
