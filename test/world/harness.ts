/*
 * Running the world's programs for the tests: build it (incrementally, once
 * per test process), then run each program inside our kernel: bin/vkernel
 * boots a copy of the staging tree over hostfs with test/world/c/vkrun.c as
 * pid 1, which mounts the scratch tree read-write at the path the host uses,
 * runs the program with the test's argv, environment, cwd and stdin, and
 * exits with its status.
 *
 *   WORLD_ORACLE=qemu  run under qemu-riscv64 -L <root> on the host's Linux
 *                      kernel instead (the oracle: both must pass)
 *   WORLD_ROOT=dir     use an already built tree instead of building
 *
 * Under qemu, programs that execve other riscv64 programs (env, xargs, nice,
 * nohup) run inside a private user+mount namespace with its own binfmt_misc
 * that hands riscv64 ELF files to qemu-riscv64 -L <root>, as the corpus does.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, existsSync, fstatSync, linkSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { constants, cpus } from 'node:os';
import { buildWorld, REPO, type BuildResult } from '../../tools/buildworld.ts';

export const OUT = join(REPO, 'build', 'world');
export const ROOT = process.env.WORLD_ROOT ?? join(OUT, 'root');
/** Programs run inside our kernel (default) or under qemu-riscv64 (the oracle). */
export const IN_KERNEL = process.env.WORLD_ORACLE !== 'qemu';
/** The world's root as the programs see it: '' in our kernel (it is /), the staging tree under qemu. */
export const GROOT = IN_KERNEL ? '' : ROOT;
/** A PATH for the guest: the tree's own directories as the program sees them. */
export const worldPath = `${GROOT}/bin:${GROOT}/usr/bin:${GROOT}/sbin:${GROOT}/usr/sbin`;

let built: Promise<BuildResult> | undefined;

/** Build the world once per process; later calls share the result. */
export function ensureWorld(): Promise<BuildResult> {
  if (process.env.WORLD_ROOT) {
    return Promise.resolve({ root: ROOT, built: [], upToDate: 0, errors: [], warnings: [] });
  }
  built ??= buildWorld({ jobs: 2 });
  return built;
}

export interface Result {
  stdout: string;
  stderr: string;
  /** exit code, or 128 + signal */
  status: number;
}

export interface RunOptions {
  stdin?: string | Buffer;
  cwd?: string;
  env?: Record<string, string>;
  /** run in the binfmt namespace so the program can execve riscv64 programs */
  exec?: boolean;
  timeoutMs?: number;
  /** raw stdout bytes wanted */
  binary?: boolean;
}

export interface BinResult extends Result {
  out: Buffer;
}

const WRAPPER = join(OUT, 'qemu-binfmt-riscv64');
const ELF_MAGIC = '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00';
const ELF_MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
// The guest's PATH is set only after the host tools (mount, printf) have run.
const NS_SCRIPT =
  'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && ' +
  'printf "%s" "$0" > /proc/sys/fs/binfmt_misc/register && ' +
  'export PATH="$WORLD_GUEST_PATH" && unset WORLD_GUEST_PATH && exec "$@"';

/** Host tools by absolute path: the environment we pass has the guest's PATH. */
function hostTool(name: string): string {
  for (const d of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return name;
}
const QEMU = hostTool('qemu-riscv64');

let wrapperWritten = false;
function binfmtPrefix(): string[] {
  if (!wrapperWritten) {
    wrapperWritten = true;
    mkdirSync(OUT, { recursive: true });
    // binfmt_misc with the P flag passes: file, original argv[0], args.
    const tmp = `${WRAPPER}.${process.pid}`;
    writeFileSync(tmp,
      '#!/usr/bin/perl\n# binfmt_misc (P flag) interpreter for the world tests\n' +
      `my ($f, $a0, @args) = @ARGV;\nexec { '${QEMU}' } 'qemu-riscv64', '-L', '${ROOT}', '-0', $a0, $f, @args;\n` +
      'die "qemu-riscv64: $!\\n";\n');
    chmodSync(tmp, 0o755);
    renameSync(tmp, WRAPPER);	// atomically: other test processes may be using it
  }
  return [hostTool('unshare'), '--user', '--map-root-user', '--mount', 'sh', '-c', NS_SCRIPT,
    `:world-riscv64:M:0:${ELF_MAGIC}:${ELF_MASK}:${WRAPPER}:P`];
}

/** Where a program lives as the program itself sees it (its path in the guest). */
export function guestPath(prog: string): string {
  return GROOT + progPath(prog).slice(ROOT.length);
}

/** Where a program lives in the tree on the host: "ls" -> <root>/bin/ls, "usr/bin/wc" as given. */
export function progPath(prog: string): string {
  if (prog.includes('/')) return join(ROOT, prog);
  for (const d of ['bin', 'usr/bin', 'sbin', 'usr/sbin', 'usr/libexec']) {
    const p = join(ROOT, d, prog);
    if (existsSync(p)) return p;
  }
  return join(ROOT, 'bin', prog);
}

/** Run a program of the world with arguments; resolves with its output and status. */
export function run(prog: string, args: string[] = [], opts: RunOptions = {}): Promise<BinResult> {
  return IN_KERNEL ? runInKernel(prog, args, opts) : runQemu(prog, args, opts);
}

function runQemu(prog: string, args: string[], opts: RunOptions): Promise<BinResult> {
  const bin = progPath(prog);
  const argv0 = prog.slice(prog.lastIndexOf('/') + 1);
  const qemu = [QEMU, '-L', ROOT, '-0', argv0, bin, ...args];
  const cmd = opts.exec ? [...binfmtPrefix(), ...qemu] : qemu;
  let env: Record<string, string> = { PATH: worldPath, HOME: '/', LC_ALL: 'C', TZ: 'UTC', ...opts.env };
  if (opts.exec) env = { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin', WORLD_GUEST_PATH: env.PATH };
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: opts.cwd ?? '/', env, stdio: ['pipe', 'pipe', 'pipe'], detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => { /* the program may not read its input */ });
    child.stdin.end(opts.stdin ?? '');
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, opts.timeoutMs ?? 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const o = Buffer.concat(out);
      resolve({
        out: o,
        stdout: o.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status: signal ? 128 + (constants.signals as Record<string, number>)[signal] : (code ?? -1),
      });
    });
  });
}

/** Scratch directories live here; the guest sees this tree at the same path. */
const SCRATCH = join(OUT, 'tmp');

/** A fresh scratch directory (host path, which the guest sees as is). */
export function scratch(name: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, `${name}-`));
}

/* ---- inside our kernel ---- */

const VKERNEL = join(REPO, 'bin', 'vkernel');
const VKRUN_SRC = join(REPO, 'test', 'world', 'c', 'vkrun.c');

interface KernelRoot {
  /** A hard-linked copy of the staging tree with the mount point and job directory added. */
  dir: string;
  vkrun: string;
}
let kernelRoot: KernelRoot | undefined;
let jobSeq = 0;

/** This process's root for the guest, made once: the world, vkrun, /.jobs and the scratch mount point. */
function guestRoot(): KernelRoot {
  if (kernelRoot) return kernelRoot;
  const base = join(OUT, 'vkrun');
  mkdirSync(base, { recursive: true });
  const vkrun = join(base, `vkrun.${process.pid}`);
  const cc = spawnSync('riscv64-linux-gnu-gcc', ['-static', '-O2', '-Wall', '-o', vkrun, VKRUN_SRC], { encoding: 'utf8' });
  assert.equal(cc.status, 0, `building vkrun: ${cc.stderr}`);
  const dir = join(base, `root.${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  /* Hard links: fast, no space, and later world rebuilds replace files by rename, never in place. */
  const cp = spawnSync('cp', ['-al', ROOT, dir], { encoding: 'utf8' });
  assert.equal(cp.status, 0, `copying the world: ${cp.stderr}`);
  mkdirSync(join(dir, '.jobs'));
  mkdirSync(join(dir, SCRATCH), { recursive: true });
  mkdirSync(SCRATCH, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  kernelRoot = { dir, vkrun };
  return kernelRoot;
}

/** The guest's view of a PATH made for the host tree: the staging tree's prefix dropped. */
function guestEnvPath(p: string): string {
  return p.split(':').map((d) => (d.startsWith(`${ROOT}/`) ? d.slice(ROOT.length) : d)).join(':');
}

/* A test's timeout is the program's: booting the vkernel around it comes on top. */
const BOOT_ALLOWANCE_MS = 3000;

/*
 * Each run boots a vkernel (a Node process and a CPU engine): run a couple at
 * a time so a suite's concurrency does not turn into dozens of kernels
 * fighting for the host's CPUs and timing out.
 */
const KERNEL_SLOTS = Math.max(2, Math.min(4, Math.floor(cpus().length / 2)));
let slotsBusy = 0;
const slotWaiters: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slotsBusy >= KERNEL_SLOTS) await new Promise<void>((r) => slotWaiters.push(r));
  else slotsBusy++;
  try {
    return await fn();
  } finally {
    const next = slotWaiters.shift();
    if (next) next();
    else slotsBusy--;
  }
}

function runInKernel(prog: string, args: string[], opts: RunOptions): Promise<BinResult> {
  return withSlot(() => bootAndRun(prog, args, opts));
}

function bootAndRun(prog: string, args: string[], opts: RunOptions): Promise<BinResult> {
  const root = guestRoot();
  const n = `${process.pid}.${++jobSeq}`;
  const jobs = join(SCRATCH, '.jobs');
  mkdirSync(jobs, { recursive: true });
  const io = join(jobs, n);
  const files = { in: `${io}.in`, out: `${io}.out`, err: `${io}.err` };
  writeFileSync(files.in, opts.stdin ?? '');
  const argv0 = prog.slice(prog.lastIndexOf('/') + 1);
  const env: Record<string, string> = { PATH: worldPath, HOME: '/', LC_ALL: 'C', TZ: 'UTC', ...opts.env };
  if (env.PATH !== undefined) env.PATH = guestEnvPath(env.PATH);
  const envList = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const fields = [SCRATCH, opts.cwd ?? '/', files.in, files.out, files.err, guestPath(prog),
    String(args.length + 1), argv0, ...args, String(envList.length), ...envList];
  const init = join(root.dir, '.jobs', n);
  writeFileSync(`${init}.job`, fields.map((f) => `${f}\0`).join(''));
  linkSync(root.vkrun, init);
  const memimg = join(jobs, `${n}.mem`);
  const vkargs = ['-m', '128m', '-i', memimg, '-e', `vfs.root.mountfrom=hostfs:${root.dir}`, '-e', `init_path=/.jobs/${n}`];
  return new Promise((resolve) => {
    const child = spawn(VKERNEL, vkargs, {
      cwd: jobs, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      env: { ...process.env, VKERNEL_QUIET: '1', VKERNEL_HOSTFS_RW: SCRATCH },
    });
    const con: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => con.push(b));
    child.stderr.on('data', (b: Buffer) => con.push(b));
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, opts.timeoutMs !== undefined ? opts.timeoutMs + BOOT_ALLOWANCE_MS : 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      /* A runaway program must not take the test process with it: keep the first 64 MiB. */
      const read = (f: string) => {
        if (!existsSync(f)) return Buffer.alloc(0);
        const fd = openSync(f, 'r');
        try {
          const b = Buffer.alloc(Math.min(fstatSync(fd).size, 64 << 20));
          return b.subarray(0, readSync(fd, b, 0, b.length, 0));
        } finally {
          closeSync(fd);
        }
      };
      const o = read(files.out);
      const e = read(files.err).toString('utf8');
      /* What the kernel itself said (a panic, vkrun's own failure) goes with stderr. */
      const console = Buffer.concat(con).toString('utf8');
      const status = signal ? 128 + (constants.signals as Record<string, number>)[signal] : (code ?? -1);
      for (const f of [files.in, files.out, files.err, memimg, init, `${init}.job`]) rmSync(f, { force: true });
      resolve({ out: o, stdout: o.toString('utf8'), stderr: e + console, status });
    });
  });
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Expect {
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  status?: number;
}

/** Run and compare: exact strings or patterns; status defaults to 0. */
export async function expectRun(prog: string, args: string[], want: Expect, opts: RunOptions = {}): Promise<BinResult> {
  const r = await run(prog, args, opts);
  const what = `${prog} ${args.join(' ')}`;
  if (want.stdout instanceof RegExp) assert.match(r.stdout, want.stdout, `${what}: stdout`);
  else if (want.stdout !== undefined) assert.equal(r.stdout, want.stdout, `${what}: stdout`);
  if (want.stderr instanceof RegExp) assert.match(r.stderr, want.stderr, `${what}: stderr`);
  else if (want.stderr !== undefined) assert.equal(r.stderr, want.stderr, `${what}: stderr`);
  assert.equal(r.status, want.status ?? 0, `${what}: exit status (stderr: ${r.stderr.trim()})`);
  return r;
}
