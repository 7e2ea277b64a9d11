/*
 * The world's editors and pagers: ed, less/more, man, vi.
 *
 * ed, less as a filter and man run from pipes under qemu-riscv64 (see
 * harness.ts).  Screen programs need a terminal: a small Python driver
 * (its pty module) runs them on a pseudo-terminal, types keys (arrow keys
 * as the escape sequences a terminal sends), and reports what the program
 * drew, its exit status and the terminal's modes afterwards; the tests
 * then check the bytes of the files written.  Once, vi also runs inside
 * our kernel: the world booted on bin/vkernel, a file edited over its
 * console and checked with md5 and cat.
 *
 *   EDITORS_TEST_LOG=1   print the console transcript of the kernel test
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, expectRun, GROOT, progPath, ROOT, run, scratch } from './harness.ts';
import { hostfsWorld, VkConsole } from './console.ts';

/** The manual as the programs see it (our kernel: /usr/share/man; qemu: in the tree). */
const MAN = `${GROOT}/usr/share/man`;
const ESC = '\x1b';
const UP = `${ESC}[A`, DOWN = `${ESC}[B`, RIGHT = `${ESC}[C`, LEFT = `${ESC}[D`;
let dir = '';
let driver = '';

/* The pty driver: JSON on stdin (argv, env, cwd, window size, steps), JSON out. */
const DRIVER = String.raw`
import fcntl, json, os, pty, select, signal, struct, sys, termios, time
spec = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', spec.get('rows', 24), spec.get('cols', 80), 0, 0))
    os.chdir(spec['cwd'])
    os.execve(spec['argv'][0], spec['argv'], spec['env'])
out = b''
mark = 0
err = None
def pump(t):
    global out
    r, _, _ = select.select([fd], [], [], t)
    if not r:
        return True
    try:
        b = os.read(fd, 65536)
    except OSError:
        return False
    if not b:
        return False
    out += b
    return True
for st in spec['steps']:
    if 'wait' in st:
        want = st['wait'].encode('latin1')
        end = time.time() + st.get('timeout', 60)
        while out.find(want, mark) < 0:
            alive = pump(0.2)
            if out.find(want, mark) >= 0:
                break
            if time.time() > end or not alive:
                err = 'no %r on the screen' % st['wait']
                break
        if err:
            break
        mark = out.find(want, mark) + len(want)
    elif 'send' in st:
        os.write(fd, st['send'].encode('latin1'))
    elif 'winsize' in st:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', st['winsize'][0], st['winsize'][1], 0, 0))
    elif 'signal' in st:
        os.kill(pid, st['signal'])
status = None
end = time.time() + (5 if err else 60)
while status is None and time.time() < end:
    alive = pump(0.1)
    p, s = os.waitpid(pid, os.WNOHANG)
    if p:
        status = s
    elif not alive:
        time.sleep(0.05)
while pump(0.05):
    pass
lflag = termios.tcgetattr(fd)[3]
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    err = err or 'still running'
    code = -1
else:
    code = os.waitstatus_to_exitcode(status)
print(json.dumps({'status': code, 'error': err, 'out': out.decode('latin1'),
                  'canonical': bool(lflag & termios.ICANON), 'echo': bool(lflag & termios.ECHO)}))
`;

type Step = { wait: string; timeout?: number } | { send: string } | { winsize: [number, number] } | { signal: number };

interface PtyResult {
  status: number;
  error: string | null;
  out: string;
  /** the terminal's modes once the program is gone: restored? */
  canonical: boolean;
  echo: boolean;
}

/** Run a world program on a pseudo-terminal, following the steps. */
function onPty(prog: string, args: string[], steps: Step[], opts: { rows?: number; cols?: number; shell?: string } = {}): Promise<PtyResult> {
  const bin = progPath(prog);
  const argv = opts.shell !== undefined
    ? ['/bin/sh', '-c', opts.shell]
    : ['/usr/bin/qemu-riscv64', '-L', ROOT, bin, ...args];
  const spec = {
    argv, cwd: dir, rows: opts.rows ?? 24, cols: opts.cols ?? 80, steps,
    env: { TERM: 'xterm', HOME: '/', LC_ALL: 'C', PATH: '/usr/bin:/bin' },
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [driver], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as PtyResult);
      } catch {
        reject(new Error(`pty driver: ${err || out}`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

const read = (name: string): string => readFileSync(join(dir, name), 'latin1');

/** vi on a file: wait for its first screen, type the keys (one string each step), expect a clean exit. */
async function vi(name: string, first: string, keys: string[], args: string[] = [], rows = 24, cols = 80): Promise<PtyResult> {
  const steps: Step[] = [{ wait: first }];
  for (const k of keys) steps.push(k.startsWith('\0wait:') ? { wait: k.slice(6) } : { send: k });
  const r = await onPty('vi', [...args, name], steps, { rows, cols });
  assert.equal(r.error, null, `${r.error}; the screen said:\n${r.out.slice(-1500)}`);
  assert.equal(r.status, 0, `vi exit status; screen:\n${r.out.slice(-1500)}`);
  assert.ok(r.canonical && r.echo, 'vi left the terminal in raw mode');
  return r;
}
const waitFor = (s: string): string => `\0wait:${s}`;

before(async () => {
  const r = await ensureWorld();
  for (const p of ['vi', 'ed', 'less', 'more', 'man']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('editors');
  driver = join(dir, 'ptydrive.py');
  writeFileSync(driver, DRIVER);
});
after(() => cleanup(dir));

const RC = 'hostname="vkernel"\nsshd_enable="NO"\n# comment\nifconfig_vke0="DHCP"\n';

describe('editors', { concurrency: 4 }, () => {
describe('ed', { concurrency: 4 }, () => {
  test('addresses, printing, byte counts, w and q', async () => {
    const f = file('ed1.txt', 'one\ntwo\nthree\nfour\n');
    await expectRun('ed', [f], {
      stdout: '19\none\ntwo\nthree\nfour\ntwo\nthree\none\n4\n3\tthree\n4\tfour\nthree$\n3\n3\n' +
        'one\nfour\n9\n',
    }, {
      stdin: ',p\n2\n/thr/\n?one?\n$=\n3,$n\n.-1l\n/four/-=\n2;+1=\n2,3d\n,p\nw\nq\n',
    });
    assert.equal(read('ed1.txt'), 'one\nfour\n');
  });

  test('a i c, s with g & \\1 and line breaks, j m t, marks, u', async () => {
    const f = file('ed2.txt', 'alpha beta\ngamma\n');
    const r = await expectRun('ed', ['-s', f], {}, {
      stdin: [
        '1a', 'inserted', '.',
        '0i', 'top', '.',
        '$c', 'GAMMA', '.',
        '2s/\\(a\\)\\(l\\)/\\2\\1/',
        '2s/a/A/g',
        '3s/e/[&]/',
        '1s/o/0\\', 'X/',	// a line break in the replacement
        'kx',
        '3,4j',
        "'xp",
        '1,2j',
        '1t$',
        '$m0',
        'u', 'u',	// undo, and undo the undo
        ',n',
        'w', 'q', '',
      ].join('\n'),
    });
    assert.equal(r.stdout, 'Xp\n1\tt0Xp\n2\tt0Xp\n3\tlAphA betAins[e]rted\n4\tGAMMA\n');
    assert.equal(read('ed2.txt'), 't0Xp\nt0Xp\nlAphA betAins[e]rted\nGAMMA\n');
  });

  test('g and v with command lists; r, W and f', async () => {
    const f = file('ed3.txt', 'a1\nb2\na3\nb4\n');
    const g = file('ed3-extra.txt', 'extra\n');
    const out = join(dir, 'ed3-out.txt');
    await expectRun('ed', [f], { stdout: `12\nA1\nA3\nb2\nb4\n6\n${out}\n18\n3\n5\n` }, {
      stdin: `g/^a/s/a/A/\\\np\nv/A/p\n$r ${g}\nf ${out}\nw\n1W\n.=\nQ\n`,
    });
    assert.equal(readFileSync(out, 'utf8'), 'A1\nb2\nA3\nb4\nextra\nA1\n');
  });

  test('errors: ? with h and H; a script stops with 2; q warns about changes once', async () => {
    const f = file('ed4.txt', 'x\n');
    let r = await run('ed', ['-s', f], { stdin: '5p\nh\n' });
    assert.equal(r.stderr, '?\n');
    assert.equal(r.status, 2);
    r = await run('ed', ['-s', f], { stdin: 'H\nzz\n' });
    assert.equal(r.stderr, '?\nscript, line 2: unknown command\n');
    assert.equal(r.status, 2);
    r = await run('ed', [f], { stdin: 'd\nq\n' });
    assert.equal(r.stdout, '2\n');
    assert.equal(r.stderr, '?\n');
    assert.equal(r.status, 2);
    assert.equal(read('ed4.txt'), 'x\n');
    await expectRun('ed', [f], { stdout: '2\n', stderr: '' }, { stdin: 'd\nQ\n' });
    r = await run('ed', ['-q']);
    assert.match(r.stderr, /usage: ed \[-\] \[-s\] \[-p string\] \[file\]/);
    assert.equal(r.status, 1);
  });

  test('a new file; a file without a final newline; prompt', async () => {
    const nf = join(dir, 'ed-new.txt');
    const r = await run('ed', [nf], { stdin: 'a\nhello\n.\nw\nq\n' });
    assert.equal(r.stdout, '6\n');
    assert.match(r.stderr, /ed-new\.txt: No such file or directory/);
    assert.equal(read('ed-new.txt'), 'hello\n');
    const nn = file('ed-nonl.txt', 'no newline');
    const r2 = await run('ed', ['-p', '* ', nn], { stdin: ',p\nw\nq\n' });
    assert.equal(r2.stdout, '10\n* no newline\n* 11\n* ');
    assert.equal(r2.stderr, 'newline appended\n');
    assert.equal(read('ed-nonl.txt'), 'no newline\n');
    // s with a count: only the Nth match; then s alone repeats, g toggled on.
    const sn = file('ed-sn.txt', 'aaaa\nbaaa\n');
    await expectRun('ed', ['-s', sn], { stdout: 'abaa\nbbbb\n' }, { stdin: '1s/a/b/2\n2s\n2sg\n,p\nQ\n' });
  });
});

describe('less, more and man from pipes', { concurrency: 4 }, () => {
  test('less and more copy their input when the output is not a terminal', async () => {
    const f = file('pager.txt', 'a\tb\nc\x01d\n');
    await expectRun('less', [f], { stdout: 'a\tb\nc\x01d\n' });
    await expectRun('less', ['-N'], { stdout: 'one\ntwo\n' }, { stdin: 'one\ntwo\n' });
    await expectRun('more', [f, f], { stdout: 'a\tb\nc\x01d\na\tb\nc\x01d\n' });
    await expectRun('less', [join(dir, 'nope')], { stderr: /less: .*nope: No such file or directory/, status: 1 });
  });

  test('man prints pages, by section too; MANPATH and -M; missing pages', async () => {
    const env = { MANPATH: MAN };
    const r = await expectRun('man', ['ed'], { stdout: /^ED\(1\)/ }, { env });
    assert.equal(r.stdout, readFileSync(join(ROOT, 'usr', 'share', 'man', 'man1', 'ed.1'), 'utf8'));
    await expectRun('man', ['1', 'vi'], { stdout: /vi - screen oriented \(visual\) display editor/ }, { env });
    await expectRun('man', ['-M', MAN, 'less'], { stdout: /less, more - page through text/ });
    await expectRun('man', ['-M', MAN, 'more'], { stdout: /^LESS\(1\)/ });
    await expectRun('man', ['nosuchpage'], { stdout: '', stderr: 'No manual entry for nosuchpage\n', status: 1 }, { env });
    await expectRun('man', ['8', 'vi'], { stderr: 'No entry for vi in section 8 of the manual\n', status: 1 }, { env });
    await expectRun('man', [], { stderr: 'What manual page do you want?\n', status: 1 }, { env });
    // Both pages, and a status of 1 for the one missing.
    const two = await run('man', ['ed', 'nosuch', 'man'], { env });
    assert.match(two.stdout, /^ED\(1\)[^]*MAN\(1\)/);
    assert.equal(two.status, 1);
  });

  test('man -k, apropos and whatis read the NAME lines', async () => {
    const env = { MANPATH: MAN };
    await expectRun('man', ['-k', 'PATTERN searcher'], { stdout: 'grep, egrep, fgrep(1) - file pattern searcher\n' }, { env });
    await expectRun('apropos', ['editor'], { stdout: /^ed\(1\) - text editor\n/m }, { env });
    await expectRun('apropos', ['editor'], { stdout: /^vi\(1\) - screen oriented \(visual\) display editor$/m }, { env });
    await expectRun('whatis', ['more'], { stdout: 'less, more(1) - page through text\n' }, { env });
    await expectRun('apropos', ['zzqqxx'], { stdout: '', stderr: 'zzqqxx: nothing appropriate\n', status: 1 }, { env });
  });
});

describe('less and more on a terminal', { concurrency: 4 }, () => {
  test('less pages, searches, goes to the end, shows (END) and line numbers; q restores the terminal', async () => {
    const f = file('hundred.txt', Array.from({ length: 100 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
    const r = await onPty('less', ['-N', f], [
      { wait: 'hundred.txt' }, { send: ' ' }, { wait: '     46 row 46' },
      { send: '/row 77\r' }, { wait: '     77 row 77' },
      { send: 'G' }, { wait: '(END)' }, { send: 'g' }, { wait: '      1 row 1' }, { send: 'q' },
    ]);
    assert.equal(r.error, null, r.out.slice(-800));
    assert.equal(r.status, 0);
    assert.ok(r.canonical && r.echo);
    assert.doesNotMatch(r.out, /row 47\x1b/);	// a screen is 23 lines: 24..46 after one space
  });

  test('more reads a pipe, keys from /dev/tty, --More--(NN%) for files, and ends at the end', async () => {
    const f = join(dir, 'hundred.txt');
    writeFileSync(f, Array.from({ length: 100 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
    const more = `/usr/bin/qemu-riscv64 -L ${ROOT} ${progPath('more')}`;
    let r = await onPty('more', [], [
      { wait: '--More--' }, { send: ' ' }, { wait: 'row 46' }, { wait: '--More--' },
      { send: ' ' }, { wait: 'row 69' }, { send: ' ' }, { wait: 'row 92' }, { send: ' ' }, { wait: 'rc=' },
    ], { shell: `cat ${f} | ${more}; echo rc=$?` });
    assert.equal(r.error, null, r.out.slice(-800));
    assert.match(r.out, /row 100\x1b\[K[^]*rc=0/);
    r = await onPty('more', [f], [{ wait: '--More--(' }, { send: 'q' }]);
    assert.equal(r.status, 0);
    // 23 of 100 lines: 152 of 692 bytes.
    assert.match(r.out, /--More--\(21%\)/);
  });
});

describe('vi on a pseudo-terminal', { concurrency: 4 }, () => {
  test('edit rc.conf with the arrow keys: move, insert, delete, save, quit', async () => {
    file('rc.conf', RC);
    const want = 'hostname="vkernel" # name\nsshd_enable="YES"\nifconfig_vke0="SYNCDHCP"\n';
    const r = await vi('rc.conf', `"rc.conf" 4 lines, ${RC.length} characters`, [
      `${DOWN}${DOWN}${DOWN}$`,	// last line, its end
      `${LEFT}${LEFT}${LEFT}${LEFT}`, 'x', 'x', 'x', 'x', `iSYNCDHCP${ESC}`,
      `${UP}dd`,	// the comment goes
      `${UP}0fN`, 'cwYES', ESC,
      `${ESC}OA`, `A # name${ESC}`,	// the ESC O A form of up
      ':wq\r',
    ]);
    assert.equal(read('rc.conf'), want);
    assert.ok(r.out.includes(`"rc.conf" 3 lines, ${want.length} characters`));
    assert.match(r.out, /\[Modified\]/);
  });

  test('a new file: insert mode, o and O, Enter, backspace, :w then :q', async () => {
    const r = await vi('new.txt', '"new.txt": new file', [
      'ihello', '\r', 'wrld', `${LEFT}${LEFT}${LEFT}o`, ESC,	// "world"
      'ggObefore', ESC, 'Go', 'last\x7f\x7f\x7f\x7fend', ESC, ':w\r', waitFor('4 lines, 23 characters'), ':q\r',
    ]);
    assert.equal(read('new.txt'), 'before\nhello\nworld\nend\n');
    assert.match(r.out, /"new\.txt" 4 lines, 23 characters/);
  });

  test('motions and counts: w b e 0 ^ $ gg nG, x X D J r ~, 3x, 2dd past the end', async () => {
    file('m.txt', 'one two three\n   four five\nsix\nseven eight\nnine\n');
    await vi('m.txt', '5 lines', [
      'wwx',	// "three" loses its t
      'bde',	// "two" goes
      '2G^D',	// the indent stays
      'gg$X',	// the character before the last
      '3G~~~',
      '4G0e3x',	// from the end of "seven"
      'G2dd',	// only one line left from here: nothing happens
      'ggJ',	// a blank line joins without a space
      '4Gr!',
      ':wq\r',
    ]);
    assert.equal(read('m.txt'), 'one  hre\nSIX\nseveight\n!ine\n');
  });

  test('search, substitute, undo, redo, repeat, yank and put', async () => {
    file('s.txt', 'apple pie\nbanana split\ncherry pie\napple tart\n');
    const r = await vi('s.txt', '4 lines', [
      '/pie\r', 'n', 'cwTART', ESC,	// the second "pie" (cherry's)
      '?apple\r', 'N',	// back to line 1, then forward to line 4
      'D', 'u', '\x12', 'u',	// undo, redo, undo the D
      ':%s/a/A/g\r', 'u',
      ':2,3s/\\(b\\)\\(an\\)/\\2\\1-&/\r',
      'ggyyGp',
      '/apple\r',	// from the last line: round to the first
      '0x..', 'j.',
      ':wq\r',
    ]);
    assert.equal(read('s.txt'), 'le pie\nnb-banana split\ncherry TART\napple tart\napple pie\n');
    assert.match(r.out, /Search wrapped/);
  });

  test(':q refuses a modified file, :q! leaves it; -R refuses :w; :w! writes', async () => {
    file('q.txt', 'keep\n');
    let r = await vi('q.txt', '1 line', ['x', ':q\r', waitFor('File modified since last complete write'), ':q!\r']);
    assert.equal(read('q.txt'), 'keep\n');
    r = await vi('q.txt', '[readonly]', ['x', ':w\r', waitFor('Read-only file, not written'), ':w!\r', waitFor('1 line, 4 characters'), ':q\r'], ['-R']);
    assert.equal(read('q.txt'), 'eep\n');
    // A directory that does not exist: the write fails, the buffer stays modified.
    r = await vi('q.txt', '1 line', ['x', ':w /nonexistent/dir/f\r', waitFor('No such file or directory'), 'ZQ']);
    assert.equal(read('q.txt'), 'eep\n');
    assert.match(r.out, /\/nonexistent\/dir\/f: No such file or directory/);
  });

  test('long lines wrap, tabs expand; files without a final newline; :set nu; ^C ends insert', async () => {
    const long = 'x'.repeat(150) + 'END';
    file('long.txt', `\tTAB\n${long}\nlast without newline`);
    const r = await vi('long.txt', '[Incomplete last line]', [
      ':set nu\r', 'j$', 'aMORE\x03',	// ^C leaves insert mode like ESC
      'gg0x', ':x\r',
    ]);
    assert.equal(read('long.txt'), `TAB\n${long}MORE\nlast without newline\n`);
    // The tab shown as spaces after the line number; the long line folded onto a second row.
    assert.match(r.out, / {5}1 {2} {8}TAB/);
    assert.match(r.out, /x{72}\x1b\[K\x1b\[3;1H {8}x{72}/);
  });

  test('SIGWINCH: a resize redraws for the new size; SIGTERM restores the terminal', async () => {
    file('w.txt', 'resize me\n');
    let r = await onPty('vi', ['w.txt'], [
      { wait: '1 line' }, { winsize: [30, 100] }, { send: '\x0c' }, { wait: '\x1b[30;1H' },
      { send: 'A!\x1b:wq\r' },
    ]);
    assert.equal(r.error, null, r.out.slice(-800));
    assert.equal(r.status, 0);
    assert.equal(read('w.txt'), 'resize me!\n');
    r = await onPty('vi', ['w.txt'], [{ wait: '1 line' }, { send: 'ihalf' }, { wait: 'Insert' }, { signal: 15 }]);
    assert.equal(r.status, -15);	// killed by the signal, raised again after the restore
    assert.ok(r.canonical && r.echo, 'the terminal stays raw after SIGTERM');
    assert.equal(read('w.txt'), 'resize me!\n');
  });

  test('marks follow their lines; :r reads a file in; ex ranges with marks and patterns', async () => {
    file('mk.txt', 'a\nb\nc\nd\n');
    file('mk-in.txt', 'read in\n');
    await vi('mk.txt', '4 lines', [
      'jjma',	// mark "c"
      `ggOnew${ESC}`,	// "c" moves down a line
      "'add",
      ':r mk-in.txt\r',	// after the current line ("d", where the cursor went)
      ":/^b/,/^d/s/$/!/\r",
      ':wq\r',
    ]);
    assert.equal(read('mk.txt'), 'new\na\nb!\nd!\nread in\n');
  });

  test('not a terminal: a clean error', async () => {
    await expectRun('vi', ['x'], { stderr: 'vi: standard input is not a terminal\n', status: 1 });
  });
});

/* ---------------- vi inside our kernel ---------------- */


describe('vi in our kernel', () => {
  let c: VkConsole | undefined;
  after(() => {
    if (c && process.env.EDITORS_TEST_LOG) process.stderr.write(`\n----- console -----\n${c.out.replace(/\r/g, '')}`);
    c?.kill();
  });

  test('boot the world, edit a file over the console with vi, check it with md5 and cat', { timeout: 600_000 }, async () => {
    const cwd = join(dir, 'vkernel');
    mkdirSync(cwd, { recursive: true });
    chmodSync(cwd, 0o755);
    c = new VkConsole(hostfsWorld(ROOT), { cwd, timeoutMs: 120_000 });
    await c.expect('login: ', 300_000);
    c.type('root\n');
    await c.expect('root@vkernel:~ # ');
    c.type("printf 'first line\\nsecond line\\n' > /tmp/t.txt; vi /tmp/t.txt\n");
    await c.expect('"/tmp/t.txt" 2 lines, 23 characters');
    // Keys as a terminal sends them; the screen is redrawn after each.
    c.type(`${DOWN}$`);
    await c.expect('2,11');
    c.type(`a!${ESC}`);
    await c.expect('2,12');
    c.type(`${UP}0cwFIRST${ESC}`);
    await c.expect('[Modified]');
    c.type('Onew top');
    await c.expect('Insert');
    c.type(`${ESC}:wq\r`);
    await c.expect('"/tmp/t.txt" 3 lines, 32 characters');
    await c.expect('root@vkernel:~ # ');
    const want = 'new top\nFIRST line\nsecond line!\n';
    c.type('md5 /tmp/t.txt; cat /tmp/t.txt; stty -a | grep -c -- -icanon\n');
    await c.expect(`MD5 (/tmp/t.txt) = ${createHash('md5').update(want).digest('hex')}`);
    await c.expect(want.replace(/\n/g, '\r\n'));
    await c.expect('0\r\nroot@vkernel:~ # ');	// no "-icanon": vi gave the console back in canonical mode
    c.type('halt\n');
    await c.expect('The operating system has halted.');
  });
});
});
