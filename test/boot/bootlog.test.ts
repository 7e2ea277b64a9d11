/*
 * The boot log as DragonFly prints it, in order, for -n 1 and -n 4; -v's
 * extra lines; -s handing init "-s"; -d switching the MMU to the kernel's
 * software TLB fill; all of it in the message buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootLive, buildProgram, haveToolchain, makeRoot } from './harness.ts';
import type { BootConfig } from '../../kernel/kern/bootconfig.ts';

const skip = !haveToolchain();
const rbRoot = (): string => makeRoot({
  rb: buildProgram('boot_rb', readFileSync(join(import.meta.dirname, 'progs', 'rb.c'), 'utf8'), ['-static', '-O2']),
});

async function boot(tweak: (c: BootConfig) => void): Promise<{ out: string; status: number; msgbuf: string; soft: number }> {
  const vk = bootLive(rbRoot(), '/bin/rb', tweak);
  const status = await vk.halted;
  return { out: vk.output(), status, msgbuf: vk.kernel.kp.msgbuf.contents(), soft: vk.kernel.softTlbFills };
}

const HEAD = [
  'Copyright (c) 2003-2024 The DragonFly Project.',
  'Copyright (c) 1992-2003 The FreeBSD Project.',
  'Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994',
  '\tThe Regents of the University of California. All rights reserved.',
  'DragonFly v6.4.0-vkernel #0: vkernel playground (riscv64 Linux ABI)',
  'real memory  = 67108864 (65536K bytes)',
];

test('boot log lines in order with -n 1 and -n 4, kept in the message buffer', { skip }, async () => {
  const one = await boot((c) => { c.ncpus = 1; });
  const lines = one.out.split('\n');
  assert.deepEqual(lines.slice(0, 6), HEAD);
  assert.match(lines[6], /^avail memory = \d+ \(\d+K bytes\)$/);
  assert.deepEqual(lines.slice(7, 9), [' cpu0 (BSP)', 'vmm: Hardware pagetable enabled for guest']);
  assert.match(lines[9], /^Mounting root from hostfs:\//);
  assert.equal(lines[10], 'init argv: /bin/rb how=');
  assert.equal(one.status, 7);
  assert.ok(one.msgbuf.startsWith(`${HEAD.join('\n')}\n`));
  assert.match(one.msgbuf, /Mounting root from[^]*syncing disks\.\.\. done\nUptime: \d+s\nThe operating system has halted\.\ncpu halt, exiting vkernel\n$/);
  const four = await boot((c) => { c.ncpus = 4; });
  const l4 = four.out.split('\n');
  assert.deepEqual(l4.slice(7, 13), ['DragonFly/MP: Multiprocessor', ' cpu0 (BSP)', ' cpu1 (AP)', ' cpu2 (AP)', ' cpu3 (AP)',
    'vmm: Hardware pagetable enabled for guest']);
  assert.match(l4[13], /^Mounting root from /);
});

test('-v adds the memory layout, page allocator and subsystem lines', { skip }, async () => {
  const r = await boot((c) => { c.verbose = true; });
  assert.match(r.out, /vmm: Hardware pagetable enabled for guest\nPhysical memory chunk\(s\):\n0x0000000000001000 - 0x0000000003ffffff, 67104768 bytes \(16383 pages\)\nvm_page: 16384 frames of 4096 bytes: 1 reserved, \d+ wired, \d+ active, \d+ free\npmap: Sv39/);
  assert.match(r.out, /\nsysctl: \d+ oids\ncons: console tty console\nkern: kernel memory read-only, module loading disabled\nMounting root from/);
  const quiet = await boot(() => {});
  assert.doesNotMatch(quiet.out, /Physical memory chunk/);
});

test('-s hands init "-s"', { skip }, async () => {
  const r = await boot((c) => { c.singleUser = true; });
  assert.match(r.out, /\ninit argv: \/bin\/rb -s how=\n/);
});

test('-d: TLB misses go through the kernel (vm.pmap.soft_fills), no vmm line', { skip }, async () => {
  const soft = await boot((c) => { c.softwarePageTables = true; });
  assert.doesNotMatch(soft.out, /vmm: Hardware pagetable/);
  assert.ok(soft.soft > 10, `soft fills ${soft.soft}`);
  assert.match(soft.out, /init argv: \/bin\/rb how=\n/);
  const hard = await boot(() => {});
  assert.equal(hard.soft, 0);
});

test('reboot(2): RB_HALT_SYSTEM and RB_POWER_OFF halt, RB_AUTOBOOT reboots (status 32)', { skip }, async () => {
  for (const how of ['halt', 'poweroff']) {
    const r = await boot((c) => { c.kenv.set('test.how', how); });
    assert.equal(r.status, 0);
    assert.match(r.out, new RegExp(`how=${how}\\nsyncing disks\\.\\.\\. done\\nUptime: \\d+s\\nThe operating system has halted\\.\\ncpu halt, exiting vkernel\\n$`));
  }
  const r = await boot((c) => { c.kenv.set('test.how', 'reboot'); });
  assert.equal(r.status, 32);
  assert.match(r.out, /how=reboot\nsyncing disks\.\.\. done\nUptime: \d+s\nRebooting\.\.\.\ncpu reset, rebooting vkernel\n$/);
});
