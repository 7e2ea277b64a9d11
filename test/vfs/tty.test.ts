import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Tty, TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, ICANON, ECHO, VMIN,
  VTIME, ISIG, encodeTermios, decodeTermios, defaultTermios, setTtyHooks, FIONREAD,
} from '../../kernel/kern/tty.ts';
import { SleepRequest } from '../../kernel/kern/sleep.ts';
import { SysError, EAGAIN, EIO, ERESTARTSYS, ENOTTY } from '../../kernel/kern/errno.ts';
import { SIGINT, SIGTTIN, SIGWINCH, SIGTSTP } from '../../kernel/kern/signal.ts';
import { Session } from '../../kernel/kern/proc.ts';
import { FakeIo, b, s } from './helpers.ts';

function outcome(fn: () => unknown): unknown {
  try { return fn(); } catch (e) {
    if (e instanceof SysError) return `E${e.errno}`;
    if (e instanceof SleepRequest) return e.deadline === Infinity ? 'sleep' : `sleep@${e.deadline}`;
    throw e;
  }
}

function mk() {
  const out: string[] = [];
  const tty = new Tty('console', (bytes) => out.push(s(bytes)));
  const io = new FakeIo();
  tty.setCtty(io.session, io.pgid);
  return { tty, io, out: () => out.join('') };
}

test('canonical mode: a line at a time, with echo and ONLCR', () => {
  const { tty, io, out } = mk();
  assert.equal(outcome(() => tty.read(100, false, io)), 'sleep');
  tty.input(b('ab'));
  assert.equal(outcome(() => tty.read(100, false, io)), 'sleep');
  tty.input(b('c\r'));
  assert.equal(s(tty.read(100, false, io)), 'abc\n');
  assert.equal(out(), 'abc\r\n');
  tty.write(b('x\ny'), io);
  assert.equal(out(), 'abc\r\nx\r\ny');
});

test('erase, word erase, kill and EOF', () => {
  const { tty, io, out } = mk();
  tty.input(b('abx\x7fc\n'));
  assert.equal(s(tty.read(100, false, io)), 'abc\n');
  assert.ok(out().includes('\b \b'));
  tty.input(b('one two\x17three\n'));
  assert.equal(s(tty.read(100, false, io)), 'one three\n');
  tty.input(b('garbage\x15ok\n'));
  assert.equal(s(tty.read(100, false, io)), 'ok\n');
  tty.input(b('part\x04'));
  assert.equal(s(tty.read(100, false, io)), 'part');
  tty.input(b('\x04'));
  assert.equal(tty.read(100, false, io).length, 0);
  tty.input(b('long line\n'));
  assert.equal(s(tty.read(4, false, io)), 'long');
  assert.equal(s(tty.read(100, false, io)), ' line\n');
});

test('ISIG: ^C signals the foreground group and echoes ^C; ^Z SIGTSTP', () => {
  const sent: Array<[number, number]> = [];
  setTtyHooks({ signalPgrp: (pg, sig) => sent.push([pg, sig]) });
  const { tty, io, out } = mk();
  tty.input(b('abc\x03'));
  assert.deepEqual(sent, [[100, SIGINT]]);
  assert.ok(out().endsWith('^C'));
  assert.equal(outcome(() => tty.read(10, false, io)), 'sleep');
  tty.input(b('\x1a'));
  assert.deepEqual(sent[1], [100, SIGTSTP]);
  setTtyHooks({ signalPgrp: () => {} });
});

test('raw mode: VMIN and VTIME', () => {
  const { tty, io, out } = mk();
  const t = defaultTermios();
  t.lflag &= ~(ICANON | ECHO);
  t.cc[VMIN] = 3;
  t.cc[VTIME] = 0;
  tty.setTermios(t, false);
  tty.input(b('ab'));
  assert.equal(outcome(() => tty.read(10, false, io)), 'sleep');
  tty.input(b('c'));
  assert.equal(s(tty.read(10, false, io)), 'abc');
  assert.equal(out(), '');
  t.cc[VMIN] = 0;
  t.cc[VTIME] = 5;
  tty.setTermios(t, false);
  io.now = 1000;
  assert.equal(outcome(() => tty.read(10, false, io)), 'sleep@1500');
  io.now = 1500;
  assert.equal(tty.read(10, false, io).length, 0);
  io.endSyscall();
  t.cc[VTIME] = 0;
  tty.setTermios(t, false);
  assert.equal(tty.read(10, false, io).length, 0);
  t.cc[VMIN] = 1;
  tty.setTermios(t, false);
  assert.equal(outcome(() => tty.read(10, true, io)), `E${EAGAIN}`);
});

test('switching to raw keeps typed input', () => {
  const { tty, io } = mk();
  tty.input(b('xy'));
  const t = defaultTermios();
  t.lflag &= ~ICANON;
  tty.setTermios(t, false);
  assert.equal(s(tty.read(10, false, io)), 'xy');
});

test('TCGETS/TCSETS use the 36-byte kernel termios', () => {
  const { tty, io } = mk();
  tty.ioctl(TCGETS, 0x10000, io);
  const raw = io.mem.slice(0, 36);
  const dv = new DataView(raw.buffer);
  assert.equal(dv.getUint32(0, true), 0x500);
  assert.equal(dv.getUint32(4, true), 0x5);
  assert.equal(dv.getUint32(8, true), 0x4bf);
  assert.equal(dv.getUint32(12, true), 0x8a3b);
  assert.equal(raw[17 + 0], 3);
  assert.equal(raw[17 + 6], 1);
  const t = decodeTermios(raw);
  t.lflag &= ~ISIG;
  io.mem.set(encodeTermios(t), 0);
  tty.ioctl(TCSETS, 0x10000, io);
  assert.equal(tty.termios.lflag & ISIG, 0);
});

test('winsize: TIOCGWINSZ, TIOCSWINSZ raises SIGWINCH', () => {
  const sent: number[] = [];
  setTtyHooks({ signalPgrp: (_pg, sig) => sent.push(sig) });
  const { tty, io } = mk();
  tty.ioctl(TIOCGWINSZ, 0x10000, io);
  const dv = new DataView(io.mem.buffer);
  assert.equal(dv.getUint16(0, true), 24);
  assert.equal(dv.getUint16(2, true), 80);
  dv.setUint16(0, 50, true);
  dv.setUint16(2, 132, true);
  tty.ioctl(TIOCSWINSZ, 0x10000, io);
  assert.equal(tty.winsize.col, 132);
  assert.deepEqual(sent, [SIGWINCH]);
  setTtyHooks({ signalPgrp: () => {} });
});

test('job control: foreground group, background read gets SIGTTIN or EIO', () => {
  const sent: Array<[number, number]> = [];
  setTtyHooks({ signalPgrp: (pg, sig) => sent.push([pg, sig]) });
  const { tty, io } = mk();
  tty.ioctl(TIOCGPGRP, 0x10000, io);
  assert.equal(new DataView(io.mem.buffer).getInt32(0, true), 100);
  new DataView(io.mem.buffer).setInt32(0, 200, true);
  tty.ioctl(TIOCSPGRP, 0x10000, io);
  assert.equal(tty.pgid, 200);
  assert.equal(outcome(() => tty.read(1, false, io)), `E${ERESTARTSYS}`);
  assert.deepEqual(sent, [[100, SIGTTIN]]);
  io.blocked.add(SIGTTIN);
  assert.equal(outcome(() => tty.read(1, false, io)), `E${EIO}`);
  const other = new FakeIo();
  other.session = new Session(300, null);
  assert.equal(outcome(() => tty.ioctl(TIOCGPGRP, 0x10000, other)), `E${ENOTTY}`);
  setTtyHooks({ signalPgrp: () => {} });
});

test('TIOCSCTTY by a session leader without a terminal', () => {
  const tty = new Tty('t', () => {});
  const io = new FakeIo();
  tty.ioctl(TIOCSCTTY, 0, io);
  assert.equal(io.session.ttyp, tty);
  assert.equal(tty.pgid, 100);
  tty.input(b('abc\n'));
  tty.ioctl(FIONREAD, 0x10000, io);
  assert.equal(new DataView(io.mem.buffer).getInt32(0, true), 4);
});

test('TIOCSCTTY: another session may not take a bound tty, except root from init\'s session', () => {
  const tty = new Tty('console', () => {});
  const init = new FakeIo();
  init.pid = 1; init.pgid = 1; init.session = new Session(1, null);
  tty.setCtty(init.session, 1);
  const getty = new FakeIo();
  getty.pid = 50; getty.pgid = 50; getty.session = new Session(50, null);
  getty.cred = { uid: 5, gid: 5, euid: 5, egid: 5, suid: 5, sgid: 5, groups: [5] };
  assert.equal(outcome(() => tty.ioctl(TIOCSCTTY, 0, getty)), 'E1');
  getty.cred = { uid: 0, gid: 0, euid: 0, egid: 0, suid: 0, sgid: 0, groups: [0] };
  tty.ioctl(TIOCSCTTY, 0, getty);
  assert.equal(tty.session, getty.session);
  assert.equal(init.session.ttyp, null);
  const other = new FakeIo();
  other.pid = 60; other.session = new Session(60, null);
  assert.equal(outcome(() => tty.ioctl(TIOCSCTTY, 0, other)), 'E1');
  tty.ioctl(TIOCSCTTY, 1, other);
  assert.equal(tty.session, other.session);
});
