/*
 * bin/vkernel's command line: usage and exit 64 for -h, no arguments and bad
 * options; the -m, -n and -l errors with the real vkernel's messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVkernel } from './harness.ts';

const USAGE_HEAD = 'Usage: vkernel [-hsUvd] [-c file] [-e name=value:name=value:...]\n';

test('-h and no arguments print the usage and exit 64', () => {
  for (const args of [['-h'], []]) {
    const r = runVkernel(args);
    assert.equal(r.status, 64);
    assert.ok(r.stderr.startsWith(USAGE_HEAD), r.stderr);
    assert.match(r.stderr, /\nArguments:\n/);
    for (const o of ['-c', '-e', '-h', '-i', '-I', '-l', '-m', '-n', '-p', '-r', '-s', '-U', '-v']) {
      assert.match(r.stderr, new RegExp(`\\n\\t${o}\\t`), `usage lists ${o}`);
    }
    assert.equal(r.stdout, '');
  }
});

test('an unknown option or a missing argument prints the usage and exits 64', () => {
  let r = runVkernel(['-x']);
  assert.equal(r.status, 64);
  assert.ok(r.stderr.startsWith(`vkernel: illegal option -- x\n${USAGE_HEAD}`), r.stderr);
  r = runVkernel(['-m']);
  assert.equal(r.status, 64);
  assert.ok(r.stderr.startsWith(`vkernel: option requires an argument -- m\n${USAGE_HEAD}`), r.stderr);
});

test('-m, -n and -l errors', () => {
  const cases: Array<[string[], string]> = [
    [['-m', 'lots'], 'Bad maxmem option\n'],
    [['-m', '32m'], 'Bad maxmem specification: 64MB minimum, multiples of 2MB only\n'],
    [['-m', '65m'], 'Bad maxmem specification: 64MB minimum, multiples of 2MB only\n'],
    [['-n', '0'], 'Bad ncpus, valid range is 1-16\n'],
    [['-n', '17'], 'Bad ncpus, valid range is 1-16\n'],
    [['-l', 'x'], "Bad target CPU number at 'x'\n"],
    [['-l', '4096'], /^Bad target CPU, valid range is 0-\d+\n$/ as unknown as string],
  ];
  for (const [args, msg] of cases) {
    const r = runVkernel([...args, '-e', 'init_path=/nonexistent']);
    assert.equal(r.status, 64, `${args.join(' ')}: ${r.stderr}`);
    if (typeof msg === 'string') assert.equal(r.stderr, msg);
    else assert.match(r.stderr, msg);
  }
});
