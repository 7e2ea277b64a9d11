/*
 * sysctl (syscall 1000, BSD's __sysctl with name2oid/next/oidfmt) and kenv
 * (syscall 1001, FreeBSD's kenv(2)) from a riscv64 C program, as sysctl(8)
 * and kenv(1) will use them: reads, writes (root only), ENOENT, ENOMEM with
 * a short buffer, the `sysctl -a` walk, kern.proc.pid.N, the module calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootRoot, buildProgram, haveToolchain, makeRoot, programOutput } from './harness.ts';

const skip = !haveToolchain();

test('sysctl and kenv system calls from user space', { skip }, async () => {
  const bin = buildProgram('boot_sysctl', readFileSync(join(import.meta.dirname, 'progs', 'sysctl.c'), 'utf8'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ sysctl: bin }), '/bin/sysctl');
  assert.equal(r.status, 0);
  assert.equal(programOutput(r.console), `kern.ostype: DragonFly (len 10)
hw.machine: riscv64 (len 8)
hw.ncpu: 2 (len 4)
hw.physmem: 67108864 (len 8)
hw.pagesize: 4096 (len 4)
kern.maxproc: 1000 (len 4)
mib 1.1: 0 DragonFly
probe: 10
short: -1 errno 12 len 3 'Dra'
bogus: -1 errno 2
sethost: 0
uname nodename: testhost
write ro: -1 errno 1
vkernel_enable: 0
vm.vkernel_enable: 1 (len 4)
vm.stats.vm.v_page_count: 16383 (len 4)
next end errno 2
walk: many, found kern.hostname 1
boottime fmt: S,timeval kind-type 5
kinfo: 0 size 256 structsize 256 pid ok 1 comm sysctl
kenv init_path: 12 /bin/sysctl
kenv set: 0
kenv get: 6 hello
kenv dump has test.var: 1
kenv unset: 0
kenv get gone: -1 errno 2
finit_module: -1 errno 1
user write: -1 errno 1
user kenv set: -1 errno 1
kern.hostname: testhost (len 9)
`);
});
