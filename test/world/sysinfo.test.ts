/*
 * The system-inspection utilities under our kernel: sysctl, kenv, ps,
 * dmesg, mount/umount, df, uptime, w.  One boot of bin/vkernel on a hostfs
 * root of the built world, staged with an autologin console (getty al.Pc)
 * so the test lands in root's login shell; each command runs between two
 * markers and its output (and status) is compared with what BSD prints.
 *
 *   SYSINFO_TEST_LOG=1   print the console transcript at the end
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostfsWorld, VkConsole } from './console.ts';
import { buildWorld, REPO } from '../../tools/buildworld.ts';
import { installEtc } from '../../tools/world_etc.ts';
import { stageWorld, WORLD_ROOT as ROOT } from './scriptboot.ts';

const STAGE = join(REPO, 'build', 'sysinfo-test');
const PROGS = ['sbin/sysctl', 'bin/kenv', 'sbin/dmesg', 'bin/ps', 'usr/bin/uptime', 'usr/bin/w',
  'sbin/mount', 'sbin/umount', 'sbin/mount_tmpfs', 'sbin/mount_cd9660', 'bin/df'];

/** A hard-linked copy of the world root with an autologin console. */
function stageRoot(): string {
  const ttys = readFileSync(join(ROOT, 'etc', 'ttys'), 'utf8')
    .replace('"/usr/libexec/getty Pc"\t\tcons25', '"/usr/libexec/getty al.Pc"\tcons25');
  assert.match(ttys, /getty al\.Pc/);
  return stageWorld(STAGE, { 'etc/ttys': { text: ttys, mode: 0o644 } });
}

let c: VkConsole | undefined;

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of PROGS) assert.ok(existsSync(join(ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  installEtc(ROOT);
  mkdirSync(STAGE, { recursive: true });	// the vkernel's cwd: its memimg file goes there
  c = new VkConsole([...hostfsWorld(stageRoot()), '-e', 'sysinfo.greeting=hello-kenv'], { cwd: STAGE, timeoutMs: 20_000 });
  await c.expect('Mounting local file systems:');
  await c.expect('root@vkernel:~ # ', 30_000);
});

after(() => {
  c?.kill();
  if (process.env.SYSINFO_TEST_LOG && c) process.stderr.write(`\n----- console -----\n${c.out.replace(/\r/g, '')}`);
  rmSync(STAGE, { recursive: true, force: true });
});

test('sysinfo utilities in a booted world', { timeout: 80_000 }, async (t) => {
  const con = c!;

  await t.test('sysctl: names, -n, -a, writes, unknown oids', async () => {
    const ncpu = await con.sh('sysctl hw.ncpu');
    assert.equal(ncpu.status, 0);
    const n = /^hw\.ncpu: (\d+)\n$/.exec(ncpu.out);
    assert.ok(n, ncpu.out);
    assert.deepEqual(await con.sh('sysctl -n hw.ncpu'), { out: `${n[1]}\n`, status: 0 });
    assert.equal((await con.sh('grep -c processor /proc/cpuinfo')).out, `${n[1]}\n`);
    assert.deepEqual(await con.sh('sysctl kern.ostype'), { out: 'kern.ostype: DragonFly\n', status: 0 });
    assert.deepEqual(await con.sh('sysctl -e kern.ostype hw.machine'),
      { out: 'kern.ostype=DragonFly\nhw.machine=riscv64\n', status: 0 });
    const all = await con.sh('sysctl -a | head');
    const lines = all.out.trimEnd().split('\n');
    assert.equal(lines.length, 10, all.out);
    assert.equal(lines[0], 'kern.ostype: DragonFly');
    // kern.version ends with a newline, as in BSD: an empty line follows it.
    for (const l of lines) if (l !== '') assert.match(l, /^[a-z]+\.[\w.]+: /);
    const everything = (await con.sh('sysctl -a')).out;
    assert.match(everything, /^kern\.boottime: \{ sec = \d+, usec = \d+ \} \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/m);
    assert.match(everything, /^vm\.loadavg: \{ \d+\.\d\d \d+\.\d\d \d+\.\d\d \}$/m);
    assert.match(everything, /^kern\.clockrate: \{ hz = 100, /m);
    assert.doesNotMatch(everything, /kern\.proc/);
    assert.deepEqual(await con.sh('sysctl kern.hostname=classroom; hostname'),
      { out: 'kern.hostname: vkernel -> classroom\nclassroom\n', status: 0 });
    await con.sh('hostname vkernel');
    assert.deepEqual(await con.sh('sysctl no.such.oid 2>&1'),
      { out: "sysctl: unknown oid 'no.such.oid'\n", status: 1 });
    assert.deepEqual(await con.sh('sysctl kern.ostype=Linux 2>&1'),
      { out: "sysctl: oid 'kern.ostype' is read only\n", status: 1 });
    const hw = await con.sh('sysctl hw');
    assert.match(hw.out, /^hw\.ncpu: \d+$/m);
    assert.doesNotMatch(hw.out, /^kern\./m);
  });

  await t.test('kenv: the -e values, get, set, unset', async () => {
    const all = await con.sh('kenv');
    assert.match(all.out, /^sysinfo\.greeting="hello-kenv"$/m);
    assert.match(all.out, /^init_path="\/sbin\/init"$/m);
    assert.deepEqual(await con.sh('kenv sysinfo.greeting'), { out: 'hello-kenv\n', status: 0 });
    assert.deepEqual(await con.sh('kenv class.topic=vkernel'), { out: 'class.topic="vkernel"\n', status: 0 });
    assert.deepEqual(await con.sh('kenv -v class.topic'), { out: 'class.topic="vkernel"\n', status: 0 });
    assert.deepEqual(await con.sh('kenv -u class.topic; kenv class.topic 2>&1'),
      { out: 'kenv: unable to get class.topic\n', status: 1 });
    assert.deepEqual(await con.sh('kenv -x 2>&1 | head -1'), { out: 'kenv: invalid option -- \'x\'\n', status: 0 });
  });

  await t.test('ps: aux lists init and this shell; default, -l, -o', async () => {
    const pid = (await con.sh('echo $$')).out.trim();
    assert.match(pid, /^\d+$/);
    const aux = await con.sh('ps aux');
    assert.equal(aux.status, 0);
    const lines = aux.out.trimEnd().split('\n');
    assert.match(lines[0], /^USER +PID %CPU %MEM +VSZ +RSS TT +STAT STARTED +TIME COMMAND$/);
    assert.match(aux.out, /^root +1 +[\d.]+ +[\d.]+ +\d+ +\d+ +\?\? +S\w* +\d+:\d\d[AP]M +\d+:\d\d\.\d\d \/sbin\/init$/m);
    assert.match(aux.out, new RegExp(`^root +${pid} .* co +S\\w*s\\w* .*-?sh$`, 'm'));
    assert.match(aux.out, /^root +\d+ .* co +R\+ .* ps aux$/m);
    const dflt = await con.sh('ps');
    assert.match(dflt.out, /^ {2}PID TT {2}STAT +TIME COMMAND\n/);
    assert.match(dflt.out, new RegExp(`^ *${pid} co +S\\w* +\\d+:\\d\\d\\.\\d\\d `, 'm'));
    assert.doesNotMatch(dflt.out, /\/sbin\/init/, 'init has no terminal: only with -x');
    const o = await con.sh(`ps -o pid,ppid,comm -p ${pid}`);
    assert.match(o.out, new RegExp(`^ +PID +PPID COMMAND\\n *${pid} +\\d+ sh\\n$`));
    assert.deepEqual(await con.sh('ps -o pid=,comm= -p 1'), { out: '    1 init\n', status: 0 });
    const l = await con.sh('ps -l');
    assert.match(l.out, /^ +UID +PID +PPID %CPU PRI +NI +VSZ +RSS MWCHAN STAT TT +TIME COMMAND\n/);
    assert.match(l.out, new RegExp(`^ +0 +${pid} .* wait +S`, 'm'));
    assert.deepEqual(await con.sh('ps -o nosuch 2>&1'), { out: 'ps: nosuch: keyword not found\n', status: 1 });
  });

  await t.test('dmesg: the boot log', async () => {
    const d = await con.sh('dmesg | head');
    assert.match(d.out, /^Copyright \(c\) 2003-2024 The DragonFly Project\.$/m);
    assert.match(d.out, /^real memory {2}= 134217728 /m);
    assert.equal(d.out.trimEnd().split('\n').length, 10);
    assert.match((await con.sh('dmesg')).out, /Mounting root from hostfs:/);
  });

  await t.test('mount, df, mount -t tmpfs, umount', async () => {
    const m = await con.sh('mount');
    assert.equal(m.status, 0);
    assert.match(m.out, /^hostfs:\S+ on \/ \(hostfs, local, read-only\)$/m);
    assert.match(m.out, /^devfs on \/dev \(devfs, local\)$/m);
    assert.match(m.out, /^proc on \/proc \(procfs, local\)$/m, 'rc mounts /proc from fstab with mount -a');
    assert.deepEqual(await con.sh('mount -a; mount | grep -c procfs'), { out: '1\n', status: 0 });
    const dh = await con.sh('df -h');
    assert.match(dh.out, /^Filesystem +Size +Used +Avail Capacity +Mounted on$/m);
    assert.match(dh.out, /^hostfs:\S+ +\S+ +\S+ +\S+ +\d+% +\/$/m);
    assert.match(dh.out, /^tmpfs +\d+M +\S+ +\d+M +\d+% +\/tmp$/m);
    assert.deepEqual(await con.sh('mount -t tmpfs -o size=4m tmpfs /mnt'), { out: '', status: 0 });
    assert.match((await con.sh('mount')).out, /^tmpfs on \/mnt \(tmpfs, local\)$/m);
    // The login shell has /etc/profile's BLOCKSIZE=K: a bare unit means one of it, as in BSD.
    assert.deepEqual(await con.sh('echo $BLOCKSIZE; df /mnt 2>&1'), {
      out: 'K\nFilesystem 1K-blocks Used Avail Capacity  Mounted on\n' +
        'tmpfs           4096    0  4096       0%  /mnt\n',
      status: 0,
    });
    assert.deepEqual(await con.sh('BLOCKSIZE=512 df /mnt'), {
      out: 'Filesystem 512-blocks Used Avail Capacity  Mounted on\n' +
        'tmpfs            8192    0  8192       0%  /mnt\n',
      status: 0,
    });
    await con.sh('dd if=/dev/zero of=/mnt/f bs=1k count=1024 2>/dev/null');
    assert.match((await con.sh('df -k /mnt')).out, /^tmpfs +4096 +1024 +3072 +25% +\/mnt$/m);
    const di = await con.sh('df -i /mnt');
    assert.match(di.out, /Capacity iused ifree %iused {2}Mounted on\n/);
    assert.deepEqual(await con.sh('umount /mnt'), { out: '', status: 0 });
    assert.doesNotMatch((await con.sh('mount')).out, /\/mnt/);
    assert.deepEqual(await con.sh('umount /mnt 2>&1'),
      { out: 'umount: /mnt: not a file system root directory\n', status: 1 });
    assert.deepEqual(await con.sh('mount_tmpfs -s 1m tmpfs /mnt && df -k /mnt | tail -1 && umount /mnt'),
      { out: 'tmpfs           1024    0  1024       0%  /mnt\n', status: 0 });
    assert.deepEqual(await con.sh('mount -t bogusfs x /mnt 2>&1'),
      { out: 'mount: x: bogusfs: unknown file system type\n', status: 1 });
    assert.deepEqual(await con.sh('mount -u -o rw / 2>&1'),
      { out: 'mount: /: Read-only file system\n', status: 1 });
  });

  await t.test('uptime and w', async () => {
    const u = await con.sh('uptime');
    assert.match(u.out, /^ ?\d{1,2}:\d\d[AP]M {2}up \d+ (secs?|mins?), 1 user, load averages: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/);
    const w = await con.sh('w');
    const lines = w.out.trimEnd().split('\n');
    assert.match(lines[0], /up .* 1 user, load averages:/);
    assert.match(lines[1], /^USER +TTY +FROM +LOGIN@ +IDLE WHAT$/);
    assert.match(lines[2], /^root +console +- +\d{1,2}:\d\d[AP]M +\S+ w$/);
    assert.equal(lines.length, 3);
  });
});
