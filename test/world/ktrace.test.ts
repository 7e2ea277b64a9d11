/*
 * ktrace(1)/kdump(1) and the kernel's trace records, under our kernel: one
 * boot of bin/vkernel on a hostfs root of the built world (hard-linked
 * copy in build/ktrace-test/) with a shell script as init. The script
 * traces commands into files on /tmp (the tmpfs the kernel mounts over a
 * read-only root) and prints kdump's output between markers.
 *
 *   KTRACE_TEST_LOG=1   print the console transcript at the end
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorld, REPO } from '../../tools/buildworld.ts';
import { bootScript, section, stageWorld, WORLD_ROOT as ROOT } from './scriptboot.ts';

const STAGE = join(REPO, 'build', 'ktrace-test');
const PROGS = ['usr/bin/ktrace', 'usr/bin/kdump', 'bin/sh', 'bin/ls', 'bin/cat', 'usr/bin/wc'];

const SCRIPT = `#!/bin/sh
cd /tmp
echo "@@ls"
ktrace -f /tmp/kt1 ls / > /tmp/ls.out
echo "status $?"
kdump -f /tmp/kt1 -t cn
echo "@@lsbytes"
wc -c < /tmp/ls.out
echo "@@lsio"
kdump -f /tmp/kt1 -t i
echo "@@enoent"
ktrace -f /tmp/kt2 cat /nonexistent
echo "status $?"
kdump -f /tmp/kt2
echo "@@inherit"
ktrace -i -f /tmp/kt3 sh -c 'ls /etc > /dev/null; echo child-done'
kdump -f /tmp/kt3 -t c
echo "@@noinherit"
ktrace -f /tmp/kt4 sh -c 'ls /etc > /dev/null; echo child-done'
kdump -f /tmp/kt4 -t c
echo "@@psig"
ktrace -f /tmp/kt5 sh -c 'kill -USR1 $$'
kdump -f /tmp/kt5 -t cs
echo "@@raw"
kdump -n -f /tmp/kt2 -t c
echo "@@pid"
sleep 30 & pid=$!
ktrace -f /tmp/kt7 -p $pid
echo "status $? pid $pid"
kill $pid; wait $pid
kdump -f /tmp/kt7
echo "@@clear"
sleep 30 & pid=$!
ktrace -f /tmp/kt8 -p $pid; ktrace -c -p $pid
echo "status $?"
sleep 30 & pid2=$!
ktrace -f /tmp/kt9 -p $pid2; ktrace -c -f /tmp/kt9
echo "status $?"
kill $pid $pid2; wait
kdump -f /tmp/kt8; kdump -f /tmp/kt9
echo "@@errors"
ktrace -f /tmp/kt6 -p 99999
echo "status $?"
ktrace -f /etc -p 1
echo "status $?"
kdump -f /nonexistent
echo "status $?"
echo "@@end"
`;

let out = '';

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of PROGS) assert.ok(existsSync(join(ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  mkdirSync(STAGE, { recursive: true });
  out = await bootScript(STAGE, stageWorld(STAGE, { 'ktrace-test.sh': SCRIPT }), '/ktrace-test.sh', 150_000);
});

after(() => {
  if (process.env.KTRACE_TEST_LOG) process.stderr.write(`\n----- console -----\n${out}`);
  rmSync(STAGE, { recursive: true, force: true });
});

const LINE = /^ *(\d+) (\S+) +(CALL|RET |NAMI|GIO |PSIG)  (.*)$/;

function records(text: string): Array<{ pid: number; comm: string; type: string; rest: string }> {
  return text.split('\n').map((l) => LINE.exec(l)).filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), comm: m[2], type: m[3].trim(), rest: m[4] }));
}

test('ktrace ls: CALL, NAMI and RET for openat, getdents64 and write', { timeout: 200_000 }, () => {
  const s = section(out, 'ls');
  assert.match(s, /^status 0$/m);
  const recs = records(s).filter((r) => r.comm === 'ls');
  assert.ok(recs.length > 20, s);
  /* ls opens "/" as a directory: the CALL, its NAMI and a descriptor back. */
  const i = recs.findIndex((r) => r.type === 'CALL' && /^openat\(AT_FDCWD,0x[0-9a-f]+,0x[0-9a-f]+<O_RDONLY\|.*O_DIRECTORY.*>/.test(r.rest));
  assert.ok(i >= 0, s);
  assert.deepEqual(recs[i + 1], { ...recs[i + 1], type: 'NAMI', rest: '"/"' });
  const ret = /^openat (\d+)$/.exec(recs[i + 2].rest);
  assert.ok(recs[i + 2].type === 'RET' && ret && Number(ret[1]) >= 3, s);
  const fd = Number(ret![1]);
  /* getdents64 on that descriptor: entries, then 0 at the end. */
  const dents = recs.filter((r) => r.type === 'RET' && r.rest.startsWith('getdents64 '));
  assert.ok(dents.length >= 2, s);
  assert.ok(Number(dents[0].rest.split(' ')[1].split('/')[0]) > 0, s);
  assert.equal(dents[dents.length - 1].rest, 'getdents64 0');
  assert.ok(recs.some((r) => r.type === 'CALL' && r.rest.startsWith(`getdents64(${`0x${fd.toString(16)}`},`)), s);
  /* The writes to stdout add up to what ls printed. */
  const bytes = Number(section(out, 'lsbytes').trim());
  assert.ok(bytes > 0);
  assert.ok(recs.some((r) => r.type === 'CALL' && r.rest.startsWith('write(0x1,')), s);
  const written = recs.filter((r) => r.type === 'RET' && r.rest.startsWith('write '))
    .reduce((n, r) => n + Number(r.rest.split(' ')[1].split('/')[0]), 0);
  assert.equal(written, bytes);
  /* ktrace's own exec of ls: the path search and the new image's name. */
  assert.ok(records(s).some((r) => r.type === 'RET' && r.rest === 'execve JUSTRETURN' && r.comm === 'ls'), s);
  assert.ok(!recs.some((r) => r.type === 'RET' && r.rest.startsWith('exit_group')), 'exit_group does not return');
});

test('ktrace -t i: the data ls wrote', { timeout: 200_000 }, () => {
  const s = section(out, 'lsio');
  assert.match(s, / ls +GIO   fd 1 wrote \d+ bytes?\n/);
  for (const name of ['bin', 'etc', 'usr']) assert.ok(s.includes(`${name}\\n`), s);
});

test('ktrace: a failing open shows NAMI and the errno', { timeout: 200_000 }, () => {
  const s = section(out, 'enoent');
  assert.match(s, /cat: \/nonexistent: No such file or directory/);
  assert.match(s, /^status 1$/m);
  const recs = records(s).filter((r) => r.comm === 'cat');
  const i = recs.findIndex((r) => r.type === 'NAMI' && r.rest === '"/nonexistent"');
  assert.ok(i > 0, s);
  assert.equal(recs[i - 1].type, 'CALL');
  assert.match(recs[i - 1].rest, /^openat\(AT_FDCWD,/);
  assert.equal(recs[i + 1].type, 'RET');
  assert.equal(recs[i + 1].rest, 'openat -1 errno 2 No such file or directory');
  /* The error message cat wrote to stderr was traced too. */
  assert.ok(recs.some((r) => r.type === 'CALL' && r.rest.startsWith('write(0x2,')), s);
});

test('ktrace -i: children are traced; without -i they are not', { timeout: 200_000 }, () => {
  const inh = records(section(out, 'inherit'));
  const sh = inh.find((r) => r.comm === 'sh');
  const ls = inh.filter((r) => r.comm === 'ls');
  assert.ok(sh && ls.length > 0, section(out, 'inherit'));
  assert.notEqual(ls[0].pid, sh.pid);
  /* The child's own return from the fork, and the parent's with the child's pid. */
  assert.ok(inh.some((r) => r.pid === ls[0].pid && r.type === 'RET' && /^clone 0$/.test(r.rest)), section(out, 'inherit'));
  assert.ok(inh.some((r) => r.pid === sh.pid && r.type === 'RET' && r.rest.startsWith(`clone ${ls[0].pid}`)),
    section(out, 'inherit'));
  assert.match(section(out, 'inherit'), /child-done/);
  const no = records(section(out, 'noinherit'));
  assert.ok(no.some((r) => r.comm === 'sh'), section(out, 'noinherit'));
  assert.ok(!no.some((r) => r.comm === 'ls'), section(out, 'noinherit'));
  assert.ok(!no.some((r) => r.pid !== no[0].pid), section(out, 'noinherit'));
});

test('ktrace: signals taken show as PSIG', { timeout: 200_000 }, () => {
  const s = section(out, 'psig');
  const recs = records(s);
  const k = recs.findIndex((r) => r.type === 'CALL' && /^kill\(0x[0-9a-f]+,SIGUSR1\)$/.test(r.rest));
  assert.ok(k >= 0, s);
  assert.ok(recs.slice(k).some((r) => r.type === 'PSIG' && r.rest === 'SIGUSR1 SIG_DFL code=SI_USER'), s);
});

test('kdump -n: raw numbers', { timeout: 200_000 }, () => {
  const s = section(out, 'raw');
  assert.match(s, / cat +CALL  \[56\]\(0xffffffffffffff9c,0x[0-9a-f]+,0x[0-9a-f]+,0\)\n/);
  assert.match(s, / cat +RET   \[56\] -1 errno 2\n/);
});

test('ktrace -p: a running process is traced; -c and -c -f stop it', { timeout: 200_000 }, () => {
  const s = section(out, 'pid');
  const m = /^status 0 pid (\d+)$/m.exec(s);
  assert.ok(m, s);
  const recs = records(s);
  assert.ok(recs.some((r) => r.pid === Number(m[1]) && r.comm === 'sleep' && r.type === 'PSIG' &&
    r.rest === 'SIGTERM SIG_DFL code=SI_USER'), s);
  /* Cleared before the signal: the files stay empty. */
  assert.equal(section(out, 'clear'), 'status 0\nstatus 0\n');
});

test('ktrace and kdump: bad input is a clean error', { timeout: 200_000 }, () => {
  const s = section(out, 'errors');
  assert.match(s, /^ktrace: \/tmp\/kt6: No such process\nstatus 1$/m);
  assert.match(s, /^ktrace: \/etc: Is a directory\nstatus 1$/m);
  assert.match(s, /^kdump: \/nonexistent: No such file or directory\nstatus 1$/m);
  assert.match(out, /@@end/);
});
