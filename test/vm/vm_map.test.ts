import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { PTE_COW, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, ptePpn } from '../../kernel/vm/pte.ts';
import {
  ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE,
  USER_STACK_TOP,
} from '../../kernel/vm/vm_param.ts';
import { copyin, copyout, fuword32, suword32 } from '../../kernel/vm/copyio.ts';
import { machine, FakePager, bytes } from './helpers.ts';
import { VnodeObject } from '../../kernel/vm/vm_object.ts';
import { RF_SHARED } from '../../kernel/vm/vm_region.ts';

const RW = PROT_READ | PROT_WRITE;
const P = PAGE_SIZE;

test('demand zero: page tables after a fault', () => {
  const { vm, pages, mem } = machine();
  vm.map(0x10000, 4 * P, RW);
  assert.equal(vm.pmap.get(0x10000), 0);
  assert.ok(vm.fault(0x10008, ACCESS_READ));
  const pte = vm.pmap.get(0x10000);
  assert.equal(pte & (PTE_V | PTE_R | PTE_W | PTE_U | PTE_X), PTE_V | PTE_R | PTE_W | PTE_U);
  /* The walk the engine does: root → l1 → l0, each in physical memory. */
  const root = vm.rootPpn;
  const l1 = ptePpn(mem.i32[(root << 10) + 0]);
  const l0 = ptePpn(mem.i32[(l1 << 10) + 0]);
  assert.equal(mem.i32[(l0 << 10) + (0x10 << 1)], pte);
  assert.equal(mem.i32[(l0 << 10) + (0x10 << 1) + 1], 0);
  assert.equal(vm.rss, 1);
  assert.equal(pages.stats.zeroFills, 1);
  assert.equal(pages.isWired(root), true);
});

test('faults report MAPERR, ACCERR', () => {
  const { vm } = machine();
  vm.map(0x10000, P, PROT_READ);
  assert.equal(vm.fault(0x20000, ACCESS_READ), false);
  assert.deepEqual([vm.faultSignal, vm.faultCode], [11, 1]);
  assert.equal(vm.fault(0x10000, ACCESS_WRITE), false);
  assert.deepEqual([vm.faultSignal, vm.faultCode], [11, 2]);
  assert.equal(vm.fault(0x10000, ACCESS_EXEC), false);
  assert.equal(vm.fault(0x1_0000_0000, ACCESS_READ), false);
  assert.equal(vm.isMapped(0x10000), true);
});

test('COW after fork: writes in parent and child, refcounts, freeing', () => {
  const { vm, pages } = machine();
  const before = pages.stats.free;
  vm.map(0x10000, 2 * P, RW);
  suword32(vm, 0x10000, 111);
  suword32(vm, 0x11000, 222);
  const child = vm.fork();
  const ppn = ptePpn(vm.pmap.get(0x10000));
  assert.equal(ptePpn(child.pmap.get(0x10000)), ppn);
  assert.equal(pages.refcount(ppn), 2);
  assert.ok(vm.pmap.get(0x10000) & PTE_COW);
  assert.equal(vm.pmap.get(0x10000) & PTE_W, 0);
  suword32(child, 0x10000, 333);          // child copies
  assert.equal(fuword32(vm, 0x10000), 111);
  assert.equal(fuword32(child, 0x10000), 333);
  assert.equal(pages.refcount(ppn), 1);
  suword32(vm, 0x10000, 444);             // parent now sole owner: takes the frame over
  assert.equal(ptePpn(vm.pmap.get(0x10000)), ppn);
  assert.ok(vm.pmap.get(0x10000) & PTE_W);
  suword32(vm, 0x11000, 555);             // parent writes first on page 2
  assert.equal(fuword32(child, 0x11000), 222);
  assert.equal(pages.stats.cowCopies, 2);
  child.destroy();
  vm.destroy();
  assert.equal(pages.stats.free, before + 1); // + the root table of vm
  assert.equal(pages.stats.wired, 0);
  assert.equal(pages.stats.active, 0);
});

test('shared anonymous memory stays shared across fork', () => {
  const { vm, pages } = machine();
  const before = pages.stats.free;
  vm.map(0x10000, P, RW, { object: new VnodeObject(new FakePager(pages, new Uint8Array(P))), flags: RF_SHARED });
  const child = vm.fork();
  suword32(child, 0x10000, 7);
  assert.equal(fuword32(vm, 0x10000), 7);
  child.destroy();
  vm.destroy();
  assert.equal(pages.stats.free, before + 1 - 1); // vm's root back; the pager still caches its page
});

test('munmap in the middle splits a region', () => {
  const { vm } = machine();
  vm.map(0x10000, 8 * P, RW);
  for (let i = 0; i < 8; i++) suword32(vm, 0x10000 + i * P, i + 1);
  vm.unmap(0x12000, 2 * P);
  assert.deepEqual(vm.regions.map((r) => [r.start, r.end]), [[0x10000, 0x12000], [0x14000, 0x18000]]);
  assert.equal(vm.rss, 6);
  assert.equal(fuword32(vm, 0x15000), 6);
  assert.equal(vm.fault(0x12000, ACCESS_READ), false);
});

test('mprotect in the middle splits and rewrites PTEs', () => {
  const { vm } = machine();
  vm.map(0x10000, 3 * P, RW);
  for (let i = 0; i < 3; i++) suword32(vm, 0x10000 + i * P, 9);
  vm.protect(0x11000, P, PROT_READ);
  assert.deepEqual(vm.regions.map((r) => r.prot), [RW, PROT_READ, RW]);
  assert.equal(vm.pmap.get(0x11000) & PTE_W, 0);
  assert.ok(vm.pmap.get(0x12000) & PTE_W);
  assert.throws(() => suword32(vm, 0x11000, 1), /errno 14/);
  vm.protect(0x11000, P, PROT_NONE);
  assert.equal(vm.pmap.get(0x11000) & PTE_V, 0);
  assert.notEqual(vm.pmap.get(0x11000), 0); // frame kept
  vm.protect(0x11000, P, RW);
  assert.equal(fuword32(vm, 0x11000), 9);
  assert.throws(() => vm.protect(0x10000, 8 * P, PROT_READ), /errno 12/);
});

test('MAP_FIXED over an existing mapping replaces it', () => {
  const { vm, pages } = machine();
  vm.map(0x10000, 4 * P, RW);
  suword32(vm, 0x11000, 5);
  const used = pages.stats.active;
  vm.map(0x11000, P, PROT_READ | PROT_EXEC, { name: 'x' });
  assert.equal(pages.stats.active, used - 1);
  assert.equal(vm.regions.length, 3);
  assert.equal(fuword32(vm, 0x11000), 0);
});

test('private file mapping: COW from the page cache, SIGBUS past EOF', () => {
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(P + 100));
  vm.map(0x10000, 3 * P, RW, { object: new VnodeObject(pager), name: '/f' });
  assert.equal(pager.refs, 1);
  assert.deepEqual(copyin(vm, 0x10000, 4), bytes(4));
  const cache = pager.frames.get(0)!;
  assert.equal(ptePpn(vm.pmap.get(0x10000)), cache);
  assert.ok(vm.pmap.get(0x10000) & PTE_COW);
  copyout(vm, 0x10000, new Uint8Array([9]));
  assert.notEqual(ptePpn(vm.pmap.get(0x10000)), cache);
  assert.equal(pages.mem.u8[cache * P], bytes(1)[0]); // file untouched
  assert.equal(copyin(vm, 0x11000 + 100, 1)[0], 0);     // zero past EOF in the last page
  assert.equal(vm.fault(0x12000, ACCESS_READ), false);
  assert.equal(vm.faultSignal, 7);
  vm.destroy();
  assert.equal(pager.refs, 0);
});

test('shared file mapping writes the page cache and dirties it', () => {
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(P));
  vm.map(0x10000, P, RW, { object: new VnodeObject(pager), flags: RF_SHARED });
  assert.equal(fuword32(vm, 0x10000), new DataView(bytes(4).buffer).getInt32(0, true));
  assert.equal(vm.pmap.get(0x10000) & PTE_W, 0);
  suword32(vm, 0x10000, 77);
  assert.deepEqual(pager.dirtied, [0]);
  assert.equal(pages.mem.i32[pager.frames.get(0)! * 1024], 77);
});

test('brk grows and shrinks, respects the data limit', () => {
  const { vm } = machine();
  vm.setBrkBase(0x20123);
  assert.equal(vm.brk(0), 0x21000);
  assert.equal(vm.brk(0x21000 + 100), 0x21000 + 100);
  suword32(vm, 0x21000, 1);
  assert.equal(vm.brk(0x25000), 0x25000);
  assert.equal(vm.regions.length, 1);
  assert.equal(vm.regions[0].name, '[heap]');
  assert.equal(vm.brk(0x21000), 0x21000);
  assert.equal(vm.rss, 0);
  vm.dataLimit = 2 * P;
  assert.equal(vm.brk(0x21000 + 3 * P), 0x21000);
});

test('stack, top-down mmap base and findFree', () => {
  const { vm } = machine();
  const top = vm.setupStack(8 << 20);
  assert.equal(top, USER_STACK_TOP);
  assert.ok(vm.fault(top - 8, ACCESS_WRITE));
  assert.equal(vm.fault(top - (8 << 20) - 8, ACCESS_WRITE), false);
  const a = vm.findFree(2 * P);
  assert.ok(a + 2 * P <= vm.mmapBase);
  vm.map(a, 2 * P, RW);
  const b = vm.findFree(P);
  assert.equal(b, a - P);
  assert.equal(vm.findFree(P, 0x4000_0000), 0x4000_0000);
  assert.equal(vm.findFree(2 ** 33), -1);
});

test('destroy returns every frame, page tables included', () => {
  const { vm, pages } = machine();
  const free0 = pages.stats.free;
  const vm2 = vm.fork();
  vm.map(0x10000, 4 * P, RW);
  vm.map(0x8000_0000, 4 * P, RW);
  for (let i = 0; i < 4; i++) { suword32(vm, 0x10000 + i * P, i); suword32(vm, 0x8000_0000 + i * P, i); }
  const vm3 = vm.fork();
  suword32(vm3, 0x10000, 1);
  vm.destroy(); vm2.destroy(); vm3.destroy();
  assert.equal(pages.stats.free, free0 + 1); // + the root of the original vm
  assert.equal(pages.stats.active + pages.stats.wired, 0);
});

test('out of memory inside a fault: hook invoked, SIGKILL result, kernel fine', () => {
  const { vm, pages } = machine(16);
  vm.map(0x10000, 64 * P, RW);
  let calls = 0;
  pages.onOom = () => { calls++; return false; };
  let va = 0x10000;
  while (vm.fault(va, ACCESS_WRITE)) va += P;
  assert.equal(vm.faultSignal, 9);
  assert.ok(calls > 0);
  vm.destroy();
  assert.equal(pages.stats.free, pages.stats.total);
});

test('the OOM hook may destroy the very space that is faulting or forking', () => {
  const { vm, pages } = machine(24);
  vm.map(0x10000, 64 * P, RW);
  pages.onOom = () => { vm.destroy(); return true; };
  let va = 0x10000;
  while (vm.fault(va, ACCESS_WRITE)) va += P;
  assert.equal(vm.faultSignal, 9);
  assert.equal(vm.destroyed, true);
  assert.equal(pages.stats.free, pages.stats.total);
  /* fork: the child's page tables run memory out, the hook kills the parent. */
  const { vm: p2, pages: pg2 } = machine(24);
  for (let i = 0; i < 8; i++) p2.map(0x10000 + i * 0x20_0000, P, RW);
  for (let i = 0; i < 8; i++) assert.ok(p2.fault(0x10000 + i * 0x20_0000, ACCESS_WRITE));
  pg2.onOom = () => { p2.destroy(); return true; };
  assert.throws(() => p2.fork(), /errno 12/);
  assert.equal(pg2.stats.free, pg2.stats.total);
});

test('/proc/pid/maps lines', async () => {
  const { procMaps } = await import('../../kernel/vm/vm_maps.ts');
  const { vm } = machine();
  vm.map(0x10000, 2 * P, PROT_READ | PROT_EXEC, { name: '/bin/sh' });
  vm.setupStack();
  const lines = procMaps(vm).trimEnd().split('\n');
  assert.equal(lines[0].slice(0, 48), '00010000-00012000 r-xp 00000000 00:00 0         ');
  assert.ok(lines[0].endsWith(' /bin/sh'));
  assert.match(lines[1], /^ff7f0000-ffff0000 rw-p 00000000 00:00 0 +\[stack\]$/);
});

test('a read fault on a file maps the neighbouring cached pages too (fault-around)', () => {
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(20 * P));
  vm.map(0x10000, 20 * P, PROT_READ, { object: new VnodeObject(pager) });
  assert.ok(vm.fault(0x13000, ACCESS_READ));
  assert.equal(vm.rss, 16);
  assert.deepEqual(copyin(vm, 0x10000 + 15 * P, 4), bytes(20 * P).subarray(15 * P, 15 * P + 4));
  assert.ok(vm.pmap.get(0x10000 + 15 * P) & PTE_COW);
  vm.destroy();
  pager.evict();
  assert.equal(pages.stats.free, pages.stats.total);
});

test('a file that shrinks loses the mapped pages past its new end (SIGBUS after)', async () => {
  const { vnodeTruncated } = await import('../../kernel/vm/vm_pager_map.ts');
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(4 * P));
  vm.map(0x10000, 4 * P, RW, { object: new VnodeObject(pager) });
  for (let i = 0; i < 4; i++) suword32(vm, 0x10000 + i * P, i);
  const child = vm.fork();
  pager.data = bytes(P + 1);
  vnodeTruncated(pager, P + 1);
  assert.equal(vm.rss, 2);
  assert.equal(child.rss, 2);
  assert.equal(fuword32(vm, 0x11000), 1);
  assert.equal(vm.fault(0x12000, ACCESS_READ), false);
  assert.equal(vm.faultSignal, 7);
  child.destroy();
  vm.destroy();
  vnodeTruncated(pager, 0); // nobody maps it any more: nothing to do
});
