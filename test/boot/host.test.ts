/*
 * bin/vkernel as a host process: -p pidfile (pid, lock, removal), -i memory
 * images (creation, size, errors, memory written at halt, the default
 * memimg.NNNNNN in the current directory), SIGTERM → a clean halt through
 * init, reboot → a second boot in the same process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, haveToolchain, makeRoot, runVkernel, startVkernel } from './harness.ts';

const skip = !haveToolchain();
const src = (n: string): string => readFileSync(join(import.meta.dirname, 'progs', `${n}.c`), 'utf8');
function root(): string {
  return makeRoot({
    rb: buildProgram('boot_rb', src('rb'), ['-static', '-O2']),
    spin: buildProgram('boot_spin', src('spin'), ['-static', '-O1', '-fno-omit-frame-pointer']),
  });
}
const boot = (r: string, init: string): string[] => ['-e', `vfs.root.mountfrom=hostfs:${r}`, '-e', `init_path=${init}`];

test('-p: the pid in the file, a second vkernel is refused, the file goes at exit; SIGTERM halts through init', { skip }, async () => {
  const r = root();
  const pidfile = join(r, 'tmp', 'vk.pid');
  const vk = startVkernel(['-m', '64m', '-i', join(r, 'tmp', 'm1'), '-p', pidfile, ...boot(r, '/bin/spin')]);
  await vk.waitFor(/spinning\n/);
  assert.equal(readFileSync(pidfile, 'utf8'), `${vk.child.pid}\n`);
  const second = runVkernel(['-m', '64m', '-i', join(r, 'tmp', 'm2'), '-p', pidfile, ...boot(r, '/bin/rb')]);
  assert.equal(second.status, 70);
  assert.equal(second.stderr, 'vkernel: Failed to lock pidfile, vkernel already running\n');
  vk.child.kill('SIGTERM');
  assert.equal(await vk.exited, 0);
  assert.match(vk.out(), /Caught SIGTERM from host system\. Shutting down\.\.\.\ngot SIGUSR2\nsyncing disks\.\.\. done\n/);
  assert.equal(existsSync(pidfile), false);
});

test('-i: a new image needs -m, is sized by it and holds memory after the halt; an old one gives the size', { skip }, () => {
  const r = root();
  const img = join(r, 'tmp', 'mem.img');
  let res = runVkernel(['-i', img, ...boot(r, '/bin/rb')]);
  assert.equal(res.status, 1);
  assert.equal(res.stderr, `Using memory file: ${img}\nCannot create new memory file ${img} unless system memory size is specified with -m\n`);
  res = runVkernel(['-m', '64m', '-i', img, '-e', 'test.how=halt', ...boot(r, '/bin/rb')]);
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stderr, `Using memory file: ${img}\n`);
  assert.equal(statSync(img).size, 64 * 1024 * 1024);
  assert.ok(readFileSync(img).includes(Buffer.from('init argv: /bin/rb how=halt')), 'physical memory was written at halt');
  truncateSync(img, 66 * 1024 * 1024);
  res = runVkernel(['-i', img, ...boot(r, '/bin/rb')]);
  assert.equal(res.status, 7);
  assert.match(res.stdout, /real memory {2}= 69206016 \(67584K bytes\)/);
});

test('without -i: memimg.000000 in the current directory, the next one while it is locked', { skip }, async () => {
  const r = root();
  const cwd = mkdtempSync(join(tmpdir(), 'vkcwd-'));
  const first = startVkernel(['-m', '64m', ...boot(r, '/bin/spin')], { cwd });
  await first.waitFor(/spinning\n/);
  assert.match(first.err(), /^Using memory file: memimg\.000000\n/);
  const second = runVkernel(['-m', '64m', ...boot(r, '/bin/rb')], { cwd });
  assert.equal(second.stderr, 'Using memory file: memimg.000001\n');
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.equal(statSync(join(cwd, 'memimg.000000')).size, 64 * 1024 * 1024);
  rmSync(cwd, { recursive: true, force: true });
});

test('reboot boots a second kernel in the same process', { skip }, async () => {
  const r = root();
  const vk = startVkernel(['-m', '64m', '-i', join(r, 'tmp', 'm'), '-e', 'test.how=reboot', ...boot(r, '/bin/rb')]);
  await vk.waitFor(/cpu reset, rebooting vkernel\n[^]*init argv: \/bin\/rb how=reboot\n/);
  vk.child.kill('SIGTERM');
  assert.equal(await vk.exited, 0);
  const out = vk.out();
  assert.match(out, /Rebooting\.\.\.\ncpu reset, rebooting vkernel\nCopyright \(c\) 2003-2024 The DragonFly Project\.\n/);
  assert.equal(out.match(/Mounting root from/g)?.length, 2);
  assert.match(out, /Caught SIGTERM from host system\. Shutting down\.\.\.\nsyncing disks\.\.\. done\n[^]*cpu halt, exiting vkernel\n$/);
});
