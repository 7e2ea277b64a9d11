/*
 * Test harness for the kernel proper: build riscv64 programs with the cross
 * compiler into build/kern/, lay out a root directory (glibc's loader and
 * libraries for dynamic programs), boot a Kernel over it through hostfs with
 * a stub Platform, and collect the console output and the halt status.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { Kernel } from '../../kernel/kern/init_main.ts';
import { defaultBootConfig } from '../../kernel/kern/bootconfig.ts';
import type { Platform } from '../../kernel/platform.ts';
import { NodeHostFs } from '../../platform/node/hostfs.ts';
import { SYSROOT } from './build.ts';

export * from './build.ts';

/** A fresh root: /bin with the given programs, /dev and /tmp, and glibc for dynamic ones. */
const roots: string[] = [];
process.on('exit', () => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

export function makeRoot(programs: Record<string, string>, withLibc = false): string {
  const root = mkdtempSync(join(tmpdir(), 'vkroot-'));
  roots.push(root);
  for (const d of ['bin', 'dev', 'tmp', 'lib', 'etc']) mkdirSync(join(root, d), { recursive: true });
  for (const [name, path] of Object.entries(programs)) {
    copyFileSync(path, join(root, 'bin', name));
    chmodSync(join(root, 'bin', name), statSync(path).mode | 0o755);
  }
  if (withLibc) {
    const lib = join(root, 'lib', 'riscv64-linux-gnu');
    mkdirSync(lib, { recursive: true });
    copyFileSync(join(SYSROOT, 'lib', 'ld-linux-riscv64-lp64d.so.1'), join(root, 'lib', 'ld-linux-riscv64-lp64d.so.1'));
    for (const so of ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libgcc_s.so.1']) {
      const src = join(SYSROOT, 'lib', so);
      if (existsSync(src)) copyFileSync(src, join(lib, so));
    }
  }
  return root;
}

export interface BootResult {
  status: number;
  console: string;
  kernel: Kernel;
}

/** Boot a kernel over root with init_path=init (and more kenv); resolve when it halts. */
export function bootRoot(root: string, init: string, opts: { kenv?: Record<string, string>; timeoutMs?: number; mem?: number; input?: string; setup?: (k: Kernel) => void } = {}): Promise<BootResult> {
  return new Promise((resolve, reject) => {
    let out = '';
    const dec = new TextDecoder();
    const timers = new Set<ReturnType<typeof setTimeout>>();
    let kernel: Kernel | null = null;
    const t0 = performance.now();
    const platform: Platform = {
      console: { write: (b) => { out += dec.decode(b, { stream: true }); } },
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
        clearTimeout(guard);
        for (const h of timers) clearTimeout(h);
        resolve({ status, console: out, kernel: kernel! });
      },
      hostfs: (dir) => new NodeHostFs(dir),
      hostCpus: () => 2,
    };
    const cfg = defaultBootConfig();
    cfg.memSize = opts.mem ?? 64 * 1024 * 1024;
    cfg.kenv.set('vfs.root.mountfrom', `hostfs:${root}`);
    cfg.kenv.set('init_path', init);
    for (const [k, v] of Object.entries(opts.kenv ?? {})) cfg.kenv.set(k, v);
    const guard = setTimeout(() => {
      kernel?.sched.halt();
      reject(new Error(`kernel did not halt within ${opts.timeoutMs ?? 20000} ms; console:\n${out}`));
    }, opts.timeoutMs ?? 20000);
    kernel = new Kernel(platform, cfg);
    opts.setup?.(kernel);
    kernel.boot();
    if (opts.input) kernel.consoleInput(new TextEncoder().encode(opts.input));
    void t0;
  });
}

/** The part of the console output after the boot log (what programs wrote). */
export function programOutput(consoleText: string): string {
  const i = consoleText.indexOf('Mounting root from');
  const rest = i < 0 ? consoleText : consoleText.slice(consoleText.indexOf('\n', i) + 1);
  const j = rest.indexOf('syncing disks...');
  return (j < 0 ? rest : rest.slice(0, j)).replace(/\r\n/g, '\n');
}

