/*
 * The BSD boot userland under our kernel: init, /etc/rc, getty, login,
 * halt/reboot/shutdown, rc.shutdown.  Each test boots bin/vkernel on a
 * hostfs root of the built world (with the boot log, VKERNEL_QUIET unset)
 * and talks to its console through a pipe, the way a person would at the
 * terminal: wait for a prompt, type a line.
 *
 * Variants of /etc (autologin, an extra user, a broken getty) live in
 * staged copies of the root under build/init-test/: hard links to the
 * world's files, with only the edited ones replaced.
 *
 *   INIT_TEST_LOG=1   print every console transcript at the end
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { VkConsole } from './console.ts';
import { stageWorld } from './scriptboot.ts';
import { buildWorld, REPO } from '../../tools/buildworld.ts';
import { installEtc } from '../../tools/world_etc.ts';

const OUT = join(REPO, 'build', 'world');
const ROOT = join(OUT, 'root');
const STAGE = join(REPO, 'build', 'init-test');

/* guest's password is "vkernel" (SHA-512-crypt, same as `openssl passwd -6 -salt guestsalt vkernel`). */
const GUEST_HASH = '$6$guestsalt$xz9dGqh/VU6fvhJePYXFGFHhZAm66EhwI.3dKtamtukGcG0qDN5WVohr7hvnqrhdcICb7MQMdmnRbfJjvDNy40';

/** A copy of the world root (hard links) with some files of it replaced. */
function stage(name: string, files: Record<string, string>): string {
  const staged = Object.fromEntries(Object.entries(files).map(([rel, text]) =>
    [rel, { text, mode: rel.endsWith('master.passwd') ? 0o600 : 0o644 }]));
  return stageWorld(STAGE, staged, name);
}

const consoles: VkConsole[] = [];
function boot(root: string | null, args: string[] = []): VkConsole {
  const c = new VkConsole([...(root === null ? [] : ['-e', `vfs.root.mountfrom=hostfs:${root}`]), '-e', 'init_path=/sbin/init', ...args], { cwd: STAGE, timeoutMs: 20_000 });
  consoles.push(c);
  return c;
}

let etc = (rel: string): string => readFileSync(join(ROOT, 'etc', rel), 'utf8');

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of ['sbin/init', 'usr/libexec/getty', 'usr/bin/login', 'sbin/halt', 'sbin/shutdown', 'bin/sh']) {
    assert.ok(existsSync(join(ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  }
  installEtc(ROOT);
  mkdirSync(STAGE, { recursive: true });	// also the vkernels' cwd: their memimg files go there
  etc = (rel: string): string => readFileSync(join(ROOT, 'etc', rel), 'utf8');
  assert.ok(lstatSync(join(ROOT, 'etc', 'rc')).isFile());
});

after(() => {
  for (const c of consoles) {
    c.kill();
    // INIT_TEST_LOG=1: every console transcript, for a person to read.
    if (process.env.INIT_TEST_LOG) process.stderr.write(`\n----- console -----\n${c.out.replace(/\r/g, '')}`);
  }
  rmSync(STAGE, { recursive: true, force: true });
});

describe('init and the boot userland', { concurrency: 2 }, () => {
  test('multi-user boot: rc, getty banner, login as root, commands, halt', async () => {
    const c = boot(ROOT);
    await c.expect('Mounting root from hostfs:');
    await c.expect('Mounting local file systems:');
    await c.expect('Setting hostname: vkernel.');
    await c.expect(/Starting network: lo0\.\r?\n/);
    await c.expect(/\r\n\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \w+ \d{4}\r\n/);	// rc's date
    await c.expect('\r\nDragonFly/riscv64 (vkernel) (console)\r\n\r\n');
    await c.expect('login: ');
    c.type('rooz\x7ft\n');	// getty's own erase (^?)
    const motd = await c.expect('root@vkernel:~ # ');
    assert.match(motd, /type `halt'/);
    c.type('echo hello; uname -a; id\n');
    await c.expect('\r\nhello\r\n');
    await c.expect(/riscv64\r\n/);
    await c.expect('uid=0(root) gid=0(wheel)');
    await c.expect('root@vkernel:~ # ');
    c.type('echo $HOME $USER $LOGNAME $SHELL $TERM; echo $PATH\n');
    await c.expect('/root root root /bin/sh cons25\r\n');
    await c.expect(/\/sbin:\/bin:\/usr\/sbin:\/usr\/bin/);
    // shutdown: -k only warns; a later shutdown waits in the background until cancelled.
    c.type('shutdown -k now just a drill\n');
    await c.expect('*** FINAL System shutdown message from root@vkernel ***');
    await c.expect('just a drill');
    await c.expect("but you'll have to do it yourself");
    await c.expect('root@vkernel:~ # ');
    c.type('shutdown -h +5 maintenance\n');
    await c.expect(/shutdown: \[pid \d+\]/);
    const pid = /shutdown: \[pid (\d+)\]/.exec(c.out)![1];
    await c.expect('System going down in 5 minutes');
    c.type(`kill ${pid}\n`);
    c.type('halt\n');
    await c.expect('Shutting down daemon processes:');
    await c.expect('syncing disks... done');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });

  test('-s: single-user shell first; exit goes on to multi-user; kill -TERM 1 comes back to it; halt -p', async () => {
    const c = boot(ROOT, ['-s']);
    const before = await c.expect('# ');
    assert.doesNotMatch(before, /Setting hostname/, 'rc ran before the single-user shell');
    c.type('echo single $$ `id -u`\n');
    await c.expect(/single \d+ 0\r\n/);
    c.type('exit\n');
    await c.expect('Setting hostname: vkernel.');
    await c.expect('login: ');
    c.type('rooo\bt\n');	// ^H erases too
    await c.expect('root@vkernel:~ # ');
    // SIGTERM to init: rc.shutdown ("single"), every process killed, a single-user shell.
    c.type('kill -TERM 1\n');
    await c.expect('Shutting down daemon processes:');
    await c.expect('# ');
    c.type('echo back in single user\n');
    await c.expect('back in single user\r\n');
    c.type('halt -p\n');
    await c.expect('Shutting down daemon processes:');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });

  test('al.Pc logs root in; SIGHUP rereads ttys; shutdown -r now reboots in place', async () => {
    const ttys = etc('ttys');
    const root = stage('autologin', {
      'etc/ttys': ttys.replace('"/usr/libexec/getty Pc"\t\tcons25', '"/usr/libexec/getty al.Pc"\tcons25'),
    });
    assert.match(readFileSync(join(root, 'etc/ttys'), 'utf8'), /getty al\.Pc/);
    const c = boot(root);
    const banner = await c.expect('root@vkernel:~ # ');
    assert.match(banner, /DragonFly\/riscv64 \(vkernel\) \(console\)/);
    assert.doesNotMatch(banner.slice(banner.indexOf('DragonFly/riscv64')), /login: /);
    // Back to a plain Pc getty: init sees it after a SIGHUP, at the getty's next start.
    rmSync(join(root, 'etc/ttys'));
    writeFileSync(join(root, 'etc/ttys'), ttys);
    c.type('kill -HUP 1; exit\n');
    await c.expect('DragonFly/riscv64 (vkernel) (console)');
    await c.expect('login: ');
    c.type('root\n');
    await c.expect('root@vkernel:~ # ');
    c.type('shutdown -r now going for a reboot\n');
    await c.expect('*** FINAL System shutdown message from root@vkernel ***');
    await c.expect('System going down IMMEDIATELY');
    await c.expect('going for a reboot');
    await c.expect('Shutting down daemon processes:');
    await c.expect('Rebooting...');
    await c.expect('Mounting root from hostfs:');
    await c.expect('login: ');
    c.child.kill('SIGTERM');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });

  test('rc.local runs; login: no root on an insecure tty, wrong and right passwords; getty comes back', async () => {
    const root = stage('passwd', {
      'etc/master.passwd': etc('master.passwd') + `guest:${GUEST_HASH}:1001:31::0:0:Guest:/home/guest:/bin/sh\n`,
      'etc/passwd': etc('passwd') + 'guest:*:1001:31:Guest:/home/guest:/bin/sh\n',
      'etc/rc.local': "echo -n ' rclocal'\n",
      'etc/ttys': etc('ttys').replace('cons25\ton  secure', 'cons25\ton  insecure'),
    });
    assert.match(readFileSync(join(root, 'etc/ttys'), 'utf8'), /on {2}insecure/);
    const c = boot(root);
    await c.expect('Starting local daemons: rclocal.');
    await c.expect('login: ');
    c.type('root\n');	// not on an insecure console
    await c.expect('Login incorrect');
    await c.expect('login: ');
    c.type('guest\n');
    await c.expect('Password:');
    c.type('wrong\n');
    await c.expect('Login incorrect');
    await c.expect('login: ');
    c.type('nosuchuser\n');
    await c.expect('Password:');
    c.type('x\n');
    await c.expect('Login incorrect');
    await c.expect('login: ');
    c.type('guest\n');
    await c.expect('Password:');
    c.type('vkernel\n');
    await c.expect('No home directory /home/guest!');
    await c.expect('guest@vkernel:/ $ ');
    c.type('id; halt\n');
    await c.expect('uid=1001(guest) gid=31(guest) groups=31(guest)');
    await c.expect('halt: Operation not permitted');
    c.type('exit\n');
    // init respawns getty on the console.
    await c.expect('DragonFly/riscv64 (vkernel) (console)');
    await c.expect('login: ');
    c.child.kill('SIGTERM');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });

  test('the same world on a UFS disk image (-r): rc, login, a writable root, halt', async () => {
    const img = join(STAGE, 'root.img');
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'tools', 'makefs.ts'), '--disklabel', img, ROOT],
      { cwd: REPO, stdio: 'pipe' });
    const c = boot(null, ['-r', img]);
    await c.expect('Mounting root from ufs:vkd0s0a');
    await c.expect('Mounting local file systems:');
    await c.expect('Setting hostname: vkernel.');
    await c.expect('login: ');
    c.type('root\n');
    await c.expect('root@vkernel:~ # ');
    c.type('echo written > /etc/rc.local.test && cat /etc/rc.local.test\n');
    await c.expect('written\r\n');
    c.type('halt\n');
    await c.expect('Shutting down daemon processes:');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });

  test('a getty that dies at once is held back; SIGTERM to bin/vkernel halts cleanly through init', async () => {
    const root = stage('badgetty', {
      'etc/ttys': 'console\t"/usr/bin/false"\tcons25\ton secure\n',
    });
    const c = boot(root);
    await c.expect('init: getty repeating too quickly on port /dev/console, sleeping 30 secs');
    // The host's SIGTERM becomes SIGUSR2 to init: rc.shutdown, everything killed, power off.
    c.child.kill('SIGTERM');
    await c.expect('Caught SIGTERM from host system. Shutting down...');
    await c.expect('Shutting down daemon processes:.');
    await c.expect('syncing disks... done');
    await c.expect('The operating system has halted.');
    assert.equal(await c.exit(), 0);
  });
});
