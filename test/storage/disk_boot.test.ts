/*
 * Disks end to end: bin/vkernel boots from UFS images made by Debian's
 * makefs (UFS1, UFS2, bare file systems) and by our tools/makefs.ts (with a
 * disklabel, so the root is vkd0s0a), runs a write workload as init, halts;
 * the image then checks clean on the host and holds what the guest wrote.
 * A CD (xorriso) boots read-only with a tmpfs /tmp and procfs by mount(2).
 * A second vkernel on a busy image and a missing image fail as the real one does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import {
  compile, have, imageDev, makeRoot, REPO, run, scratch, vkernel, vkernelUntil,
} from './storage_helpers.ts';

const ready = have('riscv64-linux-gnu-gcc') && have('makefs') && have('xorriso') && have('flock');
const skip = ready ? false : 'needs riscv64-linux-gnu-gcc, makefs, xorriso and flock';

let tmp: { dir: string; done(): void };
let root = '';

before(() => {
  if (!ready) return;
  tmp = scratch();
  const progs = ['diskio', 'probe', 'sleeper'].map((n) => compile(n, tmp.dir));
  root = makeRoot(tmp.dir, progs);
});

after(() => tmp?.done());

const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/* What diskio.c leaves behind, read on the host through the UFS library. */
function checkImage(file: string, suffix = ''): void {
  const dev = imageDev(file, suffix);
  const r = fsck(dev, {});
  assert.deepEqual(r.errors, []);
  assert.ok(r.ok && r.clean, 'the image checks clean');
  const v = UfsVolume.mount(dev, { readonly: true });
  const work = v.lookup(v.root, 'work');
  const names = v.readdir(work).map((e) => e.name).sort();
  assert.deepEqual(names, ['.', '..', 'b.txt', 'big', 'hard.txt', 'sym']);
  assert.equal(dec(v.read(v.lookup(work, 'b.txt'), 0, 100)), 'hello, disk\n');
  assert.equal(v.lookup(work, 'hard.txt'), v.lookup(work, 'b.txt'));
  assert.equal(v.readlink(v.lookup(work, 'sym')), 'b.txt');
  const big = v.lookup(work, 'big');
  assert.equal(v.getattr(big).size, 100000);
  assert.equal(dec(v.read(big, 4096, 8)), 'MAPPEDAA', 'the shared mapping reached the disk');
  assert.equal(dec(v.read(big, 8192 * 5, 4)), 'FFFF');
}

function assertPassed(r: { status: number | null; stdout: string; stderr: string }): void {
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\npassed\n/);
  assert.doesNotMatch(r.stdout, /FAIL/);
}

test('Debian makefs UFS1, bare file system: root ufs:vkd0, write workload, image checks clean', { skip }, async () => {
  const img = path.join(tmp.dir, 'ufs1.img');
  run('makefs', ['-t', 'ffs', '-o', 'version=1', '-s', '24m', '-f', '1000', img, root]);
  assertPassed(await vkernel(['-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/diskio'], tmp.dir));
  checkImage(img);
});

test('Debian makefs UFS2 image boots and writes', { skip }, async () => {
  const img = path.join(tmp.dir, 'ufs2.img');
  run('makefs', ['-t', 'ffs', '-o', 'version=2', '-s', '24m', '-f', '1000', img, root]);
  assertPassed(await vkernel(['-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/diskio'], tmp.dir));
  checkImage(img);
});

test('tools/makefs.ts --disklabel: attach lines, root from vkd0s0a, a second boot sees the files', { skip }, async () => {
  const img = path.join(tmp.dir, 'label.img');
  run(process.execPath, ['--import', 'tsx', path.join(REPO, 'tools/makefs.ts'), '-t', 'ffs', '-o', 'version=1', '-s', '24m', '--disklabel', img, root], REPO);
  const r = await vkernel(['-r', `${img}:SER42`, '-e', 'init_path=/bin/diskio'], tmp.dir, { quiet: false });
  assertPassed(r);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes('vkd0: <Virtual disk> Serial Number SER42'), r.stdout);
  assert.ok(lines.some((l) => /^vkd0: \d+MB \(\d+ 512 byte sectors\)$/.test(l)), r.stdout);
  assert.ok(lines.includes('Mounting root from ufs:vkd0s0a'));
  assert.ok(lines.includes('syncing disks... done'));
  assert.ok(lines.includes('ok: UFS magic through /dev/vkd0s0a'), 'the partition device reads the file system');
  checkImage(img, 's0a');
  /* diskio's mkdir /work fails the second time: the first boot's files are there. */
  const again = await vkernel(['-r', img, '-e', 'init_path=/bin/diskio'], tmp.dir);
  assert.match(again.stdout, /FAIL: mkdir \/work/);
});

test('CD root from xorriso: read-only (EROFS), tmpfs /tmp, procfs and a data disk by mount(2)', { skip }, async () => {
  const iso = path.join(tmp.dir, 'root.iso');
  run('xorriso', ['-as', 'mkisofs', '-R', '-J', '-o', iso, root]);
  const data = path.join(tmp.dir, 'data.img');
  const empty = path.join(tmp.dir, 'empty');
  fs.mkdirSync(empty);
  run('makefs', ['-t', 'ffs', '-o', 'version=2', '-s', '4m', data, empty]);
  const r = await vkernel(['-c', iso, '-r', data, '-n', '2', '-e', 'init_path=/bin/probe'], tmp.dir, { quiet: false });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Mounting root from cd9660:vcd0\n/);
  assert.doesNotMatch(r.stdout, /vcd0:/, 'vcd attaches silently');
  assert.match(r.stdout, /create in \/: Read-only file system\n/);
  assert.match(r.stdout, /create in \/tmp: ok\n/);
  assert.match(r.stdout, /exe: \/bin\/probe\n/);
  assert.match(r.stdout, /\/proc\/meminfo: MemTotal: +\d+ kB\n/);
  assert.match(r.stdout, /\/proc\/meminfo: MemFree: +\d+ kB\n/);
  assert.match(r.stdout, /\/proc\/cpuinfo: hart\t+: 0\n/);
  assert.match(r.stdout, /\/proc\/mounts:  \/ cd9660 ro /);
  assert.match(r.stdout, /\/proc\/self\/status: Pid:\t1\n/);
  assert.match(r.stdout, /vcd0 descriptor: 1 CD001\n/);
  assert.match(r.stdout, /vcd0 write: Read-only file system\n/);
  assert.match(r.stdout, /write on vkd0: ok\numount vkd0: ok\n/);
  const dev = imageDev(data);
  const chk = fsck(dev, {});
  assert.ok(chk.ok && chk.clean, 'the data disk is clean after umount');
  const v = UfsVolume.mount(dev, { readonly: true });
  assert.equal(dec(v.read(v.lookup(v.root, 'fromguest'), 0, 100)), 'data disk\n');
});

test('a second vkernel on a writable image in use: "Disk image X is already in use"; a crash leaves it dirty', { skip }, async () => {
  const img = path.join(tmp.dir, 'lock.img');
  run('makefs', ['-t', 'ffs', '-o', 'version=1', '-s', '8m', img, root]);
  const first = await vkernelUntil(['-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/sleeper'], tmp.dir, 'sleeper up');
  try {
    const second = await vkernel(['-r', img, '-e', 'init_path=/bin/sleeper'], tmp.dir);
    assert.equal(second.status, 1);
    assert.ok(second.stderr.split('\n').includes(`vkernel: Disk image ${img} is already in use`), second.stderr);
    /* A CD image is opened read-only and not locked. */
    const cd = await vkernel(['-c', img, '-e', 'vfs.root.mountfrom=tmpfs', '-e', 'init_path=/nope'], tmp.dir);
    assert.doesNotMatch(cd.stderr, /already in use/);
  } finally {
    await first.kill();
  }
  /* Killed (-9) while mounted read-write: the image is dirty; the next boot mounts it read-only. */
  const chk = fsck(imageDev(img), {});
  assert.equal(chk.clean, false, 'a crashed mount leaves fs_clean = 0 on disk');
  const r = await vkernel(['-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/diskio'], tmp.dir, { quiet: false });
  assert.match(r.stdout, /WARNING: \/dev\/vkd0 was not properly dismounted, mounted read-only\n/);
  assert.match(r.stdout, /FAIL: mkdir \/work \(errno 30\)/);
});

test('a missing image is an error before boot', { skip }, async () => {
  const missing = path.join(tmp.dir, 'no-such.img');
  const r = await vkernel(['-r', missing], tmp.dir);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.split('\n').includes(`vkernel: Unable to open/create ${missing}: No such file or directory`), r.stderr);
  assert.equal(r.stdout, '');
});
