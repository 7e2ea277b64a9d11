/*
 * Helpers for the storage integration tests: a scratch directory, riscv64
 * programs compiled at test time, root trees with glibc, disk images made
 * by Debian's makefs, our tools/makefs.ts and xorriso, bin/vkernel runs,
 * and host-side checks of an image with the UFS library.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemBlockDev, type BlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { dsOpen } from '../../kernel/dev/disk/diskslice.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VKERNEL = path.join(REPO, 'bin/vkernel');
const GLIBC = '/usr/riscv64-linux-gnu/lib';

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function scratch(): { dir: string; done(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vkstorage-'));
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Compile test/storage/c/<name>.c for riscv64 (dynamic, against Debian's cross glibc). */
export function compile(name: string, outDir: string): string {
  const out = path.join(outDir, name);
  const r = spawnSync('riscv64-linux-gnu-gcc', ['-O1', '-o', out, path.join(REPO, 'test/storage/c', `${name}.c`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc ${name}: ${r.stderr}`);
  return out;
}

/** A root tree: /bin with the given programs, /lib with ld.so and libc, empty /dev /tmp /proc /mnt. */
export function makeRoot(dir: string, programs: string[]): string {
  const root = path.join(dir, 'root');
  for (const d of ['bin', 'lib', 'dev', 'tmp', 'proc', 'mnt']) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const p of programs) fs.copyFileSync(p, path.join(root, 'bin', path.basename(p)));
  for (const lib of ['ld-linux-riscv64-lp64d.so.1', 'libc.so.6']) {
    fs.copyFileSync(fs.realpathSync(path.join(GLIBC, lib)), path.join(root, 'lib', lib));
  }
  return root;
}

export function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface VkResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run bin/vkernel with args (cwd: the scratch dir, where its memory image file goes). */
export function vkernel(args: string[], cwd: string, opts: { quiet?: boolean; timeoutMs?: number } = {}): Promise<VkResult> {
  return new Promise((resolve) => {
    const child = spawn(VKERNEL, ['-m', '64m', ...args], {
      cwd, env: { ...process.env, VKERNEL_QUIET: opts.quiet === false ? '0' : '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: stdout.replace(/\r\n/g, '\n'), stderr });
    });
  });
}

/** Start bin/vkernel and resolve once its output contains marker (the test kills it). */
export function vkernelUntil(args: string[], cwd: string, marker: string): Promise<{ kill(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(VKERNEL, ['-m', '64m', ...args], { cwd, env: { ...process.env, VKERNEL_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      if (out.includes(marker)) resolve({ kill: async () => { child.kill('SIGKILL'); await closed; } });
    });
    child.on('close', (code) => reject(new Error(`vkernel exited (${code}) before "${marker}": ${out}`)));
  });
}

/** The file system device of an image: the whole file, or a slice/partition ("s0a"). */
export function imageDev(file: string, suffix = ''): BlockDev {
  const dev = new MemBlockDev(new Uint8Array(fs.readFileSync(file)));
  const part = dsOpen(dev, suffix);
  if (!part) throw new Error(`no ${suffix} in ${file}`);
  return part;
}
