import { test } from 'node:test';
import assert from 'node:assert/strict';
import { File, FileTable, O_RDWR, type FileOps } from '../../kernel/vfs/file.ts';
import { SysError, EBADF, EMFILE } from '../../kernel/kern/errno.ts';

function countingOps(closed: number[]): FileOps {
  return {
    read: () => new Uint8Array(0), write: (_f, d) => d.length, ioctl: () => 0, poll: () => 0,
    stat: () => { throw new Error('no'); }, close: () => { closed.push(1); },
  };
}

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

test('lowest free descriptor first, EMFILE at the limit', () => {
  const closed: number[] = [];
  const t = new FileTable();
  const mk = () => new File(countingOps(closed), null, O_RDWR);
  assert.equal(t.alloc(mk(), false, 4), 0);
  assert.equal(t.alloc(mk(), false, 4), 1);
  assert.equal(t.alloc(mk(), false, 4), 2);
  t.close(1);
  assert.equal(closed.length, 1);
  assert.equal(t.alloc(mk(), false, 4), 1);
  assert.equal(t.alloc(mk(), false, 4), 3);
  assert.equal(errno(() => t.alloc(mk(), false, 4)), EMFILE);
  assert.equal(errno(() => t.get(7)), EBADF);
  assert.equal(errno(() => t.close(-1)), EBADF);
});

test('dup shares the File; closing one keeps the other open', () => {
  const closed: number[] = [];
  const t = new FileTable();
  const fp = new File(countingOps(closed), null, O_RDWR);
  const fd = t.alloc(fp, false, 100);
  const fd2 = t.alloc(t.get(fd).hold(), false, 100, 10);
  assert.equal(fd2, 10);
  fp.offset = 42;
  assert.equal(t.get(fd2).offset, 42);
  t.close(fd);
  assert.equal(closed.length, 0);
  t.close(fd2);
  assert.equal(closed.length, 1);
});

test('install replaces (dup2) and closes what was there', () => {
  const closed: number[] = [];
  const t = new FileTable();
  const a = new File(countingOps(closed), null, O_RDWR);
  const b = new File(countingOps(closed), null, O_RDWR);
  t.alloc(a, false, 10);
  t.alloc(b, false, 10);
  t.install(1, a.hold(), true);
  assert.equal(closed.length, 1);
  assert.equal(t.get(1), a);
  assert.equal(t.getCloexec(1), true);
});

test('fork copies the table, exec closes close-on-exec, closeAll drops everything', () => {
  const closed: number[] = [];
  const t = new FileTable();
  t.alloc(new File(countingOps(closed), null, O_RDWR), false, 10);
  t.alloc(new File(countingOps(closed), null, O_RDWR), true, 10);
  const c = t.fork();
  assert.equal(c.get(0), t.get(0));
  c.execClose();
  assert.equal(errno(() => c.get(1)), EBADF);
  assert.equal(closed.length, 0);
  t.closeAll();
  assert.equal(closed.length, 1);
  c.closeAll();
  assert.equal(closed.length, 2);
  assert.equal(t.size, 0);
});
