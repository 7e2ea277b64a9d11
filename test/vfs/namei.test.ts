import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namei, nameiParent } from '../../kernel/vfs/namei.ts';
import { MountTable } from '../../kernel/vfs/vfs_mount.ts';
import { SysError, ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES } from '../../kernel/kern/errno.ts';
import { mkTmpfs, root, user } from './helpers.ts';
import type { Vnode } from '../../kernel/vfs/vnode.ts';

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

function setup() {
  const mp = mkTmpfs();
  const r = mp.root();
  const cred = root();
  const a = r.mkdir('a', 0o755, cred);
  const b = a.mkdir('b', 0o755, cred);
  b.create('f', 0o644, cred);
  r.symlink('abs', '/a/b', cred);
  r.symlink('rel', 'a/b/f', cred);
  r.symlink('loop1', 'loop2', cred);
  r.symlink('loop2', 'loop1', cred);
  r.symlink('dangling', 'nowhere', cred);
  const look = (path: string, start: Vnode = r, follow = true, c = cred) => namei({ path, start, root: r, cred: c, follow });
  return { mp, r, a, b, cred, look };
}

test('namei walks components, . and ..', () => {
  const { r, a, b, look } = setup();
  assert.equal(look('/a/b'), b);
  assert.equal(look('a/./b/../b'), b);
  assert.equal(look('/..'), r);
  assert.equal(look('/../../a'), a);
  assert.equal(look('b', a), b);
  assert.equal(look('//a//b//'), b);
  assert.equal(look('/'), r);
});

test('namei errors: ENOENT, ENOTDIR, trailing slash, ENAMETOOLONG', () => {
  const { look } = setup();
  assert.equal(errno(() => look('/nope')), ENOENT);
  assert.equal(errno(() => look('/a/b/f/x')), ENOTDIR);
  assert.equal(errno(() => look('/a/b/f/')), ENOTDIR);
  assert.equal(errno(() => look('')), ENOENT);
  assert.equal(errno(() => look('/' + 'x'.repeat(256))), ENAMETOOLONG);
  assert.equal(errno(() => look('/a'.repeat(2100))), ENAMETOOLONG);
});

test('symlinks: absolute, relative, loops, nofollow, trailing slash', () => {
  const { r, b, look } = setup();
  assert.equal(look('/abs'), b);
  assert.equal(look('/abs/f').type, 1);
  assert.equal(look('/rel').type, 1);
  assert.equal(errno(() => look('/loop1')), ELOOP);
  assert.equal(look('/loop1', r, false).type, 5);
  assert.equal(look('/abs/', r, false), b);
  assert.equal(errno(() => look('/dangling')), ENOENT);
  const nd = nameiParent({ path: '/dangling', start: r, root: r, cred: root(), follow: true });
  assert.equal(nd.vp, null);
  assert.equal(nd.name, 'nowhere');
  assert.equal(nd.dvp, r);
});

test('symlink chain of 40 resolves, 41 is ELOOP', () => {
  const { r, cred, look } = setup();
  r.create('t0', 0o644, cred);
  for (let i = 1; i <= 41; i++) r.symlink(`t${i}`, `t${i - 1}`, cred);
  assert.equal(look('/t40').type, 1);
  assert.equal(errno(() => look('/t41')), ELOOP);
});

test('search permission is checked on every directory', () => {
  const { a, look, r } = setup();
  a.setattr({ mode: 0o700 });
  assert.equal(errno(() => look('/a/b', r, true, user(1000))), EACCES);
  a.setattr({ mode: 0o711 });
  assert.ok(look('/a/b', r, true, user(1000)));
});

test('chroot: .. stops at the process root', () => {
  const { a, b, cred } = setup();
  assert.equal(namei({ path: '/../..', start: b, root: a, cred, follow: true }), a);
  assert.equal(namei({ path: '../../..', start: b, root: a, cred, follow: true }), a);
});

test('mount points: crossing down and back up with ..', () => {
  const { mp, r, a, look } = setup();
  const mt = new MountTable();
  mt.mountRoot(mp);
  const other = mkTmpfs();
  const cred = root();
  other.root().mkdir('inner', 0o755, cred);
  mt.mount(other, a);
  assert.equal(look('/a'), other.root());
  const inner = look('/a/inner');
  assert.equal(look('..', inner), other.root());
  assert.equal(look('../..', inner), r);
  assert.equal(look('/a/..'), r);
  mt.unmount(other);
  assert.equal(look('/a'), a);
});

test('nameiParent gives parent and name for create/delete', () => {
  const { r, a, b, look } = setup();
  const nd = nameiParent({ path: '/a/b/new', start: r, root: r, cred: root(), follow: false });
  assert.equal(nd.dvp, b);
  assert.equal(nd.name, 'new');
  assert.equal(nd.vp, null);
  const nd2 = nameiParent({ path: '/a/b/', start: r, root: r, cred: root(), follow: false });
  assert.equal(nd2.dvp, a);
  assert.equal(nd2.vp, b);
  assert.equal(nd2.trailingSlash, true);
  const nd3 = nameiParent({ path: '/', start: r, root: r, cred: root(), follow: false });
  assert.equal(nd3.name, '');
  assert.equal(errno(() => nameiParent({ path: '/x/y', start: r, root: r, cred: root(), follow: false })), ENOENT);
  void look;
});
