/*
 * /usr/bin of the world: options, edge cases, exit statuses and messages,
 * BSD's where BSD and GNU differ.  Runs under qemu-riscv64 for now (see
 * harness.ts); programs that execve others run with binfmt (exec: true).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, expectRun, guestPath, progPath, run, scratch, worldPath } from './harness.ts';

const C = { concurrency: 4 };
let dir = '';

before(async () => {
  const r = await ensureWorld();
  for (const p of ['sort', 'wc', 'xargs']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('usrbin');
});
after(() => cleanup(dir));

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

// The suites are independent (each its own scratch files): run them side by side.
describe('/usr/bin', { concurrency: true }, () => {
describe('true, false, yes, tty, uname, whoami, id', C, () => {
  test('true and false', async () => {
    await expectRun('true', ['-x', 'y'], { stdout: '', status: 0 });
    await expectRun('false', [], { stdout: '', status: 1 });
  });
  test('yes repeats until the reader goes away', async () => {
    /* head exits after three lines; yes then dies of SIGPIPE and the pipeline ends. */
    const r = await run('sh', ['-c', 'yes a b | head -n 3'], { exec: true, timeoutMs: 20_000 });
    assert.equal(r.stdout, 'a b\na b\na b\n');
    assert.equal(r.status, 0);
  });
  test('tty on a pipe', async () => {
    await expectRun('tty', [], { stdout: 'not a tty\n', status: 1 });
    await expectRun('tty', ['-s'], { stdout: '', status: 1 });
    await expectRun('tty', ['x'], { stderr: 'usage: tty [-s]\n', status: 2 });
  });
  test('uname', async () => {
    await expectRun('uname', [], { stdout: 'Linux\n' });
    await expectRun('uname', ['-m'], { stdout: 'riscv64\n' });
    await expectRun('uname', ['-sm'], { stdout: 'Linux riscv64\n' });
    await expectRun('uname', ['-a'], { stdout: /^Linux \S+ \S+ .* riscv64\n$/ });
    await expectRun('uname', ['-z'], { stderr: /usage: uname \[-aimnprsv\]/, status: 1 });
  });
  test('whoami and id', async () => {
    const uid = process.getuid!();
    await expectRun('id', ['-u'], { stdout: `${uid}\n` });
    await expectRun('id', ['-g'], { stdout: `${process.getgid!()}\n` });
    const r = await expectRun('id', [], { stdout: new RegExp(`^uid=${uid}(\\(\\w+\\))? gid=\\d+(\\(\\w+\\))? groups=`) });
    if (r.stdout.startsWith('uid=0(root)')) {
      await expectRun('whoami', [], { stdout: 'root\n' });
      await expectRun('id', ['-un'], { stdout: 'root\n' });
    }
    await expectRun('id', ['nosuchuser'], { stderr: 'id: nosuchuser: no such user\n', status: 1 });
    await expectRun('id', ['-n'], { stderr: /usage: id \[user\]/, status: 1 });
  });
});

describe('basename, dirname', C, () => {
  test('basename', async () => {
    await expectRun('basename', ['/usr/bin/cc.c', '.c'], { stdout: 'cc\n' });
    await expectRun('basename', ['/usr/bin/'], { stdout: 'bin\n' });
    await expectRun('basename', ['/'], { stdout: '/\n' });
    await expectRun('basename', ['.c', '.c'], { stdout: '.c\n' });
    await expectRun('basename', ['-a', '/a/b', 'c/d'], { stdout: 'b\nd\n' });
    await expectRun('basename', ['-s', '.o', 'x.o', 'y.o'], { stdout: 'x\ny\n' });
    await expectRun('basename', [], { stderr: /usage: basename string \[suffix\]/, status: 1 });
  });
  test('dirname', async () => {
    await expectRun('dirname', ['/usr/bin/'], { stdout: '/usr\n' });
    await expectRun('dirname', ['file'], { stdout: '.\n' });
    await expectRun('dirname', ['/file'], { stdout: '/\n' });
    await expectRun('dirname', ['//a//b//'], { stdout: '//a\n' });
    await expectRun('dirname', ['a/b', 'c'], { stdout: 'a\n.\n' });
    await expectRun('dirname', [], { stderr: 'usage: dirname string [...]\n', status: 1 });
  });
});

describe('head, tail', C, () => {
  const ten = Array.from({ length: 12 }, (_, i) => `${i + 1}\n`).join('');
  test('head', async () => {
    await expectRun('head', [], { stdout: ten.split('\n').slice(0, 10).join('\n') + '\n' }, { stdin: ten });
    await expectRun('head', ['-n', '2'], { stdout: '1\n2\n' }, { stdin: ten });
    await expectRun('head', ['-3'], { stdout: '1\n2\n3\n' }, { stdin: ten });
    await expectRun('head', ['-c', '3'], { stdout: '1\n2' }, { stdin: ten });
    const a = file('head/a', 'a\n');
    await expectRun('head', [a, a], { stdout: `==> ${a} <==\na\n\n==> ${a} <==\na\n` });
    await expectRun('head', ['-n', '0'], { stderr: 'head: illegal line count -- 0\n', status: 1 });
    await expectRun('head', ['nofile', a], { stdout: `==> ${a} <==\na\n`, stderr: 'head: nofile: No such file or directory\n', status: 1 });
  });
  test('tail', async () => {
    await expectRun('tail', [], { stdout: ten.split('\n').slice(2).join('\n') }, { stdin: ten });
    await expectRun('tail', ['-n', '2'], { stdout: '11\n12\n' }, { stdin: ten });
    await expectRun('tail', ['-n', '+11'], { stdout: '11\n12\n' }, { stdin: ten });
    await expectRun('tail', ['-3'], { stdout: '10\n11\n12\n' }, { stdin: ten });
    await expectRun('tail', ['+12'], { stdout: '12\n' }, { stdin: ten });
    await expectRun('tail', ['-c', '3'], { stdout: '12\n' }, { stdin: ten });
    await expectRun('tail', ['-c', '+3'], { stdout: ten.slice(2) }, { stdin: ten });
    await expectRun('tail', ['-r'], { stdout: 'c\nb\na\n' }, { stdin: 'a\nb\nc' });
    await expectRun('tail', ['-r', '-n', '1'], { stdout: 'c\n' }, { stdin: 'a\nb\nc\n' });
    await expectRun('tail', ['-n', '1'], { stdout: 'no newline' }, { stdin: 'x\nno newline' });
    const a = file('tail/a', 'a\n');
    await expectRun('tail', [a, a], { stdout: `==> ${a} <==\na\n\n==> ${a} <==\na\n` });
    await expectRun('tail', ['-q', a, a], { stdout: 'a\na\n' });
    await expectRun('tail', ['-n', 'x'], { stderr: 'tail: illegal offset -- x\n', status: 1 });
    await expectRun('tail', ['nofile'], { stderr: 'tail: nofile: No such file or directory\n', status: 1 });
  });
  test('tail -f follows a growing file', async () => {
    const f = file('tail/grow', 'one\n');
    const p = run('tail', ['-f', f], { timeoutMs: 2500 });
    await new Promise((r) => setTimeout(r, 1200));
    writeFileSync(f, 'one\ntwo\n');
    const r = await p;
    assert.equal(r.stdout, 'one\ntwo\n');
  });
});

describe('wc', C, () => {
  test('lines, words, bytes in 8-wide columns; total', async () => {
    const a = file('wc/a', 'one two\nthree\n');
    await expectRun('wc', [a], { stdout: `       2       3      14 ${a}\n` });
    await expectRun('wc', [], { stdout: '       1       2       6\n' }, { stdin: ' a b\t\n' });
    await expectRun('wc', ['-l', a, a], { stdout: `       2 ${a}\n       2 ${a}\n       4 total\n` });
    await expectRun('wc', ['-w'], { stdout: '       3\n' }, { stdin: 'x y\nz' });
    await expectRun('wc', ['-c'], { stdout: '       3\n' }, { stdin: 'x y' });
    await expectRun('wc', ['-L'], { stdout: '       5\n' }, { stdin: 'ab\nabcde\nabc\n' });
  });
  test('-m counts characters in a UTF-8 locale', async () => {
    await expectRun('wc', ['-m'], { stdout: '       2\n' }, { stdin: 'é\n', env: { LC_ALL: 'C.UTF-8' } });
    await expectRun('wc', ['-c'], { stdout: '       3\n' }, { stdin: 'é\n', env: { LC_ALL: 'C.UTF-8' } });
  });
  test('errors', async () => {
    await expectRun('wc', ['nofile'], { stderr: 'wc: nofile: No such file or directory\n', status: 1 });
    await expectRun('wc', ['-x'], { stderr: /usage: wc \[-Lclmw\] \[file \.\.\.\]/, status: 1 });
  });
});

describe('cut', C, () => {
  test('-f with -d and -s; -c and -b lists', async () => {
    await expectRun('cut', ['-f', '2'], { stdout: 'b\nnodelim\n' }, { stdin: 'a\tb\tc\nnodelim\n' });
    await expectRun('cut', ['-s', '-f', '2'], { stdout: 'b\n' }, { stdin: 'a\tb\tc\nnodelim\n' });
    await expectRun('cut', ['-d:', '-f', '1,3'], { stdout: 'root:0\n' }, { stdin: 'root:x:0:0\n' });
    await expectRun('cut', ['-d:', '-f', '3-'], { stdout: '0:0\n' }, { stdin: 'root:x:0:0\n' });
    await expectRun('cut', ['-d:', '-f', '-2'], { stdout: 'root:x\n' }, { stdin: 'root:x:0:0\n' });
    await expectRun('cut', ['-c', '2-4,1'], { stdout: 'abcd\n' }, { stdin: 'abcdef\n' });
    await expectRun('cut', ['-b', '3-'], { stdout: 'cdef\n' }, { stdin: 'abcdef\n' });
    await expectRun('cut', ['-w', '-f', '2'], { stdout: 'b\n' }, { stdin: 'a  \t b c\n' });
  });
  test('errors', async () => {
    await expectRun('cut', ['-f', '0'], { stderr: 'cut: [-bcf] list: values may not include zero\n', status: 1 });
    await expectRun('cut', ['-f', 'x'], { stderr: 'cut: [-bcf] list: illegal list value\n', status: 1 });
    await expectRun('cut', [], { stderr: /^usage: cut -b list \[-n\] \[file \.\.\.\]\n/, status: 1 });
  });
});

describe('uniq', C, () => {
  const input = 'a\na\nb\nc\nc\nc\nA\n';
  test('default, -c, -d, -u, -i', async () => {
    await expectRun('uniq', [], { stdout: 'a\nb\nc\nA\n' }, { stdin: input });
    await expectRun('uniq', ['-c'], { stdout: '   2 a\n   1 b\n   3 c\n   1 A\n' }, { stdin: input });
    await expectRun('uniq', ['-d'], { stdout: 'a\nc\n' }, { stdin: input });
    await expectRun('uniq', ['-u'], { stdout: 'b\nA\n' }, { stdin: input });
    await expectRun('uniq', ['-i', '-c'], { stdout: '   2 a\n   1 b\n   3 c\n   1 A\n' }, { stdin: input });
    await expectRun('uniq', ['-i'], { stdout: 'a\n' }, { stdin: 'a\nA\n' });
  });
  test('-f and -s skip fields and characters; input and output files', async () => {
    await expectRun('uniq', ['-f', '1'], { stdout: '1 x\n3 y\n' }, { stdin: '1 x\n2 x\n3 y\n' });
    await expectRun('uniq', ['-s', '2'], { stdout: 'a1x\n' }, { stdin: 'a1x\nb2x\n' });
    const i = file('uniq/in', 'q\nq\n');
    await expectRun('uniq', [i, join(dir, 'uniq/out')], { stdout: '' });
    assert.equal(readFileSync(join(dir, 'uniq/out'), 'utf8'), 'q\n');
    await expectRun('uniq', ['nofile'], { stderr: 'uniq: nofile: No such file or directory\n', status: 1 });
  });
});

describe('sort', C, () => {
  test('default, -r, -n, -u, -f', async () => {
    await expectRun('sort', [], { stdout: 'B\na\nb\n' }, { stdin: 'b\na\nB\n' });
    await expectRun('sort', ['-r'], { stdout: 'b\na\nB\n' }, { stdin: 'b\na\nB\n' });
    await expectRun('sort', ['-n'], { stdout: '-3\nx\n2\n10\n10.5\n' }, { stdin: '10\n2\n-3\n10.5\nx\n' });
    await expectRun('sort', ['-rn'], { stdout: '10.5\n10\n2\nx\n-3\n' }, { stdin: '10\n2\n-3\n10.5\nx\n' });
    await expectRun('sort', ['-u'], { stdout: 'a\nb\n' }, { stdin: 'b\na\nb\na\n' });
    await expectRun('sort', ['-fu'], { stdout: 'a\nb\n' }, { stdin: 'b\na\nB\nA\n' });
  });
  test('keys: -k with -t, per-key flags, blanks', async () => {
    await expectRun('sort', ['-t:', '-k3n'], { stdout: 'root:x:0\nbin:x:2\nuser:x:1001\n' }, { stdin: 'user:x:1001\nroot:x:0\nbin:x:2\n' });
    await expectRun('sort', ['-k2,2', '-k1,1r'], { stdout: 'z a\ny a\nx b\n' }, { stdin: 'x b\ny a\nz a\n' });
    await expectRun('sort', ['-k2nr'], { stdout: 'b 10\nc 9\na 1\n' }, { stdin: 'a 1\nb 10\nc 9\n' });
    await expectRun('sort', ['-k1.2'], { stdout: 'za\nyb\nxc\n' }, { stdin: 'xc\nyb\nza\n' });
    await expectRun('sort', ['-b', '-k2'], { stdout: 'x   a\ny b\n' }, { stdin: 'y b\nx   a\n' });
  });
  test('-s keeps input order for equal keys; -o may overwrite an input', async () => {
    await expectRun('sort', ['-s', '-k1,1'], { stdout: 'a 2\na 1\nb 0\n' }, { stdin: 'b 0\na 2\na 1\n' });
    const f = file('sort/in', '3\n1\n2\n');
    await expectRun('sort', ['-o', f, f], {});
    assert.equal(readFileSync(f, 'utf8'), '1\n2\n3\n');
  });
  test('-c reports disorder; errors', async () => {
    await expectRun('sort', ['-c'], { status: 0 }, { stdin: 'a\nb\n' });
    await expectRun('sort', ['-c'], { stderr: 'sort: -:2: disorder: a\n', status: 1 }, { stdin: 'b\na\n' });
    await expectRun('sort', ['-C'], { stderr: '', status: 1 }, { stdin: 'b\na\n' });
    await expectRun('sort', ['nofile'], { stderr: 'sort: nofile: No such file or directory\n', status: 2 });
    await expectRun('sort', ['-k', 'x'], { stderr: 'sort: invalid field specification: x\n', status: 2 });
  });
});

describe('tr', C, () => {
  test('translate, ranges, classes, short string2', async () => {
    await expectRun('tr', ['a-z', 'A-Z'], { stdout: 'HELLO, WORLD\n' }, { stdin: 'hello, world\n' });
    await expectRun('tr', ['[:lower:]', '[:upper:]'], { stdout: 'ABC\n' }, { stdin: 'abc\n' });
    await expectRun('tr', ['abc', 'x'], { stdout: 'xxxd' }, { stdin: 'abcd' });
    await expectRun('tr', ['a-c', '[x*]'], { stdout: 'xxxd' }, { stdin: 'abcd' });
    await expectRun('tr', ['\\n', ' '], { stdout: 'a b ' }, { stdin: 'a\nb\n' });
    await expectRun('tr', ['\\101', 'b'], { stdout: 'b' }, { stdin: 'A' });
  });
  test('-d, -s, -c', async () => {
    await expectRun('tr', ['-d', 'aeiou'], { stdout: 'hll wrld' }, { stdin: 'hello world' });
    await expectRun('tr', ['-s', ' '], { stdout: 'a b c' }, { stdin: 'a   b  c' });
    await expectRun('tr', ['-cs', '[:alpha:]', '\\n'], { stdout: 'one\ntwo\nthree\n' }, { stdin: 'one, two; three!' });
    await expectRun('tr', ['-cd', '0-9'], { stdout: '123' }, { stdin: 'a1b2c3\n' });
    await expectRun('tr', ['-ds', 'a', 'b'], { stdout: 'bc' }, { stdin: 'abbbac' });
  });
  test('errors', async () => {
    await expectRun('tr', ['a'], { stderr: /^usage: tr \[-Ccsu\] string1 string2\n/, status: 1 });
    await expectRun('tr', ['z-a', 'x'], { stderr: /reverse collating sequence/, status: 1 });
  });
});

describe('printf', C, () => {
  test('conversions, widths, reuse of the format', async () => {
    await expectRun('printf', ['%s-%d-%5.2f-%x-%o-%c|%-3s|\\n', 'a', '42', '3.14159', '255', '8', 'xyz', 'b'], { stdout: 'a-42- 3.14-ff-10-x|b  |\n' });
    await expectRun('printf', ['%s\\n', 'a', 'b', 'c'], { stdout: 'a\nb\nc\n' });
    await expectRun('printf', ['%d %d\\n', '1'], { stdout: '1 0\n' });
    await expectRun('printf', ['%*d|%.*s\\n', '4', '7', '2', 'abc'], { stdout: '   7|ab\n' });
    await expectRun('printf', ['%d\\n', "'A"], { stdout: '65\n' });
    await expectRun('printf', ['%d %i\\n', '0x10', '010'], { stdout: '16 8\n' });
    await expectRun('printf', ['100%%\\n'], { stdout: '100%\n' });
  });
  test('escapes and %b', async () => {
    await expectRun('printf', ['a\\tb\\101\\n'], { stdout: 'a\tbA\n' });
    await expectRun('printf', ['%b|', 'x\\ny', '\\0101'], { stdout: 'x\ny|A|' });
    await expectRun('printf', ['%b', 'stop\\chere'], { stdout: 'stop' });
  });
  test('bad numbers are reported, printed as 0, exit 1', async () => {
    await expectRun('printf', ['%d\\n', 'abc'], { stdout: '0\n', stderr: 'printf: abc: expected numeric value\n', status: 1 });
    await expectRun('printf', ['%d\\n', '12abc'], { stdout: '12\n', stderr: 'printf: 12abc: not completely converted\n', status: 1 });
    await expectRun('printf', [], { stderr: 'usage: printf format [arguments ...]\n', status: 1 });
  });
});

describe('seq', C, () => {
  test('ranges, increments, formats', async () => {
    await expectRun('seq', ['3'], { stdout: '1\n2\n3\n' });
    await expectRun('seq', ['2', '4'], { stdout: '2\n3\n4\n' });
    await expectRun('seq', ['3', '1'], { stdout: '3\n2\n1\n' });
    await expectRun('seq', ['1', '0.5', '2'], { stdout: '1\n1.5\n2\n' });
    await expectRun('seq', ['-w', '8', '10'], { stdout: '08\n09\n10\n' });
    await expectRun('seq', ['-s', ',', '3'], { stdout: '1,2,3\n' });
    await expectRun('seq', ['-f', '%.2f', '1', '2'], { stdout: '1.00\n2.00\n' });
    await expectRun('seq', ['-t', 'end\\n', '1'], { stdout: '1end\n' });
    await expectRun('seq', ['-1', '1'], { stdout: '-1\n0\n1\n' });
  });
  test('errors', async () => {
    await expectRun('seq', ['1', '0', '3'], { stderr: 'seq: zero increment\n', status: 1 });
    await expectRun('seq', ['1', '-1', '3'], { stderr: 'seq: needs positive increment\n', status: 1 });
    await expectRun('seq', ['x'], { stderr: 'seq: invalid argument: x\n', status: 1 });
    await expectRun('seq', ['-f', '%d', '1'], { stderr: /seq: invalid format string/, status: 1 });
    await expectRun('seq', [], { stderr: /^usage: seq/, status: 1 });
  });
});

describe('tee, touch, cmp, split', C, () => {
  test('tee copies to stdout and files, -a appends', async () => {
    const a = join(dir, 'tee.a');
    await expectRun('tee', [a], { stdout: 'hi\n' }, { stdin: 'hi\n' });
    await expectRun('tee', ['-a', a], { stdout: 'ho\n' }, { stdin: 'ho\n' });
    assert.equal(readFileSync(a, 'utf8'), 'hi\nho\n');
    await expectRun('tee', [join(dir, 'no/such')], { stdout: 'x', stderr: `tee: ${dir}/no/such: No such file or directory\n`, status: 1 }, { stdin: 'x' });
  });
  test('touch creates, -c does not, -t and -r set times', async () => {
    const f = join(dir, 'touch.f');
    await expectRun('touch', [f], {});
    assert.ok(existsSync(f));
    await expectRun('touch', ['-c', join(dir, 'touch.none')], {});
    assert.ok(!existsSync(join(dir, 'touch.none')));
    await expectRun('touch', ['-t', '200102031405.06', f], {}, { env: { TZ: 'UTC' } });
    assert.equal(statSync(f).mtimeMs / 1000, Date.UTC(2001, 1, 3, 14, 5, 6) / 1000);
    await expectRun('touch', ['-m', '-d', '2010-05-06T07:08:09Z', f], {});
    assert.equal(statSync(f).mtimeMs / 1000, Date.UTC(2010, 4, 6, 7, 8, 9) / 1000);
    const g = file('touch.g', '');
    utimesSync(g, 12345, 12345);
    await expectRun('touch', ['-r', g, f], {});
    assert.equal(statSync(f).mtimeMs, 12345000);
    await expectRun('touch', ['-t', 'junk', f], { stderr: /touch: out of range or illegal time specification/, status: 1 });
    await expectRun('touch', [join(dir, 'no/such')], { stderr: `touch: ${dir}/no/such: No such file or directory\n`, status: 1 });
  });
  test('cmp: same, differ, EOF, -l, -s', async () => {
    const a = file('cmp/a', 'abc\ndef\n');
    const b = file('cmp/b', 'abc\ndxf\n');
    const c = file('cmp/c', 'abc\n');
    await expectRun('cmp', [a, a], { stdout: '', status: 0 });
    await expectRun('cmp', [a, b], { stdout: `${a} ${b} differ: char 6, line 2\n`, status: 1 });
    await expectRun('cmp', ['-l', a, b], { stdout: '     6 145 170\n', status: 1 });
    await expectRun('cmp', ['-s', a, b], { stdout: '', status: 1 });
    await expectRun('cmp', [a, c], { stderr: `cmp: EOF on ${c}\n`, status: 1 });
    await expectRun('cmp', [a, 'nofile'], { stderr: 'cmp: nofile: No such file or directory\n', status: 2 });
    await expectRun('cmp', [a, b, '5', '5'], { stdout: `${a} ${b} differ: char 1, line 1\n`, status: 1 });
  });
  test('split by lines, bytes, chunks', async () => {
    const d = join(dir, 'split');
    mkdirSync(d);
    const f = file('split/in', Array.from({ length: 2500 }, (_, i) => `${i}\n`).join(''));
    await expectRun('split', [f], {}, { cwd: d });
    assert.deepEqual(readdirSync(d).sort(), ['in', 'xaa', 'xab', 'xac']);
    assert.equal(readFileSync(join(d, 'xac'), 'utf8').split('\n').length - 1, 500);
    await expectRun('split', ['-b', '1k', '-d', f, 'p.'], {}, { cwd: d });
    assert.equal(statSync(join(d, 'p.00')).size, 1024);
    await expectRun('split', ['-l', '1', '-a', '1'], { stderr: 'split: too many files\n', status: 1 },
      { cwd: d, stdin: Array.from({ length: 30 }, () => 'x\n').join('') });
    await expectRun('split', ['-n', '3', f, 'c'], {}, { cwd: d });
    assert.equal(statSync(join(d, 'caa')).size + statSync(join(d, 'cab')).size + statSync(join(d, 'cac')).size, statSync(f).size);
    await expectRun('split', ['-l', '0'], { stderr: 'split: 0: illegal line count\n', status: 64 });
  });
});

describe('env, which, nice, nohup, xargs', C, () => {
  test('env prints, sets, clears and runs', async () => {
    await expectRun('env', ['-i', 'A=1', 'B=2'], { stdout: 'A=1\nB=2\n' });
    await expectRun('env', ['-', 'A=1'], { stdout: 'A=1\n' });
    await expectRun('env', ['-i', 'A=1', '-'], { stderr: 'env: -: No such file or directory\n', status: 127 }, { exec: true });
    const r = await expectRun('env', ['-u', 'HOME'], {});
    assert.ok(!/^HOME=/m.test(r.stdout));
    await expectRun('env', ['X=42', 'printf', '%s\\n', 'ran'], { stdout: 'ran\n' }, { exec: true });
    await expectRun('env', ['nosuchprogram'], { stderr: 'env: nosuchprogram: No such file or directory\n', status: 127 }, { exec: true });
  });
  test('which finds programs in PATH', async () => {
    const ls = guestPath('ls');
    await expectRun('which', ['ls'], { stdout: `${ls}\n` });
    await expectRun('which', ['ls', 'nosuch'], { stdout: `${ls}\n`, status: 1 });
    await expectRun('which', ['-s', 'ls'], { stdout: '' });
    await expectRun('which', ['-a', 'ls'], { stdout: `${ls}\n` }, { env: { PATH: `${worldPath}:/nonexistent` } });
    await expectRun('which', [], { stderr: 'usage: which [-as] program ...\n', status: 1 });
  });
  test('nice and nohup run the utility; 127 when it is missing', async () => {
    await expectRun('nice', ['-n', '5', 'echo', 'hi'], { stdout: 'hi\n' }, { exec: true });
    await expectRun('nice', ['nosuch'], { stderr: 'nice: nosuch: No such file or directory\n', status: 127 }, { exec: true });
    await expectRun('nice', [], { stderr: /usage: nice/, status: 1 });
    await expectRun('nohup', ['echo', 'hup'], { stdout: 'hup\n' }, { exec: true });
    await expectRun('nohup', [], { stderr: /usage: nohup/, status: 127 });
  });
  test('xargs builds argument lists', async () => {
    await expectRun('xargs', [], { stdout: 'a b c\n' }, { stdin: 'a\nb  c\n', exec: true });
    await expectRun('xargs', ['-n', '2', 'echo', '>'], { stdout: '> a b\n> c d\n> e\n' }, { stdin: 'a b c d e', exec: true });
    await expectRun('xargs', ['echo'], { stdout: 'a b c d e\n' }, { stdin: '"a b" \'c\' d\\ e\n', exec: true });
    await expectRun('xargs', ['-0', 'echo'], { stdout: 'a b c\n' }, { stdin: 'a b\0c\0', exec: true });
    await expectRun('xargs', ['-I', '{}', 'echo', '[{}]'], { stdout: '[a b]\n[c]\n' }, { stdin: '  a b\nc\n', exec: true });
    await expectRun('xargs', ['-J', '%', 'echo', '%', 'end'], { stdout: 'x y end\n' }, { stdin: 'x y', exec: true });
    await expectRun('xargs', ['-t', 'echo'], { stdout: 'q\n', stderr: 'echo q\n' }, { stdin: 'q', exec: true });
    await expectRun('xargs', ['-E', 'STOP', 'echo'], { stdout: 'a\n' }, { stdin: 'a STOP b', exec: true });
  });
  test('xargs: empty input runs nothing; exit statuses', async () => {
    await expectRun('xargs', ['echo', 'x'], { stdout: '' }, { stdin: '', exec: true });
    await expectRun('xargs', ['false'], { status: 123 }, { stdin: 'a', exec: true });
    await expectRun('xargs', ['nosuch'], { status: 127, stderr: /xargs: nosuch: No such file or directory/ }, { stdin: 'a', exec: true });
    await expectRun('xargs', ['echo'], { stderr: 'xargs: unterminated quote\n', status: 1 }, { stdin: '"abc', exec: true });
  });
});
});
