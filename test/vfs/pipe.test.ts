import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePipe, PIPE_BUF, PIPE_SIZE } from '../../kernel/kern/pipe.ts';
import { SleepRequest, setWakeupImpl } from '../../kernel/kern/sleep.ts';
import { SysError, EAGAIN, EPIPE, ESPIPE } from '../../kernel/kern/errno.ts';
import { SIGPIPE } from '../../kernel/kern/signal.ts';
import { O_NONBLOCK, POLLIN, POLLOUT, POLLHUP, POLLERR } from '../../kernel/vfs/file.ts';
import { FakeIo, root, b, s } from './helpers.ts';

function outcome(fn: () => unknown): unknown {
  try { return fn(); } catch (e) {
    if (e instanceof SysError) return `E${e.errno}`;
    if (e instanceof SleepRequest) return 'sleep';
    throw e;
  }
}

test('bytes flow through; EOF after the writer closes', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  assert.equal(w.ops.write(w, b('hi there'), null, io), 8);
  assert.equal(s(r.ops.read(r, 2, null, io)), 'hi');
  assert.equal(s(r.ops.read(r, 100, null, io)), ' there');
  assert.equal(outcome(() => r.ops.read(r, 1, null, io)), 'sleep');
  w.drop();
  assert.equal(r.ops.read(r, 1, null, io).length, 0);
});

test('reader sleeps and is woken by a write', () => {
  const woken: object[] = [];
  setWakeupImpl((c) => woken.push(c));
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  let chan: object | null = null;
  try { r.ops.read(r, 10, null, io); } catch (e) { if (e instanceof SleepRequest) chan = e.chan; }
  assert.ok(chan);
  w.ops.write(w, b('x'), null, io);
  assert.ok(woken.includes(chan as object));
  setWakeupImpl(() => {});
});

test('EPIPE and SIGPIPE with no reader', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  r.drop();
  assert.equal(outcome(() => w.ops.write(w, b('x'), null, io)), `E${EPIPE}`);
  assert.deepEqual(io.signals, [SIGPIPE]);
});

test('O_NONBLOCK: EAGAIN when empty or full; PIPE_BUF writes are atomic', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), O_NONBLOCK);
  assert.equal(outcome(() => r.ops.read(r, 1, null, io)), `E${EAGAIN}`);
  assert.equal(w.ops.write(w, new Uint8Array(PIPE_SIZE - 100), null, io), PIPE_SIZE - 100);
  assert.equal(outcome(() => w.ops.write(w, new Uint8Array(200), null, io)), `E${EAGAIN}`);
  assert.equal(w.ops.write(w, new Uint8Array(PIPE_BUF + 1000), null, io), 100);
  assert.equal(outcome(() => r.ops.read(r, 1, 0, io)), `E${ESPIPE}`);
});

test('a blocking write larger than the buffer sleeps and resumes where it stopped', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  const data = new Uint8Array(PIPE_SIZE + 5000).map((_, i) => i % 251);
  assert.equal(outcome(() => w.ops.write(w, data, null, io)), 'sleep');
  assert.ok(io.restart);
  const got = r.ops.read(r, PIPE_SIZE, null, io);
  assert.equal(got.length, PIPE_SIZE);
  assert.equal(w.ops.write(w, data, null, io), data.length);
  const rest = r.ops.read(r, PIPE_SIZE, null, io);
  assert.equal(rest.length, 5000);
  assert.deepEqual(rest, data.subarray(PIPE_SIZE));
});

test('poll readiness of both ends', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  assert.equal(r.ops.poll(r, POLLIN, io), 0);
  assert.equal(w.ops.poll(w, POLLOUT, io), POLLOUT);
  w.ops.write(w, b('x'), null, io);
  assert.equal(r.ops.poll(r, POLLIN, io), POLLIN);
  w.drop();
  assert.equal(r.ops.poll(r, POLLIN, io) & POLLHUP, POLLHUP);
  const [r2, w2] = makePipe(root(), 0);
  r2.drop();
  assert.equal(w2.ops.poll(w2, POLLOUT, io) & POLLERR, POLLERR);
  const st = r.ops.stat(r);
  assert.equal(st.type, 7);
});

test('FIONREAD reports the bytes buffered', () => {
  const io = new FakeIo();
  const [r, w] = makePipe(root(), 0);
  w.ops.write(w, b('12345'), null, io);
  r.ops.ioctl(r, 0x541b, 0x10000, io);
  assert.equal(new DataView(io.mem.buffer).getInt32(0, true), 5);
});
