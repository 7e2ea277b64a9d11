/*
 * VmSpace: one process's address space (BSD's struct vmspace): a sorted list
 * of regions, the page tables (pmap), the brk heap, the stack and the mmap
 * base. Ownership: every non-zero leaf PTE holds one frame reference; every
 * region holds one reference on its object.
 */
import { PAGE_SIZE, type PhysMem } from './physmem.ts';
import { PTE_V, PTE_W, PTE_COW, ptePpn } from './pte.ts';
import { Pmap } from './pmap.ts';
import type { PageAllocator } from './vm_page.ts';
import { VnodeObject, type VmObject, type VnodePager } from './vm_object.ts';
import { noteFileMapping, forgetFileMapping } from './vm_pager_map.ts';
import { VmRegion, RF_DONTFORK, RF_HEAP, RF_STACK, RF_WIPEONFORK } from './vm_region.ts';
import { leafFlags, vmFault, FAULT_OK, FAULT_MAPERR, FAULT_ACCERR, FAULT_SIGBUS } from './vm_fault.ts';
import {
  USER_VA_LIMIT, USER_STACK_TOP, DEFAULT_STACK_SIZE, MAX_STACK_SIZE, MIN_STACK_GAP,
  MMAP_MIN_SEARCH, PROT_READ, PROT_WRITE, PROT_RWX, pageUp, pageDown,
} from './vm_param.ts';
import { EACCES, ENOMEM, SysError } from '../kern/errno.ts';

/* Signal numbers and si_codes a failed fault reports (Linux values). */
const SIGBUS = 7, SIGKILL = 9, SIGSEGV = 11;
const SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2;

export interface MapOptions {
  /** Backing object; its reference passes to the region. null/absent: private anonymous. */
  object?: VmObject | null;
  /** Object page of the region's start. */
  pgoff?: number;
  /** RF_* flags. */
  flags?: number;
  name?: string;
  maxProt?: number;
}

export class VmSpace {
  readonly pmap: Pmap;
  /** Sorted, non-overlapping. */
  regions: VmRegion[] = [];
  /** brk: the heap is [brkBase, pageUp(brkEnd)). */
  brkBase = 0;
  brkEnd = 0;
  /** The main stack is [stackTop - stackSize, stackTop). */
  stackTop = USER_STACK_TOP;
  stackSize = 0;
  /** mmap without a usable hint allocates top-down below this. */
  mmapBase = USER_STACK_TOP - MIN_STACK_GAP;
  /** RLIMIT_DATA and RLIMIT_AS in bytes; the kernel keeps them in step with setrlimit. */
  dataLimit = Infinity;
  asLimit = Infinity;
  /** Present pages (resident set), for ps, /proc and the OOM killer. */
  rss = 0;
  /** Set when fault() returns false: the signal to send and its si_code. */
  faultSignal = 0;
  faultCode = 0;
  private refs = 1;
  private tlbDirty = false;
  /** Files this space has mapped (see vm_pager_map.ts). */
  private readonly files = new Set<VnodePager>();
  destroyed = false;

  constructor(readonly mem: PhysMem, readonly pages: PageAllocator) {
    this.pmap = new Pmap(pages);
  }

  /** The page-table root for cpu.setPageTable. */
  get rootPpn(): number {
    return this.pmap.rootPpn;
  }

  /** Bytes mapped (VSZ). */
  get virtualSize(): number {
    let n = 0;
    for (const r of this.regions) n += r.end - r.start;
    return n;
  }

  /* ---- lookups ---- */

  /** Index of the first region ending after va (regions.length if none). */
  indexAt(va: number): number {
    let lo = 0, hi = this.regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.regions[mid].end <= va) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  findRegion(va: number): VmRegion | undefined {
    const r = this.regions[this.indexAt(va)];
    return r !== undefined && r.start <= va ? r : undefined;
  }

  /** Some region covers va (a failed fault there is a protection error, not a missing page). */
  isMapped(va: number): boolean {
    return this.findRegion(va) !== undefined;
  }

  /** No region overlaps [start, end). */
  isFree(start: number, end: number): boolean {
    const r = this.regions[this.indexAt(start)];
    return r === undefined || r.start >= end;
  }

  /** Every byte of [start, end) is in some region. */
  isFullyMapped(start: number, end: number): boolean {
    let at = start;
    for (let i = this.indexAt(start); at < end; i++) {
      const r = this.regions[i];
      if (r === undefined || r.start > at) return false;
      at = r.end;
    }
    return true;
  }

  /** Regions overlapping [start, end), in order. */
  regionsIn(start: number, end: number): VmRegion[] {
    const out: VmRegion[] = [];
    for (let i = this.indexAt(start); i < this.regions.length && this.regions[i].start < end; i++) {
      out.push(this.regions[i]);
    }
    return out;
  }

  /**
   * A free page-aligned range of len bytes: at the hint if it is free, else
   * the highest gap below mmapBase (Linux's top-down layout). -1 if none.
   */
  findFree(len: number, hint = 0, align = PAGE_SIZE): number {
    if (!(len > 0) || len > USER_VA_LIMIT) return -1;
    if (hint > 0) {
      const h = pageDown(hint);
      if (h >= MMAP_MIN_SEARCH && h + len <= USER_VA_LIMIT && h % align === 0 && this.isFree(h, h + len)) return h;
    }
    let ceil = this.mmapBase;
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i];
      if (r.start >= ceil) continue;
      const cand = alignDown(ceil - len, align);
      if (cand >= r.end && cand >= MMAP_MIN_SEARCH) return cand;
      ceil = r.start;
    }
    const cand = alignDown(ceil - len, align);
    return cand >= MMAP_MIN_SEARCH ? cand : -1;
  }

  /* ---- region list surgery ---- */

  /** Make va a region boundary (split the region that strictly contains it). */
  splitAt(va: number): void {
    const i = this.indexAt(va);
    const r = this.regions[i];
    if (r === undefined || r.start >= va) return;
    const right = r.slice(va, r.end);
    r.end = va;
    this.regions.splice(i + 1, 0, right);
  }

  insertRegion(r: VmRegion): void {
    this.regions.splice(this.indexAt(r.start), 0, r);
  }

  /**
   * Merge compatible neighbours in and around [start, end), as Linux's
   * vma_merge does: programs rely on it (mremap of a range that was split
   * and put back together by MAP_FIXED or mprotect is one mapping there).
   */
  mergeAround(start: number, end: number): void {
    let i = Math.max(0, this.indexAt(start) - 1);
    while (i + 1 < this.regions.length) {
      const a = this.regions[i], b = this.regions[i + 1];
      if (a.start >= end) break;
      if (canMerge(a, b)) {
        a.end = b.end;
        b.object?.release();
        this.regions.splice(i + 1, 1);
      } else {
        i++;
      }
    }
  }

  /** Remove every mapping in [start, end): regions (split at the edges) and pages. */
  removeRange(start: number, end: number): void {
    if (start >= end) return;
    this.splitAt(start);
    this.splitAt(end);
    const i = this.indexAt(start);
    let n = 0;
    while (i + n < this.regions.length && this.regions[i + n].start < end) {
      this.regions[i + n].object?.release();
      n++;
    }
    this.regions.splice(i, n);
    this.dropPages(start, end);
    this.flushTlb();
  }

  /** Drop the pages mapped in [start, end) (their regions stay: they refault). */
  dropPages(start: number, end: number): void {
    const w = this.pmap.words;
    this.pmap.forEach(start, end, (_va, idx, pte) => {
      w[idx] = 0;
      this.pages.unref(ptePpn(pte));
      this.rss--;
      if (pte & PTE_V) this.tlbDirty = true;
    });
  }

  /* ---- the operations mmap, munmap, mprotect and exec use ---- */

  /**
   * Map [start, start+len) (page aligned) with prot, replacing whatever was
   * there (MAP_FIXED semantics). Pages come in on demand.
   */
  map(start: number, len: number, prot: number, opts: MapOptions = {}): VmRegion {
    const end = start + pageUp(len);
    this.removeRange(start, end);
    const r = new VmRegion(start, end, prot, opts.maxProt ?? PROT_RWX, opts.flags ?? 0,
      opts.object ?? null, opts.pgoff ?? 0, opts.name ?? '');
    this.insertRegion(r);
    this.noteFile(r);
    this.mergeAround(start, end);
    return this.findRegion(start) ?? r;
  }

  unmap(start: number, len: number): void {
    this.removeRange(start, start + pageUp(len));
  }

  /**
   * Change the protection of [start, start+len), splitting regions at the
   * edges. ENOMEM if part of the range is unmapped, EACCES beyond maxProt.
   */
  protect(start: number, len: number, prot: number): void {
    const end = start + pageUp(len);
    if (!this.isFullyMapped(start, end)) throw new SysError(ENOMEM);
    for (const r of this.regionsIn(start, end)) {
      if ((prot & ~r.maxProt & PROT_RWX) !== 0) throw new SysError(EACCES);
    }
    this.splitAt(start);
    this.splitAt(end);
    const w = this.pmap.words;
    for (const r of this.regionsIn(start, end)) {
      r.prot = prot;
      this.pmap.forEach(r.start, r.end, (_va, idx, pte) => {
        const np = (pte & ~0x3ff) | leafFlags(r, pte);
        if (np === pte) return;
        w[idx] = np;
        if (pte & PTE_V) this.tlbDirty = true;
      });
    }
    this.mergeAround(start, end);
    this.flushTlb();
  }

  /**
   * Resolve a user fault at va (ACCESS_READ/WRITE/EXEC). false: the access is
   * illegal or could not be satisfied; faultSignal/faultCode say what to send
   * (SIGSEGV with SEGV_MAPERR/SEGV_ACCERR, SIGBUS past the end of a file,
   * SIGKILL when memory ran out even after the OOM hook). May throw
   * SleepRequest while a pager waits for a disk: rerun the access later.
   */
  fault(va: number, access: number): boolean {
    const res = vmFault(this, va, access, false);
    this.flushTlb();
    return this.setFaultResult(res);
  }

  /** fault() for the kernel's own writes (exec's loader): ignores the protection. */
  faultForce(va: number, access: number): boolean {
    const res = vmFault(this, va, access, true);
    this.flushTlb();
    return this.setFaultResult(res);
  }

  private setFaultResult(res: number): boolean {
    switch (res) {
      case FAULT_OK: this.faultSignal = 0; this.faultCode = 0; return true;
      case FAULT_MAPERR: this.faultSignal = SIGSEGV; this.faultCode = SEGV_MAPERR; return false;
      case FAULT_ACCERR: this.faultSignal = SIGSEGV; this.faultCode = SEGV_ACCERR; return false;
      case FAULT_SIGBUS: this.faultSignal = SIGBUS; this.faultCode = BUS_ADRERR; return false;
      default: this.faultSignal = SIGKILL; this.faultCode = 0; return false;
    }
  }

  /* ---- brk and stack ---- */

  /** exec: the heap starts at the page after the program's bss. */
  setBrkBase(va: number): void {
    this.brkBase = pageUp(va);
    this.brkEnd = this.brkBase;
  }

  /** brk(2): returns the new break, or the old one when refused (Linux semantics). */
  brk(newEnd: number): number {
    if (!(newEnd >= this.brkBase) || newEnd > USER_VA_LIMIT) return this.brkEnd;
    if (newEnd - this.brkBase > this.dataLimit) return this.brkEnd;
    const oldTop = pageUp(this.brkEnd), newTop = pageUp(newEnd);
    if (newTop > oldTop) {
      if (!this.isFree(oldTop, newTop) || !this.mayCommit(newTop - oldTop)) return this.brkEnd;
      const heap = oldTop > this.brkBase ? this.findRegion(oldTop - 1) : undefined;
      if (heap !== undefined && (heap.flags & RF_HEAP) && heap.end === oldTop && heap.object === null) {
        heap.end = newTop;
      } else {
        this.insertRegion(new VmRegion(oldTop, newTop, PROT_READ | PROT_WRITE, PROT_RWX, RF_HEAP, null,
          0, '[heap]'));
        this.mergeAround(oldTop, newTop);
      }
    } else if (newTop < oldTop) {
      this.removeRange(newTop, oldTop);
    }
    this.brkEnd = newEnd;
    return newEnd;
  }

  /**
   * exec: map the main stack (demand zero) below USER_STACK_TOP, size from
   * RLIMIT_STACK, and put mmapBase below it with Linux's minimum gap.
   * Returns the stack top.
   */
  setupStack(size = DEFAULT_STACK_SIZE): number {
    const sz = Math.min(Math.max(pageUp(Number.isFinite(size) ? size : MAX_STACK_SIZE), 16 * PAGE_SIZE),
      MAX_STACK_SIZE);
    const top = USER_STACK_TOP;
    this.map(top - sz, sz, PROT_READ | PROT_WRITE, { flags: RF_STACK, name: '[stack]' });
    this.stackTop = top;
    this.stackSize = sz;
    this.mmapBase = top - Math.max(sz + (1 << 20), MIN_STACK_GAP);
    return top;
  }

  /**
   * Linux's default overcommit heuristic: refuse a single commitment bigger
   * than all of memory (a 10 GB malloc gets ENOMEM up front), and RLIMIT_AS.
   */
  mayCommit(bytes: number): boolean {
    if (bytes / PAGE_SIZE > this.pages.stats.total) return false;
    return this.virtualSize + bytes <= this.asLimit;
  }

  /* ---- fork, sharing, teardown ---- */

  /** A copy-on-write copy for fork(): private pages shared read-only, shared ones shared. */
  fork(): VmSpace {
    const child = new VmSpace(this.mem, this.pages);
    child.brkBase = this.brkBase;
    child.brkEnd = this.brkEnd;
    child.stackTop = this.stackTop;
    child.stackSize = this.stackSize;
    child.mmapBase = this.mmapBase;
    child.dataLimit = this.dataLimit;
    child.asLimit = this.asLimit;
    try {
      for (const r of this.regions) {
        if (r.flags & RF_DONTFORK) continue;
        child.regions.push(r.slice(r.start, r.end));
        child.noteFile(r);
        if ((r.flags & RF_WIPEONFORK) && !r.shared) continue;
        this.forkPages(r, child);
      }
    } catch (e) {
      child.destroy();
      this.flushTlb();
      throw e;
    }
    this.flushTlb();
    return child;
  }

  private forkPages(r: VmRegion, child: VmSpace): void {
    const w = this.pmap.words;
    this.pmap.forEach(r.start, r.end, (va, idx, pte) => {
      let p = pte;
      if (!r.shared) {
        /* Both sides write-protected; the first writer copies (or takes over the last reference). */
        p = (pte & ~PTE_W) | PTE_COW;
        if (p !== pte) {
          w[idx] = p;
          if (pte & PTE_V) this.tlbDirty = true;
        }
      }
      child.pmap.set(va, p);
      /* A table allocation ran the OOM hook, which killed us: stop before touching freed frames. */
      if (this.destroyed) {
        child.pmap.set(va, 0);
        throw new SysError(ENOMEM);
      }
      this.pages.ref(ptePpn(p));
      child.rss++;
    });
  }

  /** Another user of this space (CLONE_VM: threads, vfork). */
  hold(): void {
    this.refs++;
  }

  /** Drop a user; the last one destroys the space. */
  release(): void {
    if (--this.refs === 0) this.destroy();
  }

  /** Free every page, region and page table (frames shared with others just lose a reference). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.dropPages(0, USER_VA_LIMIT);
    for (const r of this.regions) r.object?.release();
    for (const pager of this.files) forgetFileMapping(pager, this);
    this.files.clear();
    this.regions = [];
    this.flushTlb();
    this.pmap.destroy();
    this.rss = 0;
  }

  /** Remember that this space maps r's file (for vnodeTruncated). */
  private noteFile(r: VmRegion): void {
    if (!(r.object instanceof VnodeObject) || this.files.has(r.object.pager)) return;
    this.files.add(r.object.pager);
    noteFileMapping(r.object.pager, this);
  }

  /** Tell the CPUs about PTE changes made since the last flush. */
  flushTlb(): void {
    if (!this.tlbDirty) return;
    this.tlbDirty = false;
    this.pages.onTlbFlush(this.pmap.rootPpn);
  }

  /** Note that a valid PTE changed (vm_fault and friends). */
  markTlbDirty(): void {
    this.tlbDirty = true;
  }
}

/** Adjacent, and the same in every way a fault or /proc/maps could tell. */
function canMerge(a: VmRegion, b: VmRegion): boolean {
  return a.end === b.start && a.prot === b.prot && a.maxProt === b.maxProt && a.flags === b.flags &&
    a.name === b.name && a.object === b.object && (a.object === null || b.pgoff === a.pgoffOf(b.start));
}

function alignDown(x: number, a: number): number {
  return x - (((x % a) + a) % a);
}
