import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { ptePpn } from '../../kernel/vm/pte.ts';
import {
  MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, MREMAP_FIXED,
  MREMAP_MAYMOVE, MADV_DONTNEED, MADV_DONTFORK, PROT_READ, PROT_WRITE, MAP_NORESERVE,
} from '../../kernel/vm/vm_param.ts';
import { vmMmap, vmMunmap, vmMprotect, type MmapFile } from '../../kernel/vm/vm_mmap.ts';
import { vmMremap } from '../../kernel/vm/vm_remap.ts';
import { vmMadvise, vmMincore, vmMsync } from '../../kernel/vm/vm_advice.ts';
import { copyin, fuword32, suword32 } from '../../kernel/vm/copyio.ts';
import { EACCES, EBADF, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM, SysError } from '../../kernel/kern/errno.ts';
import { machine, FakePager, bytes } from './helpers.ts';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const P = PAGE_SIZE;

function errno(fn: () => unknown): number {
  try { fn(); } catch (e) { if (e instanceof SysError) return e.errno; throw e; }
  return 0;
}

test('mmap argument errors', () => {
  const { vm } = machine();
  assert.equal(errno(() => vmMmap(vm, 0, 0, RW, ANON, -1, 0, null)), EINVAL);
  assert.equal(errno(() => vmMmap(vm, 0, P, RW, MAP_ANONYMOUS, -1, 0, null)), EINVAL);
  assert.equal(errno(() => vmMmap(vm, 0x10001, P, RW, ANON | MAP_FIXED, -1, 0, null)), EINVAL);
  assert.equal(errno(() => vmMmap(vm, 0, P, RW, MAP_PRIVATE, 3, 100, null)), EINVAL);
  assert.equal(errno(() => vmMmap(vm, 0, P, RW, MAP_PRIVATE, 3, 0, null)), EBADF);
  assert.equal(errno(() => vmMmap(vm, 0, 10 * 2 ** 30, RW, ANON, -1, 0, null)), ENOMEM); // 10 GB malloc
  assert.equal(errno(() => vmMmap(vm, 0, 2 ** 31, RW, ANON, -1, 0, null)), ENOMEM);      // > all of memory
  assert.ok(vmMmap(vm, 0, 2 ** 31, RW, ANON | MAP_NORESERVE, -1, 0, null) > 0);
});

test('mmap picks top-down addresses, honours hints, FIXED and FIXED_NOREPLACE', () => {
  const { vm } = machine();
  vm.setupStack();
  const a = vmMmap(vm, 0, 3 * P, RW, ANON, -1, 0, null);
  const b = vmMmap(vm, 0, P, RW, ANON, -1, 0, null);
  assert.equal(b, a - P);
  assert.equal(vmMmap(vm, 0x4000_0000, P, RW, ANON, -1, 0, null), 0x4000_0000);
  assert.equal(errno(() => vmMmap(vm, a, P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0, null)), EEXIST);
  suword32(vm, a + P, 5);
  assert.equal(vmMmap(vm, a + P, P, RW, ANON | MAP_FIXED, -1, 0, null), a + P);
  assert.equal(fuword32(vm, a + P), 0);
  /* Adjacent anonymous mappings with the same protection merge, as on Linux. */
  assert.equal(vm.regionsIn(b, a + 3 * P).length, 1);
  assert.deepEqual([vm.findRegion(a)!.start, vm.findRegion(a)!.end], [b, a + 3 * P]);
});

test('file mmap: EACCES for shared writable on read-only fd, ENODEV, private ok', () => {
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(2 * P));
  const ro: MmapFile = { pager, readable: true, writable: false, name: '/lib/x.so' };
  const lookup = (fd: number): MmapFile => {
    if (fd === 3) return ro;
    if (fd === 4) return { pager: null, readable: true, writable: true, name: 'pipe' };
    throw new SysError(EBADF);
  };
  assert.equal(errno(() => vmMmap(vm, 0, P, RW, MAP_SHARED, 3, 0, lookup)), EACCES);
  assert.equal(errno(() => vmMmap(vm, 0, P, PROT_READ, MAP_SHARED, 4, 0, lookup)), ENODEV);
  const sh = vmMmap(vm, 0, P, PROT_READ, MAP_SHARED, 3, 0, lookup);
  assert.equal(errno(() => vmMprotect(vm, sh, P, RW)), EACCES);
  const a = vmMmap(vm, 0, 2 * P, RW, MAP_PRIVATE, 3, P, lookup);
  assert.deepEqual(copyin(vm, a, 8), bytes(2 * P).subarray(P, P + 8));
  assert.equal(vm.regionsIn(a, a + 1)[0].name, '/lib/x.so');
});

test('MAP_SHARED|MAP_ANONYMOUS is shared across fork, private is not', () => {
  const { vm, pages } = machine();
  const free0 = pages.stats.free;
  const sh = vmMmap(vm, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0, null);
  const pr = vmMmap(vm, 0, P, RW, ANON, -1, 0, null);
  suword32(vm, pr, 1);
  const child = vm.fork();
  suword32(child, sh, 42);
  suword32(child, pr, 43);
  assert.equal(fuword32(vm, sh), 42);
  assert.equal(fuword32(vm, pr), 1);
  suword32(vm, sh, 44);
  assert.equal(fuword32(child, sh), 44);
  child.destroy();
  vm.destroy();
  assert.equal(pages.stats.free, free0 + 1);
});

test('munmap errors and partial unmaps', () => {
  const { vm } = machine();
  assert.equal(errno(() => vmMunmap(vm, 0x10001, P)), EINVAL);
  assert.equal(errno(() => vmMunmap(vm, 0x10000, 0)), EINVAL);
  assert.equal(vmMunmap(vm, 0x10000, P), 0); // nothing there: fine
  const a = vmMmap(vm, 0, 4 * P, RW, ANON, -1, 0, null);
  assert.equal(vmMunmap(vm, a, P + 1), 0);
  assert.equal(vm.regions[0].start, a + 2 * P);
});

test('mremap: shrink, grow in place, move, fixed', () => {
  const { vm } = machine();
  vm.setupStack();
  const a = vmMmap(vm, 0, 4 * P, RW, ANON, -1, 0, null);
  for (let i = 0; i < 4; i++) suword32(vm, a + i * P, 100 + i);
  assert.equal(vmMremap(vm, a, 4 * P, 2 * P, 0, 0), a);
  assert.equal(vm.regions.find((r) => r.start === a)!.end, a + 2 * P);
  /* Grow in place into the freed space. */
  assert.equal(vmMremap(vm, a, 2 * P, 3 * P, 0, 0), a);
  assert.equal(fuword32(vm, a + 2 * P), 0);
  /* Block growth, then move. */
  vmMmap(vm, a + 3 * P, P, RW, ANON | MAP_FIXED, -1, 0, null);
  assert.equal(errno(() => vmMremap(vm, a, 3 * P, 8 * P, 0, 0)), ENOMEM);
  const ppn = ptePpn(vm.pmap.get(a + P));
  const b = vmMremap(vm, a, 3 * P, 8 * P, MREMAP_MAYMOVE, 0);
  assert.notEqual(b, a);
  assert.equal(ptePpn(vm.pmap.get(b + P)), ppn); // the frame moved, not copied
  assert.equal(fuword32(vm, b), 100);
  assert.equal(fuword32(vm, b + P), 101);
  assert.equal(vm.findRegion(a), undefined);
  const c = vmMremap(vm, b, 8 * P, P, MREMAP_MAYMOVE | MREMAP_FIXED, 0x5000_0000);
  assert.equal(c, 0x5000_0000);
  assert.equal(fuword32(vm, c), 100);
  assert.equal(vm.findRegion(b), undefined);
  assert.equal(errno(() => vmMremap(vm, 0x6000_0000, P, 2 * P, MREMAP_MAYMOVE, 0)), EFAULT);
  assert.equal(errno(() => vmMremap(vm, c, P, 2 * P, MREMAP_FIXED, 0x7000_0000)), EINVAL);
});

test('madvise DONTNEED zeroes anonymous pages; DONTFORK', () => {
  const { vm } = machine();
  const a = vmMmap(vm, 0, 2 * P, RW, ANON, -1, 0, null);
  suword32(vm, a, 9);
  assert.equal(vmMadvise(vm, a, 2 * P, MADV_DONTNEED), 0);
  assert.equal(vm.rss, 0);
  assert.equal(fuword32(vm, a), 0);
  assert.equal(errno(() => vmMadvise(vm, a, P, 999)), EINVAL);
  assert.equal(vmMadvise(vm, a + P, P, MADV_DONTFORK), 0);
  const child = vm.fork();
  assert.equal(child.isMapped(a), true);
  assert.equal(child.isMapped(a + P), false);
});

test('mincore and msync', () => {
  const { vm } = machine();
  const a = vmMmap(vm, 0, 3 * P, RW, ANON, -1, 0, null);
  const vec = vmMmap(vm, 0, P, RW, ANON, -1, 0, null);
  suword32(vm, a + P, 1);
  assert.equal(vmMincore(vm, a, 3 * P, vec), 0);
  assert.deepEqual([...copyin(vm, vec, 3)], [0, 1, 0]);
  assert.equal(errno(() => vmMincore(vm, 0x10000, P, vec)), ENOMEM);
  assert.equal(vmMsync(vm, a, P, 4), 0);
  assert.equal(errno(() => vmMsync(vm, a, P, 5)), EINVAL);
  assert.equal(errno(() => vmMsync(vm, 0x10000, P, 4)), ENOMEM);
});

test('mprotect with PROT_GROWSDOWN covers the stack down to its lowest page', () => {
  const { vm } = machine();
  const top = vm.setupStack(64 * P);
  assert.equal(vmMprotect(vm, top - P, P, PROT_READ | PROT_WRITE | 4 | 0x0100_0000), 0);
  assert.equal(vm.regions.length, 1);
  assert.equal(vm.regions[0].prot, 7);
  assert.equal(errno(() => vmMprotect(vm, 0x10000, P, PROT_READ | 0x0100_0000)), EINVAL);
});

test('vmMapFile maps a file privately for exec', async () => {
  const { vmMapFile } = await import('../../kernel/vm/vm_mmap.ts');
  const { vm, pages } = machine();
  const pager = new FakePager(pages, bytes(3 * P));
  const at = vmMapFile(vm, 0x10000, 2 * P, PROT_READ, pager, P, '/bin/x');
  assert.equal(at, 0x10000);
  assert.deepEqual(copyin(vm, 0x10000, 4), bytes(3 * P).subarray(P, P + 4));
  const any = vmMapFile(vm, -1, P, PROT_READ, pager, 0, '/bin/x');
  assert.ok(any > 0x10000);
});

test('regions split by munmap/MAP_FIXED/mprotect merge back, so mremap sees one mapping', () => {
  const { vm } = machine();
  vm.setupStack();
  const p = vmMmap(vm, 0, 64 * P, RW, ANON, -1, 0, null);
  vmMunmap(vm, p + 10 * P, 4 * P);
  vmMmap(vm, p + 10 * P, 6 * P, RW, ANON | MAP_FIXED, -1, 0, null);
  vmMprotect(vm, p + 20 * P, P, PROT_READ);
  assert.equal(vm.regionsIn(p, p + 64 * P).length, 3);
  vmMprotect(vm, p + 20 * P, P, RW);
  assert.equal(vm.regionsIn(p, p + 64 * P).length, 1);
  suword32(vm, p + 63 * P, 8);
  const q = vmMremap(vm, p, 64 * P, 256 * P, MREMAP_MAYMOVE, 0);
  assert.equal(fuword32(vm, q + 63 * P), 8);
});

test('madvise REMOVE punches shared anonymous memory; POPULATE_WRITE prefaults', () => {
  const { vm } = machine();
  const s = vmMmap(vm, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0, null);
  suword32(vm, s, 5);
  const child = vm.fork();
  assert.equal(vmMadvise(vm, s, P, 9 /* MADV_REMOVE */), 0);
  assert.equal(fuword32(child, s), 5); // the child's mapping keeps its page until it refaults
  assert.equal(fuword32(vm, s), 0);
  const a = vmMmap(vm, 0, 4 * P, RW, ANON, -1, 0, null);
  assert.equal(vmMadvise(vm, a, 4 * P, 23 /* MADV_POPULATE_WRITE */), 0);
  assert.equal(vm.regionsIn(a, a + 1).length, 1);
  const before = vm.rss;
  assert.equal(errno(() => vmMadvise(vm, a, P, 9)), EINVAL); // REMOVE on private memory
  assert.equal(vm.rss, before);
  assert.equal(errno(() => vmMincore(vm, a, P, -1)), EFAULT);
  child.destroy();
});
