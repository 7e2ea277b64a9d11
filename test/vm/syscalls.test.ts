import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { SysArgs } from '../../kernel/kern/sysargs.ts';
import type { Thread } from '../../kernel/kern/proc.ts';
import { vmSyscalls, mmapHooks, type MmapFile } from '../../kernel/vm/vm_mmap.ts';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../kernel/vm/vm_param.ts';
import { EBADF, ENOMEM, SysError } from '../../kernel/kern/errno.ts';
import { fuword32, suword32 } from '../../kernel/vm/copyio.ts';
import { machine, FakePager, bytes } from './helpers.ts';

function args(...v: Array<number | bigint>): SysArgs {
  const a = new SysArgs();
  v.forEach((x, i) => {
    const b = BigInt.asUintN(64, BigInt(x));
    a.lo[i] = Number(BigInt.asIntN(32, b));
    a.hi[i] = Number(BigInt.asIntN(32, b >> 32n));
  });
  return a;
}

function call(td: Thread, nr: number, ...v: Array<number | bigint>): number {
  try {
    return vmSyscalls[nr](td, args(...v));
  } catch (e) {
    if (e instanceof SysError) return -e.errno;
    throw e;
  }
}

test('the syscall table: brk, mmap, mprotect, munmap through SysArgs', () => {
  const { vm, pages } = machine();
  const td = { proc: { vm } } as unknown as Thread;
  vm.setBrkBase(0x20000);
  vm.setupStack();
  assert.equal(call(td, 214, 0), 0x20000);
  assert.equal(call(td, 214, 0x21000), 0x21000);
  const a = call(td, 222, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert.ok(a > 0x20000);
  suword32(vm, a, 5);
  assert.equal(call(td, 226, a, PAGE_SIZE, PROT_READ), 0);
  assert.equal(call(td, 215, a, PAGE_SIZE), 0);
  assert.equal(call(td, 222, 0, 10n * 2n ** 30n, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM);
  assert.equal(call(td, 222, 0, -1n, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM);
  assert.equal(call(td, 233, a + PAGE_SIZE, PAGE_SIZE, 4), 0);
  assert.equal(call(td, 228, a + PAGE_SIZE, PAGE_SIZE), 0);
  const saved = mmapHooks.fileFor;
  const pager = new FakePager(pages, bytes(PAGE_SIZE));
  mmapHooks.fileFor = (_td, fd): MmapFile => {
    if (fd !== 3) throw new SysError(EBADF);
    return { pager, readable: true, writable: false, name: '/x' };
  };
  try {
    assert.equal(call(td, 222, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 4, 0), -EBADF);
    const f = call(td, 222, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 3, 0);
    assert.equal(fuword32(vm, f), new DataView(bytes(4).buffer).getInt32(0, true));
  } finally {
    mmapHooks.fileFor = saved;
  }
});
