/*
 * The engine's view of memory: address translation through the software TLB
 * and the slow paths of compiled loads and stores (TLB misses, misaligned and
 * page-crossing accesses, stores to frames that hold compiled code).
 *
 * A fault inside a block cannot return through the compiled code, so it is
 * thrown: the slow path records the stop (stopCode, stopK = the instruction's
 * index in the block) and throws TRAP, which Cpu.run catches.
 */
import type { PhysMem } from '../vm/physmem.ts';
import { PTE_R, PTE_W, PTE_PPN_SHIFT } from '../vm/pte.ts';
import { Access, Stop } from './stop.ts';
import { Tlb, TLB_MASK, walk } from './tlb.ts';

/** The one object thrown through compiled code for a mid-block trap. */
export const TRAP: { readonly trap: true } = { trap: true };

export class Mmu {
  readonly tlb = new Tlb();
  /** Root page-table frame of the current address space. */
  protected root = 0;

  faultAddr = 0;
  faultAccess: Access = Access.READ;
  /** The instruction bits (unsigned; 16 bits for a compressed one). */
  faultInsn = 0;

  /* Set by traps for Cpu.run: the Stop and the index of the trapping instruction. */
  stopCode: Stop = Stop.BUDGET;
  stopK = 0;
  /** High word of the last 64-bit slow-path load. */
  hi = 0;
  /**
   * vkernel -d: TLB misses are resolved by this kernel callback (the leaf PTE
   * permitting the access, or 0) instead of the engine's own walk of the
   * tables in memory. null: the "hardware" walk.
   */
  softWalk: ((va: number, access: Access) => number) | null = null;

  constructor(readonly mem: PhysMem) {}

  /** Record a trap at instruction k of the running block and unwind to Cpu.run. */
  trap(code: Stop, k: number): never {
    this.stopCode = code;
    this.stopK = k;
    throw TRAP;
  }

  fault(va: number, access: Access, k: number): never {
    this.faultAddr = va;
    this.faultAccess = access;
    return this.trap(Stop.FAULT, k);
  }

  illegal(raw: number, k: number): never {
    this.faultInsn = raw >>> 0;
    return this.trap(Stop.ILLEGAL, k);
  }

  /**
   * Physical address of va for a load or store, filling the TLB. Frames with
   * compiled code stay out of the write TLB so their stores keep coming here.
   * Returns -1 if the access is not permitted.
   */
  translate(va: number, access: Access): number {
    const pte = this.softWalk === null ? walk(this.mem, this.root, va, access) : this.softWalk(va, access);
    if (pte === 0) return -1;
    const ppn = pte >>> PTE_PPN_SHIFT;
    const page = va - (va & 4095);
    const i = (va >>> 12) & TLB_MASK;
    const delta = ppn * 4096 - page;
    const t = this.tlb;
    if (access === Access.EXEC) {
      t.xTag[i] = page;
      t.xDelta[i] = delta;
    } else {
      if ((pte & PTE_R) !== 0) {
        t.rTag[i] = page;
        t.rDelta[i] = delta;
      }
      if ((pte & PTE_W) !== 0 && this.mem.codePage[ppn] === 0) {
        t.wTag[i] = page;
        t.wDelta[i] = delta;
        t.wPpn[i] = ppn;
      }
    }
    return ppn * 4096 + (va & 4095);
  }

  /** translate() for a load, faulting at instruction k. */
  private rpa(va: number, k: number): number {
    const pa = this.translate(va, Access.READ);
    return pa < 0 ? this.fault(va, Access.READ, k) : pa;
  }

  /** translate() for a store, faulting at k; drops compiled code of the frame first. */
  private wpa(va: number, k: number): number {
    const pa = this.translate(va, Access.WRITE);
    if (pa < 0) return this.fault(va, Access.WRITE, k);
    const ppn = Math.floor(pa / 4096);
    if (this.mem.codePage[ppn] !== 0) this.mem.noteWrite(ppn);
    return pa;
  }

  /** Unsigned little-endian value of n ≤ 4 bytes at va (any alignment, may cross a page). */
  readBytes(va: number, n: number, k: number): number {
    const u8 = this.mem.u8;
    const off = va & 4095;
    const pa0 = this.rpa(va, k);
    // Bytes past the page end come from the next page, whose first byte is the fault address.
    const pa1 = off + n > 4096 ? this.rpa(va - off + 4096, k) - (4096 - off) : pa0;
    let v = 0;
    for (let j = n - 1; j >= 0; j--) v = v * 256 + u8[off + j < 4096 ? pa0 + j : pa1 + j];
    return v;
  }

  /** Store the n ≤ 8 low bytes of (lo, hi) at va; both pages are checked before any byte is written. */
  writeBytes(va: number, n: number, lo: number, hi: number, k: number): void {
    const u8 = this.mem.u8;
    const off = va & 4095;
    const pa0 = this.wpa(va, k);
    const pa1 = off + n > 4096 ? this.wpa(va - off + 4096, k) - (4096 - off) : pa0;
    for (let j = 0; j < n; j++) {
      const byte = j < 4 ? lo >>> (8 * j) : hi >>> (8 * (j - 4));
      u8[off + j < 4096 ? pa0 + j : pa1 + j] = byte & 255;
    }
  }

  /*
   * Loads and stores compiled code calls (a = the virtual address, k = the trap
   * site): the whole access for cold code, the TLB-miss path for hot code.
   */

  /** Physical address of an n-aligned load at a on a TLB hit, else -1. */
  private rHit(a: number, mask: number): number {
    const t = this.tlb;
    const i = (a >>> 12) & TLB_MASK;
    return t.rTag[i] === a - (a & mask) ? a + t.rDelta[i] : -1;
  }

  private wHit(a: number, mask: number): number {
    const t = this.tlb;
    const i = (a >>> 12) & TLB_MASK;
    return t.wTag[i] === a - (a & mask) ? a + t.wDelta[i] : -1;
  }

  lb(a: number, k: number): number {
    const p = this.rHit(a, 4095);
    return this.mem.i8[p >= 0 ? p : this.rpa(a, k)];
  }

  lbu(a: number, k: number): number {
    const p = this.rHit(a, 4095);
    return this.mem.u8[p >= 0 ? p : this.rpa(a, k)];
  }

  lh(a: number, k: number): number {
    const p = this.rHit(a, 4094);
    return p >= 0 ? this.mem.i16[p >>> 1] : (this.readBytes(a, 2, k) << 16) >> 16;
  }

  lhu(a: number, k: number): number {
    const p = this.rHit(a, 4094);
    return p >= 0 ? this.mem.u16[p >>> 1] : this.readBytes(a, 2, k);
  }

  lw(a: number, k: number): number {
    const p = this.rHit(a, 4092);
    return p >= 0 ? this.mem.i32[p >>> 2] : this.readBytes(a, 4, k) | 0;
  }

  /** Returns the low word; the high word is left in this.hi. */
  ld(a: number, k: number): number {
    const p = this.rHit(a, 4088);
    if (p >= 0) {
      this.hi = this.mem.i32[(p >>> 2) + 1];
      return this.mem.i32[p >>> 2];
    }
    const lo = this.readBytes(a, 4, k) | 0;
    this.hi = this.readBytes(a + 4, 4, k) | 0;
    return lo;
  }

  sb(a: number, v: number, k: number): void {
    const p = this.wHit(a, 4095);
    if (p >= 0) this.mem.u8[p] = v;
    else this.writeBytes(a, 1, v, 0, k);
  }

  sh(a: number, v: number, k: number): void {
    const p = this.wHit(a, 4094);
    if (p >= 0) this.mem.u16[p >>> 1] = v;
    else this.writeBytes(a, 2, v, 0, k);
  }

  sw(a: number, v: number, k: number): void {
    const p = this.wHit(a, 4092);
    if (p >= 0) this.mem.i32[p >>> 2] = v;
    else this.writeBytes(a, 4, v, 0, k);
  }

  sd(a: number, lo: number, hi: number, k: number): void {
    const p = this.wHit(a, 4088);
    if (p >= 0) {
      this.mem.i32[p >>> 2] = lo;
      this.mem.i32[(p >>> 2) + 1] = hi;
    } else {
      this.writeBytes(a, 8, lo, hi, k);
    }
  }
}
