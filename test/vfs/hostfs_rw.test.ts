/*
 * hostfs read-write: a host directory the operator exported
 * (VKERNEL_HOSTFS_RW) takes the guest's changes, and the host sees them at
 * once; host errors come back as the guest's errno; a tree that was not
 * exported, or a symlink leading out of an export, stays read-only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostfsMount } from '../../kernel/fs/hostfs/hostfs_vfsops.ts';
import { EEXIST, ENOENT, ENOTEMPTY, EROFS, SysError } from '../../kernel/kern/errno.ts';
import { namei } from '../../kernel/vfs/namei.ts';
import { MountTable } from '../../kernel/vfs/vfs_mount.ts';
import { VDIR, VLNK, vref, vrele } from '../../kernel/vfs/vnode.ts';
import { hostfsExportedRw, NodeHostFs } from '../../platform/node/hostfs.ts';
import { mkPages, root, s } from './helpers.ts';

const enc = (t: string) => new TextEncoder().encode(t);

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

function mk(writable = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostfs-rw-'));
  const pa = mkPages();
  const mp = new HostfsMount(new NodeHostFs(dir, writable), dir, pa, []);
  const mt = new MountTable();
  mt.mountRoot(mp);
  const r = mp.root();
  const look = (p: string, follow = true) => namei({ path: p, start: r, root: r, cred: root(), follow });
  const done = () => fs.rmSync(dir, { recursive: true, force: true });
  return { dir, pa, mp, r, look, done };
}

test('hostfs rw: create, write, read back; the host sees the bytes and the modes', () => {
  const { dir, r, look, done } = mk();
  try {
    const f = r.create('a.txt', 0o640, root());
    assert.equal(f.write(0, enc('hello')), 5);
    assert.equal(f.write(5, enc(', world')), 7);
    assert.equal(s(look('/a.txt').read(0, 100)), 'hello, world');
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'hello, world');
    assert.equal(fs.statSync(path.join(dir, 'a.txt')).mode & 0o777, 0o640);
    assert.equal(f.getattr().size, 12);
    assert.equal(f.getattr().uid, process.getuid?.() ?? 0);
    assert.equal(errno(() => r.create('a.txt', 0o644, root())), EEXIST);
    /* The host changes the file behind our back: the next getattr sees it. */
    fs.appendFileSync(path.join(dir, 'a.txt'), '!');
    assert.equal(f.getattr().size, 13);
  } finally {
    done();
  }
});

test('hostfs rw: directories, rename moves cached vnodes, unlink and rmdir', () => {
  const { dir, r, look, done } = mk();
  try {
    const d = r.mkdir('d', 0o755, root());
    assert.equal(d.type, VDIR);
    const sub = d.mkdir('sub', 0o700, root());
    sub.create('f', 0o644, root()).write(0, enc('x'));
    const f = look('/d/sub/f');
    r.rename('d', r, 'e');
    assert.equal(look('/e/sub/f'), f, 'the cached vnode followed its directory');
    assert.equal(s(f.read(0, 10)), 'x');
    assert.equal(errno(() => look('/d')), ENOENT);
    assert.ok(fs.existsSync(path.join(dir, 'e/sub/f')));
    assert.equal(errno(() => r.rmdir('e')), ENOTEMPTY);
    look('/e/sub').remove('f');
    look('/e').rmdir('sub');
    r.rmdir('e');
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.deepEqual(r.readdir(0, 10).map((x) => x.name), ['.', '..']);
  } finally {
    done();
  }
});

test('hostfs rw: symlinks, hard links, chmod, truncate, utimes', () => {
  const { dir, r, look, done } = mk();
  try {
    const f = r.create('f', 0o644, root());
    f.write(0, enc('0123456789'));
    r.symlink('l', 'f', root());
    assert.equal(look('/l', false).type, VLNK);
    assert.equal(fs.readlinkSync(path.join(dir, 'l')), 'f');
    assert.equal(s(look('/l').read(0, 3)), '012');
    r.link('h', f);
    assert.equal(f.getattr().nlink, 2);
    f.setattr({ mode: 0o600, size: 4, mtime: { sec: 1_000_000_000, nsec: 0 } });
    const st = fs.statSync(path.join(dir, 'h'));
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.size, 4);
    assert.equal(Math.round(st.mtimeMs / 1000), 1_000_000_000);
    assert.equal(s(look('/h').read(0, 100)), '0123');
  } finally {
    done();
  }
});

test('hostfs rw: mapped pages follow write(2) and truncation, dirty pages reach the host', () => {
  const { dir, pa, r, done } = mk();
  try {
    const f = r.create('m', 0o644, root());
    f.write(0, new Uint8Array(6000).fill(0x61));
    vref(f);
    const p0 = f.getPage(0);
    f.write(10, enc('ZZ'));
    assert.equal(pa.mem.u8[p0 * 4096 + 10], 0x5a, 'write(2) updated the cached page');
    pa.mem.u8[p0 * 4096 + 20] = 0x42;
    f.dirtyPage(0);
    f.fsync();
    assert.equal(fs.readFileSync(path.join(dir, 'm'))[20], 0x42, 'fsync wrote the dirty page back');
    f.setattr({ size: 100 });
    assert.equal(pa.mem.u8[p0 * 4096 + 200], 0, 'truncation zeroed the page past the end');
    vrele(f);
  } finally {
    done();
  }
});

test('hostfs: a tree mounted without the writer is read-only', () => {
  const { r, done } = mk(false);
  try {
    assert.equal(errno(() => r.create('x', 0o644, root())), EROFS);
    assert.equal(errno(() => r.mkdir('x', 0o755, root())), EROFS);
  } finally {
    done();
  }
});

test('hostfsExportedRw: inside an export only, symlinks resolved on the host', () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'hostfs-exp-'));
  try {
    fs.mkdirSync(path.join(top, 'in/deep'), { recursive: true });
    fs.mkdirSync(path.join(top, 'out'));
    fs.symlinkSync(path.join(top, 'out'), path.join(top, 'in/escape'));
    const exp = path.join(top, 'in');
    assert.ok(hostfsExportedRw(exp, exp));
    assert.ok(hostfsExportedRw(path.join(exp, 'deep'), `/nonexistent:${exp}`));
    assert.ok(!hostfsExportedRw(path.join(top, 'out'), exp));
    assert.ok(!hostfsExportedRw(path.join(exp, 'escape'), exp), 'a symlink out of the export is not inside it');
    assert.ok(!hostfsExportedRw(`${exp}x`, exp), 'a name that merely starts like the export');
    assert.ok(!hostfsExportedRw(exp, ''));
  } finally {
    fs.rmSync(top, { recursive: true, force: true });
  }
});
