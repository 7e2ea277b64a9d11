/*
 * diff and tar of the world against the host's GNU diff and GNU tar:
 * diff's output on generated files (up to 10k lines), its options and
 * exit statuses; tar archives made by GNU tar (gnu and pax formats, long
 * names, links) extracted by ours and ours listed and extracted by GNU.
 * Each tool's battery runs in one guest shell (one boot).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, guestPath, progPath, run, scratch } from './harness.ts';

const HOST_DIFF = spawnSync('sh', ['-c', 'command -v diff'], { encoding: 'utf8' }).stdout.trim();
const HOST_TAR = spawnSync('sh', ['-c', 'command -v tar'], { encoding: 'utf8' }).stdout.trim();
const HOST_PATCH = spawnSync('sh', ['-c', 'command -v patch'], { encoding: 'utf8' }).stdout.trim();

let dir = '';
before(async () => {
  const r = await ensureWorld();
  for (const p of ['diff', 'tar']) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('difftar');
});
after(() => cleanup(dir));

/** A small deterministic generator: the same files on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(lines: string[], n: number, rnd: () => number): string[] {
  const b = [...lines];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rnd() * b.length);
    const op = rnd();
    if (op < 0.33 && b.length > 0) b.splice(i, 1);
    else if (op < 0.66) b.splice(i, 0, `new ${Math.floor(rnd() * 1000)}`);
    else if (b.length > 0) b[i] = `chg ${b[i]}`;
  }
  return b;
}

interface Pair { name: string; a: string; b: string; exact: boolean }

function pairs(): Pair[] {
  const rnd = lcg(7);
  const gen = (n: number): string[] => Array.from({ length: n }, (_, i) => `line ${i} ${'abcdefg'[Math.floor(rnd() * 7)]}`);
  const out: Pair[] = [];
  const small = gen(10);
  out.push({ name: 'small', a: small.join('\n') + '\n', b: mutate(small, 3, rnd).join('\n') + '\n', exact: true });
  const mid = gen(200);
  out.push({ name: 'mid', a: mid.join('\n') + '\n', b: mutate(mid, 20, rnd).join('\n') + '\n', exact: true });
  const big = gen(10000);
  out.push({ name: 'big-few', a: big.join('\n') + '\n', b: mutate(big, 200, rnd).join('\n') + '\n', exact: false });
  out.push({ name: 'big-many', a: big.join('\n') + '\n', b: mutate(big, 2000, rnd).join('\n') + '\n', exact: false });
  const other = Array.from({ length: 3000 }, (_, i) => `other ${i}`);
  out.push({ name: 'disjoint', a: gen(3000).join('\n') + '\n', b: other.join('\n') + '\n', exact: true });
  const t = gen(50);
  out.push({ name: 'noeol', a: t.join('\n') + '\n', b: mutate(t, 5, rnd).join('\n'), exact: true });
  out.push({ name: 'empty-a', a: '', b: 'x\ny\n', exact: true });
  return out;
}

const FORMATS: string[][] = [[], ['-u'], ['-U1'], ['-c'], ['-U0']];

function hostDiff(args: string[], cwd: string): { out: string; status: number } {
  const r = spawnSync(HOST_DIFF, args, { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  return { out: r.stdout, status: r.status ?? -1 };
}

/** Headers carry mtimes (hostfs may round them): compared by pattern, the rest exactly. */
function body(s: string): string {
  return s.split('\n').filter((l) => !/^(---|\+\+\+|\*\*\*) \S+\t(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}|\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$/.test(l)).join('\n');
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Run shell lines in one guest shell, in directory d; each line's output and status come back by index. */
async function battery(d: string, cmds: string[]): Promise<Array<{ out: string; err: string; status: number }>> {
  const lines = cmds.map((c, i) => `( ${c} ) > ${join(d, `.o${i}`)} 2> ${join(d, `.e${i}`)}; echo $? > ${join(d, `.s${i}`)}`);
  writeFileSync(join(d, '.battery.sh'), `cd ${d}\nTZ=UTC; export TZ\n${lines.join('\n')}\n`);
  const r = await run('sh', [join(d, '.battery.sh')], { exec: true, timeoutMs: 300_000, cwd: d });
  assert.equal(r.status, 0, `battery: ${r.stderr}`);
  return cmds.map((_, i) => ({
    out: readFileSync(join(d, `.o${i}`), 'latin1'),
    err: readFileSync(join(d, `.e${i}`), 'utf8'),
    status: Number(readFileSync(join(d, `.s${i}`), 'utf8').trim()),
  }));
}

describe('diff', { skip: HOST_DIFF === '' ? 'no host diff' : false }, () => {
  const diff = guestPath('usr/bin/diff');
  const ps = pairs();
  let res: Array<{ out: string; err: string; status: number }> = [];
  const cmds: string[] = [];
  const index = new Map<string, number>();
  let d = '';

  before(async () => {
    d = join(dir, 'diff');
    mkdirSync(d, { recursive: true });
    for (const p of ps) {
      mkdirSync(join(d, p.name), { recursive: true });
      writeFileSync(join(d, p.name, 'a'), p.a);
      writeFileSync(join(d, p.name, 'b'), p.b);
      for (const f of FORMATS) {
        index.set(`${p.name} ${f.join(' ')}`, cmds.length);
        cmds.push(`cd ${join(d, p.name)} && ${diff} ${f.join(' ')} a b`);
      }
    }
    // options, directories, statuses
    writeFileSync(join(d, 'w1'), 'Hello  World\nsame\n');
    writeFileSync(join(d, 'w2'), 'hello world \nsame\n');
    for (const o of ['-i', '-b', '-w', '-ib', '-iw', '-q']) {
      index.set(`ws ${o}`, cmds.length);
      cmds.push(`${diff} ${o} w1 w2`);
    }
    for (const [p, t] of [['d1/f', 'a\n'], ['d2/f', 'b\n'], ['d1/s', 'same\n'], ['d2/s', 'same\n'], ['d1/sub/g', 'x\n'],
      ['d2/sub/g', 'y\n'], ['d2/new', 'z\n'], ['d1/only1/q', 'q\n']] as const) {
      mkdirSync(join(d, p, '..'), { recursive: true });
      writeFileSync(join(d, p), t);
    }
    for (const o of ['', '-r', '-ru', '-rq', '-rN', '-rNu']) {
      index.set(`dirs ${o}`, cmds.length);
      cmds.push(`${diff} ${o} d1 d2`);
    }
    writeFileSync(join(d, 'bin1'), Buffer.from([0, 1, 2]));
    writeFileSync(join(d, 'bin2'), Buffer.from([0, 1, 3]));
    index.set('binary', cmds.length);
    cmds.push(`${diff} bin1 bin2`);
    index.set('missing', cmds.length);
    cmds.push(`${diff} nonexistent w1`);
    index.set('same', cmds.length);
    cmds.push(`${diff} w1 w1`);
    index.set('stdin', cmds.length);
    cmds.push(`${diff} - w2 < w1`);
    index.set('usage', cmds.length);
    cmds.push(`${diff} w1`);
    res = await battery(d, cmds);
  });

  for (const p of pairs()) {
    for (const f of FORMATS) {
      test(`${p.name} ${f.join(' ') || '(normal)'} like GNU diff`, () => {
        const r = res[index.get(`${p.name} ${f.join(' ')}`)!];
        const h = hostDiff([...f, 'a', 'b'], join(d, p.name));
        assert.equal(r.status, h.status, r.err);
        if (f[0] === '-c') assert.match(r.out, /^\*\*\* a\t\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n--- b\t/);
        else if (f.length > 0) assert.match(r.out, /^--- a\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n\+\+\+ b\t/);
        if (p.exact) assert.equal(body(r.out), body(h.out));
        else {
          // Large inputs: as short an edit as GNU's, and it patches a into b.
          const changed = (s: string): number => s.split('\n').filter((l) => /^[<>]/.test(l)).length;
          if (f.length === 0) assert.equal(changed(r.out), changed(h.out));
        }
      });
    }
    test(`${p.name}: -u output patches a into b`, { skip: HOST_PATCH === '' ? 'no host patch' : false }, () => {
      const r = res[index.get(`${p.name} -u`)!];
      const w = join(d, p.name, 'patched');
      writeFileSync(w, p.a);
      const pr = spawnSync(HOST_PATCH, ['-s', w], { input: r.out, encoding: 'utf8' });
      assert.equal(pr.status, 0, pr.stderr + pr.stdout);
      assert.equal(readFileSync(w, 'utf8'), p.b);
    });
  }

  test('10k-line files compare quickly enough', () => {
    // The edit script of 2000 changes in 10k lines has GNU's length (minimal).
    const r = res[index.get('big-many ')!];
    const h = hostDiff(['a', 'b'], join(d, 'big-many'));
    assert.equal(r.out.split('\n').length, h.out.split('\n').length);
  });

  test('-i -b -w -q', () => {
    for (const o of ['-i', '-b', '-w', '-ib', '-iw', '-q']) {
      const r = res[index.get(`ws ${o}`)!];
      const h = hostDiff([o, 'w1', 'w2'], d);
      assert.equal(r.out, h.out, o);
      assert.equal(r.status, h.status, o);
    }
  });

  test('directories: Only in, -r, -q, -N', () => {
    for (const o of ['', '-r', '-ru', '-rq', '-rN', '-rNu']) {
      const r = res[index.get(`dirs ${o}`)!];
      const h = hostDiff([...(o ? [o] : []), 'd1', 'd2'], d);
      assert.equal(body(r.out).replace(/\t.*$/gm, ''), body(h.out).replace(/\t.*$/gm, ''), o);
      assert.equal(r.status, 1, o);
    }
    assert.match(res[index.get('dirs ')!].out, /^Common subdirectories: d1\/sub and d2\/sub$/m);
    assert.match(res[index.get('dirs -r')!].out, /^Only in d2: new\nOnly in d1: only1$/m);
  });

  test('binary, missing, same, stdin, usage', () => {
    assert.deepEqual(res[index.get('binary')!], { out: 'Binary files bin1 and bin2 differ\n', err: '', status: 1 });
    const m = res[index.get('missing')!];
    assert.equal(m.status, 2);
    assert.equal(m.err, 'diff: nonexistent: No such file or directory\n');
    assert.deepEqual(res[index.get('same')!], { out: '', err: '', status: 0 });
    const s = res[index.get('stdin')!];
    assert.equal(s.out, '1c1\n< Hello  World\n---\n> hello world \n');
    assert.equal(s.status, 1);
    const u = res[index.get('usage')!];
    assert.equal(u.status, 2);
    assert.match(u.err, /^usage: diff /);
  });
});

/** Everything about a tree that tar must keep: type, mode, mtime, bytes, link targets, hard links. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const inodes = new Map<number, string>();
  const walk = (rel: string): void => {
    const p = join(root, rel);
    const st = lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out.push(`${rel} link -> ${readlinkSync(p)}`);
    else if (st.isDirectory()) {
      out.push(`${rel}/ dir ${mode} ${Math.floor(st.mtimeMs / 1000)}`);
      for (const e of readdirSync(p).sort()) walk(rel ? `${rel}/${e}` : e);
    } else {
      const first = inodes.get(st.ino);
      if (first === undefined) inodes.set(st.ino, rel);
      out.push(`${rel} file ${mode} ${Math.floor(st.mtimeMs / 1000)} ${readFileSync(p).toString('base64').slice(0, 80)} ${st.size}` +
        (first !== undefined ? ` same-as ${first}` : ''));
    }
  };
  walk('');
  return out;
}

describe('tar', { skip: HOST_TAR === '' ? 'no host tar' : false }, () => {
  const tar = guestPath('usr/bin/tar');
  let d = '';
  let res: Array<{ out: string; err: string; status: number }> = [];
  let want: string[] = [];
  const long1 = 'n'.repeat(120);
  const long2 = 'm'.repeat(90);
  const longLink = `../${'t'.repeat(120)}`;

  before(async () => {
    d = join(dir, 'tar');
    const src = join(d, 'src');
    mkdirSync(join(src, 'sub', 'deeper', long1), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'hello\n');
    const bin = Buffer.alloc(100_000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
    writeFileSync(join(src, 'bin'), bin, { mode: 0o600 });
    linkSync(join(src, 'a.txt'), join(src, 'hard'));
    symlinkSync('a.txt', join(src, 'link'));
    symlinkSync(longLink, join(src, 'longlink'));
    writeFileSync(join(src, 'sub', 'deeper', long1, long2), 'long\n');
    writeFileSync(join(src, 'exec.sh'), '#!/bin/sh\n', { mode: 0o751 });
    spawnSync('chmod', ['750', join(src, 'sub')]);
    const t = new Date('2020-01-02T03:04:05Z');
    for (const p of ['a.txt', 'bin', 'exec.sh', `sub/deeper/${long1}/${long2}`, `sub/deeper/${long1}`, 'sub/deeper', 'sub', '']) {
      utimesSync(join(src, p), t, t);
    }
    want = snapshot(src);
    for (const [name, fmt] of [['gnu', 'gnu'], ['pax', 'pax'], ['ustar', 'ustar']] as const) {
      const r = spawnSync(HOST_TAR, [`--format=${fmt}`, '-cf', join(d, `${name}.tar`), '-C', d, 'src'], { encoding: 'utf8' });
      if (fmt !== 'ustar') assert.equal(r.status, 0, r.stderr);
    }
    for (const n of ['gnu', 'pax', 'ours', 'bundled', 'evil', 'dotdot']) mkdirSync(join(d, `x-${n}`));
    // hostile archives: a symlink to somewhere else, then a file "through" it; a "../" name
    mkdirSync(join(d, 'evil'));
    symlinkSync(join(d, 'target'), join(d, 'evil', 'x'));
    writeFileSync(join(d, 'evil', 'passwd'), 'evil\n');
    let h = spawnSync(HOST_TAR, ['-cf', join(d, 'evil.tar'), '-C', join(d, 'evil'), 'x'], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    h = spawnSync(HOST_TAR, ['-rf', join(d, 'evil.tar'), '-C', join(d, 'evil'), '--transform', 's,^passwd,x/passwd,', 'passwd'], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    h = spawnSync(HOST_TAR, ['-P', '--transform', 's,^passwd,../escaped,', '-cf', join(d, 'dotdot.tar'), '-C', join(d, 'evil'), 'passwd'], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    res = await battery(d, [
      `${tar} -xpf gnu.tar -C x-gnu`,
      `${tar} -xpf pax.tar -C x-pax`,
      `${tar} -tf gnu.tar`,
      `${tar} -tvf pax.tar`,
      `${tar} -cf ours.tar src`,
      `${tar} cf - src | ${tar} xpf - -C x-bundled`,
      `${tar} -czf z.tar src`,
      `${tar} -tf nonexistent.tar`,
      `${tar} -xvf ours.tar -C x-ours src/a.txt`,
      `printf 'garbage%.0s' $(seq 1 100) > bad.tar; ${tar} -tf bad.tar`,
      `${tar} -xf evil.tar -C x-evil`,
      `${tar} -xf dotdot.tar -C x-dotdot`,
    ]);
  });

  test('extracts GNU tar archives (gnu and pax formats): names, modes, mtimes, links', () => {
    assert.equal(res[0].status, 0, res[0].err);
    assert.deepEqual(snapshot(join(d, 'x-gnu', 'src')), want);
    assert.equal(res[1].status, 0, res[1].err);
    assert.deepEqual(snapshot(join(d, 'x-pax', 'src')), want);
  });

  test('lists GNU archives', () => {
    const gnu = spawnSync(HOST_TAR, ['-tf', join(d, 'gnu.tar')], { encoding: 'utf8' }).stdout;
    assert.equal(res[2].out, gnu);
    assert.match(res[3].out, /^-rw------- root\/root +100000 Jan  2  2020 src\/bin$/m);
    assert.match(res[3].out, /^lrwxrwxrwx .* src\/link -> a\.txt$/m);
  });

  test('GNU tar lists and extracts our archive', () => {
    assert.equal(res[4].status, 0, res[4].err);
    const ours = join(d, 'ours.tar');
    assert.equal(readFileSync(ours).length % 10240, 0, 'whole records');
    const list = spawnSync(HOST_TAR, ['-tf', ours], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const names = list.stdout.trim().split('\n').sort();
    assert.ok(names.includes(`src/sub/deeper/${long1}/${long2}`), names.join('\n'));
    assert.ok(names.includes('src/longlink'));
    const x = join(d, 'x-host');
    mkdirSync(x);
    const ex = spawnSync(HOST_TAR, ['-xpf', ours, '-C', x], { encoding: 'utf8' });
    assert.equal(ex.status, 0, ex.stderr);
    assert.deepEqual(snapshot(join(x, 'src')), want);
  });

  test('bundled options and pipes: tar cf - | tar xpf -', () => {
    assert.equal(res[5].status, 0, res[5].err);
    assert.deepEqual(snapshot(join(d, 'x-bundled', 'src')), want);
  });

  test('errors: -z, a missing archive, a damaged one', () => {
    assert.equal(res[6].status, 1);
    assert.match(res[6].err, /^tar: gzip compression is not available/);
    assert.equal(res[7].status, 1);
    assert.match(res[7].err, /^tar: nonexistent\.tar: No such file or directory\n$/);
    assert.equal(res[9].status, 1);
    assert.match(res[9].err, /^tar: Damaged tar archive/);
  });

  test('refuses to extract through a symbolic link or above the directory', () => {
    assert.equal(res[10].status, 1);
    assert.match(res[10].err, /x\/passwd: cannot extract through a symbolic link/);
    assert.ok(!existsSync(join(d, 'target')));
    assert.equal(res[11].status, 1);
    assert.match(res[11].err, /\.\.\/escaped: path contains '\.\.' or is absolute: not extracted/);
    assert.ok(!existsSync(join(d, 'escaped')));
  });

  test('extracting selected members, -v', () => {
    assert.equal(res[8].status, 0, res[8].err);
    assert.equal(res[8].err, 'x src/a.txt\n');
    assert.deepEqual(readdirSync(join(d, 'x-ours', 'src')), ['a.txt']);
    assert.equal(readFileSync(join(d, 'x-ours', 'src', 'a.txt'), 'utf8'), 'hello\n');
  });
});
