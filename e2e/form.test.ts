/*
 * The boot form's model without a browser: every command line the kernel's
 * parser accepts comes back unchanged through the form (parse → form →
 * argv → parse → format), and field errors are the vkernel's messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCmdline, parseCmdline } from '../kernel/kern/cmdline.ts';
import { configToForm, defaultForm, fieldErrors, formArgv, formConfig, joinArgs, parseTyped, splitArgs } from '../src/form.ts';

const LINES = [
  '-m 64m',
  '-sUvd -m 1g -n 4:1:2 -l map,1 -p vk.pid',
  '-m 128m -r root.img:SERIAL-1 -r /images/root.img -c cd.iso -c https://example.org/x.iso',
  '-m 96m -I auto -I wss://relay.example/ws:bridge2 -I auto:10.0.0.1:10.0.0.2/24=52:54:00:aa:bb:cc',
  `-m 64m -e init_path=/bin/sh -e vfs.root.mountfrom="ufs:vkd0s1a" -e 'msg=a b'`,
];

test('command lines round-trip through the form', () => {
  for (const line of LINES) {
    const r = parseCmdline(splitArgs(line));
    assert.equal(r.kind, 'boot');
    if (r.kind !== 'boot') continue;
    const form = configToForm(r.config);
    assert.deepEqual(fieldErrors(form, 8), {}, line);
    const back = formConfig(form, 8);
    assert.ok('config' in back, line);
    if ('config' in back) assert.deepEqual(formatCmdline(back.config), formatCmdline(r.config), line);
    /* And the shown line parses to the same again. */
    const shown = joinArgs(formatCmdline(r.config));
    const again = parseTyped(shown);
    assert.ok('config' in again, shown);
    if ('config' in again) assert.deepEqual(formatCmdline(again.config), formatCmdline(r.config), shown);
  }
});

test('fields carry the vkernel’s messages', () => {
  const f = defaultForm();
  assert.deepEqual(fieldErrors({ ...f, mem: '63m' }, 8), { mem: 'Bad maxmem specification: 64MB minimum, multiples of 2MB only' });
  assert.deepEqual(fieldErrors({ ...f, mem: 'lots' }, 8), { mem: 'Bad maxmem option' });
  assert.equal(fieldErrors({ ...f, ncpus: '0' }, 8).ncpus, 'Bad ncpus, valid range is 1-16');
  assert.equal(fieldErrors({ ...f, lbits: '5' }, 8).ncpus, "Bad lbits value '5', valid range is 0-4");
  assert.equal(fieldErrors({ ...f, cpulock: '9' }, 8).cpulock, 'Bad target CPU, valid range is 0-7');
  assert.equal(fieldErrors({ ...f, disks: [{ kind: 'vkd', path: 'a.img', serno: 'x'.repeat(31) }] }, 8)['disk.0'],
    `Serial number '${'x'.repeat(31)}' too long (30 characters max)`);
  assert.equal(fieldErrors({ ...f, nets: [{ iface: 'auto', addr1: '300.1.1.1', addr2: '', netmask: '', mac: '' }] }, 8)['net.0'],
    'Invalid pseudo netif address: 300.1.1.1');
  assert.equal(fieldErrors({ ...f, nets: [{ iface: 'auto', addr1: '10.0.0.1', addr2: '', netmask: '40', mac: '' }] }, 8)['net.0'],
    'Invalid netmask len: 40');
  assert.equal(fieldErrors({ ...f, env: ['=x'] }, 8)['env.0'], "Bad environment variable '=x': expected name=value");
  assert.deepEqual(formArgv(f), ['-m', '128m', '-n', '1', '-e', 'init_path=/bin/guess']);
});

test('typed lines: program name, quotes, errors', () => {
  assert.deepEqual(splitArgs(`vkernel -m 64m -e 'a=b c' -e "d=e\\"f"`), ['-m', '64m', '-e', 'a=b c', '-e', 'd=e"f']);
  assert.deepEqual(parseTyped('-m 64m -q'), { error: 'vkernel: illegal option -- q' });
  assert.deepEqual(parseTyped('-m'), { error: 'vkernel: option requires an argument -- m' });
});
