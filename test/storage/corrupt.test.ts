/*
 * Corrupt images through the kernel: a small makefs UFS1 data disk with
 * seeded random byte flips in the superblock, cylinder group 0, inodes or
 * directory blocks, mounted by mountfuzz.c with mount(2) (then walked, read,
 * written, unmounted), and a fuzzed ISO (volume descriptor, root directory
 * records with Rock Ridge entries) as a second CD, must give clean errors —
 * never a panic (exit 70, "panic:") nor a hang. A corrupt root image ends
 * with a message and a non-zero exit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { sbFind } from '../../kernel/fs/ufs/ufs_fs.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import { compile, have, makeRoot, run, scratch, vkernel, type VkResult } from './storage_helpers.ts';

const ready = have('riscv64-linux-gnu-gcc') && have('makefs') && have('xorriso');
const skip = ready ? false : 'needs riscv64-linux-gnu-gcc, makefs and xorriso';

let tmp: { dir: string; done(): void };
let rootIso = '';
let cleanUfs = new Uint8Array();
let cleanIso = new Uint8Array();
let tree = '';

before(() => {
  if (!ready) return;
  tmp = scratch();
  const root = makeRoot(tmp.dir, [compile('mountfuzz', tmp.dir)]);
  rootIso = path.join(tmp.dir, 'root.iso');
  run('xorriso', ['-as', 'mkisofs', '-R', '-J', '-o', rootIso, root]);
  /* The victim tree: files small and big (indirect blocks), nested dirs, symlinks, many names. */
  tree = path.join(tmp.dir, 'tree');
  fs.mkdirSync(path.join(tree, 'sub/deeper'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'small.txt'), 'hello\n');
  fs.writeFileSync(path.join(tree, 'big.bin'), Buffer.alloc(300000, 0x5a));
  fs.writeFileSync(path.join(tree, 'sub/deeper/f'), 'deep\n');
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(tree, `sub/name-${i}-${'x'.repeat(i)}`), `${i}\n`);
  fs.symlinkSync('small.txt', path.join(tree, 'link'));
  const ufs = path.join(tmp.dir, 'clean.img');
  run('makefs', ['-t', 'ffs', '-o', 'version=1', '-s', '4m', ufs, tree]);
  cleanUfs = new Uint8Array(fs.readFileSync(ufs));
  const iso = path.join(tmp.dir, 'clean.iso');
  run('xorriso', ['-as', 'mkisofs', '-R', '-J', '-o', iso, tree]);
  cleanIso = new Uint8Array(fs.readFileSync(iso));
});

after(() => tmp?.done());

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of img with `flips` random bytes in [off, off+len) xor'ed with random non-zero values. */
function fuzz(img: Uint8Array, seed: number, off: number, len: number, flips: number): Uint8Array {
  const out = img.slice();
  const r = rng(seed);
  for (let i = 0; i < flips; i++) out[off + Math.floor(r() * len)] ^= 1 + Math.floor(r() * 255);
  return out;
}

/* Regions of the UFS image, found with the library. */
function ufsRegions(): Record<string, [number, number]> {
  const dev = new MemBlockDev(cleanUfs.slice());
  const sb = sbFind(dev)!;
  const v = UfsVolume.mount(dev, { readonly: true });
  const sub = v.lookup(v.root, 'sub');
  const big = v.lookup(v.root, 'big.bin');
  const db0 = (ino: number): number => new DataView(cleanUfs.buffer).getInt32(sb.inoOffset(ino) + 40, true) * sb.fsize;
  return {
    superblock: [8192, 1376],
    'cylinder group 0': [sb.cgtod(0) * sb.fsize, sb.bsize],
    'root inode': [sb.inoOffset(2), 128],
    'directory inode': [sb.inoOffset(sub), 128],
    'big file inode (indirect pointers)': [sb.inoOffset(big), 128],
    'root directory block': [db0(2), 512],
    'subdirectory block': [db0(sub), 1024],
  };
}

function assertSurvived(r: VkResult, what: string): void {
  const out = r.stdout + r.stderr;
  assert.notEqual(r.status, 70, `${what}: kernel panic\n${out}`);
  assert.doesNotMatch(out, /panic:/, `${what}: kernel panic\n${out}`);
  assert.notEqual(r.status, null, `${what}: hang (killed at the timeout)\n${out}`);
  assert.match(r.stdout, /\ndone\n/, `${what}: the probe did not finish\n${out}`);
}

function write(name: string, bytes: Uint8Array): string {
  const f = path.join(tmp.dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

test('fuzzed UFS data disks (superblock, cg, inodes, directories) mounted by mount(2): errors, never a panic or hang', { skip }, async () => {
  const regions = ufsRegions();
  const cases: { name: string; img: Uint8Array }[] = [];
  let seed = 1;
  for (const [name, [off, len]] of Object.entries(regions)) {
    for (const flips of [4, 24]) cases.push({ name: `${name} (${flips} flips, seed ${seed})`, img: fuzz(cleanUfs, seed++, off, len, flips) });
  }
  const results = await Promise.all(cases.map(async (c, i) => {
    const img = write(`fuzz${i}.img`, c.img);
    const r = await vkernel(['-c', rootIso, '-r', img, '-e', 'init_path=/bin/mountfuzz'], tmp.dir, { timeoutMs: 40000 });
    fs.rmSync(img);
    return { c, r };
  }));
  for (const { c, r } of results) {
    console.log(`${c.name}: ${r.stdout.split('\n').filter((l) => /^(mount|umount|read|opendir|stat|create|write|fsync)/.test(l)).slice(0, 3).join(' | ')}`);
    assertSurvived(r, c.name);
  }
});

test('fuzzed ISO (volume descriptor, root directory records, Rock Ridge) as a second CD: errors, never a panic or hang', { skip }, async () => {
  const root = new DataView(cleanIso.buffer).getUint32(32768 + 156 + 2, true) * 2048;
  const cases = [
    { name: 'primary volume descriptor', img: fuzz(cleanIso, 101, 32768, 2048, 16) },
    { name: 'root directory records', img: fuzz(cleanIso, 102, root, 2048, 8) },
    { name: 'root directory records (many)', img: fuzz(cleanIso, 103, root, 2048, 64) },
    { name: 'everything after the system area', img: fuzz(cleanIso, 104, 32768, Math.min(cleanIso.length, 200000) - 32768, 200) },
  ];
  const results = await Promise.all(cases.map(async (c, i) => {
    const iso = write(`fuzz${i}.iso`, c.img);
    const r = await vkernel(['-c', rootIso, '-c', iso, '-e', 'init_path=/bin/mountfuzz'], tmp.dir, { timeoutMs: 40000 });
    fs.rmSync(iso);
    return { c, r };
  }));
  for (const { c, r } of results) {
    console.log(`${c.name}: ${r.stdout.split('\n').filter((l) => /^(mount|umount|read|opendir|stat)/.test(l)).slice(0, 3).join(' | ')}`);
    assertSurvived(r, c.name);
  }
});

test('a corrupt root image: a clear message and a non-zero exit, not a hang', { skip }, async () => {
  const cases = [
    { name: 'superblock zeroed', img: (() => { const b = cleanUfs.slice(); b.fill(0, 8192, 8192 + 1376); return b; })() },
    { name: 'root inode fuzzed', img: fuzz(cleanUfs, 201, ufsRegions()['root inode'][0], 128, 40) },
  ];
  for (const c of cases) {
    const img = write('badroot.img', c.img);
    const r = await vkernel(['-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/mountfuzz'], tmp.dir, { quiet: false, timeoutMs: 20000 });
    fs.rmSync(img);
    const out = r.stdout + r.stderr;
    console.log(`${c.name}: exit ${r.status}: ${out.split('\n').filter((l) => /panic|root|init|WARNING/.test(l)).join(' | ')}`);
    assert.notEqual(r.status, null, `${c.name}: hang\n${out}`);
    assert.notEqual(r.status, 0, `${c.name}: exit 0\n${out}`);
    /* As DragonFly's vfs_mountroot: a root that cannot be mounted (or an init that cannot run) panics with the reason. */
    assert.match(out, /panic: (cannot mount root from ufs:vkd0: errno \d+|.*init)/, `${c.name}: no clear message\n${out}`);
  }
});
