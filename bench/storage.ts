/*
 * Storage benchmark: bench/storage/diskbench.c as init on a UFS2 root image
 * (Debian makefs) under bin/vkernel, and the same program under
 * qemu-riscv64 on the host's file system for scale. Prints both and the ratio.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vkbench-'));

function sh(cmd: string, args: string[], cwd = tmp): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, VKERNEL_QUIET: '1' } });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}${r.stdout}`);
  return r.stdout.replace(/\r\n/g, '\n');
}

function parse(out: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of out.split('\n')) {
    const [k, v] = l.split(' ');
    if (k && v) m.set(k, parseFloat(v));
  }
  return m;
}

try {
  const root = path.join(tmp, 'root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dev'));
  sh('riscv64-linux-gnu-gcc', ['-O2', '-static', '-o', path.join(root, 'bin/diskbench'), path.join(here, 'storage/diskbench.c')]);
  const img = path.join(tmp, 'bench.img');
  sh('makefs', ['-t', 'ffs', '-o', 'version=2', '-s', '96m', '-f', '2000', img, root]);
  const vk = parse(sh(path.join(here, '../bin/vkernel'), ['-m', '256m', '-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/diskbench']));
  const hostDir = path.join(tmp, 'host');
  fs.mkdirSync(hostDir);
  const host = parse(sh('qemu-riscv64', [path.join(root, 'bin/diskbench'), hostDir]));
  console.log('metric        vkernel(UFS)   qemu(host fs)   ratio');
  for (const [k, v] of vk) {
    const h = host.get(k) ?? NaN;
    console.log(`${k.padEnd(12)} ${v.toFixed(1).padStart(12)} ${h.toFixed(1).padStart(15)} ${(h / v).toFixed(1).padStart(7)}x`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
