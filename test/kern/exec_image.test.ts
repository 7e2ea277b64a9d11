/*
 * ELF parsing and the initial stack, against real binaries built with the
 * cross compiler and against hand-made malformed ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildProgram, haveToolchain } from './build.ts';
import { ET_DYN, ET_EXEC, parseElf, phdrAddr, phdrRange, PT_INTERP } from '../../kernel/kern/imgact_elf.ts';
import { SysError, ENOEXEC } from '../../kernel/kern/errno.ts';
import {
  AT_EXECFN, AT_NULL, AT_PAGESZ, AT_RANDOM, buildInitialStack,
} from '../../kernel/kern/exec_stack.ts';
import { parseShebang } from '../../kernel/kern/kern_exec.ts';

const HELLO = '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n';

function parseFile(path: string) {
  const b = new Uint8Array(readFileSync(path));
  const { off, len } = phdrRange(b);
  return parseElf(b, b.subarray(off, off + len), b.length);
}

test('static non-PIE executable: ET_EXEC, no interpreter, phdrs inside the first load', { skip: !haveToolchain() }, () => {
  const img = parseFile(buildProgram('elf_static', HELLO, ['-static', '-O2']));
  assert.equal(img.type, ET_EXEC);
  assert.equal(img.interp, null);
  assert.ok(img.loads.length >= 2);
  assert.equal(phdrAddr(img), img.loads[0].vaddr + img.phoff);
  assert.ok(img.entry >= img.minVaddr && img.entry < img.maxVaddr);
});

test('dynamic PIE executable: ET_DYN with PT_INTERP and PT_PHDR', { skip: !haveToolchain() }, () => {
  const img = parseFile(buildProgram('elf_dyn', HELLO, ['-O2']));
  assert.equal(img.type, ET_DYN);
  assert.ok(img.interp && img.phdrs.some((p) => p.type === PT_INTERP));
  assert.ok(img.phdrVaddr > 0);
  assert.equal(img.minVaddr, 0);
});

function expectNoexec(f: () => unknown): void {
  assert.throws(f, (e: unknown) => e instanceof SysError && e.errno === ENOEXEC);
}

test('malformed ELF files are ENOEXEC, never a crash', { skip: !haveToolchain() }, () => {
  const good = new Uint8Array(readFileSync(buildProgram('elf_static', HELLO, ['-static', '-O2'])));
  const variants: Array<(b: Uint8Array, dv: DataView) => void> = [
    (b) => { b[4] = 1; },                          // ELFCLASS32
    (b) => { b[5] = 2; },                          // big endian
    (_b, dv) => { dv.setUint16(18, 62, true); },   // x86-64
    (_b, dv) => { dv.setUint16(16, 4, true); },    // ET_CORE
    (_b, dv) => { dv.setUint16(54, 32, true); },   // phentsize
    (_b, dv) => { dv.setUint16(56, 0, true); },    // no phdrs
    (_b, dv) => { dv.setBigUint64(32, 1n << 60n, true); }, // phoff absurd
  ];
  for (const mutate of variants) {
    const b = good.slice();
    mutate(b, new DataView(b.buffer));
    expectNoexec(() => {
      const { off, len } = phdrRange(b);
      if (off + len > b.length) throw new SysError(ENOEXEC);
      return parseElf(b, b.subarray(off, off + len), b.length);
    });
  }
  /* A PT_LOAD past the end of the file. */
  const b = good.slice();
  const dv = new DataView(b.buffer);
  const phoff0 = Number(dv.getBigUint64(32, true));
  let phoff = phoff0;
  while (dv.getUint32(phoff, true) !== 1) phoff += 56;
  dv.setBigUint64(phoff + 32, BigInt(b.length * 2), true);
  dv.setBigUint64(phoff + 40, BigInt(b.length * 2), true);
  expectNoexec(() => parseElf(b, b.subarray(phoff0, phoff0 + 56 * dv.getUint16(56, true)), b.length));
  expectNoexec(() => parseElf(new Uint8Array(10), new Uint8Array(0), 10));
});

test('#! lines: interpreter and one optional argument', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.deepEqual(parseShebang(enc('#!/bin/sh\necho hi\n')), ['/bin/sh', null]);
  assert.deepEqual(parseShebang(enc('#! /usr/bin/env  python3 -u  \n')), ['/usr/bin/env', 'python3 -u']);
  assert.throws(() => parseShebang(enc('#!   \n')));
});

test('initial stack: argc, argv, envp, auxv, strings and AT_RANDOM in Linux order', () => {
  const top = 0x1000_0000;
  const rnd = new Uint8Array(16).map((_, i) => i + 1);
  const st = buildInitialStack(top, ['prog', 'a b'], ['X=1'], '/bin/prog', [[AT_PAGESZ, 4096], [AT_RANDOM, 0], [AT_EXECFN, 0], [AT_NULL, 0]], rnd);
  assert.equal(st.sp % 16, 0);
  const dv = new DataView(st.bytes.buffer);
  const at = (va: number) => va - st.sp;
  const u64 = (va: number) => Number(dv.getBigUint64(at(va), true));
  const str = (va: number) => { let s = ''; for (let i = at(va); st.bytes[i]; i++) s += String.fromCharCode(st.bytes[i]); return s; };
  assert.equal(u64(st.sp), 2);
  assert.equal(str(u64(st.sp + 8)), 'prog');
  assert.equal(str(u64(st.sp + 16)), 'a b');
  assert.equal(u64(st.sp + 24), 0);
  assert.equal(str(u64(st.sp + 32)), 'X=1');
  assert.equal(u64(st.sp + 40), 0);
  const aux = new Map<number, number>();
  for (let va = st.sp + 48; ; va += 16) { aux.set(u64(va), u64(va + 8)); if (u64(va) === AT_NULL) break; }
  assert.equal(aux.get(AT_PAGESZ), 4096);
  assert.equal(str(aux.get(AT_EXECFN)!), '/bin/prog');
  assert.deepEqual([...st.bytes.subarray(at(aux.get(AT_RANDOM)!), at(aux.get(AT_RANDOM)!) + 16)], [...rnd]);
  /* execfn is the topmost string, 8 bytes below the top. */
  assert.equal(aux.get(AT_EXECFN)! + '/bin/prog'.length + 1, top - 8);
});
