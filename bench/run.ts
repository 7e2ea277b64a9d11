/*
 * `npm run bench`: every benchmark, one after another (so they don't share the
 * CPU), each printing its own ratios against qemu-riscv64 (boot: against
 * the one-second target; net: against two Linux namespaces on the same relay).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = ['mips.ts', 'programs.ts', 'storage.ts', 'boot.ts', 'net.ts'];
let failed = 0;
for (const b of benches) {
  console.log(`\n== bench/${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, b), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
