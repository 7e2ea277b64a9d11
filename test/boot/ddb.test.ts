/*
 * ddb: ^\ (the host's SIGQUIT) stops a CPU-bound guest at db>; ps, show
 * registers, x/i at the pc, trace, print, break/step/continue work; writes
 * need -U; continue resumes the guest; a panic with debug.debugger_on_panic
 * stops in ddb and finishes when it is left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootLive, buildProgram, haveToolchain, makeRoot, startVkernel } from './harness.ts';

const skip = !haveToolchain();
const src = (n: string): string => readFileSync(join(import.meta.dirname, 'progs', `${n}.c`), 'utf8');
const spinRoot = (): string => makeRoot({ spin: buildProgram('boot_spin', src('spin'), ['-static', '-O1', '-fno-omit-frame-pointer']) });

test('^\\ enters ddb from a CPU-bound guest: ps, show registers, x/i $pc, trace, print, continue', { skip }, async () => {
  const vk = bootLive(spinRoot(), '/bin/spin');
  await vk.waitFor(/spinning\n/);
  await new Promise((r) => setTimeout(r, 100));
  const at = vk.output().length;
  vk.kernel.hostSignal('SIGQUIT');
  await vk.waitFor(/db> $/, at);
  const head = vk.output().slice(at);
  assert.match(head, /^Debugger\("interrupt from console"\)\nCPU0 stopping CPUs: 0x00000002\n stopped\nStopped at {6}0x[0-9a-f]+ <spin\+0x[0-9a-f]+>: .*\[pid 1 tid 1 spin\]\ndb> $/);
  assert.equal(vk.kernel.sched.ddbStopped, true);
  const instret = vk.kernel.procs.procs.get(1)!.threads[0].instret;
  let mark = vk.output().length;
  vk.type('ps\r');
  await vk.waitFor(/db> $/, mark + 4);
  assert.match(vk.output().slice(mark), /ps\n {2}pid {2}ppid {2}pgrp {3}uid {2}state {2}wchan {5}cmd\n\* {3}1 {5}0 {5}1 {5}0 {2}R {6}- {9}spin\n/);
  mark = vk.output().length;
  vk.type('show registers\r');
  await vk.waitFor(/db> $/, mark + 16);
  const regs = vk.output().slice(mark);
  assert.match(regs, /\npc {6}0x0000000000[0-9a-f]{6} {2}<spin\+0x[0-9a-f]+>\nra {6}0x[0-9a-f]{16}/);
  assert.match(regs, /\nsp {6}0x00000000ff[0-9a-f]{6}/);
  mark = vk.output().length;
  vk.type('x/i $pc,3\r');
  await vk.waitFor(/db> $/, mark + 10);
  const pc = vk.kernel.ddb.td!.ctx.pc;
  assert.match(vk.output().slice(mark), new RegExp(`\\n0x${pc.toString(16)}:\\t[0-9a-f ]{8}  [a-z]`));
  assert.equal(vk.output().slice(mark).split('\n').filter((l) => /^0x[0-9a-f]+:\t/.test(l)).length, 3);
  mark = vk.output().length;
  vk.type('trace\r');
  await vk.waitFor(/db> $/, mark + 6);
  assert.match(vk.output().slice(mark), /Tracing pid 1 tid 1 \(spin\): run\n#0 +0x[0-9a-f]+ +<spin\+0x[0-9a-f]+> +\(pc\)\n#1 .*\(ra\)\n#2 .*<spin\+0x[0-9a-f]+> +\(fp 0x/);
  mark = vk.output().length;
  vk.type('p 0t40 + 2\rp/d 0x10 * 2\rp $a7 - $a7\rx/s nowhere\r');
  await vk.waitFor(/db> [^]*db> [^]*db> [^]*db> $/, mark);
  assert.match(vk.output().slice(mark), /p 0t40 \+ 2\n2a\ndb> p\/d 0x10 \* 2\n32\ndb> p \$a7 - \$a7\n0\ndb> x\/s nowhere\nSyntax error/);
  mark = vk.output().length;
  vk.type('w 0x10000 0\rshow sysctl hw.ncpu\r');
  await vk.waitFor(/hw\.ncpu: 2\ndb> $/, mark);
  assert.match(vk.output().slice(mark), /read-only \(boot with -U/);
  // Nothing ran while ddb had the machine.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(vk.kernel.procs.procs.get(1)!.threads[0].instret, instret);
  mark = vk.output().length;
  vk.type('c\r');
  await vk.waitFor(/CPU0 restarting CPUs: 0x00000002\n restarted\n/, mark);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(vk.kernel.procs.procs.get(1)!.threads[0].instret > instret, 'the guest runs again');
  vk.kernel.hostSignal('SIGTERM');
  assert.equal(await vk.halted, 0);
  assert.match(vk.output(), /Caught SIGTERM from host system\. Shutting down\.\.\.\n[^]*got SIGUSR2\n/);
});

test('ddb breakpoints and single steps patch EBREAKs and restore the code', { skip }, async () => {
  const vk = bootLive(spinRoot(), '/bin/spin', (c) => { c.kmemWritable = true; });
  await vk.waitFor(/spinning\n/);
  vk.kernel.hostSignal('SIGQUIT');
  await vk.waitFor(/db> $/);
  const pc = vk.kernel.ddb.td!.ctx.pc;
  let mark = vk.output().length;
  vk.type(`break 0x${pc.toString(16)}\rc\r`);
  await vk.waitFor(/Breakpoint at {6}0x[0-9a-f]+/, mark);
  assert.equal(vk.kernel.ddb.td!.ctx.pc, pc, 'stopped at the breakpoint');
  await vk.waitFor(/db> $/, mark + 10);
  mark = vk.output().length;
  vk.type('s\r');
  await vk.waitFor(/Stopped at {6}0x[0-9a-f]+[^\n]*\ndb> $/, mark);
  const after = vk.kernel.ddb.td!.ctx.pc;
  assert.notEqual(after, pc, 'one instruction further');
  mark = vk.output().length;
  vk.type('x/i $pc\rshow breaks\rdelete #1\rshow breaks\r');
  await vk.waitFor(/No breakpoints set\ndb> $/, mark);
  assert.doesNotMatch(vk.output().slice(mark), /ebreak/, 'ddb shows the real code, not its patches');
  // -U: writes work; set a register.
  mark = vk.output().length;
  vk.type('set $t6 = 0t1234\rp/d $t6\r');
  await vk.waitFor(/\n1234\ndb> $/, mark);
  vk.type('c\r');
  await new Promise((r) => setTimeout(r, 50));
  vk.kernel.hostSignal('SIGTERM');
  assert.equal(await vk.halted, 0);
});

test('sysctl debug.kdb.enter=1 and a panic with debugger_on_panic enter ddb', { skip }, async () => {
  const vk = bootLive(spinRoot(), '/bin/spin', (c) => { c.kenv.set('debug.debugger_on_panic', '1'); });
  await vk.waitFor(/spinning\n/);
  vk.kernel.sysctl.write(vk.kernel.sysctl.byName('debug.kdb.enter'), [], new Uint8Array([1, 0, 0, 0]), null);
  await vk.waitFor(/Debugger\("sysctl debug\.kdb\.enter"\)[^]*db> $/);
  let mark = vk.output().length;
  vk.type('panic\r');
  await vk.waitFor(/panic: from debugger\n[^]*Debugger\("panic: from debugger"\)[^]*db> $/, mark);
  mark = vk.output().length;
  vk.type('ps\rc\r');
  assert.equal(await vk.halted, 70);
});

test('bin/vkernel: kill -QUIT enters ddb, commands come from stdin, c resumes, SIGTERM halts', { skip }, async () => {
  const root = spinRoot();
  const vk = startVkernel(['-m', '64m', '-i', join(root, 'tmp', 'mem'), '-e', `vfs.root.mountfrom=hostfs:${root}`, '-e', 'init_path=/bin/spin']);
  await vk.waitFor(/spinning\n/);
  vk.child.kill('SIGQUIT');
  await vk.waitFor(/db> $/);
  vk.child.stdin!.write('ps\nshow registers\nx/i $pc\nshow vnode\nc\n');
  await vk.waitFor(/ restarted\n/);
  const out = vk.out();
  assert.match(out, /db> ps\n {2}pid[^\n]*\n\* {3}1 [^\n]* spin\ndb> show registers\npc {6}0x0{10}[0-9a-f]{6}  <spin\+/);
  assert.match(out, /\ndb> x\/i \$pc\n0x[0-9a-f]+:\t[0-9a-f ]{8}  \S+[^\n]*\ndb> show vnode\ncwd {4}VDIR   use +\d+  hostfs  \/\nroot {3}VDIR[^\n]*\nfd 0 {3}VCHR   use +\d+  devfs +\/dev\/console\n/);
  assert.match(out, /\ndb> c\nCPU0 restarting CPUs: 0x00000002\n restarted\n/);
  vk.child.kill('SIGTERM');
  assert.equal(await vk.exited, 0);
  assert.match(vk.out(), /got SIGUSR2\nsyncing disks\.\.\. done\nUptime: \d+s\nThe operating system has halted\.\ncpu halt, exiting vkernel\n$/);
});

test('at a real terminal (a pty via script(1)): the ^\\ byte enters ddb, input is raw, halt ends it', { skip: skip || spawnSync('script', ['--version']).status !== 0 }, async () => {
  const root = spinRoot();
  const cmd = [process.execPath, join(import.meta.dirname, '..', '..', 'bin', 'vkernel'), '-m', '64m', '-i', join(root, 'tmp', 'mem'),
    '-e', `vfs.root.mountfrom=hostfs:${root}`, '-e', 'init_path=/bin/spin'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (d: Buffer) => { raw += d.toString('utf8'); });
  /* The pty's own onlcr turns our \r\n into \r\r\n. */
  const text = (): string => raw.replace(/\r+\n/g, '\n');
  const until = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 300 && !re.test(text()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(text(), re);
  };
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await until(/spinning\n/);
  child.stdin.write('\x1c');
  await until(/Debugger\("interrupt from console"\)[^]*db> $/);
  child.stdin.write('ps\r');
  await until(/db> ps\n[^]*\* +1 [^\n]* spin\ndb> $/);
  // The kernel set debug.debugger_on_panic for an interactive terminal.
  child.stdin.write('show sysctl debug.debugger_on_panic\r');
  await until(/debug\.debugger_on_panic: 1\ndb> $/);
  child.stdin.write('halt\r');
  assert.equal(await exited, 0);
  assert.match(text(), /The operating system has halted\.\ncpu halt, exiting vkernel\n/);
});
