/*
 * pmap: one address space's Sv39 page tables, in physical memory, in the
 * format pte.ts documents, so the CPU engine walks them itself. Table frames
 * come from the allocator as wired frames and are freed only by destroy().
 *
 * The pmap knows nothing about regions or frame ownership: it stores and
 * finds leaf PTEs. Callers (VmSpace) keep the rule that a non-zero leaf PTE
 * holds one reference on its frame.
 *
 * A leaf PTE may be non-zero with V clear: the page is present (the frame is
 * kept) but inaccessible, e.g. under PROT_NONE. The engine ignores entries
 * without V, as Sv39 requires.
 */
import { PAGE_SIZE } from './physmem.ts';
import { PTE_V, makePte, ptePpn, USER_VA_LIMIT } from './pte.ts';
import { ALLOC_WIRED, type PageAllocator } from './vm_page.ts';
import { ENOMEM, SysError } from '../kern/errno.ts';

const L1_SPAN = 1 << 21;        // bytes covered by one level-0 table
const L2_SPAN = 2 ** 30;        // bytes covered by one level-1 table

/** i32 index of entry idx of table frame ppn (8-byte entries, PTE in the low word). */
function entryIndex(tablePpn: number, idx: number): number {
  return (tablePpn << 10) + (idx << 1);
}

export class Pmap {
  readonly rootPpn: number;
  /** Table frames in use, root included (for vmstat and leak checks). */
  tables = 1;
  /* Set by destroy(); the OOM hook may destroy a pmap while one of its faults allocates. */
  private dead = false;
  private readonly i32: Int32Array;

  constructor(private readonly pages: PageAllocator) {
    this.i32 = pages.mem.i32;
    this.rootPpn = pages.alloc(ALLOC_WIRED);
  }

  /**
   * The i32 index of va's leaf PTE. With create, missing tables are
   * allocated (may throw SysError(ENOMEM)); without, returns -1 for them.
   * va must be below USER_VA_LIMIT. A destroyed pmap has no entries.
   */
  leafIndex(va: number, create: boolean): number {
    if (this.dead) {
      if (create) throw new SysError(ENOMEM);
      return -1;
    }
    const l1 = this.nextTable(this.rootPpn, Math.floor(va / L2_SPAN), create);
    if (l1 === 0) return -1;
    const l0 = this.nextTable(l1, (va >>> 21) & 511, create);
    if (l0 === 0) return -1;
    return entryIndex(l0, (va >>> 12) & 511);
  }

  private nextTable(table: number, idx: number, create: boolean): number {
    const e = entryIndex(table, idx);
    const pte = this.i32[e];
    if ((pte & PTE_V) !== 0) return ptePpn(pte);
    if (!create) return 0;
    const t = this.pages.alloc(ALLOC_WIRED);
    if (this.dead) {
      /* The OOM hook killed our own process while we waited for the frame. */
      this.pages.unref(t);
      throw new SysError(ENOMEM);
    }
    this.tables++;
    this.i32[e] = makePte(t, PTE_V);
    this.i32[e + 1] = 0;
    return t;
  }

  /** The leaf PTE for va, or 0. */
  get(va: number): number {
    const i = this.leafIndex(va, false);
    return i < 0 ? 0 : this.i32[i];
  }

  /** Store a leaf PTE (0 clears it). May throw SysError(ENOMEM) for a table. */
  set(va: number, pte: number): void {
    const i = this.leafIndex(va, pte !== 0);
    if (i >= 0) this.i32[i] = pte;
  }

  /**
   * Call fn for every non-zero leaf PTE with start <= va < end, skipping
   * absent tables, in ascending order. fn may rewrite or clear the entry
   * through i32[idx].
   */
  forEach(start: number, end: number, fn: (va: number, idx: number, pte: number) => void): void {
    const i32 = this.i32;
    let va = start;
    end = Math.min(end, USER_VA_LIMIT);
    while (va < end && !this.dead) {
      const l1 = this.nextTable(this.rootPpn, Math.floor(va / L2_SPAN), false);
      if (l1 === 0) { va = (Math.floor(va / L2_SPAN) + 1) * L2_SPAN; continue; }
      const l0 = this.nextTable(l1, (va >>> 21) & 511, false);
      const next = (Math.floor(va / L1_SPAN) + 1) * L1_SPAN;
      if (l0 !== 0) {
        const lim = Math.min(end, next);
        for (; va < lim; va += PAGE_SIZE) {
          const idx = entryIndex(l0, (va >>> 12) & 511);
          const pte = i32[idx];
          if (pte !== 0) fn(va, idx, pte);
        }
      }
      va = next;
    }
  }

  /** The whole i32 view, for callers that got an index from leafIndex/forEach. */
  get words(): Int32Array {
    return this.i32;
  }

  /** Free every table frame. Leaf frames must already have been released. */
  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    const i32 = this.i32;
    for (let i2 = 0; i2 < 512; i2++) {
      const p2 = i32[entryIndex(this.rootPpn, i2)];
      if ((p2 & PTE_V) === 0) continue;
      const l1 = ptePpn(p2);
      for (let i1 = 0; i1 < 512; i1++) {
        const p1 = i32[entryIndex(l1, i1)];
        if ((p1 & PTE_V) !== 0) this.pages.unref(ptePpn(p1));
      }
      this.pages.unref(l1);
    }
    this.pages.unref(this.rootPpn);
    this.tables = 0;
  }
}
