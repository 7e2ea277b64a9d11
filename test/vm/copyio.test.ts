import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { PTE_W } from '../../kernel/vm/pte.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../kernel/vm/vm_param.ts';
import {
  copyin, copyinstr, copyinstrBytes, copyout, copyoutForce, fuptr, fuword32, fuword64, fuword64num, suword32,
  suword64, zeroUser, copyinStruct, copyoutStruct,
} from '../../kernel/vm/copyio.ts';
import { CStruct } from '../../kernel/vm/cstruct.ts';
import { EFAULT, ENAMETOOLONG, SysError } from '../../kernel/kern/errno.ts';
import { machine, bytes } from './helpers.ts';

const RW = PROT_READ | PROT_WRITE;
const P = PAGE_SIZE;

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

test('copyout/copyin across page boundaries', () => {
  const { vm } = machine();
  vm.map(0x10000, 4 * P, RW);
  const data = bytes(2 * P + 10);
  copyout(vm, 0x10000 + P - 5, data);
  assert.deepEqual(copyin(vm, 0x10000 + P - 5, data.length), data);
  assert.equal(vm.rss, 4);
});

test('EFAULT: unmapped, read-only, past the limit, partially mapped', () => {
  const { vm } = machine();
  vm.map(0x10000, P, PROT_READ);
  assert.equal(errno(() => copyin(vm, 0x20000, 4)), EFAULT);
  assert.equal(errno(() => copyout(vm, 0x10000, new Uint8Array(4))), EFAULT);
  assert.equal(errno(() => copyin(vm, 0xffff_fffe, 4)), EFAULT);
  assert.equal(errno(() => copyin(vm, 0x1_0000_0000, 1)), EFAULT);
  assert.equal(errno(() => copyin(vm, 0x10000 + P - 2, 4)), EFAULT);
  assert.deepEqual(copyin(vm, 0x10000, 0), new Uint8Array(0));
});

test('copyinstr: page crossing, max and ENAMETOOLONG', () => {
  const { vm } = machine();
  vm.map(0x10000, 2 * P, RW);
  const s = new TextEncoder().encode('/usr/lib/héllo\0');
  copyout(vm, 0x10000 + P - 4, s);
  const bstr = '/usr/lib/h\xc3\xa9llo'; // UTF-8 bytes, one char each
  assert.equal(copyinstr(vm, 0x10000 + P - 4, 4096), bstr);
  assert.equal(copyinstr(vm, 0x10000 + P - 4, s.length), bstr);
  assert.deepEqual(copyinstrBytes(vm, 0x10000 + P - 4, 4096), s.subarray(0, s.length - 1));
  assert.equal(errno(() => copyinstr(vm, 0x10000 + P - 4, s.length - 1)), ENAMETOOLONG);
  copyout(vm, 0x10000 + 2 * P - 3, new Uint8Array([65, 66, 67]));
  assert.equal(errno(() => copyinstr(vm, 0x10000 + 2 * P - 3, 100)), EFAULT);
});

test('words: aligned, misaligned, straddling pages, 64-bit', () => {
  const { vm } = machine();
  vm.map(0x10000, 2 * P, RW);
  suword32(vm, 0x10000, -2);
  assert.equal(fuword32(vm, 0x10000), -2);
  suword32(vm, 0x10000 + P - 2, 0x12345678);
  assert.equal(fuword32(vm, 0x10000 + P - 2), 0x12345678);
  suword64(vm, 0x10008, -5n);
  assert.equal(fuword64(vm, 0x10008), -5n);
  assert.equal(fuword64num(vm, 0x10008), -5);
  suword64(vm, 0x10000 + P - 4, 0x1_2345_6789);
  assert.equal(fuword64num(vm, 0x10000 + P - 4), 0x1_2345_6789);
  suword64(vm, 0x10010, 0xffff_ffff_0000_1000n);
  assert.ok(fuptr(vm, 0x10010) >= 2 ** 32);
});

test('structs round-trip', () => {
  const { vm } = machine();
  vm.map(0x10000, P, RW);
  const s = new CStruct(24).setI64(0, -3).setU32(8, 0xffff_fffe).setI64(16, 2 ** 40);
  copyoutStruct(vm, 0x10010, s);
  const t = copyinStruct(vm, 0x10010, 24);
  assert.deepEqual([t.i64(0), t.u32(8), t.u64(16)], [-3, 0xffff_fffe, 2 ** 40]);
});

test('force writes fill read-only pages without making them writable', () => {
  const { vm } = machine();
  vm.map(0x10000, 2 * P, PROT_READ | PROT_EXEC);
  copyoutForce(vm, 0x10ff0, bytes(32));
  assert.deepEqual(copyin(vm, 0x10ff0, 32), bytes(32));
  assert.equal(vm.pmap.get(0x10000) & PTE_W, 0);
  zeroUser(vm, 0x10ff8, 8, true);
  assert.deepEqual(copyin(vm, 0x10ff8, 8), new Uint8Array(8));
  assert.equal(errno(() => zeroUser(vm, 0x10000, 8)), EFAULT);
});

test('kernel writes note the frame for the code cache', () => {
  const { vm, mem } = machine();
  vm.map(0x10000, P, RW);
  suword32(vm, 0x10000, 1);
  const noted: number[] = [];
  mem.onCodeWrite = (ppn) => noted.push(ppn);
  const ppn = vm.pmap.get(0x10000) >>> 10;
  mem.codePage[ppn] = 1;
  copyout(vm, 0x10004, new Uint8Array([1, 2]));
  suword32(vm, 0x10008, 3);
  assert.deepEqual(noted, [ppn, ppn]);
});
