/*
 * Test helpers: a deterministic source tree, images from Debian's makefs,
 * snapshots of a volume's whole tree, and a model of what a volume should
 * hold that a workload updates alongside the volume.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, linkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { UfsVolume, IFMT, IFDIR, IFLNK, IFREG } from '../../kernel/fs/ufs/ufs_volume.ts';
import { unicodeToBstr } from '../../kernel/vfs/bstr.ts';

export const BUILD = join(import.meta.dirname, '../../build/ufs');

/** Pseudo-random bytes, the same for the same seed. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The source tree the Debian images and our makefs are built from. */
export function makeTree(): string {
  const root = join(BUILD, 'tree');
  if (existsSync(join(root, '.done')) && existsSync(join(root, 'sparse.bin'))) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const w = (p: string, d: Uint8Array | string, mode = 0o644) => {
    writeFileSync(join(root, p), d);
    chmodSync(join(root, p), mode);
  };
  w('empty', '');
  w('small.txt', 'hello, ufs\n'.repeat(9));
  w('frag.bin', pattern(3000, 1));
  w('block.bin', pattern(4096, 2));
  w('mid.bin', pattern(200_000, 3));
  w('big.bin', pattern(6 * 1024 * 1024 + 123, 4)); /* past the single indirect block at bsize 4096 */
  w('exec.sh', '#!/bin/sh\necho hi\n', 0o755);
  const fd = openSync(join(root, 'sparse.bin'), 'w'); /* a host file with a hole */
  writeSync(fd, pattern(100, 5), 0, 100, 0);
  writeSync(fd, pattern(5000, 6), 0, 5000, 3_500_000);
  closeSync(fd);
  w('secret', 'x', 0o600);
  w('h\u00e9llo.txt', 'unicode name\n');
  mkdirSync(join(root, 'many'));
  for (let i = 0; i < 1200; i++) {
    w(`many/f${String(i).padStart(4, '0')}_${'n'.repeat(i % 40)}`, `file ${i}\n`);
  }
  let deep = 'deep';
  for (let i = 0; i < 24; i++) deep = join(deep, `d${i}`);
  mkdirSync(join(root, deep), { recursive: true });
  w(join(deep, 'bottom.txt'), 'bottom\n');
  mkdirSync(join(root, 'links'));
  symlinkSync('../small.txt', join(root, 'links/short'));
  symlinkSync('/' + 'long-target/'.repeat(20) + 'end', join(root, 'links/long'));
  linkSync(join(root, 'small.txt'), join(root, 'links/hard'));
  mkdirSync(join(root, 'private'), { mode: 0o700 });
  chmodSync(join(root, 'private'), 0o700);
  writeFileSync(join(root, '.done'), '');
  return root;
}

/** Build an image with Debian's makefs (NetBSD's); small: bsize 4096 so big.bin needs double indirect blocks. */
export function debianImage(version: 1 | 2, tree: string, small = true): Uint8Array {
  const img = join(BUILD, `debian-v${version}${small ? '' : '-default'}.img`);
  const o = `version=${version}${small ? ',bsize=4096,fsize=512' : ''}`;
  execFileSync('makefs', ['-t', 'ffs', '-o', o, '-s', '40m', '-f', '4000', img, tree], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(img));
}

export interface Snap {
  type: number;       // IFREG, IFDIR, IFLNK...
  perm: number;
  ino: number;
  nlink: number;
  size: number;
  target?: string;
}

/** Every path of the volume (byte-string names) with its attributes. */
export function snapshot(vol: UfsVolume): Map<string, Snap> {
  const out = new Map<string, Snap>();
  const walk = (dir: number, path: string) => {
    for (const e of vol.readdir(dir)) {
      if (e.name === '.' || e.name === '..') continue;
      const a = vol.getattr(e.ino);
      const p = `${path}/${e.name}`;
      const s: Snap = { type: a.mode & IFMT, perm: a.mode & 0o7777, ino: e.ino, nlink: a.nlink, size: a.size };
      if (s.type === IFLNK) s.target = vol.readlink(e.ino);
      out.set(p, s);
      if (s.type === IFDIR) walk(e.ino, p);
    }
  };
  walk(vol.root, '');
  return out;
}

/** The image must hold exactly the host tree: names, types, modes, sizes, bytes, link targets, link counts. */
export function compareWithHost(vol: UfsVolume, root: string, opts: { perms?: boolean; mtimes?: boolean } = {}): number {
  const snap = snapshot(vol);
  let n = 0;
  const walk = (hostDir: string, path: string) => {
    for (const name of readdirSync(hostDir)) {
      if (name === '.done') continue;
      const hp = join(hostDir, name), p = `${path}/${unicodeToBstr(name)}`;
      const st = lstatSync(hp);
      const s = snap.get(p);
      assert.ok(s, `missing ${p}`);
      snap.delete(p);
      n++;
      if (opts.perms !== false && !st.isSymbolicLink()) assert.equal(s.perm, st.mode & 0o7777, `mode of ${p}`);
      if (opts.mtimes) assert.equal(vol.getattr(s.ino).mtime.sec, Math.floor(st.mtimeMs / 1000), `mtime of ${p}`);
      if (st.isDirectory()) {
        assert.equal(s.type, IFDIR, p);
        walk(hp, p);
      } else if (st.isSymbolicLink()) {
        assert.equal(s.type, IFLNK, p);
        assert.equal(s.target, unicodeToBstr(readlinkSync(hp)), `target of ${p}`);
      } else {
        assert.equal(s.type, IFREG, p);
        assert.equal(s.size, st.size, `size of ${p}`);
        assert.equal(s.nlink, st.nlink, `nlink of ${p}`);
        const data = vol.read(s.ino, 0, s.size + 10);
        assert.ok(Buffer.from(data).equals(readFileSync(hp)), `bytes of ${p}`);
      }
    }
  };
  walk(root, '');
  snap.delete('/.done');
  assert.deepEqual([...snap.keys()], [], 'extra files in the image');
  return n;
}
