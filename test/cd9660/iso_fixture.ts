/*
 * Shared by the cd9660 tests: source trees on the host, images built by
 * xorriso and by tools/mkisofs, and both trees read into one comparable
 * shape. Everything lands in build/cd9660/ (never committed).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync,
  symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memBlockDev } from '../../kernel/fs/cd9660/blockdev.ts';
import { IsoMnt, type IsoMountOptions } from '../../kernel/fs/cd9660/cd9660_vfsops.ts';
import type { IsoNode } from '../../kernel/fs/cd9660/cd9660_node.ts';
import assert from 'node:assert/strict';
import { bstrToBytes } from '../../kernel/vfs/bstr.ts';
import { VDIR, VLNK, VREG } from '../../kernel/vfs/vnode.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = join(ROOT, 'build', 'cd9660');
export const IS_ROOT = process.getuid?.() === 0;

export function freshDir(name: string): string {
  const d = join(BUILD, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

/* Deterministic bytes (xorshift), so failures reproduce. */
export function pseudoRandom(len: number, seed: number): Buffer {
  const b = Buffer.alloc(len);
  let x = seed | 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function file(p: string, data: Buffer | string, mode = 0o644): void {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  chmodSync(p, mode);
}

export const LONG_NAME = 'long_' + 'n'.repeat(200) + '.txt';
export const LONG_TARGET = 'seg/'.repeat(120) + 'end';
const MTIME = 1_600_000_000;

/** The tree the Rock Ridge tests compare: sizes, names, modes, owners, symlinks, depth. */
export function makeRichTree(dir: string): void {
  file(join(dir, 'empty'), '');
  file(join(dir, 'one'), 'x');
  for (const n of [2047, 2048, 2049, 100_000]) file(join(dir, `size${n}`), pseudoRandom(n, n));
  file(join(dir, 'multi.dots.name.tar.gz'), 'dots');
  file(join(dir, 'Mixed Case Name.Txt'), 'case');
  file(join(dir, 'café ünïcödé.txt'), 'utf8');
  file(join(dir, LONG_NAME), 'long');
  file(join(dir, 'modes', 'm600'), 'a', 0o600);
  file(join(dir, 'modes', 'm755'), 'b', 0o755);
  file(join(dir, 'modes', 'm444'), 'c', 0o444);
  file(join(dir, 'modes', 'suid'), 'd', 0o4755);
  mkdirSync(join(dir, 'modes', 'private'));
  chmodSync(join(dir, 'modes', 'private'), 0o700);
  mkdirSync(join(dir, 'links'));
  symlinkSync('../one', join(dir, 'links', 'rel'));
  symlinkSync('/etc/passwd', join(dir, 'links', 'abs'));
  symlinkSync('../../x/./y', join(dir, 'links', 'dotdot'));
  symlinkSync(LONG_TARGET, join(dir, 'links', 'long'));
  symlinkSync('nowhere', join(dir, 'links', 'dangling'));
  const deep = Array.from({ length: 12 }, (_, i) => `d${i + 1}`);
  file(join(dir, 'deep', ...deep, 'bottom.txt'), 'bottom');
  file(join(dir, 'deep', 'd1', 'd2', 'mid.txt'), 'mid');
  for (let i = 0; i < 150; i++) file(join(dir, 'many', `file${String(i).padStart(3, '0')}.dat`), `#${i}\n`);
  if (IS_ROOT) {
    file(join(dir, 'owned'), 'owned');
    chownSync(join(dir, 'owned'), 1234, 5678);
  }
  settleTimes(dir);
}

/** The tree plain ISO 9660 tests use: names that survive level 1 (8.3, lower case). */
export function makePlainTree(dir: string): void {
  file(join(dir, 'readme.txt'), 'read me\n');
  file(join(dir, 'noext'), 'no extension');
  file(join(dir, 'data.bin'), pseudoRandom(70_000, 7));
  file(join(dir, 'sub', 'inner.txt'), 'inner');
  file(join(dir, 'sub', 'deeper', 'x.c'), 'int x;\n');
  file(join(dir, 'sub', 'deeper', 'empty.dat'), '');
  settleTimes(dir);
}

function settleTimes(dir: string): void {
  for (const e of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, e);
    if (!lstatSync(p).isSymbolicLink()) utimesSync(p, MTIME, MTIME);
  }
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;           // permission bits
  uid: number;
  gid: number;
  size: number;
  target: string;
  data: Buffer | null;
  mtime: number;
}

/** The host tree as path → Entry ("" is the root, never listed). */
export function hostEntries(dir: string, rel = '', out = new Map<string, Entry>()): Map<string, Entry> {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const p = join(dir, r);
    const st = lstatSync(p);
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
    out.set(r, {
      type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: type === 'file' ? st.size : 0,
      target: type === 'symlink' ? readlinkSync(p) : '',
      data: type === 'file' ? readFileSync(p) : null, mtime: Math.floor(st.mtimeMs / 1000),
    });
    if (type === 'dir') hostEntries(dir, r, out);
  }
  return out;
}

export function mountImage(path: string, opts: IsoMountOptions = {}): IsoMnt {
  return IsoMnt.mount(memBlockDev(new Uint8Array(readFileSync(path))), opts);
}

/** Names on the volume are byte strings; the host speaks UTF-8. */
export function hostName(bstr: string): string {
  return Buffer.from(bstrToBytes(bstr)).toString('utf8');
}

/** The mounted tree as path → Entry, every file read whole through the API. */
export function isoEntries(m: IsoMnt, dir = m.root, rel = '', out = new Map<string, Entry>()): Map<string, Entry> {
  for (const e of m.readdir(dir, 0, Infinity)) {
    if (e.name === '.' || e.name === '..') continue;
    const r = rel ? `${rel}/${hostName(e.name)}` : hostName(e.name);
    const n: IsoNode = m.lookup(dir, e.name);
    const a = m.getattr(n);
    const type = n.type === VDIR ? 'dir' : n.type === VLNK ? 'symlink' : n.type === VREG ? 'file' : 'other';
    out.set(r, {
      type, mode: a.mode, uid: a.uid, gid: a.gid, size: type === 'file' ? a.size : 0,
      target: type === 'symlink' ? hostName(m.readlink(n)) : '',
      data: type === 'file' ? Buffer.from(m.read(n, 0, a.size)) : null, mtime: a.mtime.sec,
    });
    if (n.type === VDIR) isoEntries(m, n, r, out);
  }
  return out;
}

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout + r.stderr;
}

export function xorrisoMkisofs(out: string, src: string, flags: string[], native: string[] = []): string {
  rmSync(out, { force: true });
  run('xorriso', [...native, '-as', 'mkisofs', ...flags, '-o', out, src]);
  return out;
}

/** A Rock Ridge volume shows exactly the host tree: names, types, modes, owners, targets, bytes. */
export function assertSameTree(m: IsoMnt, hostDir: string): void {
  assert.equal(m.tree, 'rockridge');
  assertSameEntries(isoEntries(m), hostEntries(hostDir));
}

export function assertSameEntries(got: Map<string, Entry>, want: Map<string, Entry>, times = true): void {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [p, h] of want) {
    const e = got.get(p)!;
    assert.equal(e.type, h.type, p);
    assert.equal(e.mode, h.mode, `${p} mode`);
    assert.equal(e.uid, h.uid, `${p} uid`);
    assert.equal(e.gid, h.gid, `${p} gid`);
    assert.equal(e.target, h.target, `${p} target`);
    if (h.type !== 'file') continue;
    assert.equal(e.size, h.size, `${p} size`);
    assert.ok(e.data!.equals(h.data!), `${p} data`);
    if (times) assert.equal(e.mtime, h.mtime, `${p} mtime`);
  }
}
