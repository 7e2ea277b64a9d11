/*
 * Boot benchmark: bin/vkernel -m 64m -r <copy of the world's root image> on a
 * pty (script(1)), from process start to the boot log's milestones and the
 * `login:` prompt, then `root` logged in at a shell prompt and `halt` back to
 * the host. Several runs; prints the median of each and its ratio to the
 * one-second target of the boot issue.
 *
 *   node --import tsx bench/boot.ts [runs]
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const image = join(repo, 'public', 'images', 'root.img');
const runs = Number(process.argv[2] ?? 5);
const TARGET_MS = 1000;

interface Marks {
  root: number;
  login: number;
  shell: number;
  halted: number;
}

function once(dir: string): Promise<Marks> {
  const img = join(dir, 'root.img');
  copyFileSync(image, img);
  const cmd = [process.execPath, join(repo, 'bin', 'vkernel'), '-m', '64m', '-i', join(dir, 'mem'), '-r', img]
    .map((a) => `'${a}'`).join(' ');
  const t0 = performance.now();
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const marks: Partial<Marks> = {};
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no login prompt: ${out}`)); }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const now = performance.now() - t0;
      if (marks.root === undefined && out.includes('Mounting root from')) marks.root = now;
      if (marks.login === undefined && /login: $/.test(out)) {
        marks.login = now;
        child.stdin.write('root\r');
      }
      if (marks.login !== undefined && marks.shell === undefined && /# $/.test(out)) {
        marks.shell = now;
        child.stdin.write('halt\r');
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      marks.halted = performance.now() - t0;
      if (marks.login === undefined || marks.shell === undefined || marks.root === undefined) reject(new Error(`incomplete boot: ${out}`));
      else resolve(marks as Marks);
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync(image)) {
  console.log('bench/boot: no public/images/root.img (npm run buildworld)');
  process.exit(1);
}
if (spawnSync('script', ['--version']).status !== 0) {
  console.log('bench/boot: needs script(1) for a pty');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'vkbench-boot-'));
try {
  await once(dir); /* warm: the bundle is built and the host's page cache holds the image */
  const all: Marks[] = [];
  for (let i = 0; i < runs; i++) all.push(await once(dir));
  const row = (name: string, key: keyof Marks, target?: number) => {
    const m = median(all.map((x) => x[key]));
    const ratio = target ? `  (${(m / target).toFixed(2)}x the ${target} ms target)` : '';
    console.log(`${name.padEnd(34)} ${m.toFixed(0).padStart(6)} ms${ratio}`);
  };
  console.log(`bin/vkernel -m 64m -r root.img on a pty, median of ${runs} warm runs:`);
  row('start -> Mounting root', 'root');
  row('start -> login: prompt', 'login', TARGET_MS);
  row('start -> root shell prompt', 'shell');
  row('start -> halted, process gone', 'halted');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
