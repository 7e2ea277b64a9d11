/*
 * The software TLB and the Sv39 page-table walk.
 *
 * Three direct-mapped arrays (read, write, exec), indexed by VPN & MASK. An entry
 * holds the virtual page base as a double (tag; -1 = empty) and the delta
 * physical − virtual, so compiled code finds a physical address with one
 * compare and one add: `tag[i] === va - (va & 4095)` → `pa = va + delta[i]`.
 * Tags are exact page bases below 2^32, so an address at or above 4 GiB (or a
 * negative one) can never hit: the range check comes for free. Loads and
 * stores of n bytes compare against `va - (va & (4096 - n))` instead, which
 * only equals a page base when va is n-aligned: misaligned accesses miss and
 * take the slow path, which handles them (and page crossings) bytewise.
 *
 * Frames holding compiled code are never entered in the write TLB, so every
 * store to them reaches the slow path, which invalidates the code first.
 */
import type { PhysMem } from '../vm/physmem.ts';
import { PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, PTE_PPN_SHIFT, USER_VA_LIMIT } from '../vm/pte.ts';
import { Access } from './stop.ts';

export const TLB_BITS = 9;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

export class Tlb {
  readonly rTag = new Float64Array(TLB_SIZE);
  readonly rDelta = new Float64Array(TLB_SIZE);
  readonly wTag = new Float64Array(TLB_SIZE);
  readonly wDelta = new Float64Array(TLB_SIZE);
  readonly xTag = new Float64Array(TLB_SIZE);
  readonly xDelta = new Float64Array(TLB_SIZE);
  /* Frame of each write entry, so a frame that becomes code can be evicted. */
  readonly wPpn = new Int32Array(TLB_SIZE);

  constructor() {
    this.flush();
  }

  flush(): void {
    this.rTag.fill(-1);
    this.wTag.fill(-1);
    this.xTag.fill(-1);
  }

  /** Drop write entries for a frame that now holds compiled code. */
  evictWritable(ppn: number): void {
    for (let i = 0; i < TLB_SIZE; i++) {
      if (this.wPpn[i] === ppn) this.wTag[i] = -1;
    }
  }
}

/*
 * Walk the Sv39 tables rooted at rootPpn for va. Returns the leaf PTE if it
 * permits a user `access`, else 0. Superpages (leaves above level 0), reserved
 * W-without-R encodings and frames outside physical memory all fault: the VM
 * never builds them, and a guest must not reach beyond its memory through them.
 */
export function walk(mem: PhysMem, rootPpn: number, va: number, access: Access): number {
  if (!(va >= 0 && va < USER_VA_LIMIT)) return 0;
  let ppn = rootPpn;
  for (let level = 2; level >= 0; level--) {
    if (ppn >= mem.npages) return 0;
    const idx = Math.floor(va / 2 ** (12 + 9 * level)) & 511;
    const pte = mem.i32[(ppn * 4096 + idx * 8) >>> 2];
    if ((pte & PTE_V) === 0) return 0;
    const leaf = (pte & (PTE_R | PTE_W | PTE_X)) !== 0;
    ppn = pte >>> PTE_PPN_SHIFT;
    if (leaf !== (level === 0)) return 0;
    if (leaf) {
      if (ppn >= mem.npages || (pte & PTE_U) === 0) return 0;
      if ((pte & (PTE_R | PTE_W)) === PTE_W) return 0;
      const need = access === Access.READ ? PTE_R : access === Access.WRITE ? PTE_W : PTE_X;
      return (pte & need) !== 0 ? pte : 0;
    }
  }
  return 0;
}
