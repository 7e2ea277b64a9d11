/*
 * Storage benchmark: bench/storage/diskbench.c as init on a UFS2 root image
 * (Debian makefs) under bin/vkernel, and the same program under
 * qemu-riscv64 on the host's file system for scale. Sequential and random
 * (4 KiB and 64 KiB records over a 48 MiB file) MB/s, small-file create and
 * delete rates in a directory tree. Prints both and the ratio host/vkernel.
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

/** "metric value unit" lines. */
function parse(out: string): Map<string, { v: number; unit: string }> {
  const m = new Map<string, { v: number; unit: string }>();
  for (const l of out.split('\n')) {
    const f = /^(\w+) ([\d.]+) (\S+)$/.exec(l);
    if (f) m.set(f[1], { v: parseFloat(f[2]), unit: f[3] });
  }
  return m;
}

try {
  const root = path.join(tmp, 'root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dev'));
  sh('riscv64-linux-gnu-gcc', ['-O2', '-static', '-o', path.join(root, 'bin/diskbench'), path.join(here, 'storage/diskbench.c')]);
  const img = path.join(tmp, 'bench.img');
  sh('makefs', ['-t', 'ffs', '-o', 'version=2', '-s', '96m', '-f', '4000', img, root]);
  const vkOut = sh(path.join(here, '../bin/vkernel'), ['-m', '256m', '-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/diskbench']);
  const vk = parse(vkOut);
  if (vk.size === 0) throw new Error(`diskbench under vkernel printed nothing: ${vkOut}`);
  const hostDir = path.join(tmp, 'host');
  fs.mkdirSync(hostDir);
  const host = parse(sh('qemu-riscv64', [path.join(root, 'bin/diskbench'), hostDir]));
  console.log('metric         unit       vkernel(UFS)   qemu(host fs)     ratio');
  for (const [k, { v, unit }] of vk) {
    const h = host.get(k)?.v ?? NaN;
    console.log(`${k.padEnd(14)} ${unit.padEnd(8)} ${v.toFixed(1).padStart(14)} ${h.toFixed(1).padStart(15)} ${(h / v).toFixed(1).padStart(8)}x`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
