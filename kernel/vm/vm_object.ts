/*
 * VM objects: what backs a region when its pages are not private anonymous
 * memory. Two kinds:
 *   AnonObject   shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, shared
 *                across fork): the object owns its zero-filled frames.
 *   VnodeObject  a file, through the VnodePager the VFS implements on vnodes.
 *
 * Private anonymous memory has no object: its frames are owned by the page
 * tables (one reference per PTE), which is all COW after fork needs.
 *
 * Objects are reference-counted by the regions that use them; release() on
 * the last reference gives their frames back.
 */
import type { PageAllocator } from './vm_page.ts';
import { PAGE_SIZE } from './physmem.ts';
import { ENOMEM, SysError } from '../kern/errno.ts';

/**
 * What the VFS implements on a vnode so it can be mapped.
 *
 * getPage returns the PPN of the page-cache frame holding file page pgoff
 * (zero-filled past EOF). The pager keeps its own reference on that frame
 * for as long as it caches it; the VM takes one more per mapping (pages.ref)
 * and drops it on unmap. It may throw SleepRequest (the fault or syscall is
 * rerun) or SysError. tmpfs keeps file data in allocator frames and returns
 * the very frame, so MAP_SHARED is exact.
 */
export interface VnodePager {
  getPage(pgoff: number): number;
  /** A MAP_SHARED mapping is about to write (or msync found) this page. */
  dirtyPage?(pgoff: number): void;
  /** The file size in bytes (a page wholly past EOF faults with SIGBUS). */
  size(): number;
  /** Optional: the VM holds the file from mmap to the last unmap. */
  ref?(): void;
  unref?(): void;
  /** Optional: write dirty pages back (msync MS_SYNC). */
  sync?(): void;
}

export abstract class VmObject {
  private refs = 1;

  /** PPN of page pgoff of the object (no reference is given to the caller). */
  abstract getPage(pgoff: number): number;
  /** A page of a shared mapping is written. */
  abstract dirtyPage(pgoff: number): void;
  /** Pages wholly at or beyond this byte size raise SIGBUS (Infinity: never). */
  abstract sizeBytes(): number;
  protected abstract free(): void;

  ref(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs === 0) this.free();
  }

  /** The last region let go (the OOM hook can do that while a fault is allocating for us). */
  get released(): boolean {
    return this.refs <= 0;
  }

  /** True when pgoff lies wholly past the end of the object. */
  beyondEof(pgoff: number): boolean {
    return pgoff * PAGE_SIZE >= this.sizeBytes();
  }
}

export class AnonObject extends VmObject {
  /** pgoff → frame; the object holds one reference on each. */
  private readonly frames = new Map<number, number>();

  constructor(private readonly pages: PageAllocator) {
    super();
  }

  getPage(pgoff: number): number {
    let ppn = this.frames.get(pgoff);
    if (ppn === undefined) {
      ppn = this.pages.alloc();
      if (this.released) {
        this.pages.unref(ppn);
        throw new SysError(ENOMEM);
      }
      this.frames.set(pgoff, ppn);
    }
    return ppn;
  }

  dirtyPage(): void {}

  sizeBytes(): number {
    return Infinity;
  }

  /** Pages the object holds (for accounting and tests). */
  get resident(): number {
    return this.frames.size;
  }

  /** MADV_REMOVE-style punch: forget pages [from, to) (mappings keep their references). */
  dropPages(from: number, to: number): void {
    for (const [pgoff, ppn] of this.frames) {
      if (pgoff >= from && pgoff < to) {
        this.frames.delete(pgoff);
        this.pages.unref(ppn);
      }
    }
  }

  protected free(): void {
    for (const ppn of this.frames.values()) this.pages.unref(ppn);
    this.frames.clear();
  }
}

export class VnodeObject extends VmObject {
  constructor(readonly pager: VnodePager) {
    super();
    pager.ref?.();
  }

  getPage(pgoff: number): number {
    return this.pager.getPage(pgoff);
  }

  dirtyPage(pgoff: number): void {
    this.pager.dirtyPage?.(pgoff);
  }

  sizeBytes(): number {
    return this.pager.size();
  }

  protected free(): void {
    this.pager.unref?.();
  }
}
