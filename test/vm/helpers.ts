/* Shared fixtures for the VM tests: a small machine and a fake file pager. */
import { PhysMem, PAGE_SIZE } from '../../kernel/vm/physmem.ts';
import { PageAllocator } from '../../kernel/vm/vm_page.ts';
import { VmSpace } from '../../kernel/vm/vm_map.ts';
import type { VnodePager } from '../../kernel/vm/vm_object.ts';

export interface Machine { mem: PhysMem; pages: PageAllocator; vm: VmSpace }

export function machine(frames = 256): Machine {
  const mem = new PhysMem(frames * PAGE_SIZE);
  const pages = new PageAllocator(mem);
  const vm = new VmSpace(mem, pages);
  return { mem, pages, vm };
}

/** A page-cache pager over bytes, keeping its own reference on each frame (as tmpfs does). */
export class FakePager implements VnodePager {
  readonly frames = new Map<number, number>();
  dirtied: number[] = [];
  refs = 0;
  constructor(private readonly pages: PageAllocator, public data: Uint8Array) {}
  getPage(pgoff: number): number {
    let ppn = this.frames.get(pgoff);
    if (ppn === undefined) {
      ppn = this.pages.alloc();
      const chunk = this.data.subarray(pgoff * PAGE_SIZE, (pgoff + 1) * PAGE_SIZE);
      this.pages.mem.u8.set(chunk, ppn * PAGE_SIZE);
      this.frames.set(pgoff, ppn);
    }
    return ppn;
  }
  dirtyPage(pgoff: number): void { this.dirtied.push(pgoff); }
  size(): number { return this.data.length; }
  ref(): void { this.refs++; }
  unref(): void { this.refs--; }
  /** Drop the cache (file deleted). */
  evict(): void {
    for (const ppn of this.frames.values()) this.pages.unref(ppn);
    this.frames.clear();
  }
}

export function bytes(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 255;
  return b;
}
