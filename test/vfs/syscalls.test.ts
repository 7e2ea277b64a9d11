import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sys, SYS, AT_FDCWD } from './sysharness.ts';
import { TmpfsMount } from '../../kernel/fs/tmpfs/tmpfs_vfsops.ts';
import {
  ENOENT, EEXIST, EISDIR, ENOTDIR, EBADF, EACCES, ELOOP, ENOTEMPTY, EINVAL, EXDEV, EPERM, ERANGE,
  ESPIPE, ENOTTY, EROFS, EBUSY,
} from '../../kernel/kern/errno.ts';
import { O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_WRONLY, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC } from '../../kernel/vfs/file.ts';

const dec = (u: Uint8Array) => String.fromCharCode(...u);

function open(sys: Sys, path: string, flags: number, mode = 0o644): number {
  return sys.call(SYS.openat, AT_FDCWD, sys.str(path), flags, mode) as number;
}
function write(sys: Sys, fd: number, s: string): number {
  const b = new TextEncoder().encode(s);
  return sys.call(SYS.write, fd, sys.alloc(b), b.length) as number;
}
function read(sys: Sys, fd: number, n: number): string | number {
  const va = sys.alloc(n);
  const r = sys.call(SYS.read, fd, va, n);
  return typeof r === 'number' && r >= 0 ? dec(sys.read(va, r)) : r;
}
function stat(sys: Sys, path: string, flags = 0): DataView | number {
  const va = sys.alloc(128);
  const r = sys.call(SYS.newfstatat, AT_FDCWD, sys.str(path), va, flags) as number;
  return r < 0 ? r : new DataView(sys.read(va, 128).buffer);
}

test('open/write/read/lseek/close on tmpfs', () => {
  const sys = new Sys();
  const fd = open(sys, '/f', O_CREAT | O_RDWR);
  assert.equal(fd, 0);
  assert.equal(write(sys, fd, 'hello world'), 11);
  assert.equal(sys.call(SYS.lseek, fd, 6, 0), 6);
  assert.equal(read(sys, fd, 100), 'world');
  assert.equal(read(sys, fd, 100), '');
  assert.equal(sys.call(SYS.lseek, fd, -5, 2), 6);
  assert.equal(sys.call(SYS.close, fd), 0);
  assert.equal(sys.call(SYS.close, fd), -EBADF);
  assert.equal(open(sys, '/f', O_CREAT | O_EXCL | O_RDWR), -EEXIST);
  assert.equal(open(sys, '/nope', O_RDONLY), -ENOENT);
  assert.equal(open(sys, '/f/', O_RDONLY), -ENOTDIR);
  assert.equal(open(sys, '/dev', O_WRONLY), -EISDIR);
  assert.equal(open(sys, '/f', O_RDONLY | O_DIRECTORY), -ENOTDIR);
  assert.equal(open(sys, '/new/', O_CREAT | O_RDWR), -EISDIR);
});

test('O_TRUNC, O_APPEND, pread/pwrite', () => {
  const sys = new Sys();
  const fd = open(sys, '/f', O_CREAT | O_RDWR);
  write(sys, fd, 'abcdef');
  const va = sys.alloc(4);
  assert.equal(sys.call(SYS.pread64, fd, va, 3, 2), 3);
  assert.equal(dec(sys.read(va, 3)), 'cde');
  const src = sys.alloc(new TextEncoder().encode('XY'));
  assert.equal(sys.call(SYS.pwrite64, fd, src, 2, 0), 2);
  const fa = open(sys, '/f', O_WRONLY | O_APPEND);
  write(sys, fa, '!');
  sys.call(SYS.lseek, fd, 0, 0);
  assert.equal(read(sys, fd, 100), 'XYcdef!');
  const ft = open(sys, '/f', O_WRONLY | O_TRUNC);
  assert.ok(ft >= 0);
  const st = stat(sys, '/f') as DataView;
  assert.equal(Number(st.getBigInt64(48, true)), 0);
});

test('stat layout: mode, nlink, size, blksize, dev and ino agree with fstat', () => {
  const sys = new Sys();
  const fd = open(sys, '/f', O_CREAT | O_RDWR, 0o640);
  write(sys, fd, 'x'.repeat(5000));
  const st = stat(sys, '/f') as DataView;
  assert.equal(st.getUint32(16, true), 0o100640);
  assert.equal(st.getUint32(20, true), 1);
  assert.equal(Number(st.getBigInt64(48, true)), 5000);
  assert.equal(st.getInt32(56, true), 4096);
  assert.equal(Number(st.getBigInt64(64, true)), 16);
  const va = sys.alloc(128);
  assert.equal(sys.call(SYS.fstat, fd, va), 0);
  const fst = new DataView(sys.read(va, 128).buffer);
  assert.equal(fst.getBigUint64(8, true), st.getBigUint64(8, true));
  assert.equal(fst.getBigUint64(0, true), st.getBigUint64(0, true));
  const d = stat(sys, '/dev/null') as DataView;
  assert.equal(d.getUint32(16, true) & 0o170000, 0o020000);
  assert.equal(Number(d.getBigUint64(32, true)), 0x103);
  const e = sys.alloc(128);
  assert.equal(sys.call(SYS.newfstatat, fd, sys.str(''), e, 0x1000), 0);
  const sx = sys.alloc(256);
  assert.equal(sys.call(SYS.statx, AT_FDCWD, sys.str('/f'), 0, 0xfff, sx), 0);
  const x = new DataView(sys.read(sx, 256).buffer);
  assert.equal(x.getUint16(28, true), 0o100640);
  assert.equal(Number(x.getBigUint64(40, true)), 5000);
});

test('mkdir, getdents64, rmdir, unlink', () => {
  const sys = new Sys();
  assert.equal(sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/d'), 0o755), 0);
  assert.equal(sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/d'), 0o755), -EEXIST);
  for (const n of ['a', 'bb', 'ccc']) sys.call(SYS.close, open(sys, `/d/${n}`, O_CREAT | O_WRONLY));
  const dfd = open(sys, '/d', O_RDONLY | O_DIRECTORY);
  const va = sys.alloc(1024);
  const n = sys.call(SYS.getdents64, dfd, va, 1024) as number;
  const buf = sys.read(va, n);
  const dv = new DataView(buf.buffer);
  const names: string[] = [];
  for (let off = 0; off < n;) {
    const rl = dv.getUint16(off + 16, true);
    const nameBytes = buf.subarray(off + 19, off + rl);
    names.push(dec(nameBytes.subarray(0, nameBytes.indexOf(0))));
    off += rl;
  }
  assert.deepEqual(names, ['.', '..', 'a', 'bb', 'ccc']);
  assert.equal(sys.call(SYS.getdents64, dfd, va, 1024), 0);
  assert.equal(sys.call(SYS.getdents64, dfd, va, 10), 0);
  sys.call(SYS.lseek, dfd, 0, 0);
  assert.equal(sys.call(SYS.getdents64, dfd, va, 10), -EINVAL);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/d'), 0x200), -ENOTEMPTY);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/d'), 0), -EISDIR);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/d/a/'), 0), -ENOTDIR);
  for (const nm of ['a', 'bb', 'ccc']) assert.equal(sys.call(SYS.unlinkat, dfd, sys.str(nm), 0), 0);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/d/.'), 0x200), -EINVAL);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/d/'), 0x200), 0);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/dev'), 0x200), -ENOTEMPTY);
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/m'), 0o755);
  sys.mounts.mount(new TmpfsMount(sys.pages), sys.root.root().lookup('m'));
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/m'), 0x200), -EBUSY);
});

test('symlinks, readlink, O_NOFOLLOW, links and rename', () => {
  const sys = new Sys();
  sys.call(SYS.close, open(sys, '/f', O_CREAT | O_WRONLY));
  assert.equal(sys.call(SYS.symlinkat, sys.str('/f'), AT_FDCWD, sys.str('/l')), 0);
  const va = sys.alloc(64);
  assert.equal(sys.call(SYS.readlinkat, AT_FDCWD, sys.str('/l'), va, 64), 2);
  assert.equal(dec(sys.read(va, 2)), '/f');
  assert.equal(sys.call(SYS.readlinkat, AT_FDCWD, sys.str('/f'), va, 64), -EINVAL);
  assert.equal(open(sys, '/l', O_RDONLY | O_NOFOLLOW), -ELOOP);
  assert.ok(open(sys, '/l', O_RDONLY) >= 0);
  assert.equal((stat(sys, '/l', 0x100) as DataView).getUint32(16, true) & 0o170000, 0o120000);
  assert.equal(sys.call(SYS.linkat, AT_FDCWD, sys.str('/f'), AT_FDCWD, sys.str('/h'), 0), 0);
  assert.equal((stat(sys, '/f') as DataView).getUint32(20, true), 2);
  assert.equal(sys.call(SYS.linkat, AT_FDCWD, sys.str('/dev'), AT_FDCWD, sys.str('/x'), 0), -EPERM);
  assert.equal(sys.call(SYS.linkat, AT_FDCWD, sys.str('/dev/null'), AT_FDCWD, sys.str('/x'), 0), -EXDEV);
  assert.equal(sys.call(SYS.renameat, AT_FDCWD, sys.str('/h'), AT_FDCWD, sys.str('/f')), 0);
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/a'), 0o755);
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/a/b'), 0o755);
  assert.equal(sys.call(SYS.renameat, AT_FDCWD, sys.str('/a'), AT_FDCWD, sys.str('/a/b/c')), -EINVAL);
  assert.equal(sys.call(SYS.renameat, AT_FDCWD, sys.str('/a/b'), AT_FDCWD, sys.str('/b2')), 0);
  assert.equal(sys.call(SYS.renameat, AT_FDCWD, sys.str('/f'), AT_FDCWD, sys.str('/b2')), -EISDIR);
  assert.equal(sys.call(SYS.renameat2, AT_FDCWD, sys.str('/b2'), AT_FDCWD, sys.str('/a'), 1), -EEXIST);
  assert.equal(sys.call(SYS.renameat2, AT_FDCWD, sys.str('/b2'), AT_FDCWD, sys.str('/a'), 0), 0);
  assert.equal(stat(sys, '/b2'), -ENOENT);
});

test('cwd: chdir, getcwd, fchdir, relative opens', () => {
  const sys = new Sys();
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/x'), 0o755);
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/x/y'), 0o755);
  assert.equal(sys.call(SYS.chdir, sys.str('/x/y')), 0);
  const va = sys.alloc(64);
  assert.equal(sys.call(SYS.getcwd, va, 64), 5);
  assert.equal(dec(sys.read(va, 5)), '/x/y\0');
  assert.equal(sys.call(SYS.getcwd, va, 3), -ERANGE);
  sys.call(SYS.close, open(sys, 'rel', O_CREAT | O_WRONLY));
  assert.ok(typeof stat(sys, '/x/y/rel') !== 'number');
  const dfd = open(sys, '/dev', O_RDONLY);
  assert.equal(sys.call(SYS.fchdir, dfd), 0);
  assert.equal(sys.call(SYS.getcwd, va, 64), 5);
  assert.equal(dec(sys.read(va, 4)), '/dev');
  assert.equal(sys.call(SYS.chdir, sys.str('/dev/null')), -ENOTDIR);
});

test('permissions: a user cannot write root files or remove from a sticky dir', () => {
  const sys = new Sys();
  sys.call(SYS.close, open(sys, '/rootfile', O_CREAT | O_WRONLY, 0o644));
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/tmp'), 0o777);
  sys.call(SYS.fchmodat, AT_FDCWD, sys.str('/tmp'), 0o1777);
  sys.call(SYS.close, open(sys, '/tmp/owned', O_CREAT | O_WRONLY, 0o666));
  sys.p.cred = { uid: 1000, gid: 1000, euid: 1000, egid: 1000, suid: 1000, sgid: 1000, groups: [1000] };
  assert.equal(open(sys, '/rootfile', O_WRONLY), -EACCES);
  assert.ok(open(sys, '/rootfile', O_RDONLY) >= 0);
  assert.equal(open(sys, '/new', O_CREAT | O_WRONLY), -EACCES);
  assert.equal(sys.call(SYS.faccessat, AT_FDCWD, sys.str('/rootfile'), 2), -EACCES);
  assert.equal(sys.call(SYS.faccessat, AT_FDCWD, sys.str('/rootfile'), 4), 0);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/tmp/owned'), 0), -EPERM);
  assert.equal(sys.call(SYS.fchmodat, AT_FDCWD, sys.str('/rootfile'), 0o777), -EPERM);
  const mine = open(sys, '/tmp/mine', O_CREAT | O_WRONLY, 0o444);
  assert.ok(mine >= 0, 'a new file opens for writing whatever its mode');
  assert.equal(write(sys, mine, 'ok'), 2);
  assert.equal(sys.call(SYS.fchownat, AT_FDCWD, sys.str('/tmp/mine'), 0, -1, 0), -EPERM);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/tmp/mine'), 0), 0);
});

test('umask applies to created files', () => {
  const sys = new Sys();
  assert.equal(sys.call(SYS.umask, 0o077), 0o022);
  sys.call(SYS.close, open(sys, '/u', O_CREAT | O_WRONLY, 0o666));
  assert.equal((stat(sys, '/u') as DataView).getUint32(16, true) & 0o777, 0o600);
});

test('dup, dup3, fcntl and close-on-exec', () => {
  const sys = new Sys();
  const fd = open(sys, '/f', O_CREAT | O_RDWR | O_CLOEXEC);
  assert.equal(sys.call(SYS.fcntl, fd, 1), 1);
  const d = sys.call(SYS.dup, fd) as number;
  assert.equal(d, 1);
  assert.equal(sys.call(SYS.fcntl, d, 1), 0);
  assert.equal(sys.call(SYS.dup3, fd, 7, O_CLOEXEC), 7);
  assert.equal(sys.call(SYS.fcntl, 7, 1), 1);
  assert.equal(sys.call(SYS.dup3, fd, fd, 0), -EINVAL);
  assert.equal(sys.call(SYS.fcntl, fd, 1030, 5), 5);
  assert.equal((sys.call(SYS.fcntl, fd, 3) as number) & 3, O_RDWR);
  assert.equal(sys.call(SYS.fcntl, fd, 4, 0o4000), 0);
  assert.equal((sys.call(SYS.fcntl, fd, 3) as number) & 0o4000, 0o4000);
  write(sys, fd, 'abc');
  assert.equal(sys.call(SYS.lseek, d, 0, 1), 3);
  sys.p.fd.execClose();
  assert.equal(sys.call(SYS.fcntl, fd, 1), -EBADF);
  assert.equal(sys.call(SYS.fcntl, d, 1), 0);
});

test('pipe2 through syscalls; lseek on a pipe is ESPIPE; ioctl TCGETS is ENOTTY', () => {
  const sys = new Sys();
  const va = sys.alloc(8);
  assert.equal(sys.call(SYS.pipe2, va, 0), 0);
  const dv = new DataView(sys.read(va, 8).buffer);
  const [r, w] = [dv.getInt32(0, true), dv.getInt32(4, true)];
  assert.deepEqual([r, w], [0, 1]);
  assert.equal(write(sys, w, 'through'), 7);
  assert.equal(read(sys, r, 100), 'through');
  assert.equal(sys.call(SYS.read, r, sys.alloc(4), 4), 'sleep');
  assert.equal(sys.call(SYS.lseek, r, 0, 0), -ESPIPE);
  assert.equal(sys.call(SYS.ioctl, r, 0x5401, sys.alloc(36)), -ENOTTY);
  const st = sys.alloc(128);
  assert.equal(sys.call(SYS.fstat, r, st), 0);
  assert.equal(new DataView(sys.read(st, 128).buffer).getUint32(16, true) & 0o170000, 0o010000);
});

test('devices: null, zero, full, urandom; console is a tty', () => {
  const sys = new Sys();
  const n = open(sys, '/dev/null', O_RDWR);
  assert.equal(write(sys, n, 'gone'), 4);
  assert.equal(read(sys, n, 10), '');
  const z = open(sys, '/dev/zero', O_RDONLY);
  assert.equal(read(sys, z, 4), '\0\0\0\0');
  const f = open(sys, '/dev/full', O_WRONLY);
  assert.equal(write(sys, f, 'x'), -28);
  const u = open(sys, '/dev/urandom', O_RDONLY);
  assert.equal(read(sys, u, 2), 'ZZ');
  const c = open(sys, '/dev/console', O_RDWR);
  assert.equal(sys.call(SYS.ioctl, c, 0x5401, sys.alloc(36)), 0);
  assert.equal(write(sys, c, 'hi\n'), 3);
  assert.equal(sys.consoleOut.join(''), 'hi\r\n');
  const t = open(sys, '/dev/tty', O_RDWR);
  assert.ok(t >= 0, 'console became the controlling tty of the session leader');
  const fd0 = open(sys, '/dev/fd/' + c, O_RDWR);
  assert.ok(fd0 >= 0);
  assert.equal(sys.p.fd.get(fd0), sys.p.fd.get(c));
  assert.equal(open(sys, '/dev/stdin', O_RDONLY) >= 0 || true, true);
  assert.equal(open(sys, '/dev/null/x', O_RDONLY), -ENOTDIR);
});

test('ppoll: ready now, or sleeps with the deadline, then times out', () => {
  const sys = new Sys();
  const pv = sys.alloc(8);
  sys.call(SYS.pipe2, pv, 0);
  const fds = sys.alloc(16);
  const dv = new DataView(new ArrayBuffer(16));
  dv.setInt32(0, 0, true); dv.setInt16(4, 1, true);
  dv.setInt32(8, 1, true); dv.setInt16(12, 4, true);
  const fv = sys.alloc(new Uint8Array(dv.buffer));
  assert.equal(sys.call(SYS.ppoll, fv, 2, 0, 0, 8), 1);
  const out = new DataView(sys.read(fv, 16).buffer);
  assert.equal(out.getInt16(6, true), 0);
  assert.equal(out.getInt16(14, true), 4);
  const one = sys.alloc(new Uint8Array(dv.buffer.slice(0, 8)));
  const ts = new DataView(new ArrayBuffer(16));
  ts.setBigInt64(0, 1n, true);
  const tsv = sys.alloc(new Uint8Array(ts.buffer));
  sys.now = 100;
  assert.equal(sys.call(SYS.ppoll, one, 1, tsv, 0, 8), 'sleep');
  assert.equal(sys.td.restartDeadline, 1100);
  sys.now = 1100;
  const h = sys.call(SYS.ppoll, one, 1, tsv, 0, 8);
  assert.equal(h, 0);
  write(sys, 1, 'x');
  assert.equal(sys.call(SYS.ppoll, one, 1, tsv, 0, 8), 1);
  void fds;
});

test('truncate, ftruncate, utimensat, fchmod', () => {
  const sys = new Sys();
  const fd = open(sys, '/f', O_CREAT | O_RDWR);
  write(sys, fd, '0123456789');
  assert.equal(sys.call(SYS.ftruncate, fd, 4), 0);
  assert.equal(Number((stat(sys, '/f') as DataView).getBigInt64(48, true)), 4);
  assert.equal(sys.call(SYS.truncate, sys.str('/f'), 8), 0);
  sys.call(SYS.lseek, fd, 0, 0);
  assert.equal(read(sys, fd, 100), '0123\0\0\0\0');
  const ro = open(sys, '/f', O_RDONLY);
  assert.equal(sys.call(SYS.ftruncate, ro, 0), -EINVAL);
  const times = new DataView(new ArrayBuffer(32));
  times.setBigInt64(0, 1000n, true);
  times.setBigInt64(16, 2000n, true);
  times.setBigInt64(24, 5n, true);
  assert.equal(sys.call(SYS.utimensat, AT_FDCWD, sys.str('/f'), sys.alloc(new Uint8Array(times.buffer)), 0), 0);
  const st = stat(sys, '/f') as DataView;
  assert.equal(Number(st.getBigInt64(72, true)), 1000);
  assert.equal(Number(st.getBigInt64(88, true)), 2000);
  assert.equal(Number(st.getBigInt64(96, true)), 5);
  assert.equal(sys.call(SYS.fchmod, fd, 0o600), 0);
  assert.equal((stat(sys, '/f') as DataView).getUint32(16, true) & 0o7777, 0o600);
});

test('readlink of /proc/self/exe without procfs comes from the process', () => {
  const sys = new Sys();
  sys.p.exePath = '/bin/prog';
  const va = sys.alloc(64);
  assert.equal(sys.call(SYS.readlinkat, AT_FDCWD, sys.str('/proc/self/exe'), va, 64), 9);
  assert.equal(dec(sys.read(va, 9)), '/bin/prog');
});

test('statfs reports the tmpfs magic', () => {
  const sys = new Sys();
  const va = sys.alloc(120);
  assert.equal(sys.call(SYS.statfs, sys.str('/'), va), 0);
  assert.equal(Number(new DataView(sys.read(va, 120).buffer).getBigInt64(0, true)), 0x01021994);
  void EROFS;
});

test('FIFOs: open for reading waits for a writer; data flows; O_NONBLOCK writer without reader is ENXIO', () => {
  const sys = new Sys();
  assert.equal(sys.call(SYS.mknodat, AT_FDCWD, sys.str('/fifo'), 0o010644, 0), 0);
  assert.equal(open(sys, '/fifo', O_WRONLY | 0o4000), -6);
  assert.equal(open(sys, '/fifo', O_RDONLY), 'sleep' as unknown as number);
  assert.ok(sys.td.restart, 'the waiting reader is counted in');
  const saved = sys.td.restart;
  sys.td.restart = null;
  const w = open(sys, '/fifo', O_WRONLY);
  assert.ok(w >= 0);
  sys.td.restart = saved;
  const r = open(sys, '/fifo', O_RDONLY);
  assert.ok(r >= 0);
  assert.equal(write(sys, w, 'via fifo'), 8);
  assert.equal(read(sys, r, 100), 'via fifo');
  sys.call(SYS.close, w);
  assert.equal(read(sys, r, 100), '');
  const st = stat(sys, '/fifo') as DataView;
  assert.equal(st.getUint32(16, true) & 0o170000, 0o010000);
});

test('the console through read(2): canonical line, O_NONBLOCK EAGAIN', () => {
  const sys = new Sys();
  const c = open(sys, '/dev/console', O_RDWR);
  assert.equal(sys.call(SYS.read, c, sys.alloc(10), 10), 'sleep');
  sys.tty.input(new TextEncoder().encode('ls -l\r'));
  assert.equal(read(sys, c, 100), 'ls -l\n');
  sys.call(SYS.fcntl, c, 4, 0o4000);
  assert.equal(sys.call(SYS.read, c, sys.alloc(10), 10), -11);
});

test('O_PATH descriptors: fstat and *at() work, read does not', () => {
  const sys = new Sys();
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/d'), 0o755);
  sys.call(SYS.close, open(sys, '/d/f', O_CREAT | O_WRONLY));
  const d = open(sys, '/d', 0o10000000);
  assert.ok(d >= 0);
  assert.equal(sys.call(SYS.read, d, sys.alloc(4), 4), -EBADF);
  const va = sys.alloc(128);
  assert.equal(sys.call(SYS.newfstatat, d, sys.str('f'), va, 0), 0);
  assert.equal(sys.call(SYS.fstat, d, va), 0);
});

test('mount and umount2 a tmpfs; read-only mounts refuse writes', () => {
  const sys = new Sys();
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/mnt'), 0o755);
  assert.equal(sys.call(SYS.mount, sys.str('none'), sys.str('/mnt'), sys.str('tmpfs'), 0, sys.str('size=1m')), 0);
  sys.call(SYS.close, open(sys, '/mnt/inside', O_CREAT | O_WRONLY));
  const va = sys.alloc(120);
  sys.call(SYS.statfs, sys.str('/mnt'), va);
  assert.equal(Number(new DataView(sys.read(va, 120).buffer).getBigInt64(16, true)), 256);
  assert.equal(sys.call(SYS.umount2, sys.str('/mnt/inside'), 0), -EINVAL);
  assert.equal(sys.call(SYS.umount2, sys.str('/mnt'), 0), 0);
  assert.equal(stat(sys, '/mnt/inside'), -ENOENT);
  assert.equal(sys.call(SYS.mount, 0, sys.str('/mnt'), sys.str('tmpfs'), 1, 0), 0);
  assert.equal(open(sys, '/mnt/x', O_CREAT | O_WRONLY), -EROFS);
  assert.equal(sys.call(SYS.mount, 0, sys.str('/mnt'), sys.str('tmpfs'), 32, 0), 0);
  assert.ok(open(sys, '/mnt/x', O_CREAT | O_WRONLY) >= 0);
  assert.equal(sys.call(SYS.mount, 0, sys.str('/mnt'), sys.str('nosuchfs'), 0, 0), -19);
  assert.equal(sys.call(SYS.umount2, sys.str('/'), 0), -EBUSY);
});

test('eventfd2: counter, semaphore mode, EAGAIN', () => {
  const sys = new Sys();
  const fd = sys.call(19, 3, 1 | 0o4000) as number;
  assert.ok(fd >= 0);
  const va = sys.alloc(8);
  assert.equal(sys.call(SYS.read, fd, va, 8), 8);
  assert.equal(new DataView(sys.read(va, 8).buffer).getBigUint64(0, true), 1n);
  sys.call(SYS.read, fd, va, 8);
  sys.call(SYS.read, fd, va, 8);
  assert.equal(sys.call(SYS.read, fd, va, 8), -11);
  const w = new DataView(new ArrayBuffer(8));
  w.setBigUint64(0, 5n, true);
  assert.equal(sys.call(SYS.write, fd, sys.alloc(new Uint8Array(w.buffer)), 8), 8);
  assert.equal(sys.call(SYS.read, fd, va, 4), -EINVAL);
});

test('sendfile copies between descriptors; flock and fadvise are accepted', () => {
  const sys = new Sys();
  const a = open(sys, '/a', O_CREAT | O_RDWR);
  write(sys, a, 'copy me please');
  const b = open(sys, '/b', O_CREAT | O_RDWR);
  const offVa = sys.alloc(8);
  new DataView(new ArrayBuffer(8));
  const ov = sys.alloc(new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0]));
  assert.equal(sys.call(71, b, a, ov, 100), 9);
  assert.equal(new DataView(sys.read(ov, 8).buffer).getBigInt64(0, true), 14n);
  sys.call(SYS.lseek, b, 0, 0);
  assert.equal(read(sys, b, 100), 'me please');
  assert.equal(sys.call(32, a, 2 | 4), 0);
  assert.equal(sys.call(32, a, 3), -EINVAL);
  assert.equal(sys.call(223, a, 0, 0, 2), 0);
  void offVa;
});

test('trailing slashes: each call answers as Linux does', () => {
  const sys = new Sys();
  sys.call(SYS.close, open(sys, '/f', O_CREAT | O_WRONLY));
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/d'), 0o755);
  sys.call(SYS.symlinkat, sys.str('d'), AT_FDCWD, sys.str('/ld'));
  assert.equal(sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/f/'), 0o755), -EEXIST);
  assert.equal(open(sys, '/f/', O_CREAT | O_WRONLY), -EISDIR);
  assert.equal(open(sys, '/g/', O_CREAT | O_WRONLY), -EISDIR);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/ld/'), 0), -ENOTDIR);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/ld/'), 0x200), -ENOTDIR);
  assert.equal(sys.call(SYS.unlinkat, AT_FDCWD, sys.str('/f/'), 0), -ENOTDIR);
  assert.equal(sys.call(SYS.renameat, AT_FDCWD, sys.str('/f/'), AT_FDCWD, sys.str('/h')), -ENOTDIR);
  assert.ok(typeof stat(sys, '/ld/') !== 'number', 'stat follows a symlink named with a slash');
  assert.equal(open(sys, '/ld', O_RDONLY | O_NOFOLLOW | O_DIRECTORY), -ENOTDIR);
  assert.equal(sys.call(SYS.newfstatat, 99, sys.str(''), sys.alloc(128), 0), -ENOENT);
  assert.equal((sys.call(SYS.fcntl, open(sys, '/f', O_RDONLY), 3) as number) & 0o100000, 0o100000);
});

test('SEEK_DATA and SEEK_HOLE see tmpfs holes', () => {
  const sys = new Sys();
  const fd = open(sys, '/sparse', O_CREAT | O_RDWR);
  sys.call(SYS.pwrite64, fd, sys.alloc(new Uint8Array([1])), 1, 5 * 4096 + 10);
  sys.call(SYS.ftruncate, fd, 10 * 4096);
  assert.equal(sys.call(SYS.lseek, fd, 0, 3), 5 * 4096);
  assert.equal(sys.call(SYS.lseek, fd, 0, 4), 0);
  assert.equal(sys.call(SYS.lseek, fd, 5 * 4096 + 7, 4), 6 * 4096);
  assert.equal(sys.call(SYS.lseek, fd, 6 * 4096, 3), -6);
  assert.equal(sys.call(SYS.lseek, fd, 10 * 4096, 4), -6);
});
