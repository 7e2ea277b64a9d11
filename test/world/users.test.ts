/*
 * Accounts in the world: pwd_mkdb, su, passwd and who.
 *
 * The non-interactive paths run in one guest shell, chrooted into a
 * staged copy of the world (hard links, with a fresh /etc, a user "guest"
 * and su/passwd set-user-ID root) in the harness's writable scratch tree.
 * Passwords need a terminal: a second part boots the world with an
 * autologin console (as sysinfo.test.ts does) and types them, the way a
 * person would; passwd writes through a read-write hostfs mount of the
 * staged root (VKERNEL_HOSTFS_RW) and chroot.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';
import { installEtc } from '../../tools/world_etc.ts';
import { cleanup, ensureWorld, guestPath, progPath, ROOT, run, scratch } from './harness.ts';
import { hostfsWorld, VkConsole } from './console.ts';

/* guest's password is "vkernel" (the same hash init.test.ts uses; `openssl passwd -6 -salt guestsalt vkernel`). */
const GUEST_HASH = '$6$guestsalt$xz9dGqh/VU6fvhJePYXFGFHhZAm66EhwI.3dKtamtukGcG0qDN5WVohr7hvnqrhdcICb7MQMdmnRbfJjvDNy40';
const GUEST_MASTER = `guest:${GUEST_HASH}:1001:31::0:0:Guest User:/home/guest:/bin/sh\n`;
const PROGS = ['usr/bin/su', 'usr/bin/passwd', 'usr/bin/who', 'usr/sbin/pwd_mkdb', 'usr/sbin/chroot', 'sbin/mount'];

/** A hard-linked copy of the world with its own /etc account files and set-user-ID su and passwd. */
function stage(dst: string, extra: Record<string, string> = {}): void {
  rmSync(dst, { recursive: true, force: true });
  const cp = spawnSync('cp', ['-al', ROOT, dst], { encoding: 'utf8' });
  assert.equal(cp.status, 0, cp.stderr);
  const master = readFileSync(join(ROOT, 'etc', 'master.passwd'), 'utf8') + GUEST_MASTER;
  const passwd = readFileSync(join(ROOT, 'etc', 'passwd'), 'utf8') + 'guest:*:1001:31:Guest User:/home/guest:/bin/sh\n';
  const files: Record<string, [string, number]> = {
    'etc/master.passwd': [master, 0o600], 'etc/passwd': [passwd, 0o644],
    'etc/group': [readFileSync(join(ROOT, 'etc', 'group'), 'utf8'), 0o644],
  };
  for (const [k, v] of Object.entries(extra)) files[k] = [v, 0o644];
  for (const [rel, [text, mode]] of Object.entries(files)) {
    const p = join(dst, rel);
    rmSync(p, { force: true });	// never write through a hard link into the world
    writeFileSync(p, text, { mode });
    chmodSync(p, mode);
  }
  for (const p of ['usr/bin/su', 'usr/bin/passwd']) {
    rmSync(join(dst, p));
    copyFileSync(join(ROOT, p), join(dst, p));
    chmodSync(join(dst, p), 0o4755);
  }
  mkdirSync(join(dst, 'home', 'guest'), { recursive: true });
  chownSync(join(dst, 'home', 'guest'), 1001, 31);
}

const IS_ROOT = process.getuid?.() === 0;

describe('pwd_mkdb, su, passwd, who: without a terminal', { skip: IS_ROOT ? false : 'needs root for the staged ownerships' }, () => {
  let dir = '';
  let root = '';
  let res: Array<{ out: string; err: string; status: number }> = [];
  const cmds: Array<[string, string]> = [];

  before(async () => {
    const r = await ensureWorld();
    for (const p of PROGS) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
    dir = scratch('users');
    root = join(dir, 'root');
    stage(root);
    const db = join(dir, 'db');
    mkdirSync(db);
    writeFileSync(join(db, 'good'), readFileSync(join(root, 'etc', 'master.passwd')));
    writeFileSync(join(db, 'bad'), 'root::0:0::0:0:Charlie &:/root:/bin/sh\nbroken:line\nx:*:abc:0::0:0::/:/bin/sh\n');
    writeFileSync(join(db, 'dup'), 'root::0:0::0:0::/root:/bin/sh\nroot::0:0::0:0::/root:/bin/sh\n');
    const ch = (c: string): string => `${guestPath('usr/sbin/chroot')} ${root} /bin/sh -c '${c}'`;
    const pm = guestPath('usr/sbin/pwd_mkdb');
    cmds.push(
      ['pwd_mkdb good', `${pm} -p -d ${db} ${join(db, 'good')}`],
      ['pwd_mkdb bad', `${pm} -p -d ${db} ${join(db, 'bad')}`],
      ['pwd_mkdb dup', `${pm} -d ${db} ${join(db, 'dup')}`],
      ['pwd_mkdb usage', `${pm}`],
      ['su unknown', ch('su nosuch -c id')],
      ['su root to guest', ch('su guest -c id')],
      ['su env', ch('cd /tmp; su guest -c "pwd; echo \\$HOME \\$USER \\$SHELL"')],
      ['su -l env', ch('FOO=bar su -l guest -c "pwd; echo \\$HOME \\$USER \\$SHELL [\\$FOO]"')],
      ['su - env', ch('cd /tmp; su - guest -c "pwd; echo \\$HOME"')],
      ['su root', ch('su -c "id -u; echo \\$HOME"')],
      ['su -m', ch('HOME=/keep su -m guest -c "echo \\$HOME; id -u"')],
      ['wheel rule', ch('su guest -c "su root -c id"')],
      ['no terminal: Sorry', ch('su guest -c "su daemon -c id" < /etc/motd')],
      ['master.passwd stays secret', ch('su guest -c "cat /etc/master.passwd"')],
      ['passwd unknown', ch('passwd nosuch')],
      ['passwd of another user', ch('su guest -c "passwd root"')],
      ['passwd without terminal', ch('passwd guest < /etc/motd')],
      ['who', ch('who; who -q')],
      ['who am i without a terminal', ch('who am i < /etc/motd')],
    );
    const lines = cmds.map(([, c], i) =>
      `( ${c} ) > ${join(dir, `.o${i}`)} 2> ${join(dir, `.e${i}`)}; echo $? > ${join(dir, `.s${i}`)}`);
    writeFileSync(join(dir, 'battery.sh'), lines.join('\n') + '\n');
    const b = await run('sh', [join(dir, 'battery.sh')], { exec: true, timeoutMs: 120_000 });
    assert.equal(b.status, 0, b.stderr);
    res = cmds.map((_, i) => ({
      out: readFileSync(join(dir, `.o${i}`), 'utf8'),
      err: readFileSync(join(dir, `.e${i}`), 'utf8'),
      status: Number(readFileSync(join(dir, `.s${i}`), 'utf8').trim()),
    }));
  });
  after(() => cleanup(dir));

  const get = (name: string): { out: string; err: string; status: number } => res[cmds.findIndex(([n]) => n === name)];

  test('the world installs su and passwd set-user-ID root (build.conf mode=4755)', () => {
    for (const p of ['usr/bin/su', 'usr/bin/passwd']) {
      assert.equal(spawnSync('stat', ['-c', '%a', join(ROOT, p)], { encoding: 'utf8' }).stdout.trim(), '4755', p);
    }
  });

  test('pwd_mkdb -p -d: installs master.passwd (0600) and writes passwd', () => {
    const r = get('pwd_mkdb good');
    assert.deepEqual(r, { out: '', err: '', status: 0 });
    const db = join(dir, 'db');
    assert.ok(!existsSync(join(db, 'good')), 'the input is renamed into place');
    assert.equal(readFileSync(join(db, 'master.passwd'), 'utf8'), readFileSync(join(root, 'etc', 'master.passwd'), 'utf8'));
    assert.equal(spawnSync('stat', ['-c', '%a', join(db, 'master.passwd')], { encoding: 'utf8' }).stdout.trim(), '600');
    // the same passwd as the world's build makes, plus guest
    assert.equal(readFileSync(join(db, 'passwd'), 'utf8'), readFileSync(join(root, 'etc', 'passwd'), 'utf8'));
    assert.match(readFileSync(join(db, 'passwd'), 'utf8'), /^guest:\*:1001:31:Guest User:\/home\/guest:\/bin\/sh$/m);
  });

  test('pwd_mkdb rejects corrupted entries and duplicates, installs nothing', () => {
    const b = get('pwd_mkdb bad');
    assert.equal(b.status, 1);
    assert.match(b.err, /line 2: corrupted entry/);
    assert.match(b.err, /line 3: invalid uid or gid/);
    assert.match(b.err, /not installed\n$/);
    assert.ok(existsSync(join(dir, 'db', 'bad')));
    const d = get('pwd_mkdb dup');
    assert.equal(d.status, 1);
    assert.match(d.err, /line 2: duplicate entry for "root"/);
    assert.equal(get('pwd_mkdb usage').status, 1);
    assert.match(get('pwd_mkdb usage').err, /^usage: pwd_mkdb \[-p\] \[-d directory\] file\n$/);
  });

  test('su: unknown login', () => {
    assert.deepEqual(get('su unknown'), { out: '', err: 'su: unknown login: nosuch\n', status: 1 });
  });

  test('su: root needs no password; ids, groups, environment', () => {
    assert.deepEqual(get('su root to guest'), { out: 'uid=1001(guest) gid=31(guest) groups=31(guest)\n', err: '', status: 0 });
    assert.equal(get('su env').out, '/tmp\n/home/guest guest /bin/sh\n');
    assert.equal(get('su -l env').out, '/home/guest\n/home/guest guest /bin/sh []\n');
    assert.equal(get('su - env').out, '/home/guest\n/home/guest\n');
    assert.equal(get('su root').out, '0\n/root\n');
    assert.equal(get('su -m').out, '/keep\n1001\n');
  });

  test('su: the wheel rule, "Sorry" without a password', () => {
    const w = get('wheel rule');
    assert.equal(w.status, 1);
    assert.equal(w.err, 'su: you are not in the correct group (wheel) to su root.\n');
    assert.deepEqual(get('no terminal: Sorry'), { out: '', err: 'su: Sorry\n', status: 1 });
    const s = get('master.passwd stays secret');
    assert.equal(s.status, 1);
    assert.match(s.err, /Permission denied/);
  });

  test('passwd: unknown user, another user, no terminal', () => {
    assert.deepEqual(get('passwd unknown'), { out: '', err: 'passwd: unknown user nosuch\n', status: 1 });
    const o = get('passwd of another user');
    assert.equal(o.status, 1);
    assert.equal(o.err, 'passwd: permission denied: root is not you\n');
    const t = get('passwd without terminal');
    assert.equal(t.status, 1);
    assert.equal(t.out, 'Changing local password for guest\n');
    assert.equal(t.err, 'passwd: Password unchanged.\n');
    assert.ok(!existsSync(join(root, 'etc', 'ptmp')), 'no lock left behind');
    assert.match(readFileSync(join(root, 'etc', 'master.passwd'), 'utf8'), new RegExp(`^guest:${GUEST_HASH.replace(/\$/g, '\\$')}:`, 'm'));
  });

  test('who: no login sessions here; who am i without a terminal', () => {
    assert.deepEqual(get('who'), { out: '\n# users = 0\n', err: '', status: 0 });
    assert.deepEqual(get('who am i without a terminal'), { out: '', err: '', status: 1 });
  });
});

/* ---- with a terminal: a booted world, its console typed into ---- */

const STAGE = join(REPO, 'build', 'users-test');

describe('su, passwd, who at the console', { skip: IS_ROOT ? false : 'needs root for the staged ownerships' }, () => {
  let c: VkConsole | undefined;
  let root = '';

  before(async () => {
    const r = await ensureWorld();
    for (const p of PROGS) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
    installEtc(ROOT);
    mkdirSync(STAGE, { recursive: true });	// also the vkernel's cwd: its memimg file goes there
    root = join(STAGE, 'root');
    const ttys = readFileSync(join(ROOT, 'etc', 'ttys'), 'utf8')
      .replace('"/usr/libexec/getty Pc"\t\tcons25', '"/usr/libexec/getty al.Pc"\tcons25');
    assert.match(ttys, /getty al\.Pc/);
    stage(root, { 'etc/ttys': ttys });
    c = new VkConsole(hostfsWorld(root), { cwd: STAGE, env: { VKERNEL_HOSTFS_RW: root } });
    await c.expect('root@vkernel:~ # ', 60_000);
  });

  after(() => {
    c?.kill();
    if (process.env.USERS_TEST_LOG && c) process.stderr.write(`\n----- console -----\n${c.out.replace(/\r/g, '')}`);
    rmSync(STAGE, { recursive: true, force: true });
  });

  test('who, who am i, who -q, who -H', { timeout: 60_000 }, async () => {
    const w = await c!.sh('who');
    assert.match(w.out, /^root +console +[A-Z][a-z]{2} [ \d]\d \d\d:\d\d\n$/);
    assert.equal((await c!.sh('who am i')).out, w.out);
    assert.equal((await c!.sh('who -q')).out, 'root     \n# users = 1\n');
    assert.match((await c!.sh('who -H')).out, /^NAME +LINE +TIME\nroot +console /);
  });

  test('su with the right password, and the wrong one; the password is not echoed', { timeout: 90_000 }, async () => {
    c!.start('su guest -c "su guest -c id"');
    await c!.begun();
    await c!.expect('Password:');
    c!.type('vkernel\n');
    const ok = await c!.finish();
    assert.equal(ok.status, 0, ok.out);
    assert.match(ok.out, /uid=1001\(guest\) gid=31\(guest\)/);
    assert.doesNotMatch(ok.out, /vkernel/, 'echo was off');

    c!.start('su guest -c "su guest -c id"');
    await c!.begun();
    await c!.expect('Password:');
    c!.type('wrong\n');
    const bad = await c!.finish();
    assert.equal(bad.status, 1);
    assert.match(bad.out, /su: Sorry/);
    assert.doesNotMatch(bad.out, /uid=/);
  });

  test('passwd: root sets guest\'s password; the new one works, the old one does not', { timeout: 120_000 }, async () => {
    // the staged root read-write at /mnt, with a /dev for passwd's /dev/tty
    const m = await c!.sh(`mount -t hostfs ${root} /mnt && mount -t devfs devfs /mnt/dev`);
    assert.equal(m.status, 0, m.out);
    c!.start('chroot /mnt passwd guest');
    await c!.begun();
    await c!.expect('Changing local password for guest');
    await c!.expect('New Password:');
    c!.type('newpass1\n');
    await c!.expect('Retype New Password:');
    c!.type('other\n');
    await c!.expect('Mismatch; try again, EOF to quit.');
    await c!.expect('New Password:');
    c!.type('newpass1\n');
    await c!.expect('Retype New Password:');
    c!.type('newpass1\n');
    const r = await c!.finish();
    assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(r.out, /newpass1/);

    const master = readFileSync(join(root, 'etc', 'master.passwd'), 'utf8');
    const line = master.split('\n').find((l) => l.startsWith('guest:'))!;
    const hash = line.split(':')[1];
    assert.match(hash, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    assert.notEqual(hash, GUEST_HASH);
    assert.equal(line, `guest:${hash}:1001:31::0:0:Guest User:/home/guest:/bin/sh`);
    assert.equal(spawnSync('stat', ['-c', '%a', join(root, 'etc', 'master.passwd')], { encoding: 'utf8' }).stdout.trim(), '600');
    assert.ok(!existsSync(join(root, 'etc', 'ptmp')));
    assert.match(readFileSync(join(root, 'etc', 'passwd'), 'utf8'), /^guest:\*:1001:31:Guest User:\/home\/guest:\/bin\/sh$/m);
    const salt = hash.split('$')[2];
    const o = spawnSync('openssl', ['passwd', '-6', '-salt', salt, 'newpass1'], { encoding: 'utf8' });
    if (o.status === 0) assert.equal(o.stdout.trim(), hash, 'a standard SHA-512-crypt hash');

    // through the read-write mount: the read-only root's hostfs may still cache the old file
    c!.start('chroot /mnt su guest -c "su guest -c id"');
    await c!.begun();
    await c!.expect('Password:');
    c!.type('newpass1\n');
    const ok = await c!.finish();
    assert.match(ok.out, /uid=1001\(guest\)/);
    c!.start('chroot /mnt su guest -c "su guest -c id"');
    await c!.begun();
    await c!.expect('Password:');
    c!.type('vkernel\n');
    assert.match((await c!.finish()).out, /su: Sorry/);
  });

  test('passwd: a user changes his own after the old password', { timeout: 120_000 }, async () => {
    c!.start('chroot /mnt su guest -c passwd');
    await c!.begun();
    await c!.expect('Old Password:');
    c!.type('newpass1\n');
    await c!.expect('New Password:');
    c!.type('third3\n');
    await c!.expect('Retype New Password:');
    c!.type('third3\n');
    const r = await c!.finish();
    assert.equal(r.status, 0, r.out);
    c!.start('chroot /mnt su guest -c passwd');
    await c!.begun();
    await c!.expect('Old Password:');
    c!.type('newpass1\n');
    const bad = await c!.finish();
    assert.equal(bad.status, 1);
    assert.match(bad.out, /passwd: Sorry\./);
  });
});
