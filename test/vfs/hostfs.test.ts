import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFs, HostStat } from '../../kernel/platform.ts';
import { HostfsMount } from '../../kernel/fs/hostfs/hostfs_vfsops.ts';
import { namei } from '../../kernel/vfs/namei.ts';
import { MountTable } from '../../kernel/vfs/vfs_mount.ts';
import { DevfsMount } from '../../kernel/fs/devfs/devfs_vfsops.ts';
import { SysError, EROFS, ENOENT } from '../../kernel/kern/errno.ts';
import { VDIR, VLNK, VREG, vref, vrele } from '../../kernel/vfs/vnode.ts';
import { unicodeToBstr } from '../../kernel/vfs/bstr.ts';
import { mkPages, root, s } from './helpers.ts';

/** An in-memory host tree: path → file contents, directory, or symlink. */
class FakeHost implements HostFs {
  reads = 0;
  constructor(private readonly tree: Record<string, string | { link: string } | null>) {}
  stat(path: string): HostStat | null {
    const isDir = path === '' || Object.keys(this.tree).some((k) => k.startsWith(path + '/')) || this.tree[path] === null;
    const v = this.tree[path];
    const ino = [...Object.keys(this.tree)].indexOf(path) + 10;
    if (v === undefined && !isDir) return null;
    if (isDir && (v === undefined || v === null)) return { type: 'dir', size: 0, mode: 0o755, ino, mtimeMs: 1.5e12, nlink: 2 };
    if (typeof v === 'string') return { type: 'file', size: new TextEncoder().encode(v).length, mode: 0o755, ino, mtimeMs: 1.5e12, nlink: 1 };
    return { type: 'symlink', size: (v as { link: string }).link.length, mode: 0o777, ino, mtimeMs: 1.5e12, nlink: 1 };
  }
  readdir(path: string): string[] {
    const pre = path === '' ? '' : path + '/';
    const names = new Set<string>();
    for (const k of Object.keys(this.tree)) if (k.startsWith(pre)) names.add(k.slice(pre.length).split('/')[0]);
    return [...names];
  }
  read(path: string, offset: number, into: Uint8Array): number {
    this.reads++;
    const data = new TextEncoder().encode(this.tree[path] as string);
    const n = Math.max(0, Math.min(into.length, data.length - offset));
    into.set(data.subarray(offset, offset + n));
    return n;
  }
  readlink(path: string): string {
    return (this.tree[path] as { link: string }).link;
  }
}

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

function mk() {
  const host = new FakeHost({
    'lib/libc.so.6': 'ELF' + 'x'.repeat(5000),
    'lib/ld-linux-riscv64-lp64d.so.1': { link: 'libc.so.6' },
    'bin/hello': 'hello program',
    'bin/ünï': 'utf8 name',
    'etc': null,
  });
  const pa = mkPages();
  const mp = new HostfsMount(host, '/abs/dir', pa);
  const mt = new MountTable();
  mt.mountRoot(mp);
  const r = mp.root();
  const look = (p: string, follow = true) => namei({ path: p, start: r, root: r, cred: root(), follow });
  return { host, pa, mp, mt, r, look };
}

test('hostfs: lookup, read, symlinks, stable vnodes', () => {
  const { look } = mk();
  const f = look('/bin/hello');
  assert.equal(f.type, VREG);
  assert.equal(s(f.read(0, 100)), 'hello program');
  assert.equal(s(f.read(6, 4)), 'prog');
  assert.equal(look('/bin/hello'), f);
  assert.equal(look('/lib/ld-linux-riscv64-lp64d.so.1', false).type, VLNK);
  assert.equal(look('/lib/ld-linux-riscv64-lp64d.so.1').getattr().size, 5003);
  assert.equal(look('/bin/..').type, VDIR);
  assert.equal(look('/..'), look('/'));
  assert.equal(s(look('/bin/' + unicodeToBstr('ünï')).read(0, 20)), 'utf8 name');
  assert.equal(errno(() => look('/bin/nope')), ENOENT);
  assert.equal(f.getattr().uid, 0);
  assert.equal(f.getattr().mtime.sec, 1.5e9);
});

test('hostfs is read-only', () => {
  const { look, r } = mk();
  assert.equal(errno(() => r.create('x', 0o644, root())), EROFS);
  assert.equal(errno(() => look('/bin/hello').write(0, new Uint8Array(1))), EROFS);
  assert.equal(errno(() => look('/bin').mkdir('d', 0o755, root())), EROFS);
});

test('hostfs readdir lists host names plus stand-in dev, proc, tmp', () => {
  const { r, look } = mk();
  const names = r.readdir(0, 100).map((e) => e.name).sort();
  assert.deepEqual(names, ['.', '..', 'bin', 'dev', 'etc', 'lib', 'proc', 'tmp']);
  const bin = look('/bin').readdir(0, 100).map((e) => e.name);
  assert.deepEqual(bin, ['.', '..', 'hello', unicodeToBstr('ünï')]);
  const part = r.readdir(3, 2);
  assert.equal(part.length, 2);
  assert.equal(part[0].cookie, 4);
});

test('devfs mounts on the stand-in /dev', () => {
  const { mt, look } = mk();
  mt.mount(new DevfsMount(), look('/dev'));
  assert.equal(look('/dev/null').type, 4);
  assert.equal(look('/dev/..'), look('/'));
  assert.equal(look('/dev/stdin', false).readlink(), 'fd/0');
});

test('hostfs getPage caches file pages in frames and frees them when unused', () => {
  const { pa, look } = mk();
  const f = look('/lib/libc.so.6');
  const free0 = pa.stats.free;
  vref(f);
  const p0 = f.getPage(0);
  const p1 = f.getPage(1);
  assert.equal(f.getPage(0), p0);
  assert.equal(String.fromCharCode(...pa.mem.u8.subarray(p0 * 4096, p0 * 4096 + 3)), 'ELF');
  assert.equal(pa.mem.u8[p1 * 4096 + 5000 - 4096 + 3], 0);
  assert.equal(pa.mem.u8[p1 * 4096 + 10], 'x'.charCodeAt(0));
  assert.equal(pa.stats.free, free0 - 2);
  vrele(f);
  assert.equal(pa.stats.free, free0);
});
