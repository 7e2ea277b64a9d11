// Build the browser's demo root: demo/*.c compiled with riscv64-linux-gnu-gcc -static into
// public/demo/bin/, plus public/demo/manifest.json listing the files the kernel worker
// fetches into its in-memory root. Rebuilds only what changed. `node scripts/build-demo.mjs`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'demo');
const out = join(root, 'public', 'demo');
const CC = process.env.RISCV_CC ?? 'riscv64-linux-gnu-gcc';

/** Compile every demo/*.c that is newer than its binary; return the manifest. */
export function buildDemo() {
  mkdirSync(join(out, 'bin'), { recursive: true });
  const files = [];
  for (const name of readdirSync(src).filter((n) => n.endsWith('.c')).sort()) {
    const prog = name.slice(0, -2);
    const bin = join(out, 'bin', prog);
    const csrc = join(src, name);
    if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(csrc).mtimeMs) {
      // -s keeps the download small; static so the root needs no ld.so or libc.
      execFileSync(CC, ['-static', '-O2', '-s', '-o', bin, csrc], { stdio: 'inherit' });
    }
    files.push({ path: `bin/${prog}`, mode: 0o755, size: statSync(bin).size });
  }
  const manifest = { files, init: '/bin/hello' };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = buildDemo();
  console.log(`public/demo: ${m.files.map((f) => f.path).join(', ')}`);
}
