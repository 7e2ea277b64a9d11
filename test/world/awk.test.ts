/*
 * awk of the world: a battery of programs with their expected output
 * written down (POSIX behaviour, one-true-awk where POSIX leaves a choice),
 * run in one guest shell so that the whole battery costs one boot.  Cases
 * marked `portable` are also run through the host's mawk, when it is
 * installed, as a second oracle.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, guestPath, progPath, run, scratch } from './harness.ts';

interface Case {
  name: string;
  /** the program, run with -f (absent with noprog) */
  prog?: string;
  input?: string;
  /** extra operands and options, before the program file (-f) */
  args?: string[];
  /** run as `awk args...` without -f (args hold the program) */
  noprog?: boolean;
  out: string;
  status?: number;
  err?: RegExp;
  /** mawk agrees: cross-check with the host's mawk too */
  portable?: boolean;
}

/* @FILE@ is a scratch file of the case: "one\ntwo\n" unless the case writes it. */
const cases: Case[] = [
  { name: 'fields', prog: '{ print $1, $2 }', input: 'alice 10 x\nbob 20 y\n', out: 'alice 10\nbob 20\n', portable: true },
  { name: 'sum and average', prog: '{ s += $2 } END { print s, NR, s/NR }', input: 'alice 10 x\nbob 20 y\ncarol 30 z\n', out: '60 3 20\n', portable: true },
  { name: 'range pattern', prog: 'NR==2,NR==3 { print NR": "$0 }', input: 'a\nb\nc\nd\n', out: '2: b\n3: c\n', portable: true },
  { name: 'range restarts', prog: '/on/,/off/', input: 'x\non\n1\noff\n2\non off\n3\n', out: 'on\n1\noff\non off\n', portable: true },
  { name: 'regex pattern', prog: '/o/ { print "match", $0 }', input: 'foo\nbar\nboo\n', out: 'match foo\nmatch boo\n', portable: true },
  { name: 'FS colon and $0 rebuild', prog: 'BEGIN { FS=":" } { print $2; $2 = "X"; print; print NF }', input: 'a:b:c\n', out: 'b\na X c\n3\n', portable: true },
  { name: 'OFS rebuild on $1 = $1', prog: 'BEGIN { OFS="-" } { $1 = $1; print }', input: 'a b c\n  d   e  \n', out: 'a-b-c\nd-e\n', portable: true },
  { name: 'assigning past NF', prog: '{ $5 = "new"; print; print NF }', input: 'a b c\n', out: 'a b c  new\n5\n', portable: true },
  { name: 'assigning NF', prog: '{ NF = 2; print; NF = 4; print; print NF }', input: 'a b c\n', out: 'a b\na b  \n4\n', portable: true },
  { name: 'FS regex and tab', prog: 'BEGIN { FS = "[,;]+" } { print NF, $2 }', input: 'a,,b;c\n', out: '3 b\n', portable: true },
  { name: 'FS single space default trims', prog: '{ print NF ":" $1 ":" $NF }', input: '  lead  mid\ttrail  \n', out: '3:lead:trail\n', portable: true },
  { name: 'associative arrays', prog: 'BEGIN { x["a"]=1; x["b"]=2; n=0; for (k in x) n += x[k]; print n, length(x) }', out: '3 2\n', portable: true },
  { name: 'substr (POSIX rounding and clipping)', prog: 'BEGIN { print substr("hello", 2, 3), substr("hello", 0, 2), substr("hello", -1), substr("hello", 4), substr("hello", 2, -1) "|" }', out: 'ell h hello lo |\n' },
  { name: 'index length toupper tolower', prog: 'BEGIN { print index("foobar", "bar"), length("abc"), toupper("aBc"), tolower("XyZ") }', out: '4 3 ABC xyz\n', portable: true },
  { name: 'sub and gsub with &', prog: 'BEGIN { s = "aaa"; n = gsub(/a/, "b&b", s); print n, s; t = "hello"; sub(/l+/, "[&]", t); print t }', out: '3 babbabbab\nhe[ll]o\n', portable: true },
  { name: 'gsub with empty matches', prog: 'BEGIN { s = "abc"; gsub(/x*/, "-", s); print s; s = "abc"; gsub(/b*/, "-", s); print s }', out: '-a-b-c-\n-a-c-\n', portable: true },
  { name: 'gsub escapes \\& and \\\\', prog: 'BEGIN { s = "hello world"; gsub(/o/, "\\\\&", s); print s; s = "aXbXc"; gsub("X", "\\\\\\\\", s); print s }', out: 'hell& w&rld\na\\b\\c\n', portable: true },
  { name: 'gsub on $0 resplits', prog: '{ gsub(/[0-9]/, "#"); print; print NF, $2 }', input: 'a1 b22 c\n', out: 'a# b## c\n3 b##\n', portable: true },
  { name: 'split forms', prog: 'BEGIN { n = split("a b  c", arr); print n, arr[1], arr[3]; n = split("a:b:c", arr, ":"); print n, arr[2]; n = split("a1b22c", arr, /[0-9]+/); print n, arr[3]; n = split("", arr); print n, length(arr) }', out: '3 a c\n3 b\n3 c\n0 0\n', portable: true },
  { name: 'split on a literal single character', prog: 'BEGIN { n = split("foo.bar", a, "."); print n, a[1]; n = split("a|b|c", a, "|"); print n, a[3] }', out: '2 foo\n3 c\n', portable: true },
  { name: 'match RSTART RLENGTH', prog: 'BEGIN { if (match("foobarbaz", /ba[rz]/)) print RSTART, RLENGTH; print match("x", /y/), RSTART, RLENGTH }', out: '4 3\n0 0 -1\n', portable: true },
  { name: 'printf conversions', prog: 'BEGIN { printf "%5d|%-5s|%05.2f|%x|%o|%c|%c|%e|%G|%%\\n", 42, "ab", 3.14159, 255, 8, 65, "hello", 12345.678, 0.0001 }', out: '   42|ab   |03.14|ff|10|A|h|1.234568e+04|0.0001|%\n', portable: true },
  { name: 'printf * width and precision', prog: 'BEGIN { printf "%*d|%-*.*s|\\n", 6, 12, 8, 2, "abcdef"; printf "%i %5.1e %+d %.3s|%10.4f\\n", 3.99, 12345, 5, "abcdef", 3.14159265 }', out: '    12|ab      |\n3 1.2e+04 +5 abc|    3.1416\n', portable: true },
  { name: 'printf with parentheses and redirection', prog: 'BEGIN { printf("%s-%s\\n", "a", "b") > "/dev/stdout"; print("x", "y") > "/dev/stdout" }', out: 'a-b\nx y\n', portable: true },
  { name: 'sprintf', prog: 'BEGIN { x = sprintf("%s-%d", "a", 3.9); print x; print length(sprintf("%10s", "")) }', out: 'a-3\n10\n', portable: true },
  { name: 'number output', prog: 'BEGIN { print 1e6, 1000000, 0.1+0.2, 100/3, 2^10, 2^0.5, -7%3, 7%-3, int(-3.7), int("3abc") }', out: '1000000 1000000 0.3 33.3333 1024 1.41421 -1 1 -3 3\n', portable: true },
  { name: 'CONVFMT and OFMT', prog: 'BEGIN { CONVFMT="%.2g"; a = 3.14159; b = a ""; print b; OFMT="%.3f"; print a, a ""; x[a] = 1; for (k in x) print k }', out: '3.1\n3.142 3.1\n3.1\n', portable: true },
  { name: 'integral values print as integers', prog: 'BEGIN { print 100000 * 100000, 2^53, 17 / 1, -0.0 + 5 }', out: '10000000000 9007199254740992 17 5\n' },
  { name: 'string and numeric comparison', prog: 'BEGIN { print (1 < 2), ("10" < "9"), (10 < 9), ("abc" < "abd"), 2 < 10 }', out: '1 1 0 1 1\n', portable: true },
  { name: 'fields are strnums', prog: '{ print ($1 < $2), ($1 == 10), ($3 == "1e1") }', input: '9 10 1e1\n', out: '1 0 1\n', portable: true },
  { name: 'uninitialized compares both ways', prog: 'BEGIN { print (x == 0), (x == ""), length(x); a = "10"; b = 9; print (a < b) }', out: '1 1 0\n1\n', portable: true },
  { name: 'strnum with blanks', prog: '{ v = $0; if (v == 3) print "numeric-eq"; else print "ne" }', input: ' 3.0 \n', out: 'numeric-eq\n', portable: true },
  { name: 'ternary', prog: '{ print ($1 == "alice") ? "yes" : "no" }', input: 'alice\nbob\n', out: 'yes\nno\n', portable: true },
  { name: 'functions: arrays by reference, scalars by value', prog: 'function f(a, b) { a[1] = "x"; b = 5; return b * 2 } BEGIN { r = f(arr, q); print r, arr[1], q "" }', out: '10 x \n', portable: true },
  { name: 'recursion', prog: 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10), fact(20) }', out: '3628800 2.4329e+18\n', portable: true },
  { name: 'local arrays', prog: 'function g(arr, k) { for (k in arr) delete arr[k] } function h(   loc) { loc["a"] = 1; return length(loc) } BEGIN { z[1]; z[2]; g(z); print length(z), h(), h() }', out: '0 1 1\n', portable: true },
  { name: 'untyped argument becomes the caller\'s array', prog: 'function fill(x) { x["k"] = "v" } BEGIN { fill(u); print u["k"], length(u) }', out: 'v 1\n', portable: true },
  { name: 'while do for break continue', prog: 'BEGIN { i = 0; while (i < 5) { i++; if (i == 2) continue; if (i == 4) break; print i }; do { print "do", i } while (++i < 6); for (j = 0; j < 3; j++) printf "%d ", j; print "" }', out: '1\n3\ndo 4\ndo 5\n0 1 2 \n', portable: true },
  { name: 'SUBSEP and (i,j) in', prog: 'BEGIN { a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; if ((1,2) in a) print "in"; if (!((2,1) in a)) print "not in" }', out: '1 2\nin\nnot in\n', portable: true },
  { name: 'delete element and array', prog: 'BEGIN { a["x"] = 1; delete a["x"]; print ("x" in a), length(a); a["y"]; print ("y" in a); delete a; print length(a) }', out: '0 0\n1\n0\n', portable: true },
  { name: 'next', prog: '{ if (NR == 2) next; print NR } END { print "end", NR }', input: 'a\nb\nc\n', out: '1\n3\nend 3\n', portable: true },
  { name: 'exit status and END', prog: 'NR == 2 { exit 3 } { print } END { print "in end" }', input: 'a\nb\nc\n', out: 'a\nin end\n', status: 3, portable: true },
  { name: 'exit in BEGIN still runs END', prog: 'BEGIN { print 1; exit; print 2 } END { print "end ran" }', out: '1\nend ran\n', portable: true },
  { name: 'exit in END keeps the status', prog: 'BEGIN { exit 4 } END { exit }', out: '', status: 4, portable: true },
  { name: 'getline < file and close', prog: 'BEGIN { while ((getline line < @FILE@) > 0) print "got", line; close(@FILE@); getline < @FILE@; print $0, NF, NR }', out: 'got one\ngot two\none 1 0\n', portable: true },
  { name: 'cmd | getline forms', prog: 'BEGIN { "echo hi there" | getline; print $2, NR; "echo a b" | getline x; print x; while (("echo x; echo y" | getline l) > 0) n++; print n, l }', out: 'there 1\na b\n2 y\n' },
  { name: 'plain getline', prog: '{ getline; print "pair", $0 } END { print NR }', input: '1\n2\n3\n4\n5\n', out: 'pair 2\npair 4\npair 5\n5\n', portable: true },
  { name: 'getline var', prog: '{ getline x; print x "|" $0 }', input: '1\n2\n3\n4\n', out: '2|1\n4|3\n', portable: true },
  { name: 'output to a pipe', prog: 'BEGIN { print "b\\na\\nc" | "sort"; close("sort"); print "after" }', out: 'a\nb\nc\nafter\n', portable: true },
  { name: 'output to files > and >>', prog: 'BEGIN { print "x" > @FILE@; print "y" >> @FILE@; close(@FILE@); while ((getline l < @FILE@) > 0) print "r", l }', out: 'r x\nr y\n', portable: true },
  { name: 'RS "" paragraph mode', prog: 'BEGIN { RS = "" } { print NR ": " $1 "/" $NF; print NF }', input: '\n\np1 l1\np1 l2\n\n\n\np2 l1\n\np3\n', out: '1: p1/l2\n4\n2: p2/l1\n2\n3: p3/p3\n1\n', portable: true },
  { name: 'paragraph mode: newline separates fields too', prog: 'BEGIN { RS = ""; FS = "x" } { print NF ": " $1 }', input: 'p1 l1\np1 l2\n\np2\n', out: '2: p1 l1\n1: p2\n' },
  { name: 'RS single character', prog: 'BEGIN { RS = ":" } { print NR, $0 }', input: 'a:b:c\n', out: '1 a\n2 b\n3 c\n\n', portable: true },
  { name: 'RS regular expression', prog: 'BEGIN { RS = "[0-9]+" } { print NR "<" $0 ">" }', input: 'a1b22c', out: '1<a>\n2<b>\n3<c>\n', portable: true },
  { name: 'assigning $0 and fields', prog: 'BEGIN { $0 = "a b c"; print NF, $2; $3 = ""; print NF "|" $0 "|"; $0 = "  lead  trail  "; print NF, $1 }', out: '3 b\n3|a b |\n2 lead\n', portable: true },
  { name: 'concatenation and precedence', prog: 'BEGIN { x = "A"; x = x x x; print x; print 1 " " 2, 2 " " 3 * 4, 1 - 1 "x", -2^2, 2^3^2, !0, !"", !"a", - -3 }', out: 'AAA\n1 2 2 12 0x -4 512 1 1 0 3\n', portable: true },
  { name: 'assignment operators and increments', prog: 'BEGIN { a = 5; a += 2; a -= 1; a *= 3; a /= 2; a %= 5; a ^= 2; print a; x = 1; print x++ + ++x, x; print x--, --x }', out: '16\n4 3\n3 1\n', portable: true },
  { name: '$NF and $(NF-1)', prog: '{ print $NF; print $(NF-1) }', input: 'a b c\n', out: 'c\nb\n', portable: true },
  { name: '~ and !~', prog: '$2 ~ /^[0-9]+$/ && $1 !~ /b/ { print $1 }', input: 'alice 10\nbob 20\ncarol x\n', out: 'alice\n', portable: true },
  { name: 'dynamic regular expressions', prog: 'BEGIN { s = "The Quick"; print s ~ "Q", s ~ /^the/, "a.c" ~ /a\\.c/, "abc" ~ "a.c", "a/b" ~ /[/]/, "a+b" ~ "a\\\\+b" }', out: '1 0 1 1 1 1\n', portable: true },
  { name: '$0 and NF in END', prog: 'END { print $0, NF }', input: 'a b\nc d e\n', out: 'c d e 3\n', portable: true },
  { name: 'string escapes', prog: 'BEGIN { print "a\\tb\\\\c\\"d\\/e\\101|" }', out: 'a\tb\\c"d/eA|\n' },
  { name: 'regex or division', prog: 'BEGIN { a = 6; print a /2/ 3, 6 / 2 / 3 }', out: '1 1\n', portable: true },
  { name: 'length forms', prog: '{ print length, length(), length($0) } END { print length(12345), length(1/4) }', input: 'abc\n', out: '3 3 3\n5 4\n', portable: true },
  { name: 'no hex in strings', prog: 'BEGIN { printf "%d %d %d\\n", "0x1A", "1e3", " 12 " }', out: '0 1000 12\n' },
  { name: 'srand and rand', prog: 'BEGIN { srand(1); x = rand(); srand(1); y = rand(); print (x == y), (x >= 0 && x < 1), srand(5) }', out: '1 1 1\n', portable: true },
  { name: 'system', prog: 'BEGIN { r = system("exit 3"); print r, system("true") }', out: '3 0\n', portable: true },
  { name: 'newlines inside statements, comments', prog: 'BEGIN {\n  if (1)\n    print "a"\n  else\n    print "b"\n  y = 1 ?\n    "t" : "f"\n  print y   # comment\n  for (k = 0;\n       k < 2;\n       k++) print k\n}\n', out: 'a\nt\n0\n1\n' },
  { name: 'empty statements', prog: 'BEGIN { ; print "a" ; ; print "b" } ; END { print "c" }', out: 'a\nb\nc\n', portable: true },
  { name: 'uninitialized output', prog: 'BEGIN { print x + 0, "[" x "]", length(arr) }', out: '0 [] 0\n', portable: true },
  { name: '!seen[$0]++ removes duplicates', prog: '!seen[$0]++', input: 'a\nb\na\nc\nb\n', out: 'a\nb\nc\n', portable: true },
  { name: 'printf %c of 0 writes a NUL', prog: 'BEGIN { printf "%c%c|%-2c|", 0, 65, 0 }', out: '\0A|\0 |', portable: true },
  { name: 'slash inside a bracket expression', prog: '$0 ~ /a[/]b/ { print "yes" }', input: 'a/b\nab\n', out: 'yes\n', portable: true },
  { name: 'chained assignment, $(NF+2), $1 = ""', prog: '{ a = b = 3; print a b; $(NF+2) = "z"; print; print NF; $1 = ""; print }', input: 'x y\n', out: '33\nx y  z\n4\n y  z\n', portable: true },
  { name: 'ENVIRON', prog: 'BEGIN { print ENVIRON["AWKTEST"] }', out: 'from-env\n' },
  // the command line
  { name: '-F and -v', noprog: true, args: ['-F:', '-v', 'x=a\\tb', '{ print x, $2 }'], input: 'p:q\n', out: 'a\tb q\n', portable: true },
  { name: '-F t is a tab', noprog: true, args: ['-Ft', '{ print $2 }'], input: 'a\tb c\n', out: 'b c\n' },
  { name: 'assignment operands between files', noprog: true, args: ['{ print x, $0 }', 'x=1', '@FILE@', 'x=2', '@FILE@'], out: '1 one\n1 two\n2 one\n2 two\n', portable: true },
  { name: 'ARGV and ARGC', noprog: true, args: ['BEGIN { for (i = 0; i < ARGC; i++) print i, ARGV[i] }', 'a', 'b=c'], out: '0 awk\n1 a\n2 b=c\n' },
  { name: 'ARGV edited in BEGIN', noprog: true, args: ['BEGIN { ARGV[1] = "" } { print FILENAME ": " $0 }', '/nonexistent', '@FILE@'], out: '@FILE@: one\n@FILE@: two\n' },
  { name: '-- ends options', noprog: true, args: ['--', 'BEGIN { print "dd" }'], out: 'dd\n', portable: true },
  { name: 'FNR NR FILENAME over files', noprog: true, args: ['FNR == 1 { print FILENAME } { print FNR, NR }', '@FILE@', '@FILE@'], out: '@FILE@\n1 1\n2 2\n@FILE@\n1 3\n2 4\n', portable: true },
  { name: 'nextfile', noprog: true, args: ['{ print; nextfile }', '@FILE@', '@FILE@'], out: 'one\none\n' },
  // errors, one-true-awk's words
  { name: 'division by zero', prog: 'BEGIN { x = 0; print 1 / x }', out: '', status: 2, err: /^awk: division by zero\n source line number 1\n$/ },
  { name: 'syntax error', prog: 'BEGIN { print 1 +* 2 }', out: '', status: 2, err: /^awk: syntax error at source line 1\n/ },
  { name: 'syntax error line number', prog: 'BEGIN {\n  x = 1\n  y = (2\n}\n', out: '', status: 2, err: /^awk: syntax error at source line 4\n/ },
  { name: 'runaway recursion is a clean error', prog: 'function r(k) { return k > 0 ? r(k - 1) + 1 : 0 } BEGIN { print r(100); print r(10000000) }', out: '100\n', status: 2, err: /^awk: function call nesting too deep\n/ },
  { name: 'undefined function', prog: 'BEGIN { nosuch(1) }', out: '', status: 2, err: /^awk: calling undefined function nosuch\n/ },
  { name: 'scalar used as array', prog: 'BEGIN { x = 5; x[1] = 2 }', out: '', status: 2, err: /^awk: can't use scalar x as array\n/ },
  { name: 'negative field', prog: '{ print $(-1) }', input: 'a\n', out: '', status: 2, err: /^awk: trying to access out of range field -1\n/ },
  { name: 'printf without enough arguments', prog: 'BEGIN { printf "%s %s\\n", "only" }', out: '', status: 2, err: /^awk: not enough args in printf/ },
  { name: 'missing input file', noprog: true, args: ['{ print }', '/nonexistent/file'], out: '', status: 2, err: /^awk: can't open file \/nonexistent\/file\n/ },
  { name: 'usage', noprog: true, args: [], out: '', status: 2, err: /^usage: awk / },
];

let dir = '';
const results = new Map<string, { out: string; err: string; status: number }>();

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

before(async () => {
  const r = await ensureWorld();
  assert.ok(existsSync(progPath('awk')), `awk not built: ${r.errors.join('\n')}`);
  dir = scratch('awk');
  const awk = guestPath('usr/bin/awk');
  const lines = ['AWKTEST=from-env; export AWKTEST'];
  cases.forEach((c, i) => {
    const f = join(dir, `f${i}`);
    writeFileSync(f, 'one\ntwo\n');
    const sub = (s: string): string => s.replaceAll('@FILE@', f);
    writeFileSync(join(dir, `in${i}`), c.input ?? '');
    let cmd: string;
    if (c.noprog) cmd = `${awk} ${(c.args ?? []).map((a) => sq(sub(a))).join(' ')}`;
    else {
      writeFileSync(join(dir, `p${i}.awk`), sub((c.prog ?? '').replaceAll('@FILE@', JSON.stringify(f))));
      cmd = `${awk} ${(c.args ?? []).map((a) => sq(sub(a))).join(' ')} -f ${join(dir, `p${i}.awk`)}`;
    }
    lines.push(`${cmd} < ${join(dir, `in${i}`)} > ${join(dir, `out${i}`)} 2> ${join(dir, `err${i}`)}; echo $? > ${join(dir, `st${i}`)}`);
  });
  writeFileSync(join(dir, 'battery.sh'), lines.join('\n') + '\n');
  const b = await run('sh', [join(dir, 'battery.sh')], { exec: true, timeoutMs: 240_000, cwd: dir });
  assert.equal(b.status, 0, `battery: ${b.stderr}`);
  cases.forEach((c, i) => {
    const read = (n: string): string => (existsSync(join(dir, `${n}${i}`)) ? readFileSync(join(dir, `${n}${i}`), 'utf8') : '');
    results.set(c.name, { out: read('out'), err: read('err'), status: Number(read('st').trim() || -1) });
  });
});
after(() => cleanup(dir));

const MAWK = spawnSync('sh', ['-c', 'command -v mawk'], { encoding: 'utf8' }).stdout.trim();

describe('awk', () => {
  cases.forEach((c, i) => {
    test(c.name, () => {
      const r = results.get(c.name)!;
      const f = join(dir, `f${i}`);
      assert.equal(r.out, c.out.replaceAll('@FILE@', f), `stdout (stderr: ${r.err})`);
      assert.equal(r.status, c.status ?? 0, `status (stderr: ${r.err})`);
      if (c.err) assert.match(r.err, c.err);
      else assert.equal(r.err, '');
    });
  });
});

describe('awk against the host mawk', { skip: MAWK === '' ? 'no mawk on the host' : false }, () => {
  cases.forEach((c, i) => {
    if (!c.portable) return;
    test(c.name, () => {
      const f = join(dir, `f${i}`);
      writeFileSync(f, 'one\ntwo\n');
      const sub = (s: string): string => s.replaceAll('@FILE@', f);
      const args = c.noprog ? (c.args ?? []).map(sub) :
        [...(c.args ?? []).map(sub), sub((c.prog ?? '').replaceAll('@FILE@', JSON.stringify(f)))];
      const m = spawnSync(MAWK, args, { input: c.input ?? '', encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      assert.equal(results.get(c.name)!.out, m.stdout, 'ours and mawk differ');
      assert.equal(results.get(c.name)!.status, m.status);
    });
  });
});
