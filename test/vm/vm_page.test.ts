import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhysMem, PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { PageAllocator, ALLOC_WIRED } from '../../kernel/vm/vm_page.ts';
import { SysError, ENOMEM } from '../../kernel/kern/errno.ts';

test('frame accounting: free/active/wired, refcounts', () => {
  const pages = new PageAllocator(new PhysMem(16 * PAGE_SIZE));
  const s = pages.stats;
  assert.equal(s.total, 15); // frame 0 reserved
  assert.equal(s.free, 15);
  const a = pages.alloc();
  const w = pages.alloc(ALLOC_WIRED);
  assert.notEqual(a, 0);
  assert.deepEqual([s.free, s.active, s.wired], [13, 1, 1]);
  pages.ref(a);
  assert.equal(pages.refcount(a), 2);
  assert.equal(pages.unref(a), false);
  assert.equal(pages.unref(a), true);
  assert.equal(pages.unref(w), true);
  assert.deepEqual([s.free, s.active, s.wired], [15, 0, 0]);
  assert.throws(() => pages.unref(a));
});

test('alloc zeroes frames unless told not to', () => {
  const mem = new PhysMem(4 * PAGE_SIZE);
  const pages = new PageAllocator(mem);
  const p = pages.alloc();
  mem.u8.fill(0xaa, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  pages.unref(p);
  const q = pages.alloc();
  assert.equal(q, p);
  assert.equal(mem.u8[q * PAGE_SIZE + 100], 0);
});

test('out of memory: the hook runs, a retry can succeed, else ENOMEM', () => {
  const pages = new PageAllocator(new PhysMem(4 * PAGE_SIZE));
  const held = [pages.alloc(), pages.alloc(), pages.alloc()];
  assert.equal(pages.tryAlloc(), -1);
  let calls = 0;
  pages.onOom = () => { calls++; pages.unref(held.pop()!); return true; };
  const p = pages.alloc();
  assert.ok(p > 0);
  assert.equal(calls, 1);
  pages.onOom = () => { calls++; return false; };
  assert.throws(() => { pages.alloc(); pages.alloc(); pages.alloc(); },
    (e: unknown) => e instanceof SysError && e.errno === ENOMEM);
  assert.ok(pages.stats.oomCalls >= 2);
  assert.ok(pages.stats.allocFailures >= 1);
});
