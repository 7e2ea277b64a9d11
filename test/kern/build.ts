/*
 * Building riscv64 test programs with the cross compiler (into build/kern/,
 * cached by content) and running them under qemu-riscv64, the oracle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = join(repo, 'build', 'kern');
export const CC = 'riscv64-linux-gnu-gcc';
export const SYSROOT = '/usr/riscv64-linux-gnu';

export function haveToolchain(): boolean {
  return spawnSync(CC, ['--version']).status === 0;
}

export function haveQemu(): boolean {
  return spawnSync('qemu-riscv64', ['--version']).status === 0;
}

/** Compile C source text to build/kern/<name> (cached by source content). */
export function buildProgram(name: string, src: string, flags: string[] = ['-static', '-O2']): string {
  mkdirSync(buildDir, { recursive: true });
  const c = join(buildDir, `${name}.c`);
  const out = join(buildDir, name);
  const stamp = JSON.stringify(flags) + src;
  const stampFile = `${out}.stamp`;
  if (existsSync(out) && existsSync(stampFile) && readText(stampFile) === stamp) return out;
  writeFileSync(c, src);
  execFileSync(CC, [...flags, '-o', out, c, '-lpthread', '-lm']);
  writeFileSync(stampFile, stamp);
  return out;
}

function readText(p: string): string {
  return readFileSync(p, 'utf8');
}

/** Run a program under qemu-riscv64 (the oracle). */
export function qemuRun(path: string, args: string[] = [], dynamic = false): { stdout: string; status: number } {
  const r = spawnSync('qemu-riscv64', [...(dynamic ? ['-L', SYSROOT] : []), path, ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, status: r.status ?? 128 + 9 };
}
