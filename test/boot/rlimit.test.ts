/*
 * Resource limits that bound the address space carry across execve (the new
 * VmSpace gets them). No qemu-riscv64 oracle: qemu-user applies RLIMIT_AS to
 * itself, so its guest cannot even start under a 64 MB limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootRoot, buildProgram, haveToolchain, makeRoot, programOutput } from './harness.ts';

test('RLIMIT_AS set before execve limits the new image', { skip: !haveToolchain() }, async () => {
  const bin = buildProgram('boot_rlimexec', readFileSync(join(import.meta.dirname, 'progs', 'rlimexec.c'), 'utf8'), ['-static', '-O2']);
  const r = await bootRoot(makeRoot({ rlimexec: bin }), '/bin/rlimexec', { mem: 256 * 1024 * 1024 });
  assert.equal(programOutput(r.console), 'after exec: mmap 128M failed errno 12\nafter exec: mmap 8M worked\n');
  assert.equal(r.status, 0);
});
