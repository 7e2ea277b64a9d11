/*
 * Debian makefs images as the root file system, through the booted kernel.
 *
 * A generated source tree (a few thousand files: 36-level deep paths, big
 * files reaching double-indirect blocks, sparse files, fast and slow
 * symlinks, hard links across directories, names of 1-255 bytes, empty
 * files, every size class around the fragment and block boundaries, owners
 * and modes) becomes a UFS1 or UFS2 root image made by Debian's makefs, bare
 * or wrapped in our disklabel64. test/storage/c/treeverify.c runs as init:
 * its manifest of the tree (types, modes, owners, link counts, sizes, mtimes,
 * symlink targets, SHA-256 of every file, hard-link groups) must equal the
 * one computed here from the source tree; then it runs a seeded 64 MiB write
 * workload (create/append/pwrite/truncate/rename/unlink/link/mkdir/rmdir)
 * and prints the manifest again, which must equal the expected final tree:
 * the same binary run under qemu-riscv64 on a copy of the source tree on
 * the host's file system, its manifest computed here. When init exits the
 * kernel syncs and unmounts: the image must check clean with the kernel's
 * checker (and Debian's fsck.ufs if installed), and a second boot running
 * the verify-only name (/bin/treecheck) must print the same manifest.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { disklabel64Build } from '../../kernel/dev/disk/diskslice.ts';
import { have, imageDev, REPO, run, vkernel } from './storage_helpers.ts';

const ready = have('riscv64-linux-gnu-gcc') && have('makefs') && have('qemu-riscv64');
const skip = ready ? false : 'needs riscv64-linux-gnu-gcc, makefs and qemu-riscv64';
const MIB = 1 << 20;

let tmp = '';
let src = '';
let srcManifest: string[] = [];
let expected: string[] = [];
let qemuOps: string[] = [];

/** treeverify's operation log ("O n choice written live files dirs"). */
function opLog(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith('O '));
}

/** The first operation where the guest's workload left the host's path. */
function sameOps(got: string[], want: string[]): void {
  const i = want.findIndex((l, k) => got[k] !== l);
  if (i >= 0 || got.length !== want.length) {
    assert.fail(`the workload diverged at operation ${i + 1}: guest "${got[i]}", host "${want[i]}" (guest ${got.length} operations, host ${want.length})`);
  }
}

/* ---- the source tree ---- */

/** Deterministic bytes (xorshift32 words). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n + 3);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    b.writeUInt32LE(x, i);
  }
  return b.subarray(0, n);
}

/** Names of the tree: printable ASCII, some UTF-8, of the given length in bytes. */
function nameOf(len: number, k: number): string {
  const set = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+,=~ ';
  let s = '';
  for (let i = 0; s.length < len; i++) s += set[(k * 7 + i * 13) % set.length];
  if (k % 5 === 0 && len >= 3) s = `é${s.slice(2)}`; /* two bytes in UTF-8 */
  s = s.replace(/^ | $/g, 'x');
  return s === '.' || s === '..' ? 'x' : s;
}

function makeSource(root: string, binary: string): void {
  const T0 = 1_600_000_000;
  let t = 0;
  const dirsPost: string[] = [];
  const mkdir = (p: string, mode = 0o755) => { fs.mkdirSync(path.join(root, p)); fs.chmodSync(path.join(root, p), mode); dirsPost.push(p); };
  const own = (p: string, uid: number, gid: number) => { if (process.getuid?.() === 0) fs.lchownSync(path.join(root, p), uid, gid); };
  const file = (p: string, data: Buffer | string, mode = 0o644) => {
    const f = path.join(root, p);
    fs.writeFileSync(f, data);
    fs.chmodSync(f, mode);
    fs.utimesSync(f, T0 + t, T0 + t++);
  };
  const owners: [number, number][] = [[0, 0], [1000, 100], [65534, 65534], [0, 5], [1001, 1001]];
  fs.mkdirSync(root);
  mkdir('bin');
  fs.copyFileSync(binary, path.join(root, 'bin/treeverify'));
  fs.chmodSync(path.join(root, 'bin/treeverify'), 0o755);
  fs.linkSync(path.join(root, 'bin/treeverify'), path.join(root, 'bin/treecheck'));
  mkdir('dev');
  /* Big files: double-indirect blocks at bsize 4096 (UFS1 from 4 MiB) and 8192 (UFS2 from 8 MiB). */
  mkdir('big');
  file('big/twelve', bytes(12 * MIB + 77, 1));
  file('big/eight', bytes(8 * MIB + 4321, 2), 0o600);
  /* Sparse on the host (makefs allocates the holes: zeros must read back). */
  mkdir('sparse');
  for (const [i, parts] of [[0, [[0, 100], [3 * MIB, 5000]]], [1, [[5 * MIB, 1]]], [2, [[MIB + 1, 4096], [6 * MIB - 10, 10]]]] as [number, number[][]][]) {
    const f = path.join(root, `sparse/holes${i}`);
    const fd = fs.openSync(f, 'w');
    for (const [off, len] of parts) fs.writeSync(fd, bytes(len, 10 + i), 0, len, off);
    fs.closeSync(fd);
    fs.utimesSync(f, T0, T0 + i);
  }
  /* Every size class around fragments (512, 1024, 2048, 4096) and blocks (4096, 8192) and the direct/indirect boundary. */
  mkdir('sizes');
  const sizes = new Set<number>([0, 1, 2, 100]);
  for (const b of [512, 1024, 2048, 3 * 512, 3 * 1024, 4096, 7 * 512, 8192, 7 * 1024, 16384, 32768, 65536, 12 * 4096, 12 * 8192, 13 * 4096, 12 * 8192 + 8192]) {
    for (const d of [-1, 0, 1]) sizes.add(b + d);
  }
  for (const n of [...sizes].sort((a, b) => a - b)) file(`sizes/s${n}`, bytes(n, n + 3), n % 3 === 0 ? 0o640 : 0o644);
  file('sizes/empty', '');
  /* A few thousand small files in 25 directories, with owners and modes. */
  mkdir('many');
  for (let d = 0; d < 25; d++) {
    mkdir(`many/d${d}`, d === 7 ? 0o1777 : d === 8 ? 0o2755 : 0o755);
    for (let i = 0; i < 100; i++) {
      const p = `many/d${d}/f${i}${'_'.repeat(i % 7)}`;
      file(p, i % 10 === 0 ? '' : bytes((i * 131 + d * 17) % 3000, d * 1000 + i), [0o644, 0o600, 0o755, 0o444][i % 4]);
      const [uid, gid] = owners[(i + d) % owners.length];
      own(p, uid, gid);
    }
    const [uid, gid] = owners[d % owners.length];
    own(`many/d${d}`, uid, gid);
  }
  /* Names of every length 1..255. */
  mkdir('names');
  for (let len = 1; len <= 255; len++) file(`names/${nameOf(len, len)}`, `${len}\n`);
  /* A 36-level deep tree with a file at every level. */
  let deep = 'deep';
  mkdir(deep);
  for (let i = 0; i < 36; i++) {
    deep += `/l${String(i).padStart(2, '0')}`;
    mkdir(deep);
    file(`${deep}/f`, bytes(i * 97, 500 + i));
  }
  mkdir('deep/emptydir');
  /* Symlinks: fast (UFS1 < 60 bytes, UFS2 < 120 in the inode) and slow, around both limits, dangling, to dirs. */
  mkdir('links');
  const targets = ['../sizes/s1', '/big/twelve', 'nowhere', '../many/d3', 'a'.repeat(59), 'b'.repeat(60), 'c'.repeat(61),
    'd'.repeat(119), 'e'.repeat(120), 'f'.repeat(121), `/${'long/'.repeat(100)}end`, 'x'.repeat(1000)];
  targets.forEach((target, i) => {
    fs.symlinkSync(target, path.join(root, `links/sym${i}`));
    fs.lutimesSync(path.join(root, `links/sym${i}`), T0, T0 + 100 + i);
  });
  /* Hard links across directories, one file with five names. */
  fs.linkSync(path.join(root, 'sizes/s4096'), path.join(root, 'links/hard-s4096'));
  fs.linkSync(path.join(root, 'many/d3/f5_____'), path.join(root, 'names/also-f5'));
  for (const p of ['links/five', 'many/d0/five', 'deep/l00/l01/five', 'big/five', 'sizes/five']) {
    if (p === 'links/five') file(p, bytes(20000, 99));
    else fs.linkSync(path.join(root, 'links/five'), path.join(root, p));
  }
  own('links/five', 1000, 100);
  file('links/setuid', '#!/bin/sh\n', 0o4755);
  mkdir('private', 0o700);
  file('private/secret', 'x', 0o600);
  /* Directory times last, deepest first. */
  for (const d of dirsPost.reverse()) fs.utimesSync(path.join(root, d), T0 + 5000, T0 + 5000 + d.length);
  fs.chmodSync(root, 0o755);
  fs.utimesSync(root, T0, T0 + 9999);
}

/* ---- the manifest, as treeverify.c prints it ---- */

function esc(b: Buffer): string {
  let s = '';
  for (const c of b) s += c < 0x21 || c > 0x7e || c === 0x25 || c === 0x5c ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(c);
  return s;
}

function hostManifest(top: string): string[] {
  const out: string[] = [];
  const first = new Map<string, Buffer>();
  const entry = (rel: Buffer) => {
    const p = Buffer.concat([Buffer.from(top), rel]);
    const st = fs.lstatSync(p, { bigint: true });
    const type = st.isFile() ? 'f' : st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'o';
    let extra = '-';
    if (type === 'f') {
      extra = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        const f = first.get(key);
        if (f) extra += `=${esc(f)}`;
        else first.set(key, rel);
      }
    } else if (type === 'l') {
      extra = esc(fs.readlinkSync(p, { encoding: 'buffer' }));
    }
    const size = type === 'd' ? '-' : String(st.size);
    out.push(`M ${rel.length ? esc(rel) : '/'} ${type} ${(st.mode & 0o7777n).toString(8)} ${st.uid} ${st.gid} ${st.nlink} ${size} ${st.mtimeNs / 1_000_000_000n} ${extra}`);
    if (type !== 'd') return;
    const names = fs.readdirSync(p, { encoding: 'buffer' })
      .filter((n) => !(rel.length === 0 && n.toString() === 'dev'))
      .sort(Buffer.compare);
    for (const n of names) entry(Buffer.concat([rel, Buffer.from('/'), n]));
  };
  entry(Buffer.alloc(0));
  return out;
}

/** The manifest labelled label in a run's output. */
function manifestOf(out: string, label: string): string[] {
  const lines = out.split('\n');
  const b = lines.indexOf(`manifest begin ${label}`);
  assert.ok(b >= 0, `no "${label}" manifest in:\n${out.slice(-3000)}`);
  const e = lines.findIndex((l, i) => i > b && l.startsWith(`manifest end ${label} `));
  assert.ok(e > b, `"${label}" manifest not finished:\n${out.slice(-3000)}`);
  const m = lines.slice(b + 1, e);
  assert.equal(m.length, Number(lines[e].split(' ')[3]), `${label}: entry count`);
  return m;
}

/** deepEqual with a short diff instead of thousands of lines. */
function sameManifest(got: string[], want: string[], what: string): void {
  if (got.length === want.length && got.every((l, i) => l === want[i])) return;
  const g = new Set(got), w = new Set(want);
  const missing = want.filter((l) => !g.has(l)).slice(0, 8);
  const extra = got.filter((l) => !w.has(l)).slice(0, 8);
  assert.fail(`${what}: ${got.length} entries, expected ${want.length}\n  expected, not seen:\n    ${missing.join('\n    ')}\n  seen, not expected:\n    ${extra.join('\n    ')}`);
}

/* ---- setup: source tree, its manifest, the expected final tree ---- */

before(() => {
  if (!ready) return;
  tmp = fs.mkdtempSync('/tmp/s1-');
  const bin = path.join(tmp, 'treeverify');
  run('riscv64-linux-gnu-gcc', ['-O2', '-static', '-Wall', '-o', bin, path.join(REPO, 'test/storage/c/treeverify.c')]);
  src = path.join(tmp, 'src');
  makeSource(src, bin);
  srcManifest = hostManifest(src);
  assert.ok(srcManifest.length > 2500, `source entries: ${srcManifest.length}`);
  /* The expected final tree: the same workload on the host's file system. */
  const model = path.join(tmp, 'model');
  run('cp', ['-a', src, model]);
  const out = run('qemu-riscv64', [bin, model]) /* the default seed, as init */;
  qemuOps = opLog(out);
  assert.match(out, /\npassed\n$/, out.slice(-2000));
  sameManifest(manifestOf(out, 'before'), srcManifest, 'treeverify under qemu vs the host manifest of the source tree');
  expected = hostManifest(model);
  sameManifest(manifestOf(out, 'after'), expected, 'treeverify under qemu after the workload vs the host manifest of the model');
  const written = /^workload: \d+ operations, (\d+) bytes written/m.exec(out);
  assert.ok(written && Number(written[1]) >= 64 * MIB, `the workload wrote 64 MiB: ${written?.[0]}`);
  fs.rmSync(model, { recursive: true, force: true });
});

after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

/* ---- the images ---- */

interface Variant { name: string; makefsOpts: string; label: boolean }

/* Both UFS versions and both layouts by default; STORAGE_FULL=1 adds the third (minutes each). */
const variants: Variant[] = [
  { name: 'UFS1 (bsize 4096, fsize 512), bare', makefsOpts: 'version=1,bsize=4096,fsize=512', label: false },
  ...(process.env.STORAGE_FULL === '1'
    ? [{ name: 'UFS2 (bsize 8192, fsize 1024), bare', makefsOpts: 'version=2,bsize=8192,fsize=1024', label: false }] : []),
  { name: 'UFS2 (bsize 4096, fsize 512) in a disklabel64', makefsOpts: 'version=2,bsize=4096,fsize=512', label: true },
];

/** Debian's makefs image of the source tree; with label, inside a disklabel64 (partition a: vkd0s0a). */
function makeImage(v: Variant, img: string): void {
  const fsimg = v.label ? `${img}.fs` : img;
  run('makefs', ['-t', 'ffs', '-o', v.makefsOpts, '-s', v.label ? '94m' : '96m', '-f', '6000', fsimg, src]);
  if (!v.label) return;
  const fsBytes = fs.statSync(fsimg).size;
  const l = disklabel64Build(MIB + fsBytes);
  assert.ok(l.partSize >= fsBytes);
  const fd = fs.openSync(img, 'w');
  fs.writeSync(fd, l.label, 0, l.label.length, 0);
  fs.writeSync(fd, fs.readFileSync(fsimg), 0, fsBytes, l.partOffset);
  fs.ftruncateSync(fd, MIB + fsBytes);
  fs.closeSync(fd);
  fs.rmSync(fsimg);
}

function checkClean(img: string, label: boolean, when: string): void {
  const r = fsck(imageDev(img, label ? 's0a' : ''), {});
  assert.deepEqual(r.errors, [], `${when}: fsck errors`);
  assert.ok(r.ok && r.clean, `${when}: the image checks clean and is marked clean`);
  for (const cmd of ['fsck.ufs', 'fsck_ffs', 'fsck_ufs']) {
    if (!label && have(cmd)) run(cmd, ['-n', img]);
  }
}

function assertPassed(r: { status: number | null; stdout: string; stderr: string }, what: string): void {
  const tail = `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
  assert.doesNotMatch(r.stdout, /panic|^FAIL/m, `${what}: ${tail}`);
  assert.equal(r.status, 0, `${what}: exit status: ${tail}`);
  assert.match(r.stdout, /\npassed\n/, `${what}: ${tail}`);
}

for (const v of variants) {
  test(`Debian makefs ${v.name} as root: manifest, 64 MiB workload, clean unmount, second boot identical`, { skip, timeout: 3_600_000 }, async () => {
    const img = path.join(tmp, 'root.img');
    try {
      makeImage(v, img);
      checkClean(img, v.label, 'as made by makefs');
      const root = v.label ? [] : ['-e', 'vfs.root.mountfrom=ufs:vkd0'];
      const first = await vkernel(['-r', img, ...root, '-e', 'init_path=/bin/treeverify'], tmp, { timeoutMs: 1_800_000 });
      assertPassed(first, 'first boot');
      sameManifest(manifestOf(first.stdout, 'before'), srcManifest, 'the booted image vs the source tree');
      sameOps(opLog(first.stdout), qemuOps);
      const final = manifestOf(first.stdout, 'after');
      sameManifest(final, expected, 'after the workload vs the expected tree (qemu on the host)');
      assert.equal((first.stdout.match(/^sparse \/wsparse\/s\d: /gm) ?? []).length, 3, 'three sparse files with holes');
      checkClean(img, v.label, 'after the first boot');

      const second = await vkernel(['-r', img, ...root, '-e', 'init_path=/bin/treecheck'], tmp, { timeoutMs: 1_200_000 });
      assertPassed(second, 'second boot');
      sameManifest(manifestOf(second.stdout, 'check'), final, 'the second boot vs the first boot\'s final manifest');
      assert.equal((second.stdout.match(/^sparse \/wsparse\/s\d: /gm) ?? []).length, 3, 'the holes survive');
      checkClean(img, v.label, 'after the second boot');
    } finally {
      fs.rmSync(img, { force: true });
      fs.rmSync(`${img}.fs`, { force: true });
    }
  });
}
