/*
 * /bin of the world: each program's options, edge cases, exit statuses and
 * err(3)-style messages, as BSD has them.  Runs under qemu-riscv64 for now
 * (see harness.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, expectRun, guestPath, progPath, run, scratch } from './harness.ts';

const C = { concurrency: 4 };
let dir = '';

before(async () => {
  const r = await ensureWorld();
  for (const p of ['cat', 'ls', 'cp', 'test']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('bin');
});
after(() => cleanup(dir));

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

// The suites are independent (each its own scratch files): run them side by side.
describe('/bin', { concurrency: true }, () => {
describe('cat', C, () => {
  test('copies files and stdin in order', async () => {
    const a = file('cat/a', 'one\n');
    await expectRun('cat', [a, '-', a], { stdout: 'one\nmiddle\none\n' }, { stdin: 'middle\n' });
  });
  test('-n numbers lines in a 6-wide field, -b skips blank ones', async () => {
    const f = file('cat/n', 'a\n\nb\n');
    await expectRun('cat', ['-n', f], { stdout: '     1\ta\n     2\t\n     3\tb\n' });
    await expectRun('cat', ['-b', f], { stdout: '     1\ta\n\n     2\tb\n' });
  });
  test('-s squeezes, -e shows $ and controls, -t shows tabs', async () => {
    const f = file('cat/s', Buffer.from('x\n\n\n\ny\t\x01\x7f\xe9\n', 'latin1'));
    assert.deepEqual((await run('cat', ['-s', f])).out, Buffer.from('x\n\ny\t\x01\x7f\xe9\n', 'latin1'));
    await expectRun('cat', ['-et', f], { stdout: 'x$\n$\n$\n$\ny^I^A^?M-i$\n' });
    await expectRun('cat', ['-v', f], { stdout: 'x\n\n\n\ny\t^A^?M-i\n' });
  });
  test('a missing file is reported, the rest still printed, exit 1', async () => {
    const a = file('cat/b', 'ok\n');
    await expectRun('cat', ['nofile', a], { stdout: 'ok\n', stderr: 'cat: nofile: No such file or directory\n', status: 1 });
  });
  test('bad option: usage, exit 1', async () => {
    await expectRun('cat', ['-z'], { stderr: /usage: cat \[-benstuv\] \[file \.\.\.\]/, status: 1 });
  });
});

describe('echo', C, () => {
  test('prints arguments separated by blanks', async () => {
    await expectRun('echo', ['a', 'b  c', ''], { stdout: 'a b  c \n' });
  });
  test('-n suppresses the newline; \\c at the end too', async () => {
    await expectRun('echo', ['-n', 'x'], { stdout: 'x' });
    await expectRun('echo', ['x\\c'], { stdout: 'x' });
  });
  test('BSD echo takes no other options and no escapes', async () => {
    await expectRun('echo', ['-e', 'a\\tb'], { stdout: '-e a\\tb\n' });
    await expectRun('echo', ['-nn', 'x'], { stdout: '-nn x\n' });
  });
});

describe('test and [', C, () => {
  const t = (args: string[], status: number) => expectRun('test', args, { stdout: '', status });
  test('strings and the POSIX argument-count rules', async () => {
    await t([], 1);
    await t([''], 1);
    await t(['x'], 0);
    await t(['-n'], 0);
    await t(['!', ''], 0);
    await t(['-z', ''], 0);
    await t(['a', '=', 'a'], 0);
    await t(['a', '!=', 'a'], 1);
    await t(['!', 'a', '=', 'b'], 0);
    await t(['(', 'x', ')'], 0);
    await t(['a', '<', 'b'], 0);
  });
  test('integers', async () => {
    await t(['1', '-lt', '2'], 0);
    await t(['10', '-gt', '9'], 0);
    await t(['-5', '-le', '-5'], 0);
    await t([' 3', '-eq', '3'], 0);
    await expectRun('test', ['1', '-eq', 'a'], { stderr: 'test: a: bad number\n', status: 2 });
  });
  test('files', async () => {
    const f = file('test/f', 'data');
    const e = file('test/empty', '');
    await t(['-f', f], 0);
    await t(['-d', f], 1);
    await t(['-d', dir], 0);
    await t(['-e', join(dir, 'nope')], 1);
    await t(['-s', f], 0);
    await t(['-s', e], 1);
    await t(['-r', f], 0);
    await t(['-x', f], 1);
    utimesSync(e, 1000, 1000);
    await t([f, '-nt', e], 0);
    await t([f, '-ot', e], 1);
    await t([f, '-ef', f], 0);
    symlinkSync(f, join(dir, 'test/link'));
    await t(['-h', join(dir, 'test/link')], 0);
    await t(['-L', f], 1);
  });
  test('-a, -o, ! and parentheses', async () => {
    await t(['x', '-a', ''], 1);
    await t(['x', '-o', ''], 0);
    await t(['!', 'x', '-o', ''], 1);
    await t(['(', '', '-o', 'x', ')', '-a', 'y'], 0);
    await t(['-n', 'x', '-a', '-z', ''], 0);
  });
  test('[ needs its ]', async () => {
    await expectRun('bin/[', ['1', '=', '1', ']'], { status: 0 });
    await expectRun('bin/[', ['1', '=', '2', ']'], { status: 1 });
    await expectRun('bin/[', ['1', '=', '1'], { stderr: '[: missing ]\n', status: 2 });
  });
  test('syntax errors exit 2', async () => {
    await expectRun('test', ['a', 'b'], { stderr: /test: .*unexpected operator\n/, status: 2 });
    await expectRun('test', ['(', 'a'], { stderr: /test: .*expected/, status: 2 });
  });
});

describe('expr', C, () => {
  test('arithmetic with precedence', async () => {
    await expectRun('expr', ['1', '+', '2', '*', '3'], { stdout: '7\n' });
    await expectRun('expr', ['(', '1', '+', '2', ')', '*', '3'], { stdout: '9\n' });
    await expectRun('expr', ['7', '%', '3'], { stdout: '1\n' });
    await expectRun('expr', ['-7', '/', '2'], { stdout: '-3\n' });
  });
  test('a zero or empty result exits 1', async () => {
    await expectRun('expr', ['3', '-', '3'], { stdout: '0\n', status: 1 });
    await expectRun('expr', ['', '|', ''], { stdout: '\n', status: 1 });
  });
  test('comparisons: numbers as numbers, strings as strings', async () => {
    await expectRun('expr', ['10', '>', '9'], { stdout: '1\n' });
    await expectRun('expr', ['10', '>', '9a'], { stdout: '0\n', status: 1 });
    await expectRun('expr', ['abc', '=', 'abc'], { stdout: '1\n' });
  });
  test('| and &', async () => {
    await expectRun('expr', ['0', '|', 'x'], { stdout: 'x\n' });
    await expectRun('expr', ['a', '&', '0'], { stdout: '0\n', status: 1 });
  });
  test(': matches an anchored BRE', async () => {
    await expectRun('expr', ['abcdef', ':', 'abc'], { stdout: '3\n' });
    await expectRun('expr', ['abcdef', ':', 'b'], { stdout: '0\n', status: 1 });
    await expectRun('expr', ['abcdef', ':', 'ab\\(.*\\)e'], { stdout: 'cd\n' });
  });
  test('errors exit 2', async () => {
    await expectRun('expr', ['1', '/', '0'], { stderr: 'expr: division by zero\n', status: 2 });
    await expectRun('expr', ['1', '+'], { stderr: 'expr: syntax error\n', status: 2 });
    await expectRun('expr', ['a', '+', '1'], { stderr: /not a decimal number/, status: 2 });
    await expectRun('expr', ['9223372036854775807', '+', '1'], { stderr: 'expr: overflow\n', status: 2 });
  });
});

describe('mkdir, rmdir', C, () => {
  test('mkdir makes directories, -p parents, -m a mode', async () => {
    const d = join(dir, 'mk');
    await expectRun('mkdir', [d], {});
    await expectRun('mkdir', [d], { stderr: `mkdir: ${d}: File exists\n`, status: 1 });
    await expectRun('mkdir', ['-p', `${d}/a/b/c`, d], {});
    assert.ok(statSync(`${d}/a/b/c`).isDirectory());
    await expectRun('mkdir', ['-m', '700', `${d}/m`], {});
    assert.equal(statSync(`${d}/m`).mode & 0o777, 0o700);
    await expectRun('mkdir', ['-m', 'u=rwx,g=rx,o=', `${d}/s`], {});
    assert.equal(statSync(`${d}/s`).mode & 0o777, 0o750);
    await expectRun('mkdir', ['-v', `${d}/v`], { stdout: `${d}/v\n` });
    await expectRun('mkdir', [`${d}/x/y`], { stderr: `mkdir: ${d}/x/y: No such file or directory\n`, status: 1 });
    await expectRun('mkdir', [], { stderr: 'usage: mkdir [-pv] [-m mode] directory ...\n', status: 1 });
  });
  test('rmdir removes empty directories, -p the parents', async () => {
    const d = join(dir, 'rd');
    mkdirSync(`${d}/a/b`, { recursive: true });
    file('rd/full/f', 'x');
    await expectRun('rmdir', [`${d}/full`], { stderr: `rmdir: ${d}/full: Directory not empty\n`, status: 1 });
    await expectRun('rmdir', ['-p', `${d}/a/b`], { status: 1, stderr: /Directory not empty/ });
    assert.ok(!existsSync(`${d}/a`));
    await expectRun('rmdir', [], { stderr: /usage: rmdir/, status: 1 });
  });
});

describe('rm', C, () => {
  test('removes files; directories need -r or -d', async () => {
    const f = file('rm/f', 'x');
    mkdirSync(join(dir, 'rm/d/sub'), { recursive: true });
    file('rm/d/sub/g', 'y');
    mkdirSync(join(dir, 'rm/e'));
    await expectRun('rm', [f], {});
    assert.ok(!existsSync(f));
    await expectRun('rm', [join(dir, 'rm/d')], { stderr: `rm: ${dir}/rm/d: is a directory\n`, status: 1 });
    await expectRun('rm', ['-d', join(dir, 'rm/e')], {});
    await expectRun('rm', ['-rv', join(dir, 'rm/d')], {
      stdout: `${dir}/rm/d/sub/g\n${dir}/rm/d/sub\n${dir}/rm/d\n`,
    });
    assert.ok(!existsSync(join(dir, 'rm/d')));
  });
  test('missing files: a message, or silence with -f', async () => {
    await expectRun('rm', ['nofile'], { stderr: 'rm: nofile: No such file or directory\n', status: 1 });
    await expectRun('rm', ['-f', 'nofile'], { stderr: '', status: 0 });
    await expectRun('rm', ['-f'], { status: 0 });
    await expectRun('rm', [], { stderr: /usage: rm \[-f \| -i\] \[-dIPRrvWx\] file \.\.\./, status: 1 });
  });
  test('refuses . and ..', async () => {
    await expectRun('rm', ['-rf', '.'], { stderr: 'rm: "." and ".." may not be removed\n', status: 1 }, { cwd: dir });
    await expectRun('rm', ['-rf', 'x/..'], { stderr: 'rm: "." and ".." may not be removed\n', status: 1 }, { cwd: dir });
  });
  test('-i asks', async () => {
    const f = file('rm/ask', 'x');
    await expectRun('rm', ['-i', f], { stderr: `remove ${f}? ` }, { stdin: 'n\n' });
    assert.ok(existsSync(f));
    await expectRun('rm', ['-i', f], {}, { stdin: 'y\n' });
    assert.ok(!existsSync(f));
  });
  test('unlink removes exactly one file', async () => {
    const f = file('rm/u', 'x');
    await expectRun('unlink', [f], {});
    await expectRun('unlink', [f], { stderr: `unlink: ${f}: No such file or directory\n`, status: 1 });
  });
});

describe('cp', C, () => {
  test('copies a file to a file and into a directory', async () => {
    const a = file('cp/a', 'hello\n');
    await expectRun('cp', [a, join(dir, 'cp/b')], {});
    assert.equal(readFileSync(join(dir, 'cp/b'), 'utf8'), 'hello\n');
    mkdirSync(join(dir, 'cp/d'));
    await expectRun('cp', ['-v', a, join(dir, 'cp/b'), join(dir, 'cp/d')], {
      stdout: `${a} -> ${dir}/cp/d/a\n${dir}/cp/b -> ${dir}/cp/d/b\n`,
    });
  });
  test('errors: missing source, directory without -R, same file, not a directory', async () => {
    const a = file('cp/e', 'x');
    await expectRun('cp', ['nofile', join(dir, 'cp/z')], { stderr: 'cp: nofile: No such file or directory\n', status: 1 });
    await expectRun('cp', [dir + '/cp', join(dir, 'cp/zz')], { stderr: `cp: ${dir}/cp is a directory (not copied).\n`, status: 1 });
    await expectRun('cp', [a, a], { stderr: `cp: ${a} and ${a} are identical (not copied).\n`, status: 1 });
    await expectRun('cp', [a, a, a], { stderr: `cp: ${a} is not a directory\n`, status: 1 });
    await expectRun('cp', [a], { stderr: /usage: cp \[-R \[-H \| -L \| -P\]\]/, status: 64 });
  });
  test('-R copies trees, symbolic links as links; src/ copies the contents', async () => {
    file('cp/t/x', '1');
    file('cp/t/s/y', '2');
    symlinkSync('x', join(dir, 'cp/t/l'));
    await expectRun('cp', ['-R', join(dir, 'cp/t'), join(dir, 'cp/t2')], {});
    assert.equal(readFileSync(join(dir, 'cp/t2/s/y'), 'utf8'), '2');
    assert.equal(readlinkSync(join(dir, 'cp/t2/l')), 'x');
    mkdirSync(join(dir, 'cp/t3'));
    await expectRun('cp', ['-R', join(dir, 'cp/t'), join(dir, 'cp/t3')], {});
    assert.ok(existsSync(join(dir, 'cp/t3/t/s/y')));
    mkdirSync(join(dir, 'cp/t4'));
    await expectRun('cp', ['-R', join(dir, 'cp/t') + '/', join(dir, 'cp/t4')], {});
    assert.ok(existsSync(join(dir, 'cp/t4/s/y')));
  });
  test('-p keeps mode and times; -n and -i do not overwrite', async () => {
    const a = file('cp/p', 'p');
    chmodSync(a, 0o640);
    utimesSync(a, 1_000_000, 1_000_000);
    await expectRun('cp', ['-p', a, join(dir, 'cp/p2')], {});
    const s = statSync(join(dir, 'cp/p2'));
    assert.equal(s.mode & 0o777, 0o640);
    assert.equal(Math.floor(s.mtimeMs / 1000), 1_000_000);
    const b = file('cp/keep', 'keep');
    await expectRun('cp', ['-n', a, b], {});
    assert.equal(readFileSync(b, 'utf8'), 'keep');
    await expectRun('cp', ['-i', a, b], { stderr: `overwrite ${b}? (y/n [n]) not overwritten\n` }, { stdin: 'n\n' });
    assert.equal(readFileSync(b, 'utf8'), 'keep');
  });
});

describe('mv', C, () => {
  test('renames, moves into a directory, reports errors', async () => {
    const a = file('mv/a', 'A');
    await expectRun('mv', [a, join(dir, 'mv/b')], {});
    assert.ok(!existsSync(a) && existsSync(join(dir, 'mv/b')));
    mkdirSync(join(dir, 'mv/d'));
    await expectRun('mv', ['-v', join(dir, 'mv/b'), join(dir, 'mv/d')], { stdout: `${dir}/mv/b -> ${dir}/mv/d/b\n` });
    await expectRun('mv', ['nofile', join(dir, 'mv/x')], {
      stderr: `mv: rename nofile to ${dir}/mv/x: No such file or directory\n`, status: 1,
    });
    await expectRun('mv', ['x'], { stderr: /usage: mv \[-f \| -i \| -n\]/, status: 64 });
  });
  test('-n keeps the target; -i asks', async () => {
    const a = file('mv/n1', '1');
    const b = file('mv/n2', '2');
    await expectRun('mv', ['-n', a, b], {});
    assert.equal(readFileSync(b, 'utf8'), '2');
    await expectRun('mv', ['-i', a, b], { stderr: `overwrite ${b}? (y/n [n]) not overwritten\n` }, { stdin: 'n\n' });
    await expectRun('mv', ['-i', a, b], {}, { stdin: 'y\n' });
    assert.equal(readFileSync(b, 'utf8'), '1');
  });
});

describe('ln', C, () => {
  test('hard and symbolic links, -f, -v, into a directory', async () => {
    const a = file('ln/a', 'A');
    await expectRun('ln', [a, join(dir, 'ln/h')], {});
    assert.equal(statSync(join(dir, 'ln/h')).ino, statSync(a).ino);
    await expectRun('ln', ['-s', 'a', join(dir, 'ln/s')], {});
    assert.equal(readlinkSync(join(dir, 'ln/s')), 'a');
    await expectRun('ln', ['-s', 'a', join(dir, 'ln/s')], { stderr: `ln: ${dir}/ln/s: File exists\n`, status: 1 });
    await expectRun('ln', ['-sfv', 'b', join(dir, 'ln/s')], { stdout: `${dir}/ln/s -> b\n` });
    assert.equal(readlinkSync(join(dir, 'ln/s')), 'b');
    mkdirSync(join(dir, 'ln/d'));
    await expectRun('ln', [a, join(dir, 'ln/d')], {});
    assert.ok(existsSync(join(dir, 'ln/d/a')));
    await expectRun('ln', [join(dir, 'nofile'), join(dir, 'ln/x')], { stderr: `ln: ${dir}/nofile: No such file or directory\n`, status: 1 });
    await expectRun('ln', [], { stderr: /usage: ln/, status: 2 });
  });
});

describe('chmod', C, () => {
  test('octal and symbolic modes', async () => {
    const f = file('chmod/f', 'x');
    const mode = () => statSync(f).mode & 0o7777;
    await expectRun('chmod', ['644', f], {});
    assert.equal(mode(), 0o644);
    await expectRun('chmod', ['u+x,g-r', f], {});
    assert.equal(mode(), 0o704);
    await expectRun('chmod', ['a=rX', f], {});
    assert.equal(mode(), 0o555);
    await expectRun('chmod', ['go=u', f], {});
    assert.equal(mode(), 0o555);
    await expectRun('chmod', ['u=rw,+t', f], {});
    assert.equal(mode() & 0o1700, 0o1600);
    await expectRun('chmod', ['4755', f], {});
    assert.equal(mode(), 0o4755);
  });
  test('-R, -v and errors', async () => {
    file('chmod/t/a', '1');
    file('chmod/t/s/b', '2');
    await expectRun('chmod', ['-R', 'go-rwx', join(dir, 'chmod/t')], {});
    assert.equal(statSync(join(dir, 'chmod/t/s/b')).mode & 0o77, 0);
    await expectRun('chmod', ['-v', '600', join(dir, 'chmod/t/a')], { stdout: `${dir}/chmod/t/a\n` });
    await expectRun('chmod', ['xyz', join(dir, 'chmod/t/a')], { stderr: 'chmod: invalid file mode: xyz\n', status: 1 });
    await expectRun('chmod', ['644', 'nofile'], { stderr: 'chmod: nofile: No such file or directory\n', status: 1 });
    await expectRun('chmod', ['644'], { stderr: /usage: chmod \[-fhv\] \[-R \[-H \| -L \| -P\]\] mode file \.\.\./, status: 1 });
  });
});

describe('ls', C, () => {
  let d = '';
  before(() => {
    d = join(dir, 'ls');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'b.txt'), 'bb');
    writeFileSync(join(d, 'a.txt'), 'a'.repeat(2000));
    writeFileSync(join(d, '.hidden'), '');
    writeFileSync(join(d, 'run'), '#!/bin/sh\n');
    chmodSync(join(d, 'run'), 0o755);
    symlinkSync('a.txt', join(d, 'link'));
    writeFileSync(join(d, 'sub', 'inner'), 'i');
    utimesSync(join(d, 'a.txt'), 1_700_000_000, 1_700_000_000);
    utimesSync(join(d, 'b.txt'), 1_700_000_100, 1_700_000_100);
    utimesSync(join(d, 'run'), 1_600_000_000, 1_600_000_000);
  });
  const names = 'a.txt\nb.txt\nlink\nrun\nsub\n';
  test('one per line when not a tty, sorted', async () => {
    // -I: the super-user's implied -A off, so the listing does not depend on who runs it.
    await expectRun('ls', ['-I'], { stdout: names }, { cwd: d });
    await expectRun('ls', ['-I', d], { stdout: names });
  });
  test('-a, -A (and the super-user default), -d', async () => {
    await expectRun('ls', ['-a', d], { stdout: '.\n..\n.hidden\n' + names });
    await expectRun('ls', ['-A', d], { stdout: '.hidden\n' + names });
    await expectRun('ls', ['-d', d], { stdout: `${d}\n` });
  });
  test('-F, -p, -r, -S, -t, -1', async () => {
    await expectRun('ls', ['-IF', d], { stdout: 'a.txt\nb.txt\nlink@\nrun*\nsub/\n' });
    await expectRun('ls', ['-Ip', d], { stdout: 'a.txt\nb.txt\nlink\nrun\nsub/\n' });
    await expectRun('ls', ['-Ir', d], { stdout: 'sub\nrun\nlink\nb.txt\na.txt\n' });
    await expectRun('ls', ['-IS1', join(d, 'a.txt'), join(d, 'b.txt'), join(d, 'run')], {
      stdout: `${d}/a.txt\n${d}/run\n${d}/b.txt\n`,
    });
    await expectRun('ls', ['-t', join(d, 'a.txt'), join(d, 'b.txt'), join(d, 'run')], {
      stdout: `${d}/b.txt\n${d}/a.txt\n${d}/run\n`,
    });
  });
  test('-l: mode, links, owner, group, size, date, name, link target', async () => {
    const r = await expectRun('ls', ['-lnI', d], {});
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^total \d+$/);
    assert.match(lines[1], /^-rw-r--r--  1 0  0  2000 Nov 14  2023 a\.txt$/);
    assert.match(lines[2], /^-rw-r--r--  1 0  0     2 Nov 14  2023 b\.txt$/);
    assert.match(lines[3], /^lrwxrwxrwx  1 0  0     5 \w{3} [ \d]\d \d\d:\d\d link -> a\.txt$/);
    assert.match(lines[4], /^-rwxr-xr-x  1 0  0    10 Sep 13  2020 run$/);
    assert.match(lines[5], /^drwxr-xr-x  2 0  0  \d+ \w{3} [ \d]\d \d\d:\d\d sub$/);
  });
  test('-h, -i, -s, -T', async () => {
    const r = await expectRun('ls', ['-lh', join(d, 'a.txt')], {});
    assert.match(r.stdout, / 2\.0K Nov 14  2023 /);
    const ino = statSync(join(d, 'a.txt')).ino;
    await expectRun('ls', ['-i', join(d, 'a.txt')], { stdout: `${ino} ${d}/a.txt\n` });
    await expectRun('ls', ['-sk', join(d, 'b.txt')], { stdout: /^\d+ .*b\.txt\n$/ });
    const t = await expectRun('ls', ['-lT', join(d, 'a.txt')], {});
    assert.match(t.stdout, /Nov 14 22:13:20 2023 /);
  });
  test('several operands: files first, then each directory with a header', async () => {
    await expectRun('ls', ['-I', join(d, 'sub'), join(d, 'b.txt')], { stdout: `${d}/b.txt\n\n${d}/sub:\ninner\n` });
  });
  test('-R lists subdirectories after their parent', async () => {
    await expectRun('ls', ['-IR'], { stdout: `${names}\n./sub:\ninner\n` }, { cwd: d });
  });
  test('-C columns fill down, to COLUMNS', async () => {
    await expectRun('ls', ['-IC'], { stdout: 'a.txt\tlink\tsub\nb.txt\trun\n' }, { cwd: d, env: { COLUMNS: '30' } });
    await expectRun('ls', ['-Ix'], { stdout: 'a.txt\tb.txt\tlink\nrun\tsub\n' }, { cwd: d, env: { COLUMNS: '30' } });
  });
  test('columns by default on a terminal', async () => {
    // script(1) gives the program a pty as stdout.
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('script', ['-qec', `qemu-riscv64 -L ${join(progPath('ls'), '..', '..')} ${progPath('ls')} -I`, '/dev/null'],
      { cwd: d, env: { PATH: process.env.PATH, COLUMNS: '30', TERM: 'dumb' }, encoding: 'utf8' });
    assert.equal(r.stdout.replace(/\r\n/g, '\n'), 'a.txt\tlink\tsub\nb.txt\trun\n');
  });
  test('errors: a missing operand is reported, the rest listed, exit 1', async () => {
    await expectRun('ls', ['nofile', join(d, 'b.txt')], { stdout: `${d}/b.txt\n`, stderr: 'ls: nofile: No such file or directory\n', status: 1 });
    await expectRun('ls', ['-y'], { stderr: /usage: ls \[-/, status: 1 });
  });
});

describe('pwd, realpath', C, () => {
  test('pwd prints the physical directory; -L trusts a right $PWD', async () => {
    mkdirSync(join(dir, 'pwd/real'), { recursive: true });
    symlinkSync('real', join(dir, 'pwd/sym'));
    await expectRun('pwd', [], { stdout: `${dir}/pwd/real\n` }, { cwd: join(dir, 'pwd/sym') });
    await expectRun('pwd', ['-L'], { stdout: `${dir}/pwd/sym\n` }, { cwd: join(dir, 'pwd/real'), env: { PWD: `${dir}/pwd/sym` } });
    await expectRun('pwd', ['-L'], { stdout: `${dir}/pwd/real\n` }, { cwd: join(dir, 'pwd/real'), env: { PWD: '/nonexistent' } });
    await expectRun('pwd', ['x'], { stderr: 'usage: pwd [-L | -P]\n', status: 1 });
  });
  test('realpath resolves links and dots', async () => {
    mkdirSync(join(dir, 'rp/a'), { recursive: true });
    symlinkSync('a', join(dir, 'rp/l'));
    await expectRun('realpath', [`${dir}/rp/l/../l/.`], { stdout: `${dir}/rp/a\n` });
    await expectRun('realpath', [], { stdout: `${dir}/rp\n` }, { cwd: join(dir, 'rp') });
    await expectRun('realpath', ['nofile'], { stderr: 'realpath: nofile: No such file or directory\n', status: 1 });
    await expectRun('realpath', ['-q', 'nofile'], { stderr: '', status: 1 });
  });
});

describe('date', C, () => {
  test('the BSD default format and +format', async () => {
    await expectRun('date', ['-u', '-r', '0'], { stdout: 'Thu Jan  1 00:00:00 UTC 1970\n' });
    await expectRun('date', ['-u', '-r', '86400', '+%Y-%m-%d %H:%M:%S'], { stdout: '1970-01-02 00:00:00\n' });
    await expectRun('date', [], { stdout: /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n$/ });
  });
  test('-j with an operand, -f, -v, -R, -I', async () => {
    await expectRun('date', ['-j', '-u', '202001021530.45', '+%F %T'], { stdout: '2020-01-02 15:30:45\n' });
    await expectRun('date', ['-j', '-f', '%Y-%m-%d', '2024-02-28', '+%A'], { stdout: 'Wednesday\n' });
    await expectRun('date', ['-u', '-r', '0', '-v+1m', '-v-1d', '+%F'], { stdout: '1970-01-31\n' });
    await expectRun('date', ['-u', '-r', '0', '-R'], { stdout: 'Thu, 01 Jan 1970 00:00:00 +0000\n' });
    await expectRun('date', ['-u', '-r', '0', '-Iseconds'], { stdout: '1970-01-01T00:00:00+0000\n' });
  });
  test('errors', async () => {
    await expectRun('date', ['-j', '99999'], { stderr: /date: illegal time format\nusage: date/, status: 1 });
    await expectRun('date', ['-j', '-f', '%Y', 'xx'], { stderr: /Cannot parse "xx"/, status: 1 });
  });
});

describe('dd', C, () => {
  test('copies with block counts on stderr', async () => {
    const f = file('dd/in', 'x'.repeat(1300));
    const r = await expectRun('dd', [`if=${f}`, `of=${dir}/dd/out`], {});
    assert.match(r.stderr, /^2\+1 records in\n2\+1 records out\n1300 bytes transferred in [\d.]+ secs \(\d+ bytes\/sec\)\n$/);
    assert.equal(statSync(`${dir}/dd/out`).size, 1300);
  });
  test('bs, count, skip, seek, conv=ucase, status=none', async () => {
    await expectRun('dd', ['bs=4', 'count=2', 'skip=1', 'status=none'], { stdout: 'efghijkl', stderr: '' }, { stdin: 'abcdefghijklmnop' });
    await expectRun('dd', ['conv=ucase', 'status=noxfer'], { stdout: 'HELLO', stderr: '0+1 records in\n0+1 records out\n' }, { stdin: 'hello' });
    await expectRun('dd', ['ibs=1', 'obs=3', 'status=noxfer'], { stdout: 'abcd', stderr: '4+0 records in\n1+1 records out\n' }, { stdin: 'abcd' });
    const o = file('dd/seek', 'AAAAAAAA');
    await expectRun('dd', [`of=${o}`, 'bs=2', 'seek=1', 'conv=notrunc', 'status=none'], {}, { stdin: 'bb' });
    assert.equal(readFileSync(o, 'utf8'), 'AAbbAAAA');
    await expectRun('dd', ['bs=1k', 'count=1', 'status=none'], { stdout: 'x'.repeat(1024) }, { stdin: 'x'.repeat(3000) });
  });
  test('errors', async () => {
    await expectRun('dd', ['foo=1'], { stderr: 'dd: unknown operand foo\n', status: 1 });
    await expectRun('dd', ['bs=x'], { stderr: 'dd: bs: illegal numeric value\n', status: 1 });
    await expectRun('dd', ['if=nofile'], { stderr: 'dd: nofile: No such file or directory\n', status: 1 });
  });
});

describe('kill, sleep, sync, hostname', C, () => {
  test('kill -l lists and names signals', async () => {
    const r = await expectRun('kill', ['-l'], {});
    assert.match(r.stdout, /^HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM/);
    await expectRun('kill', ['-l', '9'], { stdout: 'KILL\n' });
    await expectRun('kill', ['-l', '143'], { stdout: 'TERM\n' });
  });
  test('kill sends signals and reports errors', async () => {
    /* A process of the world's own (the test's host pid is not visible inside the vkernel). */
    await expectRun('sh', ['-c', `sleep 5 & ${guestPath('kill')} -0 $! && ${guestPath('kill')} $! && wait $!; echo $?`],
      { stdout: '143\n' }, { exec: true });
    await expectRun('kill', ['-s', 'BOGUS', '1'], { stderr: /kill: unknown signal BOGUS; valid signals:\nHUP INT/, status: 2 });
    await expectRun('kill', ['abc'], { stderr: 'kill: illegal process id: abc\n', status: 1 });
    await expectRun('kill', ['-0', '999999'], { stderr: 'kill: 999999: No such process\n', status: 1 });
    await expectRun('kill', [], { stderr: /usage: kill \[-s signal_name\] pid \.\.\./, status: 2 });
  });
  test('sleep: fractions and units; bad intervals', async () => {
    await expectRun('sleep', ['0.1'], {});
    await expectRun('sleep', ['0.01s', '0.001m'], {});
    await expectRun('sleep', ['x'], { stderr: 'sleep: invalid time interval: x\n', status: 1 });
    await expectRun('sleep', [], { stderr: 'usage: sleep number[unit] [...]\n', status: 1 });
  });
  test('sync and hostname', async () => {
    await expectRun('sync', [], {});
    await expectRun('sync', ['x'], { stderr: 'usage: sync\n', status: 1 });
    const r = await expectRun('hostname', [], { stdout: /^\S+\n$/ });
    await expectRun('hostname', ['-s'], { stdout: r.stdout.replace(/\..*/, '').replace(/\n?$/, '\n') });
    await expectRun('hostname', ['-x'], { stderr: /usage: hostname/, status: 1 });
  });
});

});
