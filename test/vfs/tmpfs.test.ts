import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SysError, EEXIST, ENOTEMPTY, EISDIR, ENOTDIR, ENOSPC, ENOENT } from '../../kernel/kern/errno.ts';
import { TmpfsMount } from '../../kernel/fs/tmpfs/tmpfs_vfsops.ts';
import { vref, vrele, VDIR, VREG } from '../../kernel/vfs/vnode.ts';
import { mkPages, mkTmpfs, root, b, s } from './helpers.ts';

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

test('files: write, read back, append past a page, size and blocks', () => {
  const mp = mkTmpfs();
  const f = mp.root().create('f', 0o644, root());
  assert.equal(f.write(0, b('hello')), 5);
  assert.equal(s(f.read(0, 100)), 'hello');
  assert.equal(s(f.read(1, 3)), 'ell');
  assert.equal(f.read(5, 10).length, 0);
  const big = new Uint8Array(10000).map((_, i) => i & 255);
  f.write(4090, big);
  assert.equal(f.getattr().size, 14090);
  assert.deepEqual(f.read(4090, 10000), big);
  assert.equal(f.getattr().blocks, 4 * 8);
});

test('sparse files: holes read as zeros and take no frames', () => {
  const pa = mkPages();
  const mp = new TmpfsMount(pa);
  const f = mp.root().create('sparse', 0o644, root());
  const free0 = pa.stats.free;
  f.write(1 << 20, b('end'));
  assert.equal(f.getattr().size, (1 << 20) + 3);
  assert.equal(pa.stats.free, free0 - 1);
  assert.deepEqual(f.read(4096 * 10, 16), new Uint8Array(16));
  assert.equal(s(f.read(1 << 20, 3)), 'end');
});

test('truncate shrinks (zeroing the tail) and grows with zeros', () => {
  const pa = mkPages();
  const mp = new TmpfsMount(pa);
  const f = mp.root().create('t', 0o644, root());
  f.write(0, new Uint8Array(9000).fill(7));
  const free0 = pa.stats.free;
  f.setattr({ size: 100 });
  assert.equal(pa.stats.free, free0 + 2);
  f.setattr({ size: 200 });
  const d = f.read(0, 200);
  assert.equal(d[99], 7);
  assert.equal(d[100], 0);
  assert.equal(d[199], 0);
});

test('getPage hands out the file frame itself (MAP_SHARED exactness)', () => {
  const pa = mkPages();
  const mp = new TmpfsMount(pa);
  const f = mp.root().create('m', 0o644, root());
  f.write(0, b('abc'));
  const ppn = f.getPage(0);
  assert.equal(pa.mem.u8[ppn * 4096 + 1], 'b'.charCodeAt(0));
  pa.mem.u8[ppn * 4096] = 'X'.charCodeAt(0);
  assert.equal(s(f.read(0, 3)), 'Xbc');
  assert.equal(f.getPage(0), ppn);
  const past = f.getPage(5);
  assert.equal(pa.mem.u8[past * 4096], 0);
});

test('ENOSPC at the size limit, without a partial write', () => {
  const mp = new TmpfsMount(mkPages(), { maxPages: 2 });
  const f = mp.root().create('x', 0o644, root());
  assert.equal(errno(() => f.write(0, new Uint8Array(3 * 4096))), ENOSPC);
  assert.equal(f.getattr().size, 0);
  f.write(0, new Uint8Array(8192));
  assert.equal(mp.statfs().bfree, 0);
});

test('directories: create, EEXIST, readdir with stable cookies, rmdir ENOTEMPTY', () => {
  const mp = mkTmpfs();
  const r = mp.root();
  const d = r.mkdir('d', 0o755, root());
  assert.equal(errno(() => r.mkdir('d', 0o755, root())), EEXIST);
  for (const n of ['a', 'b', 'c', 'e']) d.create(n, 0o644, root());
  const first = d.readdir(0, 3);
  assert.deepEqual(first.map((e) => e.name), ['.', '..', 'a']);
  d.remove('b');
  const rest = d.readdir(first[2].cookie, 100);
  assert.deepEqual(rest.map((e) => e.name), ['c', 'e']);
  assert.equal(errno(() => r.rmdir('d')), ENOTEMPTY);
  assert.equal(r.getattr().nlink, 3);
  for (const n of ['a', 'c', 'e']) d.remove(n);
  r.rmdir('d');
  assert.equal(r.getattr().nlink, 2);
  assert.equal(errno(() => r.lookup('d')), ENOENT);
});

test('hard links count and keep data until the last name and holder go', () => {
  const pa = mkPages();
  const mp = new TmpfsMount(pa);
  const r = mp.root();
  const f = r.create('f', 0o644, root());
  f.write(0, b('data'));
  r.link('g', f);
  assert.equal(f.getattr().nlink, 2);
  const free0 = pa.stats.free;
  vref(f);
  r.remove('f');
  r.remove('g');
  assert.equal(f.getattr().nlink, 0);
  assert.equal(s(f.read(0, 4)), 'data');
  assert.equal(pa.stats.free, free0);
  vrele(f);
  assert.equal(pa.stats.free, free0 + 1);
  assert.equal(errno(() => r.remove('nope')), ENOENT);
  const d = r.mkdir('dd', 0o755, root());
  assert.equal(errno(() => r.remove('dd')), EISDIR);
  void d;
});

test('rename: files, replacing, directories across parents with link counts', () => {
  const mp = mkTmpfs();
  const r = mp.root();
  const cred = root();
  const f = r.create('f', 0o644, cred);
  const g = r.create('g', 0o644, cred);
  r.rename('f', r, 'g');
  assert.equal(r.lookup('g'), f);
  assert.equal(g.getattr().nlink, 0);
  const d1 = r.mkdir('d1', 0o755, cred);
  const d2 = r.mkdir('d2', 0o755, cred);
  const sub = d1.mkdir('sub', 0o755, cred);
  d1.rename('sub', d2, 'moved');
  assert.equal(d2.lookup('moved'), sub);
  assert.equal(sub.lookup('..'), d2);
  assert.equal(d1.getattr().nlink, 2);
  assert.equal(d2.getattr().nlink, 3);
  const e = r.mkdir('e', 0o755, cred);
  e.create('x', 0o644, cred);
  assert.equal(errno(() => d2.rename('moved', r, 'e')), ENOTEMPTY);
  assert.equal(errno(() => r.rename('g', r, 'e')), EISDIR);
  assert.equal(errno(() => d2.rename('moved', r, 'g')), ENOTDIR);
  assert.equal(r.lookup('g').type, VREG);
  assert.equal(d2.lookup('moved').type, VDIR);
});

test('symlinks and special files keep what they were made with', () => {
  const mp = mkTmpfs();
  const r = mp.root();
  const l = r.symlink('l', '/some/where', root());
  assert.equal(l.readlink(), '/some/where');
  assert.equal(l.getattr().size, 11);
  const fifo = r.mknod('p', 7, 0o600, 0, root());
  assert.equal(fifo.type, 7);
});

test('new files take the directory group when it is set-group-ID', () => {
  const mp = mkTmpfs();
  const r = mp.root();
  const d = r.mkdir('sg', 0o2775, root());
  d.setattr({ gid: 50 });
  const f = d.create('f', 0o644, { uid: 5, gid: 5, euid: 5, egid: 5, suid: 5, sgid: 5, groups: [5] });
  assert.equal(f.getattr().gid, 50);
  assert.equal(f.getattr().uid, 5);
});

test('the node limit gives ENOSPC and freed names are reusable', () => {
  const mp = new TmpfsMount(mkPages(), { maxNodes: 4 });
  const r = mp.root();
  r.create('a', 0o644, root());
  r.mkdir('d', 0o755, root());
  r.symlink('l', 'x', root());
  assert.equal(errno(() => r.create('b', 0o644, root())), ENOSPC);
  r.remove('a');
  r.rmdir('d');
  r.create('b', 0o644, root());
  r.mkdir('e', 0o755, root());
  assert.equal(mp.statfs().ffree, 0);
});
