/*
 * Running the world's programs for the tests: build it (incrementally, once
 * per test process), then run each program under qemu-riscv64 -L <root>,
 * the oracle until the coordinator switches these tests to our kernel.
 *
 * Programs that execve other riscv64 programs (env, xargs, nice, nohup)
 * run inside a private user+mount namespace with its own binfmt_misc that
 * hands riscv64 ELF files to qemu-riscv64 -L <root>, as the corpus does.
 * The host kernel resolves execve paths itself, so PATH points at the
 * staging tree's absolute directories (see `worldPath`).
 *
 *   WORLD_ROOT=dir   use an already built tree instead of building
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { buildWorld, REPO, type BuildResult } from '../../tools/buildworld.ts';

export const OUT = join(REPO, 'build', 'world');
export const ROOT = process.env.WORLD_ROOT ?? join(OUT, 'root');
/** A PATH for the guest that the host kernel can resolve: the tree's own directories. */
export const worldPath = `${ROOT}/bin:${ROOT}/usr/bin:${ROOT}/sbin:${ROOT}/usr/sbin`;

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

/** Where a program lives in the tree: "ls" -> <root>/bin/ls, "usr/bin/wc" as given. */
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

/** A fresh scratch directory (host path, which the guest sees as is). */
export function scratch(name: string): string {
  const base = join(OUT, 'tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
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
