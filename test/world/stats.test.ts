/*
 * The statistics tools under our kernel: vmstat, top, iostat, pstat and
 * swapinfo read counters the kernel keeps (sysctl). One boot of bin/vkernel
 * on a hostfs root of the built world (hard-linked copy in
 * build/stats-test/) with a 4 MB scratch disk as vkd0 and a shell script as
 * init; the script makes the machine busy, idle, or read the disk, and
 * prints each tool's output between markers.
 *
 *   STATS_TEST_LOG=1   print the console transcript at the end
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorld, REPO } from '../../tools/buildworld.ts';
import { bootScript, section, stageWorld, WORLD_ROOT as ROOT } from './scriptboot.ts';

const STAGE = join(REPO, 'build', 'stats-test');
const PROGS = ['usr/bin/vmstat', 'usr/bin/top', 'usr/sbin/iostat', 'usr/sbin/pstat', 'usr/sbin/swapinfo',
  'sbin/sysctl', 'bin/dd', 'bin/sh'];

const SCRIPT = `#!/bin/sh
echo "@@counters"
sysctl -n vm.stats.sys.v_syscall vm.stats.sys.v_swtch vm.stats.vm.v_forks kern.lastpid
/bin/ls / > /dev/null
sysctl -n vm.stats.sys.v_syscall vm.stats.sys.v_swtch vm.stats.vm.v_forks kern.lastpid
echo "@@busy"
/spin.sh &
spin=$!
vmstat -w 1 -c 3
echo "@@top"
top -b -d 2
kill $spin
wait $spin 2>/dev/null
echo "@@idle"
vmstat -w 2 -c 2
echo "@@iostat-read"
(sleep 1; dd if=/dev/vkd0 of=/dev/null bs=65536 count=32 2>/dev/null) &
iostat -d -w 5 -c 2 vkd0
wait
echo "@@iostat-idle"
iostat -w 2 -c 2 vkd0
echo "@@iostat-bad"
iostat nosuchdisk
echo "status $?"
echo "@@pstat-t"
pstat -t
echo "@@pstat-f"
pstat -f
echo "@@swapinfo"
swapinfo
echo "status $?"
pstat -s
echo "@@usage"
pstat
echo "status $?"
vmstat -c 0
echo "status $?"
echo "@@end"
`;

let out = '';

/* vmstat's data lines: r b w avm fre flt cow zfod pi [disks] in sy cs us sy id. */
function vmstatLines(s: string): number[][] {
  return s.split('\n').filter((l) => /^ *\d+ +\d+ +\d+ +\d+[KMG] /.test(l))
    .map((l) => l.trim().split(/ +/).map((w) => Number.parseInt(w, 10)));
}

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of PROGS) assert.ok(existsSync(join(ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  mkdirSync(STAGE, { recursive: true });
  const disk = join(STAGE, 'disk.img');
  writeFileSync(disk, randomBytes(4 << 20));
  /* A CPU-bound loop with a name of its own (a #! script runs under its file's name). */
  const root = stageWorld(STAGE, { 'stats-test.sh': SCRIPT, 'spin.sh': '#!/bin/sh\nwhile :; do :; done\n' });
  out = await bootScript(STAGE, root, '/stats-test.sh', 180_000, ['-r', disk]);
});

after(() => {
  if (process.env.STATS_TEST_LOG) process.stderr.write(`\n----- console -----\n${out}`);
  rmSync(STAGE, { recursive: true, force: true });
});

test('the kernel counts syscalls, context switches and forks', { timeout: 240_000 }, () => {
  const n = section(out, 'counters').trim().split('\n').map(Number);
  assert.equal(n.length, 8, section(out, 'counters'));
  const [sys0, swtch0, forks0, last0, sys1, swtch1, forks1, last1] = n;
  assert.ok(sys1 > sys0 + 20, `syscalls ${sys0} -> ${sys1}`);
  assert.ok(swtch1 > swtch0, `switches ${swtch0} -> ${swtch1}`);
  /* ls and the second sysctl were forked in between. */
  assert.ok(forks1 >= forks0 + 2, `forks ${forks0} -> ${forks1}`);
  assert.ok(last1 > last0, `lastpid ${last0} -> ${last1}`);
});

test('vmstat: a CPU-bound loop shows as user time, then the machine is idle', { timeout: 240_000 }, () => {
  const busy = vmstatLines(section(out, 'busy'));
  assert.equal(busy.length, 3, section(out, 'busy'));
  /* Two runnable threads (the loop and vmstat) and mostly user time in the intervals. */
  for (const l of busy.slice(1)) {
    const [r, sy, cs, us] = [l[0], l[l.length - 5], l[l.length - 4], l[l.length - 3]];
    assert.ok(r >= 1, section(out, 'busy'));
    assert.ok(us >= 50, `us ${us}: ${section(out, 'busy')}`);
    assert.ok(sy > 0 && cs > 0, section(out, 'busy'));
  }
  const idle = vmstatLines(section(out, 'idle'));
  assert.equal(idle.length, 2, section(out, 'idle'));
  assert.ok(idle[1][idle[1].length - 1] >= 50, `idle: ${section(out, 'idle')}`);
  assert.match(section(out, 'busy'), /^ r  b  w +avm +fre  flt  cow zfod   pi  vk0   in   sy   cs us sy id$/m);
});

test('top -b -d 2: the busy process leads with a high WCPU', { timeout: 240_000 }, () => {
  const s = section(out, 'top');
  const shows = s.split(/^(?=last pid:)/m).filter((x) => x.startsWith('last pid:'));
  assert.equal(shows.length, 2, s);
  const second = shows[1];
  assert.match(second, /^last pid: +\d+;  load averages: +\d+\.\d\d, +\d+\.\d\d, +\d+\.\d\d  up 0\+\d\d:\d\d:\d\d +\d\d:\d\d:\d\d$/m);
  assert.match(second, /^\d+ processes: \d+ running, \d+ sleeping/m);
  const cpu = /^CPU: +([\d.]+)% user, +([\d.]+)% nice, +([\d.]+)% system, +([\d.]+)% interrupt, +([\d.]+)% idle$/m.exec(second);
  assert.ok(cpu, second);
  assert.ok(Number(cpu[1]) >= 50, second);
  assert.match(second, /^Mem: \d+[KMG] Active, \d+[KMG] Wired, \d+[KMG] Free$/m);
  assert.match(second, /^  PID USERNAME    PRI NICE   SIZE    RES STATE    C   TIME    WCPU COMMAND$/m);
  const procs = second.split('\n').filter((l) => /^ *\d+ \S+ +\d+ +-?\d+ /.test(l));
  assert.ok(procs.length >= 3, second);
  const first = procs[0].trim().split(/ +/);
  assert.equal(first[first.length - 1], 'spin.sh', second);
  assert.equal(first[6], 'RUN', second);
  assert.ok(Number.parseFloat(first[first.length - 2]) >= 40, second);
  /* The idle init script sleeps in wait. */
  assert.ok(procs.some((l) => / wait +0 /.test(l) && l.endsWith('stats-test.sh')), second);
});

test('iostat: reads from vkd0 show up, an idle interval shows none', { timeout: 240_000 }, () => {
  const s = section(out, 'iostat-read');
  assert.match(s, /^ +vkd0 *\n +KB\/t +tps +MB\/s *$/m);
  const lines = s.split('\n').filter((l) => /^ *[\d.]+ +\d+ +[\d.]+ *$/.test(l)).map((l) => l.trim().split(/ +/).map(Number));
  assert.equal(lines.length, 2, s);
  const [kbt, tps, mbs] = lines[1];
  /* 2 MB read by dd in the interval: 2 MB / 5 s, in transfers of more than a block. */
  assert.ok(tps >= 1 && kbt > 4 && mbs >= 0.3, s);
  const idle = section(out, 'iostat-idle');
  assert.match(idle, /^ +vkd0 +cpu *\n +KB\/t +tps +MB\/s +us ni sy in id$/m);
  const il = idle.split('\n').filter((l) => /^ *[\d.]+ +\d+ +[\d.]+ +\d+/.test(l)).map((l) => l.trim().split(/ +/).map(Number));
  assert.equal(il.length, 2, idle);
  assert.deepEqual(il[1].slice(0, 3), [0, 0, 0], idle);
  assert.match(section(out, 'iostat-bad'), /^iostat: nosuchdisk: no such drive\nstatus 1$/m);
});

test('pstat -t, pstat -f, swapinfo', { timeout: 240_000 }, () => {
  const t = section(out, 'pstat-t');
  assert.match(t, /^1 terminal\nLINE +INQ +OUTQ +ROW +COL +SESS +PGID STATE\nconsole +0 +0 +24 +80 +1 +\d+ C\S*$/m);
  const f = section(out, 'pstat-f');
  assert.match(f, /^\d+ open files\n +PID +FD TYPE +FLG +CNT +OFFSET +INODE$/m);
  /* init's console descriptors, and pstat's own stdout. */
  assert.match(f, /^ +1 +0 chr +RW +\d+ +0 +\d+$/m);
  assert.match(f, /^ +\d+ +1 chr +RW /m);
  const sw = section(out, 'swapinfo');
  assert.equal(sw, 'Device          1K-blocks     Used    Avail Capacity\nstatus 0\n' +
    'Device          1K-blocks     Used    Avail Capacity\n');
  const u = section(out, 'usage');
  assert.match(u, /^usage: pstat \[-fhkst\]\nstatus 1$/m);
  assert.match(u, /^vmstat: count 0: too small\nstatus 1$/m);
  assert.match(out, /@@end/);
});
