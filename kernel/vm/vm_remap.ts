/*
 * mremap(2): shrink a mapping, grow it in place, or move it (its pages move
 * with their PTEs; nothing is copied). glibc's realloc of big blocks uses it.
 */
import { EFAULT, EINVAL, ENOMEM, SysError } from '../kern/errno.ts';
import type { VmSpace } from './vm_map.ts';
import type { VmRegion } from './vm_region.ts';
import { MREMAP_FIXED, MREMAP_MAYMOVE, USER_VA_LIMIT, isPageAligned, pageUp } from './vm_param.ts';
import { PTE_V } from './pte.ts';

const TABLE_SPAN = 1 << 21;

export function vmMremap(vm: VmSpace, old: number, oldLen: number, newLen: number, flags: number,
  newAddr: number): number {
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) throw new SysError(EINVAL);
  if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) throw new SysError(EINVAL);
  if (!isPageAligned(old) || newLen === 0) throw new SysError(EINVAL);
  oldLen = pageUp(oldLen);
  newLen = pageUp(newLen);
  if (newLen > USER_VA_LIMIT || oldLen > USER_VA_LIMIT) throw new SysError(ENOMEM);
  const r = vm.findRegion(old);
  if (r === undefined) throw new SysError(EFAULT);
  if (oldLen === 0) return duplicateShared(vm, r, old, newLen, flags, newAddr);
  if (old + oldLen > r.end) throw new SysError(EFAULT);
  if (flags & MREMAP_FIXED) return remapFixed(vm, old, oldLen, newLen, newAddr);
  if (newLen <= oldLen) {
    vm.unmap(old + newLen, oldLen - newLen);
    return old;
  }
  if (growInPlace(vm, r, old, oldLen, newLen)) return old;
  if (!(flags & MREMAP_MAYMOVE)) throw new SysError(ENOMEM);
  const dst = vm.findFree(newLen);
  if (dst < 0) throw new SysError(ENOMEM);
  checkCommit(vm, newLen - oldLen);
  movePages(vm, old, oldLen, dst, newLen);
  return dst;
}

function checkCommit(vm: VmSpace, extra: number): void {
  if (vm.virtualSize + extra > vm.asLimit || !vm.mayCommit(extra)) throw new SysError(ENOMEM);
}

/** The range ends its region and free space follows: just extend the region. */
function growInPlace(vm: VmSpace, r: VmRegion, old: number, oldLen: number, newLen: number): boolean {
  if (old + oldLen !== r.end) return false;
  const end = old + newLen;
  if (end > USER_VA_LIMIT || !vm.isFree(r.end, end)) return false;
  checkCommit(vm, newLen - oldLen);
  r.end = end;
  return true;
}

function remapFixed(vm: VmSpace, old: number, oldLen: number, newLen: number, dst: number): number {
  if (!isPageAligned(dst) || dst + newLen > USER_VA_LIMIT) throw new SysError(EINVAL);
  if (dst < old + oldLen && old < dst + newLen) throw new SysError(EINVAL);
  vm.unmap(dst, newLen);
  if (newLen < oldLen) {
    vm.unmap(old + newLen, oldLen - newLen);
    oldLen = newLen;
  }
  movePages(vm, old, oldLen, dst, newLen);
  return dst;
}

/** mremap(old, 0, n): a second mapping of the same shared pages (Linux allows it for shared only). */
function duplicateShared(vm: VmSpace, r: VmRegion, old: number, newLen: number, flags: number,
  newAddr: number): number {
  if (!r.shared || r.object === null || !(flags & MREMAP_MAYMOVE)) throw new SysError(EINVAL);
  let dst: number;
  if (flags & MREMAP_FIXED) {
    if (!isPageAligned(newAddr) || newAddr + newLen > USER_VA_LIMIT) throw new SysError(EINVAL);
    dst = newAddr;
  } else {
    dst = vm.findFree(newLen);
    if (dst < 0) throw new SysError(ENOMEM);
  }
  r.object.ref();
  vm.map(dst, newLen, r.prot, { object: r.object, pgoff: r.pgoffOf(old), flags: r.flags, name: r.name,
    maxProt: r.maxProt });
  return dst;
}

/**
 * Move [src, src+len) — within one region — to a free range at dst, resized
 * to newLen. The region object and the PTEs (with their frame references)
 * move; table frames at dst are made first so nothing can fail half-way.
 */
function movePages(vm: VmSpace, src: number, len: number, dst: number, newLen: number): void {
  for (let va = dst; va < dst + newLen; va += TABLE_SPAN - (va % TABLE_SPAN)) vm.pmap.leafIndex(va, true);
  if (vm.destroyed) throw new SysError(ENOMEM);
  vm.splitAt(src);
  vm.splitAt(src + len);
  const i = vm.indexAt(src);
  const r = vm.regions[i];
  vm.regions.splice(i, 1);
  const w = vm.pmap.words;
  vm.pmap.forEach(src, src + len, (va, idx, pte) => {
    w[idx] = 0;
    w[vm.pmap.leafIndex(dst + (va - src), false)] = pte;
    if (pte & PTE_V) vm.markTlbDirty();
  });
  r.start = dst;
  r.end = dst + newLen;
  vm.insertRegion(r);
  vm.mergeAround(dst, dst + newLen);
  vm.flushTlb();
}
