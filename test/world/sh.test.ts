/*
 * /bin/sh of the world: the POSIX shell language as BSD's sh speaks it —
 * quoting, expansions, here-documents, pipelines and exit statuses,
 * functions, traps, set -e, subshells, redirections, job control — and
 * its messages and exit codes (127 not found, 126 not executable, 2 for
 * syntax errors).  Runs under qemu-riscv64 for now (see harness.ts); the
 * interactive part drives `sh -i` through a pty (python3's pty module).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureWorld, GROOT, progPath, ROOT, run, scratch, type RunOptions } from './harness.ts';

const C = { concurrency: 4 };
let dir = '';

before(async () => {
  const r = await ensureWorld();
  assert.ok(existsSync(progPath('sh')), `sh not built: ${r.errors.join('\n')}`);
  dir = scratch('sh');
});
after(() => cleanup(dir));

interface Want {
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  status?: number;
}

/** sh -c script, in the binfmt namespace so it can run the world's programs. */
function sh(script: string, opts: RunOptions = {}, args: string[] = []) {
  return run('sh', ['-c', script, 'sh', ...args], { exec: true, cwd: dir, ...opts });
}

async function expectSh(script: string, want: Want, opts: RunOptions = {}, args: string[] = []): Promise<void> {
  const r = await sh(script, opts, args);
  const what = `sh -c '${script}'`;
  if (want.stdout instanceof RegExp) assert.match(r.stdout, want.stdout, `${what}: stdout`);
  else if (want.stdout !== undefined) assert.equal(r.stdout, want.stdout, `${what}: stdout`);
  if (want.stderr instanceof RegExp) assert.match(r.stderr, want.stderr, `${what}: stderr`);
  else if (want.stderr !== undefined) assert.equal(r.stderr, want.stderr, `${what}: stderr`);
  assert.equal(r.status, want.status ?? 0, `${what}: exit status (stderr: ${r.stderr.trim()})`);
}

function file(name: string, data: string, mode?: number): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  if (mode !== undefined) chmodSync(p, mode);
  return p;
}

/* A stand-in for /etc/rc (issue 4): the constructs BSD rc scripts use. */
const RC_CONF = `# rc.conf
hostname="vkernel.example.org"
network_interfaces="lo0 vke0"
ifconfig_vke0="DHCP"
ifconfig_lo0="inet 127.0.0.1"
sendmail_enable="NO"
syslog_enable=YES
`;
const FSTAB = `# Device	Mountpoint	FStype	Options	Dump	Pass#
/dev/vkd0s0a	/	ufs	rw	1	1
proc	/proc	procfs	rw	0	0

tmpfs	/tmp	tmpfs	rw,-s16m	0	0
`;
const RC_SCRIPT = `#!/bin/sh
# A stand-in for /etc/rc: the constructs BSD rc scripts use.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PATH
trap 'echo "rc: interrupted"; exit 1' INT
checkyesno() {
	eval _value=\\$\${1}
	case $_value in
	[Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn]|1) return 0 ;;
	[Nn][Oo]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Ff][Ff]|0) return 1 ;;
	*) echo "\\$\${1} is not set properly" >&2; return 1 ;;
	esac
}
if [ -r ./rc.conf ]; then
	. ./rc.conf
fi
echo "Setting hostname: \${hostname:-localhost}."
for ifn in \${network_interfaces}; do
	eval ifconfig_args=\\$ifconfig_\${ifn}
	case \${ifconfig_args} in
	[Dd][Hh][Cc][Pp]) echo "\${ifn}: dhclient" ;;
	'') ;;
	*) echo "ifconfig \${ifn} \${ifconfig_args}" ;;
	esac
done
while read dev mnt fstype opts dump pass; do
	case \${dev} in
	'#'*|'') continue ;;
	esac
	echo "mount -t \${fstype} -o \${opts} \${dev} \${mnt} (pass \${pass:-0})"
done < ./fstab
checkyesno sendmail_enable && echo "Starting sendmail." || echo "sendmail disabled"
checkyesno syslog_enable && echo "Starting syslogd."
checkyesno nosuch_enable
cat > ./motd.tmp <<EOT
DragonFly $(echo 6.4) ($hostname)
EOT
cat ./motd.tmp
date_str=\`echo "Wed Nov 25"\`
echo "\${date_str}"
exit 0
`;
const RC_OUT = `Setting hostname: vkernel.example.org.
ifconfig lo0 inet 127.0.0.1
vke0: dhclient
mount -t ufs -o rw /dev/vkd0s0a / (pass 1)
mount -t procfs -o rw proc /proc (pass 0)
mount -t tmpfs -o rw,-s16m tmpfs /tmp (pass 0)
sendmail disabled
Starting syslogd.
DragonFly 6.4 (vkernel.example.org)
Wed Nov 25
`;

describe('sh', { concurrency: true }, () => {
  describe('quoting', C, () => {
    test('single, double and backslash quotes', () => expectSh(
      `x=val; echo 'a $x \\' "b $x \\$x \\\\ \\q" c\\ d\\$x`,
      { stdout: 'a $x \\ b val $x \\ \\q c d$x\n' }));
    test('quotes inside words join, and empty quotes make an argument', () => expectSh(
      `set -- a"b c"'d' "" ''; echo $#; for a; do echo "[$a]"; done`,
      { stdout: '3\n[ab cd]\n[]\n[]\n' }));
    test('comments and line continuation', () => expectSh(
      'echo one # not this\necho tw\\\no "#three"',
      { stdout: 'one\ntwo #three\n' }));
    test('echo -n and BSD echo leaves backslashes alone', () => expectSh(
      `echo -n a; echo 'b\\tc'; echo -e 'd\\te'`,
      { stdout: 'ab\\tc\nd\te\n' }));
  });

  describe('parameter expansion', C, () => {
    test('defaults, assignments, alternatives', () => expectSh(
      'unset u; e=; s=set; echo "${u-d1} ${e-d2} ${e:-d3} ${s:-d4} ${u:+a1} ${s:+a2} ${e+a3}"; ' +
      'echo ${u:=assigned} $u; echo "${e:=x}" "$e"',
      { stdout: 'd1  d3 set  a2 a3\nassigned assigned\nx x\n' }));
    test('${x:?} fails with the message and exits 2', () => expectSh(
      'unset u; echo ${u:?is unset}; echo not reached',
      { stdout: '', stderr: 'sh: u: is unset\n', status: 2 }));
    test('${x?} with no word', () => expectSh(
      'unset u; : ${u?}',
      { stderr: 'sh: u: parameter not set\n', status: 2 }));
    test('length and prefix/suffix removal', () => expectSh(
      'p=/usr/local/lib/libfoo.so.1; echo ${#p} ${p%.*} ${p%%.*} ${p#*/} ${p##*/}; ' +
      'f=file.tar.gz; echo ${f%".gz"} ${f#"*"} ${f%[.]*}',
      { stdout: '26 /usr/local/lib/libfoo.so /usr/local/lib/libfoo usr/local/lib/libfoo.so.1 libfoo.so.1\n' +
        'file.tar file.tar.gz file.tar\n' }));
    test('nested quotes in ${x:-"..."} stay one field', () => expectSh(
      'unset u; set -- ${u:-"a b"}; echo $#; set -- "${u:-c  d}"; echo "$1"',
      { stdout: '1\nc  d\n' }));
    test('special parameters', () => expectSh(
      'echo $# "$1" "$2" $0; set -- x y z; echo $# "$*" $?; false; echo $?; echo $$ | grep -c "^[0-9][0-9]*$"',
      { stdout: '2 one two sh\n3 x y z 0\n1\n1\n' }, {}, ['one', 'two']));
    test('"$@" keeps arguments, "$*" joins with IFS', () => expectSh(
      'set -- "a b" "" c; for a in "$@"; do echo "<$a>"; done; IFS=-; echo "$*"; set --; for a in "$@"; do echo none; done; echo end',
      { stdout: '<a b>\n<>\n<c>\na b--c\nend\n' }));
    test('set -u makes unset variables an error', () => expectSh(
      'set -u; x=1; echo $x; echo $nope; echo not reached',
      { stdout: '1\n', stderr: 'sh: nope: parameter not set\n', status: 2 }));
    test('tilde expansion', () => expectSh(
      'HOME=/home/me; echo ~ ~/x "~" a~; x=~/y:~/z; echo $x',
      { stdout: '/home/me /home/me/x ~ a~\n/home/me/y:/home/me/z\n' }));
  });

  describe('command substitution and arithmetic', C, () => {
    test('$(...), `...` and nesting', () => expectSh(
      'echo $(echo a $(echo b $(echo c))) `echo d \\`echo e\\``; x="$(printf "l1\\nl2\\n\\n")"; echo "$x"',
      { stdout: 'a b c d e\nl1\nl2\n' }));
    test('a case statement inside $(...)', () => expectSh(
      'x=$(case a in a) echo matched;; esac); echo $x',
      { stdout: 'matched\n' }));
    test('exit status of an assignment is that of its substitution', () => expectSh(
      'x=$(exit 3); echo $?; x=$(true); echo $?',
      { stdout: '3\n0\n' }));
    test('arithmetic operators, variables and assignment', () => expectSh(
      'x=7; echo $((x*2+1)) $((x/2)) $((x%3)) $((-x)) $((x<<2)) $((x>3 && x<10)) $((x==7 ? 100 : 200)) $((0x1f)) $((010)); ' +
      'echo $((x+=3)) $x $((y=2, y*5)) $(( (1+2) * (3+4) ))',
      { stdout: '15 3 1 -7 28 1 100 31 8\n10 10 10 21\n' }));
    test('division by zero is an error', () => expectSh(
      'echo $((1/0)); echo no',
      { stdout: '', stderr: /division by zero/, status: 2 }));
  });

  describe('field splitting and globbing', C, () => {
    test('IFS white space and other characters', () => expectSh(
      'x="  a  b  "; set -- $x; echo $#; IFS=:; x=":a::b:"; set -- $x; echo $#; for a; do echo "<$a>"; done',
      { stdout: '2\n4\n<>\n<a>\n<>\n<b>\n' }));
    test('read splits by IFS, the last name takes the rest', () => expectSh(
      'echo "  one two  three four " | { read a b c; echo "[$a][$b][$c]"; }; ' +
      'echo "x:y:z" | { IFS=: read a b; echo "[$a][$b]"; }; echo "a\\\\b" | { read -r l; echo "$l"; }; ' +
      'echo "a\\\\b" | { read l; echo "$l"; }',
      { stdout: '[one][two][three four]\n[x][y:z]\na\\b\nab\n' }));
    test('read returns 1 at end of input; a while loop reads a pipe', () => expectSh(
      'printf "1\\n2\\n3" | while read n; do echo "got $n"; done; read x </dev/null; echo $?',
      { stdout: 'got 1\ngot 2\n1\n' }));
    test('pathname expansion sorts, skips dot files, keeps quoted patterns', async () => {
      file('glob/b.c', ''); file('glob/a.c', ''); file('glob/c.h', ''); file('glob/.hid.c', '');
      await expectSh('cd glob && echo *.c; echo "*.c" \\*.c; echo [ab]*; echo ?.h; echo none*; set -f; echo *.c',
        { stdout: 'a.c b.c\n*.c *.c\na.c b.c\nc.h\nnone*\n*.c\n' });
    });
  });

  describe('here-documents', C, () => {
    test('expanded, quoted and tab-stripped', () => expectSh(
      'x=val; cat <<EOF\n$x $(echo sub) \\$x\nEOF\ncat <<"EOF"\n$x\nEOF\ncat <<-E\n\tindented $x\n\tE\necho after',
      { stdout: 'val sub $x\n$x\nindented val\nafter\n' }));
    test('two on one line, and on a compound command', () => expectSh(
      'cat <<A; cat <<B\na\nA\nb\nB\nwhile read l; do echo "<$l>"; done <<EOF\n1\n2\nEOF',
      { stdout: 'a\nb\n<1>\n<2>\n' }));
    test('a big here-document', () => expectSh(
      `cat <<EOF | wc -l\n${'line of text\n'.repeat(2000)}EOF`,
      { stdout: /^\s*2000\n$/ }));
  });

  describe('pipelines and lists', C, () => {
    test('pipeline status is the last command, ! negates', () => expectSh(
      'false | true; echo $?; true | false; echo $?; ! true; echo $?; ! false | false; echo $?',
      { stdout: '0\n1\n1\n0\n' }));
    test('sort | uniq | wc', () => expectSh(
      'printf "b\\na\\nb\\nc\\na\\n" | sort | uniq | wc -l',
      { stdout: /^\s*3\n$/ }));
    test('&& and || short-circuit', () => expectSh(
      'true && echo a || echo b; false && echo c || echo d; false || false || echo e',
      { stdout: 'a\nd\ne\n' }));
    test('a builtin in a pipeline runs in a subshell', () => expectSh(
      'x=1; echo 2 | read x; echo $x; echo hi | cat | cat',
      { stdout: '1\nhi\n' }));
  });

  describe('compound commands', C, () => {
    test('if/elif/else', () => expectSh(
      'for n in 1 2 3; do if [ $n = 1 ]; then echo one; elif [ $n = 2 ]; then echo two; else echo other; fi; done',
      { stdout: 'one\ntwo\nother\n' }));
    test('while, until, break and continue with counts', () => expectSh(
      'i=0; while [ $i -lt 6 ]; do i=$((i+1)); [ $i = 2 ] && continue; [ $i = 5 ] && break; echo $i; done; ' +
      'until [ $i = 0 ]; do i=$((i-1)); done; echo $i; ' +
      'for a in 1 2; do for b in x y; do [ $b = y ] && continue 2; echo $a$b; done; done; ' +
      'for a in 1 2; do for b in x y; do break 2; done; done; echo out',
      { stdout: '1\n3\n4\n0\n1x\n2x\nout\n' }));
    test('for without in uses the positional parameters', () => expectSh(
      'for a do echo "$a"; done', { stdout: 'p q\nr\n' }, {}, ['p q', 'r']));
    test('case patterns: alternatives, classes, quoting, ;&', () => expectSh(
      'for w in apple Banana x.c "*" z; do case $w in a*|b*) echo "$w: a/b";; [A-Z]*) echo "$w: upper";; ' +
      '*.[ch]) echo "$w: source";; "*") echo "$w: star";; *) echo "$w: other";; esac; done; ' +
      'case x in x) echo one;& y) echo two;; z) echo three;; esac; case "" in "") echo empty;; esac',
      { stdout: 'apple: a/b\nBanana: upper\nx.c: source\n*: star\nz: other\none\ntwo\nempty\n' }));
    test('subshells do not change the parent; groups do', () => expectSh(
      'x=1; (x=2; cd /; echo "in $x"); echo "out $x"; { x=3; }; echo $x; (exit 7); echo $?',
      { stdout: 'in 2\nout 1\n3\n7\n' }));
    test('multi-line compound commands', () => expectSh(
      'if true\nthen\n  for i in a b\n  do\n    echo $i\n  done\nfi\ncase x in\n  x)\n    echo x\n    ;;\nesac',
      { stdout: 'a\nb\nx\n' }));
  });

  describe('functions', C, () => {
    test('arguments, return status, positional parameters restored', () => expectSh(
      'f() { echo "$# $1 $2"; return 3; }; set -- outer; f a "b c"; echo $? $1',
      { stdout: '2 a b c\n3 outer\n' }));
    test('local variables are dynamically scoped', () => expectSh(
      'x=global; g() { echo "g: $x"; }; f() { local x=local; g; x=changed; }; f; echo $x',
      { stdout: 'g: local\nglobal\n' }));
    test('recursion and a function with a redirection', () => expectSh(
      'fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6; ' +
      'w() { echo to-stderr; } >&2; w 2>/dev/null; echo done',
      { stdout: '720\ndone\n' }));
    test('assignments before a function call are temporary', () => expectSh(
      'f() { echo "in: $v"; }; v=1; v=2 f; echo "out: $v"',
      { stdout: 'in: 2\nout: 1\n' }));
    test('unset -f and type', () => expectSh(
      'f() { :; }; type f; unset -f f; type f; echo $?',
      { stdout: 'f is a shell function\nf: not found\n1\n' }));
  });

  describe('redirections', C, () => {
    test('> >> < and <>', () => expectSh(
      'echo one > out; echo two >> out; cat < out; echo three 1<>out; cat out',
      { stdout: 'one\ntwo\nthree\no\n' }));
    test('fd numbers, duplication and closing', () => expectSh(
      'exec 3>fd3; echo via3 >&3; exec 3>&-; cat fd3; echo err 2>&1 >/dev/null | cat; ' +
      '{ echo out; echo err >&2; } 2>&1 >/dev/null; echo x >&3',
      { stdout: 'via3\nerr\n', stderr: 'sh: 3: Bad file descriptor\n', status: 1 }));
    test('noclobber and >|', () => expectSh(
      'set -C; echo a > nc; echo b > nc; echo $?; echo c >| nc; cat nc',
      { stdout: '1\nc\n', stderr: 'sh: cannot create nc: File exists\n' }));
    test('a failed redirection fails the command, not the shell', () => expectSh(
      'cat < /nonexistent; echo $?; echo x > /nonexistent/dir/f; echo $?',
      { stdout: '1\n1\n', stderr: /cannot open \/nonexistent: No such file or directory\n.*cannot create/s }));
    test('redirections on a builtin are undone', async () => {
      file('inpt', 'line\n');
      await expectSh('echo hidden > /dev/null; echo shown; read l < inpt; echo $l', { stdout: 'shown\nline\n' });
    });
  });

  describe('exit statuses and errors', C, () => {
    test('not found is 127', () => expectSh(
      'nosuchcommand; echo $?', { stdout: '127\n', stderr: 'sh: nosuchcommand: not found\n' }));
    test('not executable is 126', async () => {
      file('noexec', 'echo hi\n', 0o644);
      await expectSh('./noexec; echo $?', { stdout: '126\n', stderr: 'sh: ./noexec: Permission denied\n' });
    });
    test('a script without #! runs in a subshell', async () => {
      file('script', 'echo "script $1 $#"; exit 4\n', 0o755);
      await expectSh('./script a b; echo $?', { stdout: 'script a 2\n4\n' });
    });
    test('a #! script runs with its interpreter', async () => {
      file('hashbang', `#!${GROOT}/bin/sh\necho "from $0"\n`, 0o755);
      await expectSh('./hashbang', { stdout: 'from ./hashbang\n' });
    });
    test('syntax errors exit 2 with the line number', async () => {
      await expectSh('echo ok; if true; then fi', { stdout: '', stderr: 'sh: 1: Syntax error: "fi" unexpected\n', status: 2 });
      await expectSh('echo "open', { stderr: 'sh: 1: Syntax error: Unterminated quoted string\n', status: 2 });
      await expectSh('(echo a', { stderr: /^sh: 1: Syntax error: end of file unexpected/, status: 2 });
      await expectSh('echo a; )', { stderr: 'sh: 1: Syntax error: ")" unexpected\n', status: 2 });
      const s = file('bad.sh', 'echo first\n\nfor 1x in a; do :; done\n');
      const r = await run('sh', [s], { exec: true, cwd: dir });
      assert.equal(r.stdout, 'first\n');
      assert.equal(r.stderr, `${s}: 3: Syntax error: Bad for loop variable\n`);
      assert.equal(r.status, 2);
    });
    test('return outside a function ends the script', () => expectSh(
      'echo a; return 4; echo b', { stdout: 'a\n', status: 4 }));
    test('syntax errors say what was expected', () => expectSh(
      'if true; then echo x', { stderr: 'sh: 1: Syntax error: end of file unexpected (expecting "fi")\n', status: 2 }));
    test('exit with a status, and the status of the last command', async () => {
      await expectSh('exit 3', { status: 3 });
      await expectSh('false; exit', { status: 1 });
      await expectSh('(exit 300); echo $?', { stdout: '44\n' });
    });
  });

  describe('set options', C, () => {
    test('set -e exits on failure, not in conditions', () => expectSh(
      'set -e; if false; then :; fi; false || true; ! true; false && true; echo alive; false; echo dead',
      { stdout: 'alive\n', status: 1 }));
    test('set -e and a failing subshell', () => expectSh(
      'set -e; (false); echo dead', { stdout: '', status: 1 }));
    test('set -x traces to stderr with PS4', () => expectSh(
      'set -x; x=1; echo $x', { stdout: '1\n', stderr: '+ x=1\n+ echo 1\n' }));
    test('set -f, set -- and set -o', () => expectSh(
      'set -- a b c; echo $#; set --; echo $#; set -f; set -o | grep noglob; set +f; set -o | grep noglob',
      { stdout: /^3\n0\nnoglob\s+on\nnoglob\s+off\n$/ }));
    test('sh -n only parses', async () => {
      const r = await run('sh', ['-n', '-c', 'echo no'], { exec: true });
      assert.equal(r.stdout, '');
      assert.equal(r.status, 0);
    });
    test('shift', () => expectSh(
      'shift; echo "$@"; shift 2; echo "$@"; shift 5', { stdout: 'b c d\nd\n', stderr: /can't shift/, status: 2 },
      {}, ['a', 'b', 'c', 'd']));
  });

  describe('traps', C, () => {
    test('EXIT trap runs at exit with the status kept', () => expectSh(
      'trap "echo bye \\$?" EXIT; echo body; exit 5', { stdout: 'body\nbye 5\n', status: 5 }));
    test('a signal trap runs its commands', () => expectSh(
      'trap "echo caught USR1" USR1; kill -USR1 $$; echo after; trap - USR1; trap',
      { stdout: 'caught USR1\nafter\n' }));
    test('trap lists, ignores and resets', () => expectSh(
      'trap "echo x" INT; trap "" HUP; trap; trap - INT HUP; trap; echo end',
      { stdout: "trap -- '' HUP\ntrap -- 'echo x' INT\nend\n" }));
    test('an ignored signal stays ignored in children; traps reset in subshells', () => expectSh(
      'trap "" TERM; (kill -TERM $$ ; kill -TERM 0 2>/dev/null; echo sub alive); trap "echo t" USR1; (trap) | wc -l',
      { stdout: /^sub alive\n\s*1\n$/ }));
  });

  describe('builtins', C, () => {
    test('cd, pwd, PWD and OLDPWD', async () => {
      mkdirSync(join(dir, 'cdd/sub'), { recursive: true });
      await expectSh('cd cdd/sub; pwd; cd ..; echo ${PWD##*/}; cd - >/dev/null; echo ${PWD##*/} ${OLDPWD##*/}; cd /nonexistent; echo $?',
        { stdout: /\/cdd\/sub\ncdd\nsub cdd\n1\n$/, stderr: 'sh: cd: /nonexistent: No such file or directory\n' });
    });
    test('export reaches children, unset removes', () => expectSh(
      'export A=1; B=2; sh -c "echo \\$A-\\$B"; C=3 sh -c "echo \\$C"; unset A; sh -c "echo [\\$A]"',
      { stdout: '1-\n3\n[]\n' }));
    test('readonly', () => expectSh(
      'readonly R=1; R=2; echo not reached', { stderr: 'sh: R: is read only\n', status: 2 }));
    test('eval and .', async () => {
      file('dot.sh', 'dotvar=fromdot\nreturn 3\necho not reached\n');
      await expectSh('eval "x=1; echo \\$x"; . ./dot.sh; echo $? $dotvar', { stdout: '1\n3 fromdot\n' });
    });
    test('exec replaces the shell; exec with redirections only', () => expectSh(
      'exec > eout; echo redirected; exec >&2; cat eout; exec echo replaced; echo not reached',
      { stderr: 'redirected\nreplaced\n' }));
    test('getopts', () => expectSh(
      'while getopts ab:c o; do echo "$o ${OPTARG-}"; done; shift $((OPTIND-1)); echo "rest: $*"',
      { stdout: 'a \nb val\nc \nrest: file\n' }, {}, ['-a', '-bval', '-c', 'file']));
    test('getopts reports unknown options', () => expectSh(
      'while getopts a o; do echo "$o"; done', { stdout: '?\n', stderr: 'sh: Illegal option -z\n' }, {}, ['-z']));
    test('alias and unalias', () => expectSh(
      'alias hi="echo hello"\nhi world\nalias hi\nunalias hi\nhi 2>/dev/null || echo gone',
      { stdout: "hello world\nhi='echo hello'\ngone\n" }));
    test('type and command -v', () => expectSh(
      'type cd; type exit; type if; command -v echo; command -v cat; command -v nosuch; echo $?',
      { stdout: /^cd is a shell builtin\nexit is a special shell builtin\nif is a shell keyword\necho\n\/.*\/cat\n127\n$/ }));
    test('test and [', () => expectSh(
      '[ a = a ] && echo 1; [ 3 -lt 10 ] && echo 2; test -z "" && echo 3; [ ! -n "" ] && echo 4; ' +
      '[ -d / -a -f /nonexist ] || echo 5; [ \\( 1 -eq 1 \\) -o 1 -eq 2 ] && echo 6; [ x = ]; echo $?; [ 1 -eq a ]; echo $?',
      { stdout: '1\n2\n3\n4\n5\n6\n2\n2\n', stderr: /bad number/ }));
    test('printf', () => expectSh(
      'printf "%s|%5s|%-3s|%d|%03d|%x|%o|%c|%%\\n" str r l 42 7 255 8 char; printf "%s\\n" a b c; printf "%b\\n" "x\\ty"',
      { stdout: 'str|    r|l  |42|007|ff|10|c|%\na\nb\nc\nx\ty\n' }));
    test('umask', () => expectSh(
      'umask 027; umask; umask -S; umask u=rwx,g=rx,o=; umask', { stdout: '0027\nu=rwx,g=rx,o=\n0027\n' }));
    test('times and ulimit', () => expectSh(
      'times | wc -l; ulimit -n 64; ulimit -n', { stdout: /^\s*2\n64\n$/ }));
    test('assignments are done left to right', () => expectSh(
      'a=3; a=$((a*2)) b=$a; echo $a $b', { stdout: '6 6\n' }));
    test('true, false and :', () => expectSh(
      'true; echo $?; false; echo $?; : ignored args; echo $?', { stdout: '0\n1\n0\n' }));
  });

  describe('background jobs', C, () => {
    test('& and wait, $! and the status of wait', () => expectSh(
      'sleep 0.2 & p=$!; echo started; wait $p; echo "waited $?"; (exit 3) & wait $!; echo $?; ' +
      '(sleep 0.1; echo bg1) & (echo bg2) & wait; echo all',
      { stdout: /^started\nwaited 0\n3\n(bg1\nbg2|bg2\nbg1)\nall\n$/ }));
    test('jobs and kill %1 without job control', () => expectSh(
      'sleep 5 & jobs; kill %1; wait %1; echo $?',
      { stdout: /^\[1\]\+ Running\s+sleep 5 &\n143\n$/ }));
    test('a background job reads /dev/null, not the shell input', () => expectSh(
      'cat & wait; echo done', { stdout: 'done\n' }, { stdin: 'should not be read\n' }));
    test('a trap interrupts wait', () => expectSh(
      'trap "echo usr1" USR1; (sleep 0.2; kill -USR1 $$) & sleep 3 & wait $!; echo "wait=$?"; kill %2',
      { stdout: 'usr1\nwait=138\n' }));
  });

  describe('scripts and invocation', C, () => {
    test('a script file with arguments, sh -s reads stdin', async () => {
      const s = file('args.sh', 'echo "$0" "$#" "$@"\n');
      const r = await run('sh', [s, 'x', 'y'], { exec: true, cwd: dir });
      assert.equal(r.stdout, `${s} 2 x y\n`);
      const r2 = await run('sh', ['-s', 'a', 'b'], { exec: true, cwd: dir, stdin: 'echo "$# $1"\nread l\nline for read\necho "read: $l"\n' });
      assert.equal(r2.stdout, '2 a\nread: line for read\n');
    });
    test('a login shell reads the profile and ENV is for interactive shells', async () => {
      file('home/.profile', 'echo profile read; PROFILED=yes\n');
      const r = await run('sh', ['-l', '-c', 'echo $PROFILED'], { exec: true, cwd: dir, env: { HOME: join(dir, 'home') } });
      assert.match(r.stdout, /profile read\nyes\n$/);
    });
    test('an rc(8)-style script: rc.conf, checkyesno, fstab, here-documents', async () => {
      mkdirSync(join(dir, 'rc'), { recursive: true });
      file('rc/rc.conf', RC_CONF);
      file('rc/fstab', FSTAB);
      const s = file('rc/rc', RC_SCRIPT, 0o755);
      const r = await run('sh', [s], { exec: true, cwd: join(dir, 'rc') });
      assert.equal(r.stdout, RC_OUT);
      assert.equal(r.stderr, '$nosuch_enable is not set properly\n');
      assert.equal(r.status, 0);
    });
    test('usage errors', async () => {
      const r = await run('sh', ['-Z'], { exec: true });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /illegal option/);
      assert.match(r.stderr, /usage: sh/);
    });
  });
});

/*
 * Interactive use, through a pty: line editing, the prompt, ^Z/jobs/fg,
 * ^C.  sh runs under qemu-riscv64 directly with the host's programs on
 * PATH (no binfmt namespace needed for host binaries).
 */
const PTY_DRIVER = String.raw`
import os, pty, sys, time, json, select, signal, fcntl, termios, struct
steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
if os.environ.get('PTY_COLS'):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, int(os.environ['PTY_COLS']), 0, 0))
out = b''
def drain(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
def wait_for(s, t):
    # Returns where the match ends, so the next wait looks after it.
    end = time.time() + t
    while time.time() < end and s.encode() not in out[mark:]:
        drain(0.05)
    i = out.find(s.encode(), mark)
    return len(out) if i < 0 else i + len(s)
mark = 0
for step in steps:
    kind, val = step[0], step[1]
    if kind == 'send':
        os.write(fd, val.encode())
    elif kind == 'wait':
        mark = wait_for(val, step[2] if len(step) > 2 else 10)
    elif kind == 'sleep':
        drain(val)
drain(0.3)
try:
    os.kill(pid, signal.SIGKILL)
except OSError:
    pass
sys.stdout.write(out.decode('utf-8', 'replace'))
`;

function havePty(): boolean {
  const r = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
  return r.status === 0;
}

type Step = ['send', string] | ['wait', string, number?] | ['sleep', number];

function ptySession(steps: Step[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', PTY_DRIVER, JSON.stringify(steps),
      'qemu-riscv64', '-L', ROOT, progPath('sh'), '-i'], {
      cwd: dir || '/',
      env: { PATH: '/usr/bin:/bin', HOME: '/', TERM: 'vt100', PS1: '$ ', LC_ALL: 'C', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => out.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(out).toString('utf8')); });
  });
}

describe('sh -i on a terminal', { skip: !havePty() && 'python3 pty not available', concurrency: true }, () => {
  test('^Z stops a job, jobs lists it, fg resumes it, ^C interrupts it', async () => {
    const out = await ptySession([
      ['wait', '$ '],
      ['send', 'sleep 30\r'], ['sleep', 1.0],
      ['send', '\x1a'], ['wait', 'Stopped'], ['wait', '$ '],
      ['send', 'jobs\r'], ['wait', '$ '],
      ['send', 'fg\r'], ['wait', 'sleep 30'], ['sleep', 0.5],
      ['send', '\x03'], ['wait', '$ '],
      ['send', 'echo status=$?\r'], ['wait', 'status='], ['wait', '$ '],
      ['send', 'exit\r'],
    ]);
    assert.match(out, /\[1\]\+ Stopped\s+sleep 30/);
    assert.match(out, /jobs\r*\n\[1\]\+ Stopped\s+sleep 30/);
    assert.match(out, /fg\r*\nsleep 30/);
    assert.match(out, /status=130/);
  });

  test('background jobs report [n] pid and Done', async () => {
    const out = await ptySession([
      ['wait', '$ '],
      ['send', 'sleep 0.3 &\r'], ['wait', '$ '],
      ['send', 'wait\r'], ['wait', 'Done'], ['wait', '$ '],
      ['send', 'exit\r'],
    ]);
    assert.match(out, /\[1\] \d+/);
    assert.match(out, /\[1\]\+ Done\s+sleep 0\.3/);
  });

  test('line editing: arrows, ^A ^E ^U ^W ^K, history', async () => {
    const out = await ptySession([
      ['wait', '$ '],
      // "echo wrld", left x3, insert "o" -> "echo world"
      ['send', 'echo wrld\x1b[D\x1b[D\x1b[Do\r'], ['wait', 'world'], ['wait', '$ '],
      // ^A then type "echo " before "first"; ^E then " last"
      ['send', 'first\x01echo \x05 last\r'], ['wait', 'first last'], ['wait', '$ '],
      // ^U clears, ^W deletes a word, ^K kills to end
      ['send', 'garbage\x15echo kept junk\x17tail\x01\x1b[C\x1b[C\x1b[C\x1b[C\x0b echo k2\r'], ['wait', 'k2'], ['wait', '$ '],
      // history: up twice gives "echo first last"
      ['send', '\x1b[A\x1b[A\r'], ['wait', 'first last'], ['wait', '$ '],
      ['send', 'exit\r'],
    ]);
    assert.match(out, /\r\nworld\r\n/);
    assert.match(out, /\r\nfirst last\r\n/);
    assert.match(out, /\r*\necho k2\r*\n/);
  });

  test('lines longer than the terminal wrap and still edit', async () => {
    const out = await ptySession([
      ['wait', '$ '],
      // 41 characters on a 20-column terminal: three rows; insert at column 5
      ['send', 'echo 0123456789abcdefghijklmnopqrstuvwxyz\x01\x1b[C\x1b[C\x1b[C\x1b[C\x1b[CX\r'],
      ['wait', 'X0123'], ['wait', '$ '],
      ['send', 'exit\r'],
    ], { PTY_COLS: '20' });
    assert.match(out, /\r\nX0123456789abcdefghijklmnopqrstuvwxyz\r\n/);
    // Redraws climb back to the prompt's row rather than scribbling below it.
    assert.match(out, /\x1b\[2A\r\$ echo /);
  });

  test('Tab completes commands and file names, and lists choices', async () => {
    mkdirSync(join(dir, 'tab/subdir'), { recursive: true });
    file('tab/file_one', '');
    file('tab/file_two', '');
    const out = await ptySession([
      ['wait', '$ '],
      ['send', `cd ${join(dir, 'tab')}\r`], ['wait', '$ '],
      ['send', 'ech\thi\r'], ['wait', 'hi'], ['wait', '$ '],
      ['send', 'echo sub\t\r'], ['wait', 'subdir/'], ['wait', '$ '],
      ['send', 'echo fi\t\t'], ['wait', 'file_two'],
      ['send', 'o\t\r'], ['wait', '$ '],
      ['send', 'exit\r'],
    ]);
    assert.match(out, /\r\nhi\r\n/);
    assert.match(out, /\r\nsubdir\/\r\n/);
    assert.match(out, /file_one  file_two/);
    assert.match(out, /\r\nfile_one\r\n/);
  });

  test('PS1 escapes and ^C at the prompt', async () => {
    // \$ is # for root and $ for others: the prompt is matched on "] ".
    const out = await ptySession([
      ['wait', '$ '],
      ['send', "PS1='[\\w]\\$ '\r"], ['wait', '] '],
      ['send', 'cd /tmp\r'], ['wait', '[/tmp]'],
      ['send', 'half typed\x03'], ['wait', '[/tmp]'],
      ['send', 'echo ok\r'], ['wait', 'ok'],
      ['send', 'exit\r'],
    ]);
    assert.match(out, /\[\/tmp\][#$] /);
    assert.match(out, /half typed\^C\r*\n\[\/tmp\][#$] /);
  });
});
