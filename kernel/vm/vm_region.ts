/*
 * A region (BSD's vm_map_entry, Linux's VMA): a page-aligned range of one
 * address space with one protection and one backing. What is mapped there
 * right now is in the page tables; the region says what to map on a fault.
 */
import { PAGE_SHIFT } from './physmem.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from './vm_param.ts';
import { PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './pte.ts';
import type { VmObject } from './vm_object.ts';

/* Region flags. */
export const RF_SHARED = 1;      // writes go to the object (MAP_SHARED); otherwise private/COW
export const RF_STACK = 2;       // the main thread's stack ([stack])
export const RF_HEAP = 4;        // the brk heap ([heap])
export const RF_DONTFORK = 8;    // MADV_DONTFORK: not inherited by fork
export const RF_WIPEONFORK = 16; // MADV_WIPEONFORK: the child sees zero pages
export const RF_LOCKED = 32;     // mlock'd (accounting only)

export class VmRegion {
  constructor(
    public start: number,
    public end: number,
    public prot: number,
    /** The most prot may become (no PROT_WRITE for a shared mapping of a read-only fd). */
    public maxProt: number,
    public flags: number,
    /** null: private anonymous memory (demand zero). */
    public object: VmObject | null,
    /** Object page of `start`. */
    public pgoff: number,
    /** For /proc/pid/maps: a path, "[heap]", "[stack]", or "". */
    public name: string,
  ) {}

  get shared(): boolean {
    return (this.flags & RF_SHARED) !== 0;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** Object page that holds va. */
  pgoffOf(va: number): number {
    return this.pgoff + Math.floor((va - this.start) / 2 ** PAGE_SHIFT);
  }

  contains(va: number): boolean {
    return va >= this.start && va < this.end;
  }

  /** A copy (another reference on the object) covering [start, end). */
  slice(start: number, end: number): VmRegion {
    this.object?.ref();
    return new VmRegion(start, end, this.prot, this.maxProt, this.flags, this.object,
      this.pgoffOf(start), this.name);
  }

  /** Leaf PTE permission bits for this region's prot (before COW removes W). */
  pteFlags(): number {
    return protToPte(this.prot);
  }
}

/*
 * Sv39 reserves W without R, so write implies read (Linux on riscv does the
 * same); PROT_NONE yields no V, so the page stays present but inaccessible.
 */
export function protToPte(prot: number): number {
  let f = 0;
  if (prot & (PROT_READ | PROT_WRITE)) f |= PTE_R;
  if (prot & PROT_WRITE) f |= PTE_W;
  if (prot & PROT_EXEC) f |= PTE_X;
  return f === 0 ? 0 : f | PTE_V | PTE_U;
}
