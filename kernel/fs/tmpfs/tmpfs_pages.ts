/*
 * A sparse file's data kept in page frames from the VM's allocator: page
 * offset → frame. Holes have no frame and read as zeros. The file system
 * holds one reference per frame; the VM takes its own for each mapping, so
 * truncating a mapped file never frees a frame under a process.
 */
import { ENOSPC, SysError } from '../../kern/errno.ts';
import { PAGE_MASK, PAGE_SIZE } from '../../vm/physmem.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';

/** Frame budget shared by the files of one mount. */
export interface PageBudget {
  used: number;
  limit: number;
}

export class FramePages {
  private readonly pages = new Map<number, number>();

  constructor(private readonly pa: PageAllocator, private readonly budget: PageBudget) {}

  /** Frames allocated (for st_blocks). */
  get count(): number {
    return this.pages.size;
  }

  has(pgoff: number): boolean {
    return this.pages.has(pgoff);
  }

  /** The frame holding page pgoff, allocated zero-filled if it was a hole. */
  page(pgoff: number): number {
    let ppn = this.pages.get(pgoff);
    if (ppn === undefined) {
      if (this.budget.used >= this.budget.limit) throw new SysError(ENOSPC);
      ppn = this.pa.alloc();
      this.budget.used++;
      this.pages.set(pgoff, ppn);
    }
    return ppn;
  }

  /** len bytes at off (the caller clamps to EOF). */
  read(off: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    const u8 = this.pa.mem.u8;
    for (let done = 0; done < len;) {
      const pos = off + done;
      const pgoff = Math.floor(pos / PAGE_SIZE);
      const inpg = pos & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - inpg, len - done);
      const ppn = this.pages.get(pgoff);
      if (ppn !== undefined) {
        const base = ppn * PAGE_SIZE + inpg;
        out.set(u8.subarray(base, base + n), done);
      }
      done += n;
    }
    return out;
  }

  /** Store data at off, allocating frames for the pages it touches. */
  write(off: number, data: Uint8Array): void {
    const mem = this.pa.mem;
    this.reserve(off, data.length);
    for (let done = 0; done < data.length;) {
      const pos = off + done;
      const pgoff = Math.floor(pos / PAGE_SIZE);
      const inpg = pos & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - inpg, data.length - done);
      const ppn = this.page(pgoff);
      mem.noteWrite(ppn);
      mem.u8.set(data.subarray(done, done + n), ppn * PAGE_SIZE + inpg);
      done += n;
    }
  }

  /** Fail with ENOSPC up front rather than half way through a write. */
  private reserve(off: number, len: number): void {
    if (len === 0) return;
    let need = 0;
    const last = Math.floor((off + len - 1) / PAGE_SIZE);
    for (let p = Math.floor(off / PAGE_SIZE); p <= last; p++) if (!this.pages.has(p)) need++;
    if (this.budget.used + need > this.budget.limit) throw new SysError(ENOSPC);
  }

  /** The file shrank to size: drop whole pages past it and zero the tail of the last one. */
  truncate(size: number): void {
    const keep = Math.ceil(size / PAGE_SIZE);
    for (const [pgoff, ppn] of this.pages) {
      if (pgoff >= keep) this.release(pgoff, ppn);
    }
    const tail = size & PAGE_MASK;
    const ppn = tail ? this.pages.get(Math.floor(size / PAGE_SIZE)) : undefined;
    if (ppn !== undefined) {
      const mem = this.pa.mem;
      mem.noteWrite(ppn);
      mem.u8.fill(0, ppn * PAGE_SIZE + tail, (ppn + 1) * PAGE_SIZE);
    }
  }

  /** Give every frame back (the file is gone). */
  freeAll(): void {
    for (const [pgoff, ppn] of this.pages) this.release(pgoff, ppn);
  }

  /** Pages that hold data, in order (SEEK_DATA/SEEK_HOLE). */
  pageOffsets(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  private release(pgoff: number, ppn: number): void {
    this.pages.delete(pgoff);
    this.pa.unref(ppn);
    this.budget.used--;
  }
}
