/*
 * The advisory memory calls: madvise, msync, mincore, mlock. Most advice is
 * accepted and ignored (there is no swap); MADV_DONTNEED really drops pages
 * (anonymous memory reads back as zeros, private file pages as the file),
 * and the fork-inheritance advice is kept on the regions.
 */
import { EFAULT, EINVAL, ENOMEM, SysError } from '../kern/errno.ts';
import { PAGE_SIZE } from './physmem.ts';
import type { VmSpace } from './vm_map.ts';
import { AnonObject, VnodeObject } from './vm_object.ts';
import { RF_DONTFORK, RF_WIPEONFORK } from './vm_region.ts';
import { copyout } from './copyio.ts';
import {
  ACCESS_READ, ACCESS_WRITE, MADV_COLD, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK,
  MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE, MADV_KEEPONFORK, MADV_MERGEABLE, MADV_NOHUGEPAGE,
  MADV_NORMAL, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_RANDOM, MADV_REMOVE,
  MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MADV_WIPEONFORK, MS_ASYNC, MS_INVALIDATE, MS_SYNC,
  USER_VA_LIMIT, isPageAligned, pageUp,
} from './vm_param.ts';

const HARMLESS = new Set([MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_MERGEABLE,
  MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_COLD, MADV_PAGEOUT]);

/** Validate addr/len the way the m* calls share; returns the page-rounded end, or -1 for len 0. */
function rangeEnd(addr: number, len: number): number {
  if (!isPageAligned(addr)) throw new SysError(EINVAL);
  if (len === 0) return -1;
  const end = addr + pageUp(len);
  if (end > USER_VA_LIMIT) throw new SysError(ENOMEM);
  return end;
}

export function vmMadvise(vm: VmSpace, addr: number, len: number, advice: number): number {
  const end = rangeEnd(addr, len);
  if (end < 0) return 0;
  if (HARMLESS.has(advice)) return mappedOrEnomem(vm, addr, end);
  switch (advice) {
    case MADV_DONTNEED:
    case MADV_FREE:
      vm.dropPages(addr, end);
      vm.flushTlb();
      return mappedOrEnomem(vm, addr, end);
    case MADV_REMOVE:
      return removePages(vm, addr, end);
    case MADV_DONTFORK: return setFlag(vm, addr, end, RF_DONTFORK, true);
    case MADV_DOFORK: return setFlag(vm, addr, end, RF_DONTFORK, false);
    case MADV_WIPEONFORK: return setFlag(vm, addr, end, RF_WIPEONFORK, true);
    case MADV_KEEPONFORK: return setFlag(vm, addr, end, RF_WIPEONFORK, false);
    case MADV_POPULATE_READ:
    case MADV_POPULATE_WRITE:
      return populate(vm, addr, end, advice === MADV_POPULATE_WRITE ? ACCESS_WRITE : ACCESS_READ);
    default:
      throw new SysError(EINVAL);
  }
}

function mappedOrEnomem(vm: VmSpace, addr: number, end: number): number {
  if (!vm.isFullyMapped(addr, end)) throw new SysError(ENOMEM);
  return 0;
}

/** MADV_REMOVE: punch the pages out of shared anonymous memory too. */
function removePages(vm: VmSpace, addr: number, end: number): number {
  for (const r of vm.regionsIn(addr, end)) {
    if (!r.shared) throw new SysError(EINVAL);
    const from = Math.max(addr, r.start), to = Math.min(end, r.end);
    if (r.object instanceof AnonObject) r.object.dropPages(r.pgoffOf(from), r.pgoffOf(to - 1) + 1);
  }
  vm.dropPages(addr, end);
  vm.flushTlb();
  return mappedOrEnomem(vm, addr, end);
}

function setFlag(vm: VmSpace, addr: number, end: number, flag: number, on: boolean): number {
  if (!vm.isFullyMapped(addr, end)) throw new SysError(ENOMEM);
  vm.splitAt(addr);
  vm.splitAt(end);
  for (const r of vm.regionsIn(addr, end)) r.flags = on ? r.flags | flag : r.flags & ~flag;
  vm.mergeAround(addr, end);
  return 0;
}

const SIGKILL = 9;

function populate(vm: VmSpace, addr: number, end: number, access: number): number {
  if (!vm.isFullyMapped(addr, end)) throw new SysError(ENOMEM);
  for (let va = addr; va < end; va += PAGE_SIZE) {
    if (!vm.fault(va, access)) throw new SysError(vm.faultSignal === SIGKILL ? ENOMEM : EFAULT);
  }
  return 0;
}

export function vmMsync(vm: VmSpace, addr: number, len: number, flags: number): number {
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) throw new SysError(EINVAL);
  if ((flags & MS_ASYNC) && (flags & MS_SYNC)) throw new SysError(EINVAL);
  const end = rangeEnd(addr, len);
  if (end < 0) return 0;
  if (!vm.isFullyMapped(addr, end)) throw new SysError(ENOMEM);
  if (flags & MS_SYNC) {
    for (const r of vm.regionsIn(addr, end)) {
      if (r.shared && r.object instanceof VnodeObject) r.object.pager.sync?.();
    }
  }
  return 0;
}

/** mlock/munlock/mlock2: nothing pages out here, so only the range is checked. */
export function vmMlock(vm: VmSpace, addr: number, len: number): number {
  const a = addr - (addr % PAGE_SIZE);
  const end = len === 0 ? a : pageUp(addr + len);
  if (end > USER_VA_LIMIT) throw new SysError(ENOMEM);
  if (end > a && !vm.isFullyMapped(a, end)) throw new SysError(ENOMEM);
  return 0;
}

/** mincore(2): one byte per page, 1 if resident. vec is a user pointer (-1: bad). */
export function vmMincore(vm: VmSpace, addr: number, len: number, vec: number): number {
  const end = rangeEnd(addr, len);
  if (end < 0) return 0;
  if (!vm.isFullyMapped(addr, end)) throw new SysError(ENOMEM);
  const out = new Uint8Array((end - addr) / PAGE_SIZE);
  vm.pmap.forEach(addr, end, (va) => { out[(va - addr) / PAGE_SIZE] = 1; });
  copyout(vm, vec, out);
  return 0;
}
