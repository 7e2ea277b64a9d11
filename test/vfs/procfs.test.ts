import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sys, SYS, AT_FDCWD } from './sysharness.ts';
import { ProcfsMount, procfsHooks } from '../../kernel/fs/procfs/procfs_vfsops.ts';
import { O_CREAT, O_RDONLY, O_WRONLY } from '../../kernel/vfs/file.ts';

const dec = (u: Uint8Array) => String.fromCharCode(...u);

function setup() {
  const sys = new Sys();
  sys.call(SYS.mkdirat, AT_FDCWD, sys.str('/proc'), 0o555);
  sys.mounts.mount(new ProcfsMount(), sys.root.root().lookup('proc'));
  procfsHooks.procs = () => new Map([[sys.p.pid, sys.p]]);
  procfsHooks.memory = () => ({ total: 2048, free: 1000, active: 1000, wired: 48 });
  sys.p.exePath = '/bin/prog';
  sys.p.comm = 'prog';
  sys.p.argv = ['prog', '-x'];
  return sys;
}

function readlink(sys: Sys, path: string): string | number {
  const va = sys.alloc(256);
  const n = sys.call(SYS.readlinkat, AT_FDCWD, sys.str(path), va, 256) as number;
  return n < 0 ? n : dec(sys.read(va, n));
}

function cat(sys: Sys, path: string): string {
  const fd = sys.call(SYS.openat, AT_FDCWD, sys.str(path), O_RDONLY, 0) as number;
  assert.ok(fd >= 0, `open ${path}: ${fd}`);
  let out = '';
  for (;;) {
    const va = sys.alloc(4096);
    const n = sys.call(SYS.read, fd, va, 4096) as number;
    if (n <= 0) break;
    out += dec(sys.read(va, n));
  }
  sys.call(SYS.close, fd);
  return out;
}

test('/proc/self and the per-process links', () => {
  const sys = setup();
  assert.equal(readlink(sys, '/proc/self'), String(sys.p.pid));
  assert.equal(readlink(sys, '/proc/self/exe'), '/bin/prog');
  assert.equal(readlink(sys, '/proc/self/cwd'), '/');
  const fd = sys.call(SYS.openat, AT_FDCWD, sys.str('/tmpfile'), O_CREAT | O_WRONLY, 0o644) as number;
  assert.equal(readlink(sys, `/proc/self/fd/${fd}`), '/tmpfile');
  assert.equal(readlink(sys, '/proc/self/fd/99'), -2);
});

test('/proc/<pid> text files', () => {
  const sys = setup();
  assert.equal(cat(sys, '/proc/self/cmdline'), 'prog\0-x\0');
  assert.equal(cat(sys, '/proc/self/comm'), 'prog\n');
  const stat = cat(sys, '/proc/self/stat').trim().split(' ');
  assert.equal(stat[0], String(sys.p.pid));
  assert.equal(stat[1], '(prog)');
  assert.equal(stat.length, 52);
  assert.match(cat(sys, '/proc/self/status'), /^Name:\tprog\n/);
  assert.match(cat(sys, '/proc/self/maps'), /^00100000-00140000 rw-p 00000000 00:00 0/);
});

test('system files: mounts, meminfo, cpuinfo, readdir of /proc', () => {
  const sys = setup();
  const mounts = cat(sys, '/proc/mounts');
  assert.match(mounts, /^tmpfs \/ tmpfs rw 0 0$/m);
  assert.match(mounts, /^proc \/proc procfs rw 0 0$/m);
  assert.match(mounts, /^devfs \/dev devfs rw 0 0$/m);
  assert.match(cat(sys, '/proc/meminfo'), /^MemTotal: +8192 kB$/m);
  assert.match(cat(sys, '/proc/cpuinfo'), /isa\t\t: rv64imafdc/);
  const dfd = sys.call(SYS.openat, AT_FDCWD, sys.str('/proc'), O_RDONLY, 0) as number;
  const va = sys.alloc(4096);
  const n = sys.call(SYS.getdents64, dfd, va, 4096) as number;
  assert.ok(n > 0);
  const text = dec(sys.read(va, n));
  assert.ok(text.includes('self') && text.includes(String(sys.p.pid)) && text.includes('meminfo'));
  const w = sys.call(SYS.openat, AT_FDCWD, sys.str('/proc/meminfo'), O_WRONLY, 0) as number;
  assert.equal(sys.call(SYS.write, w, sys.alloc(1), 1), -13);
});
