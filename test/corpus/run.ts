/*
 * Running one corpus binary under the oracle (qemu-riscv64) or under our
 * kernel (bin/vkernel), capturing stdout and an exit status in the shell's
 * convention (death by signal N = 128 + N), as bin/vkernel reports pid 1's.
 *
 * Programs tagged "corpus: exec" execve riscv64 binaries themselves.  Under
 * qemu-user that needs binfmt_misc, so they run inside a private user and
 * mount namespace with its own binfmt_misc instance (Linux >= 6.7) that sends
 * riscv64 ELF files to a wrapper calling qemu-riscv64 -L <sysroot>.  Nothing
 * outside the namespace changes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { CORPUS_ROOT, CROSS_SYSROOT, REPO, binaryPath, type Program, type Variant } from './build.ts';

export const VKERNEL = join(REPO, 'bin', 'vkernel');

export interface RunResult {
  stdout: string;
  stderr: string;
  /** exit code, or 128 + signal number; -1 when killed by our timeout */
  status: number;
  timedOut: boolean;
  ms: number;
}

/** A clean, fixed environment: the programs must not depend on ours. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

export function run(cmd: string, args: string[], opts: { timeoutMs: number; env: Record<string, string>; cwd?: string }): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd ?? '/tmp', stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: qemu children of fork tests too.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, opts.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const sig = signal ? (constants.signals as Record<string, number>)[signal] : 0;
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status: timedOut ? -1 : signal ? 128 + sig : (code ?? -1),
        timedOut,
        ms: performance.now() - t0,
      });
    });
  });
}

const BINFMT_WRAPPER = join(REPO, 'build', 'corpus', 'qemu-binfmt-riscv64');
const ELF_MAGIC = '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00';
const ELF_MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
const NS_SCRIPT =
  'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && ' +
  'printf "%s" "$0" > /proc/sys/fs/binfmt_misc/register && exec "$@"';

function binfmtArgs(): string[] {
  return ['--user', '--map-root-user', '--mount', 'sh', '-c', NS_SCRIPT,
    `:corpus-riscv64:M:0:${ELF_MAGIC}:${ELF_MASK}:${BINFMT_WRAPPER}:P`];
}

let binfmtOk: boolean | undefined;

/** Can we give qemu-user a private binfmt_misc (for programs that execve)? */
export function qemuExecSupported(): boolean {
  if (binfmtOk !== undefined) return binfmtOk;
  mkdirSync(join(REPO, 'build', 'corpus'), { recursive: true });
  // binfmt_misc with the P flag passes: file, original argv[0], args.
  // perl, not sh: a shell would add PWD to the environment the guest chose.
  writeFileSync(BINFMT_WRAPPER,
    '#!/usr/bin/perl\n# binfmt_misc (P flag) interpreter for the corpus: file, argv[0], args\n' +
    `my ($f, $a0, @args) = @ARGV;\nexec { 'qemu-riscv64' } 'qemu-riscv64', '-L', '${CROSS_SYSROOT}', '-0', $a0, $f, @args;\n` +
    'die "qemu-riscv64: $!\\n";\n');
  chmodSync(BINFMT_WRAPPER, 0o755);
  const r = spawnSync('unshare', [...binfmtArgs(), 'true'], { encoding: 'utf8' });
  binfmtOk = r.status === 0;
  return binfmtOk;
}

export function runQemu(p: Program, v: Variant, timeoutMs: number, args: string[] = []): Promise<RunResult> {
  const bin = binaryPath(p.name, v);
  const qargs = [...(v.startsWith('dynamic') ? ['-L', CROSS_SYSROOT] : []), bin, ...args];
  if (p.tags.has('exec') && qemuExecSupported()) {
    return run('unshare', [...binfmtArgs(), 'qemu-riscv64', ...qargs], { timeoutMs, env: baseEnv() });
  }
  return run('qemu-riscv64', qargs, { timeoutMs, env: baseEnv() });
}

export function vkernelPresent(): boolean {
  return existsSync(VKERNEL);
}

export function runVkernel(p: Program, v: Variant, timeoutMs: number): Promise<RunResult> {
  return run(VKERNEL, ['-m', '256m', '-e', `vfs.root.mountfrom=hostfs:${CORPUS_ROOT}`,
    '-e', `init_path=/bin/${p.name}.${v}`], { timeoutMs, env: baseEnv({ VKERNEL_QUIET: '1' }), cwd: REPO });
}
