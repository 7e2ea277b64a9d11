/* wait(2) status words and waitid's si_code/si_status, as glibc's W* macros decode them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStatus, W_CONTINUED, wExitStatus, wStopStatus } from '../../kernel/kern/kern_exit.ts';
import { termStatus } from '../../kernel/kern/kern_sig.ts';
import { CLD_DUMPED, CLD_EXITED, CLD_KILLED, SIGKILL, SIGSEGV, SIGTERM, SIGTSTP } from '../../kernel/kern/signal.ts';

const WIFEXITED = (s: number) => (s & 0x7f) === 0;
const WEXITSTATUS = (s: number) => (s >> 8) & 0xff;
const WIFSIGNALED = (s: number) => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f;
const WTERMSIG = (s: number) => s & 0x7f;
const WCOREDUMP = (s: number) => (s & 0x80) !== 0;
const WIFSTOPPED = (s: number) => (s & 0xff) === 0x7f;
const WSTOPSIG = (s: number) => WEXITSTATUS(s);

test('exit statuses keep the low 8 bits', () => {
  for (const code of [0, 1, 42, 255, 256, 257]) {
    const s = wExitStatus(code);
    assert.ok(WIFEXITED(s));
    assert.equal(WEXITSTATUS(s), code & 0xff);
    assert.deepEqual(decodeStatus(s), { code: CLD_EXITED, sistatus: code & 0xff });
  }
});

test('death by signal, with the core flag for core-dumping signals', () => {
  const term = termStatus(SIGTERM);
  assert.ok(WIFSIGNALED(term) && WTERMSIG(term) === SIGTERM && !WCOREDUMP(term));
  assert.deepEqual(decodeStatus(term), { code: CLD_KILLED, sistatus: SIGTERM });
  const segv = termStatus(SIGSEGV);
  assert.ok(WIFSIGNALED(segv) && WTERMSIG(segv) === SIGSEGV && WCOREDUMP(segv));
  assert.deepEqual(decodeStatus(segv), { code: CLD_DUMPED, sistatus: SIGSEGV });
  assert.equal(termStatus(SIGKILL), SIGKILL);
});

test('stopped and continued', () => {
  const st = wStopStatus(SIGTSTP);
  assert.ok(WIFSTOPPED(st) && WSTOPSIG(st) === SIGTSTP && !WIFEXITED(st));
  assert.equal(W_CONTINUED, 0xffff);
});
