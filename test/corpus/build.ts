/*
 * Build the differential test corpus: every test/corpus/*.c in four variants
 * (static/dynamic x -O0/-O2) with Debian's riscv64-linux-gnu-gcc, into
 * build/corpus/root/bin/<name>.<variant>, and lay out build/corpus/root as a
 * root file system the vkernel can boot from hostfs (glibc's loader and
 * libraries in lib/, empty tmp/ dev/ proc/ etc/).
 *
 * Incremental: a binary newer than its source and corpus.h is kept.
 * Run alone with `node --import tsx test/corpus/build.ts`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_SRC = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(CORPUS_SRC, '..', '..');
export const CORPUS_ROOT = join(REPO, 'build', 'corpus', 'root');
export const CORPUS_BIN = join(CORPUS_ROOT, 'bin');
export const CROSS_SYSROOT = '/usr/riscv64-linux-gnu';
export const CC = 'riscv64-linux-gnu-gcc';

export const VARIANTS = ['static-O0', 'static-O2', 'dynamic-O0', 'dynamic-O2'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Program {
  name: string;
  source: string;
  /** Comment tags in the source: "corpus: exec" = needs execve of riscv binaries. */
  tags: Set<string>;
}

/** The programs of the corpus, sorted by name. */
export function listPrograms(): Program[] {
  return readdirSync(CORPUS_SRC)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => {
      const source = join(CORPUS_SRC, f);
      const tags = new Set<string>();
      for (const m of readFileSync(source, 'utf8').matchAll(/corpus:\s*([\w-]+)/g)) tags.add(m[1]);
      return { name: f.slice(0, -2), source, tags };
    });
}

export function binaryPath(name: string, variant: Variant): string {
  return join(CORPUS_BIN, `${name}.${variant}`);
}

function compile(p: Program, variant: Variant): Promise<string | null> {
  const out = binaryPath(p.name, variant);
  const args = [
    '-std=gnu11', '-Wall', '-Wno-unused-function',
    // No fused multiply-add behind our back: -O0 and -O2 must print the same.
    '-ffp-contract=off',
    variant.endsWith('O2') ? '-O2' : '-O0',
    ...(variant.startsWith('static') ? ['-static'] : []),
    '-pthread', '-o', out, p.source, '-lm',
  ];
  return new Promise((res) => {
    execFile(CC, args, { maxBuffer: 1 << 24 }, (err, _stdout, stderr) => {
      res(err ? `${p.name}.${variant}: ${CC} failed\n${stderr}` : null);
    });
  });
}

function newer(out: string, ...inputs: string[]): boolean {
  if (!existsSync(out)) return false;
  const t = statSync(out).mtimeMs;
  return inputs.every((i) => statSync(i).mtimeMs < t);
}

/** The shared objects a dynamic glibc program may pull in. */
const LIBS = ['libc.so.6', 'libm.so.6', 'libgcc_s.so.1', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libatomic.so.1'];

function prepareRoot(): void {
  for (const d of ['bin', 'lib/riscv64-linux-gnu', 'tmp', 'dev', 'proc', 'etc']) {
    mkdirSync(join(CORPUS_ROOT, d), { recursive: true });
  }
  const copy = (src: string, dst: string) => {
    if (!newer(dst, src)) copyFileSync(src, dst);
  };
  const lib = join(CROSS_SYSROOT, 'lib');
  copy(join(lib, 'ld-linux-riscv64-lp64d.so.1'), join(CORPUS_ROOT, 'lib', 'ld-linux-riscv64-lp64d.so.1'));
  for (const l of LIBS) {
    if (existsSync(join(lib, l))) copy(join(lib, l), join(CORPUS_ROOT, 'lib', 'riscv64-linux-gnu', l));
  }
}

/**
 * Build what is out of date, `jobs` compilers at a time.
 * Returns the error messages of failed compilations (empty when all built).
 */
export async function buildCorpus(opts: { filter?: RegExp; jobs?: number; log?: (s: string) => void } = {}): Promise<string[]> {
  prepareRoot();
  const header = join(CORPUS_SRC, 'corpus.h');
  const work: Array<[Program, Variant]> = [];
  for (const p of listPrograms()) {
    if (opts.filter && !opts.filter.test(p.name)) continue;
    for (const v of VARIANTS) {
      if (!newer(binaryPath(p.name, v), p.source, header)) work.push([p, v]);
    }
  }
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const [p, v] = work[next++];
      opts.log?.(`cc ${p.name}.${v}`);
      const err = await compile(p, v);
      if (err) errors.push(err);
    }
  };
  await Promise.all(Array.from({ length: opts.jobs ?? 2 }, worker));
  return errors;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const f = process.env.CORPUS_FILTER;
  const errors = await buildCorpus({ filter: f ? new RegExp(f) : undefined, log: (s) => console.log(s) });
  for (const e of errors) console.error(e);
  process.exitCode = errors.length ? 1 : 0;
}
