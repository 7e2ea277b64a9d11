/*
 * Page-fault resolution: demand-zero anonymous pages, copy-on-write, and
 * file pages from a pager. Called for user faults (VmSpace.fault) and by
 * copyio when the kernel touches user memory the way a user access would.
 *
 * Invariants kept here: a non-zero leaf PTE holds one frame reference; a
 * PTE with PTE_COW never has W; a page of a shared vnode mapping gets W only
 * after its first write told the pager (PTE_D marks that).
 */
import { PTE_COW, PTE_D, PTE_R, PTE_SHARED, PTE_U, PTE_V, PTE_W, PTE_X, makePte, ptePpn } from './pte.ts';
import { ALLOC_NOZERO } from './vm_page.ts';
import { VnodeObject } from './vm_object.ts';
import { protToPte, type VmRegion } from './vm_region.ts';
import type { VmSpace } from './vm_map.ts';
import {
  ACCESS_EXEC, ACCESS_WRITE, PROT_EXEC, PROT_READ, PROT_WRITE, USER_VA_LIMIT, pageDown,
} from './vm_param.ts';
import { ENOMEM, SysError } from '../kern/errno.ts';
import { PAGE_SIZE } from './physmem.ts';

export const FAULT_OK = 0, FAULT_MAPERR = 1, FAULT_ACCERR = 2, FAULT_SIGBUS = 3, FAULT_OOM = 4;

const SOFT_BITS = PTE_COW | PTE_SHARED | PTE_D;
const PERM_BITS = PTE_V | PTE_R | PTE_W | PTE_X;

/**
 * The permission and software bits a present page of r gets, given its
 * current PTE (whose software bits are kept). Does not include the PPN.
 */
export function leafFlags(r: VmRegion, pte: number): number {
  const soft = pte & SOFT_BITS;
  let f = protToPte(r.prot);
  if (soft & PTE_COW) f &= ~PTE_W;
  if (r.shared && r.object instanceof VnodeObject && (soft & PTE_D) === 0) f &= ~PTE_W;
  return (f & (PERM_BITS | PTE_U)) | soft;
}

export function accessAllowed(prot: number, access: number): boolean {
  if (access === ACCESS_WRITE) return (prot & PROT_WRITE) !== 0;
  if (access === ACCESS_EXEC) return (prot & PROT_EXEC) !== 0;
  return (prot & (PROT_READ | PROT_WRITE)) !== 0;
}

/**
 * Resolve a fault at va. force: the kernel writes regardless of protection
 * (exec's loader); the result is still a private copy for private mappings.
 * Returns FAULT_*; may throw SleepRequest (pager waiting for I/O).
 */
export function vmFault(vm: VmSpace, va: number, access: number, force: boolean): number {
  vm.pages.stats.faults++;
  if (!(va >= 0 && va < USER_VA_LIMIT) || vm.destroyed) return FAULT_MAPERR;
  const r = vm.findRegion(va);
  if (r === undefined) return FAULT_MAPERR;
  if (!force && !accessAllowed(r.prot, access)) return FAULT_ACCERR;
  const page = pageDown(va);
  try {
    const pte = vm.pmap.get(page);
    if (pte !== 0) return fixPresent(vm, r, page, pte, access);
    const res = fillPage(vm, r, page, access);
    if (res === FAULT_OK && access !== ACCESS_WRITE && r.object instanceof VnodeObject) faultAround(vm, r, page);
    return res;
  } catch (e) {
    if (e instanceof SysError) return e.errno === ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
    throw e;
  }
}

/** A page is there but the access trapped: COW, first write to a shared file page, or stale TLB. */
function fixPresent(vm: VmSpace, r: VmRegion, page: number, pte: number, access: number): number {
  if (access === ACCESS_WRITE && (pte & PTE_COW)) return cowFault(vm, r, page, pte);
  let soft = pte;
  if (access === ACCESS_WRITE && r.shared && (pte & PTE_D) === 0 && r.object !== null) {
    r.object.dirtyPage(r.pgoffOf(page));
    soft |= PTE_D;
  }
  if (vm.destroyed) return FAULT_OOM;
  vm.pmap.set(page, (pte & ~0x3ff) | leafFlags(r, soft));
  /* Even an unchanged PTE may be stale in a TLB: that is why we trapped. */
  vm.markTlbDirty();
  return FAULT_OK;
}

/** Write to a COW page: take it over if we hold the last reference, else copy. */
function cowFault(vm: VmSpace, r: VmRegion, page: number, pte: number): number {
  const pages = vm.pages;
  const old = ptePpn(pte);
  pages.stats.cowFaults++;
  let ppn = old;
  if (pages.refcount(old) !== 1) {
    ppn = pages.alloc(ALLOC_NOZERO);
    /* The OOM hook may have killed this very process meanwhile. */
    if (vm.destroyed) {
      pages.unref(ppn);
      return FAULT_OOM;
    }
    vm.mem.copyFrame(ppn, old);
    pages.unref(old);
    pages.stats.cowCopies++;
  }
  vm.pmap.set(page, makePte(ppn, leafFlags(r, pte & ~(PTE_COW | PTE_SHARED))));
  vm.markTlbDirty();
  return FAULT_OK;
}

/** Nothing mapped yet: bring the page in from where the region says, then enter it. */
function fillPage(vm: VmSpace, r: VmRegion, page: number, access: number): number {
  const got = pageFor(vm, r, page, access);
  if (got === -1) return FAULT_SIGBUS;
  const ppn = ptePpn(got);
  try {
    vm.pmap.set(page, makePte(ppn, leafFlags(r, got & SOFT_BITS)));
  } catch (e) {
    vm.pages.unref(ppn);
    throw e;
  }
  if (vm.destroyed) {
    vm.pages.unref(ppn);
    return FAULT_OOM;
  }
  vm.rss++;
  return FAULT_OK;
}

/**
 * The frame for a missing page, with one reference for the PTE, packed with
 * its software bits as makePte(ppn, soft); -1 past the end of a file.
 */
function pageFor(vm: VmSpace, r: VmRegion, page: number, access: number): number {
  const pages = vm.pages;
  const obj = r.object;
  if (obj === null) {
    pages.stats.zeroFills++;
    return makePte(pages.alloc(), 0);
  }
  const pgoff = r.pgoffOf(page);
  if (obj.beyondEof(pgoff)) return -1;
  const src = obj.getPage(pgoff);
  if (obj instanceof VnodeObject) pages.stats.fileFaults++;
  if (r.shared) {
    let soft = PTE_SHARED;
    if (access === ACCESS_WRITE) {
      obj.dirtyPage(pgoff);
      soft |= PTE_D;
    }
    pages.ref(src);
    return makePte(src, soft);
  }
  if (access === ACCESS_WRITE) {
    const ppn = pages.alloc(ALLOC_NOZERO);
    vm.mem.copyFrame(ppn, src);
    pages.stats.cowCopies++;
    return makePte(ppn, 0);
  }
  pages.ref(src);
  return makePte(src, PTE_COW);
}

/* Neighbouring file pages mapped along with a read fault (Linux's fault-around). */
const AROUND_PAGES = 16;

/**
 * Map the missing pages of the aligned 16-page window around page that the
 * file has, read-only (COW for private mappings): program text and data are
 * read in runs, and each fault is a trip out of the CPU engine. The window
 * never crosses a page-table frame, so nothing is allocated but file pages;
 * any trouble just ends the window early.
 */
function faultAround(vm: VmSpace, r: VmRegion, page: number): void {
  const span = AROUND_PAGES * PAGE_SIZE;
  const from = Math.max(r.start, page - (page % span));
  const to = Math.min(r.end, page - (page % span) + span);
  const obj = r.object;
  if (obj === null) return;
  try {
    for (let va = from; va < to && !vm.destroyed; va += PAGE_SIZE) {
      if (va === page || vm.pmap.get(va) !== 0) continue;
      const pgoff = r.pgoffOf(va);
      if (obj.beyondEof(pgoff)) break;
      const src = obj.getPage(pgoff);
      if (vm.destroyed) break;
      vm.pages.ref(src);
      vm.pmap.set(va, makePte(src, leafFlags(r, r.shared ? PTE_SHARED : PTE_COW)));
      vm.rss++;
    }
  } catch {
    /* Only an optimisation: a pager that must sleep or fails is asked again on a real fault. */
  }
}
