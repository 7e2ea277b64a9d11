/*
 * The kernel proper end to end: boot a Kernel over a hostfs root holding real
 * riscv64 glibc programs (static and dynamic) and compare what they print and
 * their exit status with qemu-riscv64. Also the boot and shutdown log, init
 * exit statuses, #! init scripts, and misbehaving programs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bootRoot, buildProgram, haveQemu, haveToolchain, makeRoot, programOutput, qemuRun,
} from './harness.ts';

const skip = !haveToolchain();
const skipQemu = skip || !haveQemu();
const prog = (name: string): string => readFileSync(join(import.meta.dirname, 'progs', `${name}.c`), 'utf8');

const HELLO = `#include <stdio.h>
#include <stdlib.h>
#include <math.h>
int main(int argc, char **argv) {
  printf("hello, world: argc=%d argv0=%s sqrt2=%.6f env=%s\\n", argc, argv[0], sqrt(2.0), getenv("PATH"));
  return 42;
}
`;

async function same(name: string, src: string, dynamic: boolean): Promise<void> {
  const bin = buildProgram(name, src, dynamic ? ['-O2'] : ['-static', '-O2']);
  const root = makeRoot({ [name]: bin }, dynamic);
  const r = await bootRoot(root, `/bin/${name}`);
  const q = qemuRun(bin, [], dynamic);
  assert.equal(programOutput(r.console), q.stdout.replace(/argv0=\S+/, `argv0=/bin/${name}`).replace(/env=\S+/, 'env=/sbin:/bin:/usr/sbin:/usr/bin'));
  assert.equal(r.status, q.status);
}

test('static hello world: same output and exit status as qemu-riscv64', { skip: skipQemu }, async () => {
  await same('hello_static', HELLO, false);
});

test('dynamic hello world through ld.so and libc.so.6/libm.so.6', { skip: skipQemu }, async () => {
  await same('hello_dynamic', HELLO, true);
});

test('signals: sigsuspend, sigtimedwait, itimer, EINTR, SA_RESTART, altstack, job control, vfork', { skip: skipQemu }, async () => {
  const bin = buildProgram('sigmisc', prog('sigmisc'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ sigmisc: bin }), '/bin/sigmisc');
  const q = qemuRun(bin);
  assert.equal(programOutput(r.console), q.stdout);
  assert.equal(r.status, 0);
});

test('pthreads with mutexes, condition variables and TLS (dynamic)', { skip: skipQemu }, async () => {
  const bin = buildProgram('threads', prog('threads'), ['-O2']);
  const r = await bootRoot(makeRoot({ threads: bin }, true), '/bin/threads');
  assert.equal(programOutput(r.console), qemuRun(bin, [], true).stdout);
  assert.equal(r.status, 0);
});

test('misbehaving programs get the right signal or errno; the kernel keeps running', { skip }, async () => {
  const bin = buildProgram('misbehave', prog('misbehave'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ misbehave: bin }), '/bin/misbehave', { timeoutMs: 60000 });
  assert.equal(programOutput(r.console),
    'loop: 142\nillegal: 132\njump0: 139\noverflow: 139\nbigmalloc: 7\nebreak: 133\nforkbomb: 9\ncleanup: 0\n');
  assert.equal(r.status, 0);
});

test('boot log, Mounting root, and the shutdown lines when pid 1 exits', { skip }, async () => {
  const bin = buildProgram('hello_static', HELLO, ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ hello: bin }), '/bin/hello');
  const c = r.console.replace(/\r\n/g, '\n');
  assert.match(c, /^Copyright \(c\) 2003-\d+ The DragonFly Project\.\n/);
  assert.match(c, /real memory {2}= 67108864 \(65536K bytes\)\n/);
  assert.match(c, /avail memory = \d+ \(\d+K bytes\)\n/);
  assert.match(c, / cpu0 \(BSP\)\n cpu1 \(AP\)\n/);
  assert.match(c, /Mounting root from hostfs:/);
  assert.match(c, /syncing disks\.\.\. done\nUptime: \d+s\nThe operating system has halted\.\n/);
  assert.equal(r.status, 42);
  assert.match(r.kernel.kp.msgbuf.contents(), /Mounting root from/);
});

test('init_path may be a #! script; death by signal halts with 128+sig', { skip }, async () => {
  const echo = buildProgram('echoargs', `#include <stdio.h>
#include <signal.h>
#include <string.h>
int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
  printf("\\n");
  fflush(stdout);
  if (argc > 2 && strcmp(argv[1], "die") == 0) raise(SIGTERM);
  return argc;
}
`, ['-static', '-O2']);
  const root = makeRoot({ echoargs: echo });
  writeFileSync(join(root, 'bin', 'script'), '#!/bin/echoargs -x\nignored\n');
  chmodSync(join(root, 'bin', 'script'), 0o755);
  let r = await bootRoot(root, '/bin/script');
  assert.equal(programOutput(r.console), '[/bin/echoargs][-x][/bin/script]\n');
  assert.equal(r.status, 3);
  writeFileSync(join(root, 'bin', 'dies'), '#!/bin/echoargs die\n');
  chmodSync(join(root, 'bin', 'dies'), 0o755);
  r = await bootRoot(root, '/bin/dies');
  assert.equal(r.status, 128 + 15);
});

test('a missing init panics cleanly instead of crashing the host', { skip }, async () => {
  const r = await bootRoot(makeRoot({}), '/sbin/nonexistent');
  assert.match(r.console, /init: not found in path \/sbin\/nonexistent/);
  assert.match(r.console, /panic: no init/);
  assert.equal(r.status, 70);
});

test('posix_spawn, pipes across exec, close-on-exec, execvp PATH search, orphans adopted by init', { skip }, async () => {
  const bin = buildProgram('spawn', prog('spawn'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ spawn: bin }), '/bin/spawn');
  assert.equal(programOutput(r.console), 'child: argc=3 fd5=closed\nposix_spawn: 0 exit=9\n' +
    'read 17: through the pipe\nexeclp child exit=0\norphan\'s parent is init: 1\n');
  assert.equal(r.status, 0);
});

test('futex: mismatch, timeouts, wake counts, bitsets, CMP_REQUEUE, CLEARTID joins', { skip: skipQemu }, async () => {
  const bin = buildProgram('futex', prog('futex'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ futex: bin }), '/bin/futex');
  assert.equal(programOutput(r.console), qemuRun(bin).stdout);
  assert.equal(r.status, 0);
});

test('credentials, sessions, rlimits, uname, clocks, getrandom, prctl', { skip: skipQemu }, async () => {
  const bin = buildProgram('kmisc', prog('kmisc'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ kmisc: bin }), '/bin/kmisc');
  assert.equal(programOutput(r.console), qemuRun(bin).stdout);
  assert.equal(r.status, 0);
});

test('robust mutexes: a dead owner hands the next locker EOWNERDEAD', { skip }, async () => {
  const bin = buildProgram('robust', prog('robust'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ robust: bin }), '/bin/robust');
  assert.equal(programOutput(r.console), 'init: Success\nlock after owner died: EOWNERDEAD\nconsistent: 0 unlock: 0\nlock again: 0\n');
  assert.equal(r.status, 0);
});

test('a kernel bug in a syscall handler panics with a register dump; the host survives', { skip }, async () => {
  const bin = buildProgram('callbug', `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) { printf("before\\n"); fflush(stdout); syscall(500, 1, 2, 3); printf("after\\n"); return 0; }
`, ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ callbug: bin }), '/bin/callbug', {
    setup: (k) => { k.syscalls.sysent[500] = () => { throw new Error('test: deliberate kernel bug'); }; },
  });
  assert.match(r.console, /before\r\npanic: test: deliberate kernel bug\r\n/);
  assert.match(r.console, /curthread: pid 1 tid 1 \(callbug\) syscall 500/);
  assert.match(r.console, /a7\s+00000000000001f4/);
  assert.doesNotMatch(r.console, /after/);
  assert.equal(r.status, 70);
});

test('unknown syscalls return ENOSYS and are counted', { skip }, async () => {
  const bin = buildProgram('enosys', `#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) { long r = syscall(499); printf("%ld %d\\n", r, errno); return 0; }
`, ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ enosys: bin }), '/bin/enosys');
  assert.equal(programOutput(r.console), '-1 38\n');
  assert.equal(r.kernel.syscalls.unknown.get(499), 1);
});

test('a vfork parent with a caught signal pending still gets the child pid', { skip }, async () => {
  const bin = buildProgram('vforksig', prog('vforksig'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ vforksig: bin }), '/bin/vforksig');
  assert.equal(programOutput(r.console), 'vfork returned child: 1\nwaitpid: 1 status=5 got=1\n');
});

test('pid 1 runs on the console: its controlling terminal, session and foreground group', { skip }, async () => {
  const bin = buildProgram('ctty', prog('ctty'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ ctty: bin }), '/bin/ctty');
  assert.equal(programOutput(r.console), 'isatty: 1 1 1\npid=1 sid=1 pgid=1 fg=1\n/dev/tty opens: 1\nttyname: /dev/console\n');
});

test('job control on the console: SIGTTIN stops a background reader; typed input reaches read', { skip }, async () => {
  const bin = buildProgram('ttyjob', prog('ttyjob'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ ttyjob: bin }), '/bin/ttyjob', {
    setup: (k) => { setTimeout(() => k.consoleInput(new TextEncoder().encode('typed line\r')), 300); },
  });
  const out = programOutput(r.console);
  assert.match(out, /background reader stopped by: 21\n/);
  assert.match(out, /read 11: typed line\n$/);
  assert.equal(r.status, 0);
});

test('CPU-time timers and RLIMIT_CPU', { skip }, async () => {
  const bin = buildProgram('cputime', prog('cputime'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ cputime: bin }), '/bin/cputime');
  assert.equal(programOutput(r.console), 'virtual and prof fired: 1 1\nrlimit cpu: signaled=1 sig=9\n');
});

test('execve errors: E2BIG, ENOEXEC for truncated/foreign/empty files, ELOOP past 4 #! levels', { skip }, async () => {
  const bin = buildProgram('execerr', prog('execerr'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ execerr: bin }), '/bin/execerr');
  assert.equal(programOutput(r.console), [
    'one 200 KB argument: Argument list too long', '2.4 MB of arguments: Argument list too long',
    'truncated ELF: Exec format error', 'x86-64 ELF: Exec format error', 'empty file: Exec format error',
    '#! nested 5 deep: Too many levels of symbolic links', 'no x bit: Permission denied',
    'missing: No such file or directory', 'ran with 5 args', ''].join('\n'));
  assert.equal(r.status, 0);
});

test('the message buffer keeps the boot log for dmesg (syslog/klogctl)', { skip }, async () => {
  const bin = buildProgram('dmesg', prog('dmesg'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ dmesg: bin }), '/bin/dmesg');
  assert.equal(programOutput(r.console), 'size>0: 1 read>0: 1 has Mounting: 1 has copyright: 1\n');
});
