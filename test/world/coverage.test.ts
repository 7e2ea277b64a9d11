/*
 * The world's programs that no other suite runs with assertions on their
 * options and errors (issue [world]): the system tools (df, ps, kenv, dmesg,
 * sysctl, mount and friends, uptime, w, vmstat, iostat, pstat, swapinfo, top,
 * ktrace, kdump, chroot) and those that want a booted system (init, getty, login,
 * nologin, reboot, halt, fastboot, shutdown, newfs, fsck, disklabel).  Each
 * runs inside our kernel (harness.ts).  Usage lines, exit statuses and
 * messages are BSD's (the man pages in userland/ and FreeBSD/DragonFly);
 * what reads the running kernel (sysctl, kenv, dmesg, mount, ps ...) is
 * checked only there, the rest also under WORLD_ORACLE=qemu.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IN_KERNEL, cleanup, ensureWorld, expectRun, progPath, run, scratch } from './harness.ts';

const C = { concurrency: 4 };
const kernelOnly = IN_KERNEL ? false : 'reads our kernel (sysctl, devstat, mounts, processes)';
let dir = '';

before(async () => {
  const r = await ensureWorld();
  for (const p of ['df', 'sysctl', 'iostat', 'nologin']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('coverage');
});
after(() => cleanup(dir));

/* getopt's complaint: BSD says "illegal option -- Z", glibc "invalid option -- 'Z'". */
const badOpt = (prog: string, c: string): string => `${prog}: (?:illegal|invalid) option -- '?${c}'?\\n`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An unknown option: the complaint and the usage on stderr, nothing on stdout, the status. */
async function badOption(prog: string, usage: string, status = 1, opt = 'Z'): Promise<void> {
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  await expectRun(prog, [`-${opt}`], { stdout: '', stderr: new RegExp(`^${badOpt(name, opt)}${esc(usage)}$`), status });
}

describe('coverage', { concurrency: true }, () => {
  describe('usage lines on a bad option', C, () => {
    /* From each program's SYNOPSIS. */
    const table: Array<[string, string, number?]> = [
      ['df', 'usage: df [-b | -g | -H | -h | -k | -m | -P] [-ailnT] [-t type] [file | filesystem ...]\n'],
      ['kenv', 'usage: kenv [-hNq]\n       kenv [-qv] variable[=value]\n       kenv [-q] -u variable\n'],
      ['ps', 'usage: ps [-acehjlrSuwx] [-O|o fmt] [-p pid] [-t tty] [-U user]\n       ps -L\n'],
      ['dmesg', 'usage: dmesg [-ac]\n'],
      ['sysctl', 'usage: sysctl [-bdeNnoq] name[=value] ...\n       sysctl [-bdeNnoq] -a\n'],
      ['mount', 'usage: mount [-dfruvw] [-o options] [-t ufs | external_type] special node\n' +
        '       mount [-adfruvw] [-t ufs | external_type]\n       mount [-dfruvw] special | node\n'],
      ['umount', 'usage: umount [-fv] special | node ...\n       umount -a | -A [-fv] [-t type]\n'],
      ['mount_tmpfs', 'usage: mount_tmpfs [-m mode] [-o options] [-s size] tmpfs mount_point\n'],
      ['mount_cd9660', 'usage: mount_cd9660 [-egjrv] [-o options] [-s startsector] special node\n'],
      ['uptime', 'usage: uptime\n'],
      ['w', 'usage: w [-hin] [user ...]\n'],
      ['vmstat', 'usage: vmstat [-c count] [-w wait] [wait [count]]\n'],
      ['iostat', 'usage: iostat [-dIx] [-c count] [-w wait] [drive ...]\n'],
      ['pstat', 'usage: pstat [-fhkst]\n'],
      ['swapinfo', 'usage: swapinfo [-hk]\n'],
      ['top', 'usage: top [-bin] [-d count] [-o field] [-s time] [number]\n'],
      ['kdump', 'usage: kdump [-dEHlnRsT] [-f trfile] [-m maxdata] [-p pid] [-t trstr]\n'],
      ['ktrace', 'usage: ktrace [-aCcdi] [-f trfile] [-g pgrp | -p pid] [-t trstr]\n' +
        '       ktrace [-adi] [-f trfile] [-t trstr] command\n'],
      ['reboot', 'usage: reboot [-dlnpq]\n'],
      ['halt', 'usage: halt [-lnpq]\n'],
      ['fastboot', 'usage: fastboot [-dlnpq]\n'],
      ['shutdown', 'usage: shutdown [-] [-h | -p | -r | -k] [-o [-n]] time [warning-message ...]\n'],
      ['login', 'usage: login [-fp] [-h hostname] [username]\n'],
      ['newfs', 'usage: newfs [-NnU] [-L volname] [-O format] [-b block-size] [-f frag-size]\n' +
        '             [-i bytes] [-m free-space] [-s size] special\n'],
      /*
       * fsck_ffs: usage is EEXIT (8), as its other fatal errors.  Our fsck
       * wrapper does the same (FreeBSD's exits 1): rc stops the boot on 8.
       */
      ['fsck', 'usage: fsck [-dfnpy] [-b block] [-t fstype] [special | node] ...\n', 8],
      ['fsck_ffs', 'usage: fsck_ffs [-dfnpy] [-b block] filesystem ...\n', 8],
      ['disklabel', 'usage: disklabel [-r] disk\n       disklabel -w [-r] disk [type]\n       disklabel -R [-r] disk protofile\n'],
    ];
    for (const [prog, usage, status] of table) {
      test(prog, () => badOption(prog, usage, status ?? 1));
    }
    test('a missing option argument', async () => {
      await expectRun('login', ['-h'], {
        stderr: /^login: option requires an argument -- '?h'?\nusage: login \[-fp\] \[-h hostname\] \[username\]\n$/, status: 1,
      });
    });
  });

  describe('operands: too few, too many, bad numbers', C, () => {
    test('usage without the operands a program needs', async () => {
      await expectRun('sysctl', [], { stdout: '', stderr: /^usage: sysctl /, status: 1 });
      await expectRun('umount', [], { stdout: '', stderr: /^usage: umount /, status: 1 });
      await expectRun('ktrace', [], { stdout: '', stderr: /^usage: ktrace /, status: 1 });
      await expectRun('shutdown', [], { stdout: '', stderr: /^usage: shutdown /, status: 1 });
      await expectRun('shutdown', ['-r'], { stdout: '', stderr: /^usage: shutdown /, status: 1 });
      await expectRun('mount_tmpfs', [], { stdout: '', stderr: /^usage: mount_tmpfs /, status: 1 });
      await expectRun('mount_cd9660', ['x'], { stdout: '', stderr: /^usage: mount_cd9660 /, status: 1 });
      await expectRun('kenv', ['-u'], { stdout: '', stderr: /^usage: kenv /, status: 1 });
    });
    test('and with operands a program takes none of', async () => {
      await expectRun('uptime', ['extra'], { stdout: '', stderr: 'usage: uptime\n', status: 1 });
      await expectRun('reboot', ['now'], { stdout: '', stderr: 'usage: reboot [-dlnpq]\n', status: 1 });
      await expectRun('halt', ['-q', 'x'], { stdout: '', stderr: 'usage: halt [-lnpq]\n', status: 1 });
      await expectRun('usr/libexec/getty', ['a', 'b', 'c'], { stdout: '', stderr: 'usage: getty [type [tty]]\n', status: 1 });
    });
    test('counts and times that are not numbers, or too small', async () => {
      await expectRun('iostat', ['-c', '0'], { stdout: '', stderr: 'iostat: count 0: too small\n', status: 1 });
      await expectRun('iostat', ['-w', 'x'], { stdout: '', stderr: 'iostat: wait x: invalid\n', status: 1 });
      await expectRun('vmstat', ['-c', '0'], { stdout: '', stderr: 'vmstat: count 0: too small\n', status: 1 });
      await expectRun('kdump', ['-m', 'x'], { stdout: '', stderr: /^kdump: .*x.*invalid/, status: 1 });
      await expectRun('shutdown', ['-h', 'xyz'], { stdout: '', stderr: 'shutdown: bad time format\n', status: 1 });
    });
  });

  describe('init, nologin, kdump without a booted system to act on', C, () => {
    test('init is only ever pid 1', async () => {
      /* BSD init: getpid() != 1 means another one runs the system. */
      await expectRun('init', [], { stdout: '', stderr: 'init: already running\n', status: 1 });
    });
    test('nologin: the message on stdout, status 1, whatever the arguments', async () => {
      await expectRun('nologin', [], { stdout: 'This account is currently not available.\n', stderr: '', status: 1 });
      await expectRun('nologin', ['-c', 'sh'], { stdout: 'This account is currently not available.\n', stderr: '', status: 1 });
    });
    test('kdump: a missing trace file, a file that is no trace', async () => {
      await expectRun('kdump', ['-f', '/nonexistent'], { stdout: '', stderr: 'kdump: /nonexistent: No such file or directory\n', status: 1 });
      const r = await run('kdump', ['-f', '/etc/motd']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^kdump: \/etc\/motd: /);
    });
  });

  describe('reading the running kernel', { ...C, skip: kernelOnly }, () => {
    test('sysctl: values, -n, -N, -d, read-only and unknown oids, -q', async () => {
      await expectRun('sysctl', ['kern.ostype'], { stdout: 'kern.ostype: DragonFly\n' });
      await expectRun('sysctl', ['-n', 'kern.ostype', 'hw.pagesize'], { stdout: 'DragonFly\n4096\n' });
      await expectRun('sysctl', ['-N', 'kern.ostype'], { stdout: 'kern.ostype\n' });
      await expectRun('sysctl', ['-d', 'kern.ostype'], { stdout: /^kern\.ostype: \S.*\n$/ });
      await expectRun('sysctl', ['kern.ostype=foo'], { stdout: '', stderr: "sysctl: oid 'kern.ostype' is read only\n", status: 1 });
      await expectRun('sysctl', ['no.such.oid'], { stdout: '', stderr: "sysctl: unknown oid 'no.such.oid'\n", status: 1 });
      await expectRun('sysctl', ['-q', 'no.such.oid'], { stdout: '', stderr: '', status: 1 });
    });
    test('kenv: a variable, one that is not set, -q', async () => {
      await expectRun('kenv', ['init_path'], { stdout: /^\/\.jobs\/\S+\n$/ });
      await expectRun('kenv', ['no_such_var'], { stdout: '', stderr: 'kenv: unable to get no_such_var\n', status: 1 });
      await expectRun('kenv', ['-q', 'no_such_var'], { stdout: '', stderr: '', status: 1 });
    });
    test('dmesg: the boot messages', async () => {
      await expectRun('dmesg', [], { stdout: /^Copyright \(c\) 2003-\d+ The DragonFly Project\.\n[^]*\nreal memory  = \d+ /, stderr: '' });
    });
    test('ps: -p, -o with empty headers, -ax; no match is status 1', async () => {
      await expectRun('ps', ['-p', '1', '-o', 'pid=,comm='], { stdout: /^ +1 \S+\n$/ });
      const ax = await expectRun('ps', ['-ax', '-o', 'pid='], { stdout: /^ +1\n/ });
      assert.ok(ax.stdout.trim().split('\n').every((l) => /^ *\d+$/.test(l)), ax.stdout);
      await expectRun('ps', ['-p', '99999'], { stdout: '  PID TT  STAT      TIME COMMAND\n', stderr: '', status: 1 });
      await expectRun('ps', ['-p', '99999', '-o', 'pid='], { stdout: '', stderr: '', status: 1 });
    });
    test('mount lists the root; umount of what is not mounted', async () => {
      await expectRun('mount', [], { stdout: /^\S+ on \/ \(hostfs, local, read-only\)\n(?:.*\n)*devfs on \/dev \(devfs, local\)\n/ });
      await expectRun('umount', ['/nonexistent'], { stdout: '', stderr: /^umount: \/nonexistent: /, status: 1 });
    });
    test('df: block sizes and their headers, -T, -i; a missing file has no header', async () => {
      await expectRun('df', ['-k', '/'], { stdout: /^Filesystem +1K-blocks +Used +Avail +Capacity +Mounted on\n\S+ +\d+ +\d+ +\d+ +\d+% +\/\n$/ });
      await expectRun('df', ['-m', '/'], { stdout: /^Filesystem +1M-blocks +Used +Avail +Capacity +Mounted on\n/ });
      await expectRun('df', ['-P', '/'], { stdout: /^Filesystem +512-blocks +Used +Avail +Capacity +Mounted on\n/ });
      await expectRun('df', ['-Ti', '/'], {
        stdout: /^Filesystem +Type +512-blocks +Used +Avail +Capacity +iused +ifree +%iused +Mounted on\n\S+ +hostfs +\d+ /,
      });
      await expectRun('df', ['/nonexistent'], { stdout: '', stderr: 'df: /nonexistent: No such file or directory\n', status: 1 });
      /* One good, one missing: the good one is shown, the status is still 1. */
      await expectRun('df', ['-h', '/', '/nonexistent'], {
        stdout: /^Filesystem +Size +Used +Avail +Capacity +Mounted on\n\S+ .* +\/\n$/,
        stderr: 'df: /nonexistent: No such file or directory\n', status: 1,
      });
    });
    test('uptime and w: the load line, w -h without headers', async () => {
      const load = /^ *\d+:\d\d[AP]M +up .*, +\d+ users?, +load averages: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n/;
      await expectRun('uptime', [], { stdout: new RegExp(`${load.source}$`) });
      await expectRun('w', [], { stdout: new RegExp(`${load.source}USER +TTY +FROM +LOGIN@ +IDLE +WHAT\\n`) });
      const h = await expectRun('w', ['-h'], {});
      assert.doesNotMatch(h.stdout, /load averages|USER/);
    });
    test('vmstat, pstat -s, swapinfo: headers and a line of numbers', async () => {
      await expectRun('vmstat', [], { stdout: /^ procs +memory +page +faults +cpu\n r +b +w +avm +fre +flt .* us +sy +id\n( +\d+[KMG]?)+\n$/ });
      const sw = /^Device +1K-blocks +Used +Avail +Capacity\n/;
      const a = await expectRun('swapinfo', [], { stdout: sw });
      await expectRun('pstat', ['-s'], { stdout: a.stdout });
    });
    test('iostat: the disk columns; -I totals, -x reads and writes apart; an unknown drive', async () => {
      /* No disk here (the root is hostfs): the CPU columns alone, and -d has nothing to show. */
      await expectRun('iostat', [], { stdout: /^ +cpu\n us ni sy in id\n( +\d+){5}\n$/ });
      await expectRun('iostat', ['-I'], { stdout: /^ +cpu\n us ni sy in id\n( +\d+){5}\n$/ });
      await expectRun('iostat', ['-dI'], { stdout: '', stderr: 'iostat: no devices\n', status: 1 });
      await expectRun('iostat', ['-xI'], { stdout: /^device +r\/i +w\/i +kr\/i +kw\/i\n$/ });
      await expectRun('iostat', ['-x'], { stdout: /^device +r\/s +w\/s +kr\/s +kw\/s\n$/ });
      await expectRun('iostat', ['vkd9'], { stdout: '', stderr: 'iostat: vkd9: no such drive\n', status: 1 });
    });
    test('df: -t picks types, "no" excludes the whole list; -b, -g, -H', async () => {
      await expectRun('df', ['-t', 'tmpfs'], { stdout: /^Filesystem +512-blocks +Used +Avail +Capacity +Mounted on\ntmpfs +\d+ +\d+ +\d+ +\d+% +\/tmp\n$/ });
      const no = await expectRun('df', ['-t', 'notmpfs,hostfs'], { stdout: /\n\S+ .* \/dev\n/ });
      assert.doesNotMatch(no.stdout, /tmpfs|hostfs/);
      await expectRun('df', ['-b', '/tmp'], { stdout: /^Filesystem +512-blocks /m });
      await expectRun('df', ['-g', '/tmp'], { stdout: /^Filesystem +1G-blocks /m });
      await expectRun('df', ['-H', '/tmp'], { stdout: /^Filesystem +Size +Used +Avail +Capacity +Mounted on\ntmpfs +\d+M +\S+ +\d+M /m });
    });
    test('kenv: the whole environment, -N names, -v quoted, a set', async () => {
      const all = await expectRun('kenv', [], { stdout: /^(?:[\w.]+="[^"\n]*"\n)+$/ });
      assert.match(all.stdout, /^init_path="\/\.jobs\/\S+"$/m);
      const names = await expectRun('kenv', ['-N'], {});
      assert.deepEqual(names.stdout.trimEnd().split('\n'), all.stdout.trimEnd().split('\n').map((l) => l.split('=')[0]));
      await expectRun('kenv', ['-v', 'init_path'], { stdout: /^init_path="\/\.jobs\/\S+"\n$/ });
      await expectRun('kenv', ['foo=bar'], { stdout: 'foo="bar"\n' });
    });
    test('sysctl: -e, -b, a subtree', async () => {
      await expectRun('sysctl', ['-e', 'kern.ostype'], { stdout: 'kern.ostype=DragonFly\n' });
      await expectRun('sysctl', ['-b', 'kern.ostype'], { stdout: 'DragonFly\0' });
      const hw = await expectRun('sysctl', ['hw'], { stdout: /^hw\.machine: riscv64\n/ });
      assert.ok(hw.stdout.trimEnd().split('\n').every((l) => /^hw\.\S+: /.test(l)), hw.stdout);
      assert.match(hw.stdout, /^hw\.pagesize: 4096$/m);
    });
    test('ps: -l, -j, -u, -O formats, -L; bad users, keywords and pids', async () => {
      await expectRun('ps', ['-l', '-p', '1'], { stdout: /^ +UID +PID +PPID +%CPU +PRI +NI +VSZ +RSS +MWCHAN +STAT +TT +TIME +COMMAND\n +0 +1 +0 / });
      await expectRun('ps', ['-j', '-p', '1'], { stdout: /^USER +PID +PPID +PGID +SID +STAT +TT +TIME +COMMAND\nroot +1 +0 +1 +1 / });
      await expectRun('ps', ['-u', '-p', '1'], { stdout: /^USER +PID +%CPU +%MEM +VSZ +RSS +TT +STAT +STARTED +TIME +COMMAND\nroot +1 / });
      await expectRun('ps', ['-O', 'ppid', '-p', '1'], { stdout: /^ +PID +PPID +TT +STAT +TIME +COMMAND\n +1 +0 / });
      const L = await expectRun('ps', ['-L'], {});
      for (const k of ['pid', 'ppid', 'pgid', 'stat', 'tt', 'time', 'command', 'vsz', 'rss', 'user']) assert.match(L.stdout, new RegExp(`(^| )${k}( |$)`, 'm'), k);
      await expectRun('ps', ['-U', 'nosuchuser'], { stdout: '', stderr: 'ps: nosuchuser: no such user\n', status: 1 });
      await expectRun('ps', ['-o', 'nosuchkw'], { stdout: '', stderr: 'ps: nosuchkw: keyword not found\n', status: 1 });
      await expectRun('ps', ['-p', 'abc'], { stdout: '', stderr: /^ps: abc: /, status: 1 });
    });
    test('pstat -f, -t; swapinfo -h; vmstat and iostat repeat with -c and -w', async () => {
      await expectRun('pstat', ['-f'], { stdout: /^\d+ open files?\n +PID +FD +TYPE +FLG +CNT +OFFSET +INODE\n( +\d+ +\d+ \w+ .*\n)+$/ });
      await expectRun('pstat', ['-t'], { stdout: /^\d+ terminals?\nLINE +INQ +OUTQ +ROW +COL +SESS +PGID +STATE\nconsole +\d+ /m });
      await expectRun('swapinfo', ['-h'], { stdout: /^Device +Size +Used +Avail +Capacity\n/ });
      await expectRun('pstat', [], { stdout: '', stderr: /^usage: pstat /, status: 1 });
      await expectRun('vmstat', ['-c', '2', '-w', '1'], { stdout: /^ procs .*\n r .*\n(( +\d+[KMG]?)+\n){2}$/ });
      await expectRun('iostat', ['-c', '2', '-w', '1'], { stdout: /^ +cpu\n us ni sy in id\n(( +\d+){5}\n){2}$/ });
    });
    test('chroot runs the command in the new root; one that cannot run is status 1', async () => {
      await expectRun('chroot', ['/', '/bin/echo', 'hi'], { stdout: 'hi\n' });
      await expectRun('chroot', ['/', '/nonexistent'], { stdout: '', stderr: 'chroot: /nonexistent: No such file or directory\n', status: 1 });
    });
    test('ktrace runs a command into a file kdump reads; a command that does not exist', async () => {
      const t = join(dir, 'kt.out');
      await expectRun('ktrace', ['-f', t, '/bin/echo', 'traced'], { stdout: 'traced\n' });
      const k = await expectRun('kdump', ['-f', t], {});
      assert.match(k.stdout, / echo +CALL +write\(0x1,/);
      assert.match(k.stdout, / echo +GIO +fd 1 wrote 7 bytes\n +"traced\\n"\n/);
      await expectRun('ktrace', ['-f', t, '/nonexistent'], {
        stdout: '', stderr: "ktrace: exec of '/nonexistent' failed: No such file or directory\n", status: 1,
      });
    });
  });
});
