/*
 * Boot tests' helpers: a Kernel booted live over a hostfs root with a stub
 * platform, driven like a console (type into it, send host signals, wait for
 * output), and bin/vkernel run as a child process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';
import { Kernel } from '../../kernel/kern/init_main.ts';
import { type BootConfig, defaultBootConfig } from '../../kernel/kern/bootconfig.ts';
import type { Platform } from '../../kernel/platform.ts';
import { NodeHostFs } from '../../platform/node/hostfs.ts';
import { repo } from '../kern/harness.ts';

export * from '../kern/harness.ts';

export const VKERNEL = join(repo, 'bin', 'vkernel');

export interface LiveKernel {
  kernel: Kernel;
  /** Console output so far, "\r\n" turned into "\n". */
  output(): string;
  type(s: string): void;
  /** Resolves when the output matches re (after `from` characters). */
  waitFor(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** Resolves with the halt status (every halt, so a reboot shows 32). */
  halted: Promise<number>;
}

export function bootLive(root: string, init: string, tweak: (c: BootConfig) => void = () => {}): LiveKernel {
  let out = '';
  const dec = new TextDecoder();
  const waiters = new Set<() => void>();
  let resolveHalt: (s: number) => void = () => {};
  const halted = new Promise<number>((r) => { resolveHalt = r; });
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const platform: Platform = {
    console: {
      write: (b) => {
        out += dec.decode(b, { stream: true });
        for (const w of [...waiters]) w();
      },
    },
    monotonicMs: () => performance.now(),
    wallclockMs: () => Date.now(),
    randomBytes: (b) => { randomFillSync(b); },
    schedule: (fn, ms) => {
      if (ms <= 0) {
        const h = setImmediate(fn);
        return () => clearImmediate(h);
      }
      const h = setTimeout(() => { timers.delete(h); fn(); }, ms);
      timers.add(h);
      return () => { clearTimeout(h); timers.delete(h); };
    },
    halt: (status) => {
      for (const h of timers) clearTimeout(h);
      resolveHalt(status);
    },
    hostfs: (dir) => new NodeHostFs(dir),
    hostCpus: () => 2,
  };
  const cfg = defaultBootConfig();
  cfg.memSize = 64 * 1024 * 1024;
  cfg.kenv.set('vfs.root.mountfrom', `hostfs:${root}`);
  cfg.kenv.set('init_path', init);
  tweak(cfg);
  const kernel = new Kernel(platform, cfg);
  kernel.boot();
  const output = (): string => out.replace(/\r\n/g, '\n');
  return {
    kernel,
    output,
    type: (s) => kernel.consoleInput(new TextEncoder().encode(s)),
    halted,
    waitFor(re, from = 0, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = re.exec(output().slice(from));
          if (!m) return;
          waiters.delete(check);
          clearTimeout(t);
          resolve(m[0]);
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re}; output:\n${output()}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export interface VkResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run bin/vkernel to completion (short runs only). */
export function runVkernel(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string; timeout?: number } = {}): VkResult {
  const r = spawnSync(process.execPath, [VKERNEL, ...args], {
    cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: opts.timeout ?? 30000,
    env: { ...process.env, ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start bin/vkernel and keep talking to it. */
export interface VkChild {
  child: ChildProcess;
  out(): string;
  err(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function startVkernel(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): VkChild {
  const child = spawn(process.execPath, [VKERNEL, ...args], {
    cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => { out += d.toString('utf8'); for (const w of [...waiters]) w(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); for (const w of [...waiters]) w(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    out: () => out.replace(/\r\n/g, '\n'),
    err: () => err,
    exited,
    waitFor(re, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!re.test(out.replace(/\r\n/g, '\n')) && !re.test(err)) return;
          waiters.delete(check);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re}; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
