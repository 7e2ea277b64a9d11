/*
 * The larger /usr/bin tools of the world: grep, md5/sha256 (checked against
 * the FIPS 180-4 / RFC 1321 vectors and node's crypto), hexdump, od, du,
 * find, stat, time.  Runs under qemu-riscv64 for now (see harness.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, expectRun, progPath, run, scratch } from './harness.ts';

const C = { concurrency: 4 };
let dir = '';

before(async () => {
  const r = await ensureWorld();
  for (const p of ['grep', 'md5', 'find']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('tools');
});
after(() => cleanup(dir));

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

describe('tools', { concurrency: true }, () => {
describe('grep', C, () => {
  const text = 'foo bar\nBaz qux\nfoobar\nlast line\n';
  test('basic, -i, -v, -c, -n, -w, -x, -o', async () => {
    await expectRun('grep', ['foo'], { stdout: 'foo bar\nfoobar\n' }, { stdin: text });
    await expectRun('grep', ['-i', 'baz'], { stdout: 'Baz qux\n' }, { stdin: text });
    await expectRun('grep', ['-v', 'o'], { stdout: 'Baz qux\nlast line\n' }, { stdin: text });
    await expectRun('grep', ['-c', 'o'], { stdout: '2\n' }, { stdin: text });
    await expectRun('grep', ['-n', 'line'], { stdout: '4:last line\n' }, { stdin: text });
    await expectRun('grep', ['-w', 'foo'], { stdout: 'foo bar\n' }, { stdin: text });
    await expectRun('grep', ['-x', 'foobar'], { stdout: 'foobar\n' }, { stdin: text });
    await expectRun('grep', ['-o', 'o*b'], { stdout: 'b\noob\n' }, { stdin: 'xb\nfoobar\n' });
  });
  test('BRE by default, ERE with -E and egrep, strings with -F and fgrep', async () => {
    await expectRun('grep', ['o\\{2\\}b'], { stdout: 'foobar\n' }, { stdin: text });
    await expectRun('grep', ['-E', '^(Baz|last)'], { stdout: 'Baz qux\nlast line\n' }, { stdin: text });
    await expectRun('egrep', ['r$|x$'], { stdout: 'foo bar\nBaz qux\nfoobar\n' }, { stdin: text });
    await expectRun('grep', ['-F', 'a.b'], { stdout: 'a.b\n' }, { stdin: 'axb\na.b\n' });
    await expectRun('fgrep', ['*'], { stdout: '*\n' }, { stdin: 'x\n*\n' });
    await expectRun('grep', ['-e', 'qux', '-e', 'last'], { stdout: 'Baz qux\nlast line\n' }, { stdin: text });
  });
  test('files: names, -l, -L, -h, -H, -r, -q, -s', async () => {
    const a = file('grep/a', 'alpha\nbeta\n');
    const b = file('grep/sub/b', 'gamma\nalpha\n');
    await expectRun('grep', ['alpha', a, b], { stdout: `${a}:alpha\n${b}:alpha\n` });
    await expectRun('grep', ['-h', 'alpha', a, b], { stdout: 'alpha\nalpha\n' });
    await expectRun('grep', ['-H', 'beta', a], { stdout: `${a}:beta\n` });
    await expectRun('grep', ['-l', 'gamma', a, b], { stdout: `${b}\n` });
    await expectRun('grep', ['-L', 'gamma', a, b], { stdout: `${a}\n` });
    await expectRun('grep', ['-r', 'gamma', join(dir, 'grep')], { stdout: `${b}:gamma\n` });
    await expectRun('grep', ['-q', 'alpha', a], { stdout: '' });
    await expectRun('grep', ['-c', 'a', a, b], { stdout: `${a}:2\n${b}:2\n` });
  });
  test('exit statuses: 0 match, 1 none, 2 error', async () => {
    await expectRun('grep', ['zzz'], { stdout: '', status: 1 }, { stdin: text });
    await expectRun('grep', ['x', 'nofile'], { stderr: 'grep: nofile: No such file or directory\n', status: 2 });
    await expectRun('grep', ['-s', 'x', 'nofile'], { stderr: '', status: 2 });
    await expectRun('grep', ['-E', '('], { stderr: /^grep: /, status: 2 });
    await expectRun('grep', [], { stderr: /^usage: grep/, status: 2 });
  });
});

describe('md5, sha256', C, () => {
  const vectors = ['', 'abc', 'message digest', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    'a'.repeat(1000), 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64)];
  test('digests of strings and stdin match the standards (and node)', async () => {
    for (const v of vectors) {
      const m = createHash('md5').update(v).digest('hex');
      const s = createHash('sha256').update(v).digest('hex');
      await expectRun('md5', [], { stdout: `${m}\n` }, { stdin: v });
      await expectRun('sha256', [], { stdout: `${s}\n` }, { stdin: v });
    }
    await expectRun('sha256', ['-s', 'abc'], { stdout: 'SHA256 ("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n' });
    await expectRun('md5', ['-s', 'abc'], { stdout: 'MD5 ("abc") = 900150983cd24fb0d6963f7d28e17f72\n' });
    const x = await expectRun('md5', ['-x'], {});
    assert.ok(!/INCORRECT/.test(x.stdout));
  });
  test('files, -r, -q, -c, errors', async () => {
    const data = Buffer.alloc(200_000, 7);
    const f = file('md5/f', data);
    const s = createHash('sha256').update(data).digest('hex');
    await expectRun('sha256', [f], { stdout: `SHA256 (${f}) = ${s}\n` });
    await expectRun('sha256', ['-r', f], { stdout: `${s} ${f}\n` });
    await expectRun('sha256', ['-q', f], { stdout: `${s}\n` });
    await expectRun('sha256', ['-c', s, f], { stdout: `SHA256 (${f}) = ${s}\n` });
    await expectRun('sha256', ['-c', 'bad', f], { stdout: `SHA256 (${f}) = ${s} [ Failed ]\n`, status: 2 });
    await expectRun('md5', ['nofile'], { stderr: 'md5: nofile: No such file or directory\n', status: 1 });
  });
});

describe('hexdump, od', C, () => {
  const data = Buffer.from('hello world\n\x01\xffabcdefghijklmnopqrstuvwxyz', 'latin1');
  test('hexdump -C and the default', async () => {
    await expectRun('hexdump', ['-C'], {
      stdout:
        '00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a 01 ff 61 62  |hello world...ab|\n' +
        '00000010  63 64 65 66 67 68 69 6a  6b 6c 6d 6e 6f 70 71 72  |cdefghijklmnopqr|\n' +
        '00000020  73 74 75 76 77 78 79 7a                           |stuvwxyz|\n' +
        '00000028\n',
    }, { stdin: data });
    await expectRun('hexdump', [], { stdout: '0000000 6568 6c6c 206f 6f77 6c72 0a64 ff01 6261\n0000010 6463 6665 6867 6a69 6c6b 6e6d 706f 7271\n0000020 7473 7675 7877 7a79\n0000028\n' }, { stdin: data });
  });
  test('hexdump: repeated lines collapse unless -v; -n and -s', async () => {
    const z = Buffer.alloc(64);
    await expectRun('hexdump', ['-C'], { stdout: '00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n00000040\n' }, { stdin: z });
    const v = await expectRun('hexdump', ['-Cv'], {}, { stdin: z });
    assert.equal(v.stdout.split('\n').length, 6);
    await expectRun('hexdump', ['-C', '-s', '6', '-n', '5'], { stdout: '00000006  77 6f 72 6c 64                                    |world|\n0000000b\n' }, { stdin: data });
    await expectRun('hexdump', ['-c', '-n', '4'], { stdout: '0000000   h   e   l   l\n0000004\n' }, { stdin: data });
  });
  test('od: -c, -t x1, -A, -j, -N, default octal words', async () => {
    await expectRun('od', ['-c'], {
      stdout: '0000000   h   e   l   l   o       w   o   r   l   d  \\n 001 377   a   b\n' +
        '0000020   c   d   e   f   g   h   i   j   k   l   m   n   o   p   q   r\n' +
        '0000040   s   t   u   v   w   x   y   z\n0000050\n',
    }, { stdin: data });
    await expectRun('od', ['-A', 'x', '-t', 'x1', '-N', '4'], { stdout: '000000 68 65 6c 6c\n000004\n' }, { stdin: data });
    await expectRun('od', ['-j', '6', '-N', '5', '-c'], { stdout: '0000006   w   o   r   l   d\n0000013\n' }, { stdin: data });
    await expectRun('od', ['-N', '4'], { stdout: '0000000 062550 066154\n0000004\n' }, { stdin: data });
    await expectRun('od', ['-A', 'n', '-t', 'd1', '-N', '3'], { stdout: '  104  101  108\n' }, { stdin: data });
  });
});

describe('du, find, stat', C, () => {
  let t = '';
  before(() => {
    t = join(dir, 'tree');
    mkdirSync(join(t, 'a', 'b'), { recursive: true });
    writeFileSync(join(t, 'a', 'one.txt'), 'x'.repeat(10_000));
    writeFileSync(join(t, 'a', 'b', 'two.c'), 'int x;\n');
    writeFileSync(join(t, 'top.TXT'), '');
    linkSync(join(t, 'a', 'one.txt'), join(t, 'hard'));
    symlinkSync('a/one.txt', join(t, 'sym'));
    utimesSync(join(t, 'top.TXT'), 1_000_000_000, 1_000_000_000);
  });
  test('find: names, types, depth, operators', async () => {
    await expectRun('find', ['.', '-name', '*.txt'], { stdout: './a/one.txt\n' }, { cwd: t });
    await expectRun('find', ['.', '-iname', '*.txt', '-type', 'f'], { stdout: /\.\/a\/one\.txt\n/ }, { cwd: t });
    const r = await expectRun('find', ['.', '-type', 'd'], {}, { cwd: t });
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['.', './a', './a/b']);
    await expectRun('find', ['.', '-type', 'l'], { stdout: './sym\n' }, { cwd: t });
    await expectRun('find', ['a', '-maxdepth', '1', '-type', 'd'], { stdout: 'a\na/b\n' }, { cwd: t });
    await expectRun('find', ['a', '-mindepth', '2'], { stdout: 'a/b/two.c\n' }, { cwd: t });
    await expectRun('find', ['a', '-depth', '-type', 'd'], { stdout: 'a/b\na\n' }, { cwd: t });
    await expectRun('find', ['a', '-name', 'b', '-prune', '-o', '-type', 'f', '-print'], { stdout: 'a/one.txt\n' }, { cwd: t });
    await expectRun('find', ['a', '!', '-type', 'd'], { stdout: /a\/one\.txt\n/ }, { cwd: t });
    await expectRun('find', ['.', '-empty', '-type', 'f'], { stdout: './top.TXT\n' }, { cwd: t });
    await expectRun('find', ['.', '-size', '+10', '-type', 'f', '-name', 'one*'], { stdout: './a/one.txt\n' }, { cwd: t });
    await expectRun('find', ['.', '-mtime', '+1000', '-type', 'f'], { stdout: './top.TXT\n' }, { cwd: t });
    await expectRun('find', ['.', '-newer', 'top.TXT', '-name', 'two.c'], { stdout: './a/b/two.c\n' }, { cwd: t });
    await expectRun('find', ['a/b', '-print0'], { stdout: 'a/b\0a/b/two.c\0' }, { cwd: t });
  });
  test('find -exec runs commands, ; and + forms', async () => {
    await expectRun('find', ['a/b', '-type', 'f', '-exec', 'echo', 'got', '{}', ';'], { stdout: 'got a/b/two.c\n' }, { cwd: t, exec: true });
    await expectRun('find', ['a', '-type', 'f', '-exec', 'echo', '{}', '+'], { stdout: /^a\/(one\.txt|b\/two\.c) a\/(one\.txt|b\/two\.c)\n$/ }, { cwd: t, exec: true });
  });
  test('find errors', async () => {
    await expectRun('find', [], { stderr: /^usage: find/, status: 1 });
    await expectRun('find', ['nofile'], { stderr: 'find: nofile: No such file or directory\n', status: 1 });
    await expectRun('find', ['.', '-bogus'], { stderr: 'find: -bogus: unknown primary or operator\n', status: 1 });
    await expectRun('find', ['.', '-exec', 'echo'], { stderr: 'find: -exec: no terminating ";" or "+"\n', status: 1 });
  });
  test('du: totals, -s, -a, -k, -c, hard links once', async () => {
    const s = await expectRun('du', ['-s', '-k', t], {});
    const [kb, name] = s.stdout.trim().split('\t');
    assert.equal(name, t);
    assert.ok(Number(kb) >= 10 && Number(kb) < 200, s.stdout);
    const a = await expectRun('du', ['-a', 'a'], {}, { cwd: t });
    const names = a.stdout.trim().split('\n').map((l) => l.split('\t')[1]);
    // Directory order is the file system's; a directory comes after its contents.
    assert.deepEqual([...names].sort(), ['a', 'a/b', 'a/b/two.c', 'a/one.txt']);
    assert.equal(names[3], 'a');
    assert.ok(names.indexOf('a/b/two.c') < names.indexOf('a/b'));
    const c = await expectRun('du', ['-c', '-s', 'a', 'hard'], {}, { cwd: t });
    // "hard" is a second link to a/one.txt, already counted: BSD du skips it.
    const lines = c.stdout.trim().split('\n');
    assert.equal(lines.length, 2, c.stdout);
    assert.match(lines[0], /^\d+\ta$/);
    assert.equal(lines[1], `${lines[0].split('\t')[0]}\ttotal`);
    await expectRun('du', ['nofile'], { stderr: 'du: nofile: No such file or directory\n', status: 1 });
    await expectRun('du', ['-a', '-s'], { stderr: /du: -a, -s and -d are mutually exclusive\nusage: du/, status: 1 });
  });
  test('stat: formats', async () => {
    const f = join(t, 'a', 'one.txt');
    const st = statSync(f);
    await expectRun('stat', ['-f', '%z %Sp %l', f], { stdout: '10000 -rw-r--r-- 2\n' });
    await expectRun('stat', ['-f', '%i', f], { stdout: `${st.ino}\n` });
    await expectRun('stat', ['-f', '%N%Y', join(t, 'sym')], { stdout: `${t}/sym -> a/one.txt\n` });
    await expectRun('stat', ['-L', '-f', '%z', join(t, 'sym')], { stdout: '10000\n' });
    await expectRun('stat', ['-s', f], { stdout: new RegExp(`^st_dev=\\d+ st_ino=${st.ino} st_mode=0100644 st_nlink=2 `) });
    await expectRun('stat', ['-x', f], { stdout: /^  File: ".*one\.txt"\n  Size: 10000 +FileType: Regular File\n/ });
    await expectRun('stat', ['-t', '%Y', '-f', '%Sm', join(t, 'top.TXT')], { stdout: '2001\n' });
    await expectRun('stat', ['nofile'], { stderr: 'stat: nofile: No such file or directory\n', status: 1 });
    await expectRun('stat', ['-q', 'nofile'], { stderr: '', status: 1 });
  });
});

describe('sed', C, () => {
  const text = 'one\ntwo\nthree\nfour\n';
  test('s with flags, & and \\1, -E, I', async () => {
    await expectRun('sed', ['s/o/0/g'], { stdout: '0ne\ntw0\nthree\nf0ur\n' }, { stdin: text });
    await expectRun('sed', ['s/o/0/2'], { stdout: 'fo0o\n' }, { stdin: 'fooo\n' });
    await expectRun('sed', ['s/t\\(w\\|h\\)*/[&]/'], { stdout: 'one\n[tw]o\n[th]ree\nfour\n' }, { stdin: text });
    await expectRun('sed', ['-E', 's/(t)(w|h)/\\2\\1/'], { stdout: 'one\nwto\nhtree\nfour\n' }, { stdin: text });
    await expectRun('sed', ['s/ONE/1/I'], { stdout: '1\n' }, { stdin: 'one\n' });
    await expectRun('sed', ['s/e*/X/g'], { stdout: 'XoXnX\n' }, { stdin: 'one\n' });
    await expectRun('sed', ['-n', 's/w/W/p'], { stdout: 'tWo\n' }, { stdin: text });
    await expectRun('sed', ['s|/|:|g'], { stdout: ':a:b\n' }, { stdin: '/a/b\n' });
  });
  test('addresses, ranges, negation; d p q = commands', async () => {
    await expectRun('sed', ['-n', '2,3p'], { stdout: 'two\nthree\n' }, { stdin: text });
    await expectRun('sed', ['/two/,/three/d'], { stdout: 'one\nfour\n' }, { stdin: text });
    await expectRun('sed', ['$!d'], { stdout: 'four\n' }, { stdin: text });
    await expectRun('sed', ['-n', '$='], { stdout: '4\n' }, { stdin: text });
    await expectRun('sed', ['2q'], { stdout: 'one\ntwo\n' }, { stdin: text });
    await expectRun('sed', ['-n', '1~2p'], { stdout: 'one\nthree\n' }, { stdin: text });
    await expectRun('sed', ['3,1d'], { stdout: 'one\ntwo\nfour\n' }, { stdin: text });
    await expectRun('sed', ['-n', '/t/{s/t/T/;p;}'], { stdout: 'Two\nThree\n' }, { stdin: text });
  });
  test('text commands, hold space, branches, y', async () => {
    await expectRun('sed', ['-e', '1i\\', '-e', 'head', '-e', '$a tail'], { stdout: 'head\none\ntwo\nthree\nfour\ntail\n' }, { stdin: text });
    await expectRun('sed', ['2c\\\nchanged'], { stdout: 'one\nchanged\nthree\nfour\n' }, { stdin: text });
    await expectRun('sed', ['-n', 'H;${x;s/\\n/,/g;p;}'], { stdout: ',one,two,three,four\n' }, { stdin: text });
    await expectRun('sed', [':a;N;$!ba;s/\\n/ /g'], { stdout: 'one two three four\n' }, { stdin: text });
    await expectRun('sed', ['y/otw/OTW/'], { stdout: 'One\nTWO\nThree\nfOur\n' }, { stdin: text });
    await expectRun('sed', ['1!G;h;$!d'], { stdout: 'four\nthree\ntwo\none\n' }, { stdin: text });
  });
  test('-i edits in place (BSD: the extension is an argument), -f reads a script', async () => {
    const f = file('sed/f', 'a=1\nb=2\n');
    await expectRun('sed', ['-i', '', 's/1/one/', f], { stdout: '' });
    assert.equal((await import('node:fs')).readFileSync(f, 'utf8'), 'a=one\nb=2\n');
    await expectRun('sed', ['-i', '.bak', 's/2/two/', f], {});
    assert.equal((await import('node:fs')).readFileSync(f + '.bak', 'utf8'), 'a=one\nb=2\n');
    const sc = file('sed/script', '# a comment\ns/a/A/\n');
    await expectRun('sed', ['-f', sc, f], { stdout: 'A=one\nb=two\n' });
  });
  test('errors', async () => {
    await expectRun('sed', ['k'], { stderr: 'sed: 1: "k": invalid command code k\n', status: 1 });
    await expectRun('sed', ['s/x/y/;}'], { stderr: 'sed: 1: "s/x/y/;}": unexpected }\n', status: 1 });
    await expectRun('sed', ['s/\\(/x/'], { stderr: /^sed: 1: "s\/\\\(\/x\/": RE error: /, status: 1 });
    await expectRun('sed', ['p', 'nofile'], { stderr: 'sed: nofile: No such file or directory\n', status: 1 });
    await expectRun('sed', [], { stderr: /^usage: sed script/, status: 1 });
  });
});

describe('stty, chown, chgrp, chroot', C, () => {
  /** Run a shell command line on a pty (script(1)); returns what the terminal showed. */
  async function onPty(cmds: string[]): Promise<string> {
    const { spawnSync } = await import('node:child_process');
    const root = join(progPath('ls'), '..', '..');
    const line = cmds.map((c) => `qemu-riscv64 -L ${root} ${root}/bin/stty ${c}`).join('; ');
    const r = spawnSync('script', ['-qec', line, '/dev/null'], { env: { PATH: process.env.PATH, TERM: 'dumb' }, encoding: 'utf8' });
    return r.stdout.replace(/\r\n/g, '\n');
  }
  test('stty reports and changes the terminal', async () => {
    const all = await onPty(['-a']);
    assert.match(all, /^speed \d+ baud; \d+ rows; \d+ columns;\nlflags: icanon isig iexten echo /);
    assert.match(all, /\ncchars: discard = \^O; eof = \^D; /);
    const changed = await onPty(['-echo intr ^X rows 30 cols 100', '', 'size']);
    assert.match(changed, /^speed \d+ baud;\nlflags: -echo.*\n(.*\n)*cchars: intr = \^X;\n30 100\n$/);
    const g = await onPty(['-g']);
    assert.match(g, /^gfmt1:cflag=[0-9a-f]+:iflag=[0-9a-f]+:lflag=[0-9a-f]+:oflag=[0-9a-f]+:discard=f:/);
    const restored = await onPty(['-echo', `${g.trim()}`, '-a']);
    assert.match(restored, /lflags: icanon isig iexten echo /);
    assert.match(await onPty(['bogus']), /stty: illegal option -- bogus\nusage: stty \[-a \| -e \| -g\] \[-f file\] \[arguments\]\n/);
    await expectRun('stty', [], { stderr: "stty: stdin isn't a terminal\n", status: 1 });
  });
  test('chown and chgrp', async () => {
    const f = file('own/f', 'x');
    file('own/d/g', 'y');
    await expectRun('usr/sbin/chown', ['12:34', f], {});
    assert.equal(statSync(f).uid, 12);
    assert.equal(statSync(f).gid, 34);
    await expectRun('usr/sbin/chgrp', ['-v', '56', f], { stdout: `${f}\n` });
    assert.equal(statSync(f).gid, 56);
    await expectRun('usr/sbin/chown', ['-R', '7', join(dir, 'own/d')], {});
    assert.equal(statSync(join(dir, 'own/d/g')).uid, 7);
    await expectRun('usr/sbin/chown', ['nosuchuser', f], { stderr: 'chown: nosuchuser: illegal user name\n', status: 1 });
    await expectRun('usr/sbin/chown', ['1', 'nofile'], { stderr: 'chown: nofile: No such file or directory\n', status: 1 });
    await expectRun('usr/sbin/chgrp', ['1'], { stderr: /usage: chgrp/, status: 1 });
  });
  test('chroot: errors', async () => {
    await expectRun('usr/sbin/chroot', [join(dir, 'nonexistent')], { stderr: `chroot: ${dir}/nonexistent: No such file or directory\n`, status: 1 });
    await expectRun('usr/sbin/chroot', [], { stderr: /^usage: chroot/, status: 1 });
  });
});

describe('cal', C, () => {
  test('a month: title, Sunday-first weeks, six week rows', async () => {
    await expectRun('cal', ['2', '2026'], {
      stdout: '   February 2026\nSu Mo Tu We Th Fr Sa\n 1  2  3  4  5  6  7\n 8  9 10 11 12 13 14\n' +
        '15 16 17 18 19 20 21\n22 23 24 25 26 27 28\n\n\n',
    });
    await expectRun('cal', ['feb', '2024'], { stdout: /^   February 2024\n(.*\n){5}25 26 27 28 29\n/ });
    await expectRun('cal', ['-j', '12', '2023'], { stdout: /\n358 359 360 361 362 363 364\n365\n/ });
  });
  test('a year in rows of three months', async () => {
    const r = await expectRun('cal', ['2026'], {});
    const l = r.stdout.split('\n');
    assert.equal(l[0].trim(), '2026');
    assert.equal(l[1], '      January               February               March');
    assert.equal(l[3], '             1  2  3   1  2  3  4  5  6  7   1  2  3  4  5  6  7');
  });
  test('errors', async () => {
    await expectRun('cal', ['13', '2026'], { stderr: 'cal: 13 is neither a month number (1..12) nor a name\n', status: 1 });
    await expectRun('cal', ['0'], { stderr: "cal: year `0' not in range 1..9999\n", status: 1 });
    await expectRun('cal', ['-x'], { stderr: /usage: cal/, status: 1 });
  });
});

describe('time', C, () => {
  test('reports on stderr, passes the exit status', async () => {
    await expectRun('time', ['true'], { stderr: /^\s+\d+\.\d\d real\s+\d+\.\d\d user\s+\d+\.\d\d sys\n$/ }, { exec: true });
    await expectRun('time', ['-p', 'false'], { stderr: /^real \d+\.\d\d\nuser \d+\.\d\d\nsys \d+\.\d\d\n$/, status: 1 }, { exec: true });
    await expectRun('time', ['nosuch'], { stderr: /time: nosuch: No such file or directory/, status: 127 }, { exec: true });
    await expectRun('time', [], { stderr: /^usage: time/, status: 1 });
  });
});
});
