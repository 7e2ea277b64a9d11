// `npm test`: every test/**/*.test.ts and e2e/**/*.test.ts under node's test runner (via tsx).
// Arguments narrow the run: `npm test -- test/cpu` or a file.
import { readdirSync, statSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findTests(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['test', 'e2e'];
const files = roots.flatMap((r) => (statSync(join(root, r)).isDirectory() ? findTests(join(root, r), []) : [r])).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Bundle bin/vkernel once up front, so parallel tests don't all rebuild it; build the
// world and its images (incremental) so the tests that boot them find them current.
const { buildNode } = await import('./build.mjs');
await buildNode();
if (args.length === 0) {
  const w = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools', 'buildworld.ts')], { cwd: root, stdio: 'inherit' });
  if (w.status !== 0) process.exit(w.status ?? 1);
}

// spec for people, TAP to a file so we can close with the plain `N passed, N failed` line.
mkdirSync(join(root, 'build'), { recursive: true });
const tap = join(root, 'build', 'test-results.tap');
const r = spawnSync(process.execPath, [
  '--import', 'tsx', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { cwd: root, stdio: 'inherit' });
const summary = readFileSync(tap, 'utf8');
const count = (k) => Number((new RegExp(`^# ${k} (\\d+)$`, 'm').exec(summary) ?? [0, 0])[1]);
const skipped = count('skipped') + count('todo');
console.log(`${count('pass')} passed, ${count('fail')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(r.status ?? 1);
