/*
 * The memory-management system calls (Linux riscv64 numbers and semantics):
 * brk, mmap, munmap, mprotect, mremap, msync, madvise, mincore, mlock*.
 *
 * The logic lives in vm* functions that take a VmSpace (and, for mmap, a
 * way to turn an fd into something mappable) so they can be tested without
 * processes; vmSyscalls adapts them to (td, args).
 */
import type { Thread } from '../kern/proc.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import { EACCES, EBADF, EEXIST, EINVAL, ENODEV, ENOMEM, EOPNOTSUPP, EPERM, SysError } from '../kern/errno.ts';
import { PAGE_SIZE } from './physmem.ts';
import type { VmSpace } from './vm_map.ts';
import { AnonObject, VnodeObject, type VmObject, type VnodePager } from './vm_object.ts';
import { RF_SHARED, RF_STACK } from './vm_region.ts';
import { vmMremap } from './vm_remap.ts';
import { fileForFd } from './vm_mmap_file.ts';
import { vmMadvise, vmMincore, vmMsync, vmMlock } from './vm_advice.ts';
import {
  MAP_ANONYMOUS, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN,
  MAP_HUGETLB, MAP_LOCKED, MAP_NONBLOCK, MAP_NORESERVE, MAP_POPULATE, MAP_PRIVATE, MAP_SHARED,
  MAP_SHARED_VALIDATE, MAP_STACK, MAP_SYNC, MAP_TYPE, MAP_UNINITIALIZED, MMAP_MIN_ADDR,
  PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_RWX, PROT_WRITE, USER_VA_LIMIT,
  isPageAligned, pageUp,
} from './vm_param.ts';

/** What mmap needs to know about an open file. */
export interface MmapFile {
  /** null: this kind of file cannot be mapped (ENODEV): pipes, sockets, ttys. */
  pager: VnodePager | null;
  readable: boolean;
  writable: boolean;
  /** For /proc/pid/maps. */
  name: string;
  /** /dev/zero: the mapping is anonymous memory. */
  zero?: boolean;
}

/** fd → MmapFile; throws SysError(EBADF) for a closed fd. */
export type MmapFileLookup = (fd: number) => MmapFile;

/* How the syscalls find the file behind an fd (replaceable for tests). */
export const mmapHooks: { fileFor: (td: Thread, fd: number) => MmapFile } = {
  fileFor: fileForFd,
};

const KNOWN_FLAGS = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE |
  MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |
  MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_UNINITIALIZED;

/** The backing of a new mapping, decided before anything changes. */
interface Backing {
  object: VmObject | null;
  maxProt: number;
  name: string;
  /** Counts against the overcommit heuristic (private writable or shared anonymous). */
  accountable: boolean;
}

function mmapBacking(vm: VmSpace, prot: number, flags: number, fd: number,
  lookup: MmapFileLookup | null): Backing {
  const shared = (flags & MAP_TYPE) !== MAP_PRIVATE;
  if (flags & MAP_ANONYMOUS) {
    return { object: shared ? new AnonObject(vm.pages) : null, maxProt: PROT_RWX, name: '',
      accountable: shared || (prot & PROT_WRITE) !== 0 };
  }
  if (lookup === null) throw new SysError(EBADF);
  const f = lookup(fd);
  if (!f.readable) throw new SysError(EACCES);
  if (shared && (prot & PROT_WRITE) && !f.writable) throw new SysError(EACCES);
  if (f.zero) {
    return { object: shared ? new AnonObject(vm.pages) : null, maxProt: PROT_RWX, name: shared ? '/dev/zero' : '',
      accountable: true };
  }
  if (f.pager === null) throw new SysError(ENODEV);
  return { object: new VnodeObject(f.pager), maxProt: shared && !f.writable ? PROT_READ | PROT_EXEC : PROT_RWX,
    name: f.name, accountable: !shared && (prot & PROT_WRITE) !== 0 };
}

function checkMmapArgs(len: number, flags: number, offset: number): void {
  if (len === 0 || !isPageAligned(offset) || offset < 0) throw new SysError(EINVAL);
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) throw new SysError(EINVAL);
  if (type === MAP_SHARED_VALIDATE && (flags & ~KNOWN_FLAGS)) throw new SysError(EOPNOTSUPP);
  if (flags & MAP_HUGETLB) throw new SysError(EINVAL);
  if (pageUp(len) > USER_VA_LIMIT) throw new SysError(ENOMEM);
}

/** Where the mapping goes: the fixed address, or a free range (the hint if it is free). */
function mmapPlace(vm: VmSpace, addr: number, rlen: number, flags: number): number {
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!isPageAligned(addr)) throw new SysError(EINVAL);
    if (addr + rlen > USER_VA_LIMIT) throw new SysError(ENOMEM);
    if (addr < MMAP_MIN_ADDR) throw new SysError(EPERM);
    if ((flags & MAP_FIXED_NOREPLACE) && !vm.isFree(addr, addr + rlen)) throw new SysError(EEXIST);
    return addr;
  }
  const at = vm.findFree(rlen, addr < USER_VA_LIMIT ? addr : 0);
  if (at < 0) throw new SysError(ENOMEM);
  return at;
}

/**
 * mmap(2). Returns the address. lookup resolves fd for file mappings (null:
 * none available → EBADF). Throws SysError.
 */
export function vmMmap(vm: VmSpace, addr: number, len: number, prot: number, flags: number, fd: number,
  offset: number, lookup: MmapFileLookup | null): number {
  checkMmapArgs(len, flags, offset);
  prot &= PROT_RWX;
  const rlen = pageUp(len);
  const b = mmapBacking(vm, prot, flags, fd, lookup);
  let start: number;
  try {
    start = mmapPlace(vm, addr, rlen, flags);
    if (vm.virtualSize + rlen > vm.asLimit) throw new SysError(ENOMEM);
    if (b.accountable && !(flags & MAP_NORESERVE) && !vm.mayCommit(rlen)) throw new SysError(ENOMEM);
  } catch (e) {
    b.object?.release();
    throw e;
  }
  const shared = (flags & MAP_TYPE) !== MAP_PRIVATE;
  vm.map(start, rlen, prot, {
    object: b.object, pgoff: b.object === null ? 0 : offset / PAGE_SIZE,
    flags: shared ? RF_SHARED : 0, name: b.name, maxProt: b.maxProt,
  });
  return start;
}

/**
 * For exec's loader: map len bytes of a file privately at a fixed address
 * (or anywhere when start is -1) with prot. Returns the address.
 */
export function vmMapFile(vm: VmSpace, start: number, len: number, prot: number, pager: VnodePager,
  offset: number, name: string): number {
  const rlen = pageUp(len);
  const at = start >= 0 ? start : vm.findFree(rlen);
  if (at < 0 || at + rlen > USER_VA_LIMIT) throw new SysError(ENOMEM);
  vm.map(at, rlen, prot, { object: new VnodeObject(pager), pgoff: Math.floor(offset / PAGE_SIZE), name });
  return at;
}

export function vmMunmap(vm: VmSpace, addr: number, len: number): number {
  if (!isPageAligned(addr) || len === 0 || len > USER_VA_LIMIT || addr > USER_VA_LIMIT - len) {
    throw new SysError(EINVAL);
  }
  vm.unmap(addr, len);
  return 0;
}

export function vmMprotect(vm: VmSpace, addr: number, len: number, prot: number): number {
  if (!isPageAligned(addr)) throw new SysError(EINVAL);
  if (prot & ~(PROT_RWX | PROT_GROWSDOWN | PROT_GROWSUP | 8)) throw new SysError(EINVAL);
  if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP)) throw new SysError(EINVAL);
  if (len === 0) return 0;
  let rlen = pageUp(len);
  if (addr + rlen > USER_VA_LIMIT) throw new SysError(ENOMEM);
  if (prot & PROT_GROWSDOWN) {
    /* glibc makes the stack executable this way: down to the stack's lowest page. */
    const r = vm.findRegion(addr);
    if (r === undefined || (r.flags & RF_STACK) === 0) throw new SysError(EINVAL);
    rlen += addr - r.start;
    addr = r.start;
  }
  vm.protect(addr, rlen, prot & PROT_RWX);
  return 0;
}

export function vmBrk(vm: VmSpace, addr: number): number {
  return vm.brk(addr);
}

/* ---- the syscall table ---- */

function vmOf(td: Thread): VmSpace {
  return td.proc.vm;
}

export const SYS_brk = 214, SYS_munmap = 215, SYS_mremap = 216, SYS_mmap = 222, SYS_mprotect = 226,
  SYS_msync = 227, SYS_mlock = 228, SYS_munlock = 229, SYS_mlockall = 230, SYS_munlockall = 231,
  SYS_mincore = 232, SYS_madvise = 233, SYS_mlock2 = 284;

const sysMmap: SyscallHandler = (td: Thread, a: SysArgs) =>
  vmMmap(vmOf(td), a.u64(0), a.u64(1), a.int(2), a.int(3), a.int(4), a.i64(5),
    (fd) => mmapHooks.fileFor(td, fd));

export const vmSyscalls: Record<number, SyscallHandler> = {
  [SYS_brk]: (td, a) => vmBrk(vmOf(td), a.u64(0)),
  [SYS_munmap]: (td, a) => vmMunmap(vmOf(td), a.u64(0), a.u64(1)),
  [SYS_mremap]: (td, a) => vmMremap(vmOf(td), a.u64(0), a.u64(1), a.u64(2), a.int(3), a.u64(4)),
  [SYS_mmap]: sysMmap,
  [SYS_mprotect]: (td, a) => vmMprotect(vmOf(td), a.u64(0), a.u64(1), a.int(2)),
  [SYS_msync]: (td, a) => vmMsync(vmOf(td), a.u64(0), a.u64(1), a.int(2)),
  [SYS_mlock]: (td, a) => vmMlock(vmOf(td), a.u64(0), a.u64(1)),
  [SYS_munlock]: (td, a) => vmMlock(vmOf(td), a.u64(0), a.u64(1)),
  [SYS_mlock2]: (td, a) => vmMlock(vmOf(td), a.u64(0), a.u64(1)),
  [SYS_mlockall]: () => 0,
  [SYS_munlockall]: () => 0,
  [SYS_mincore]: (td, a) => vmMincore(vmOf(td), a.u64(0), a.u64(1), a.ptrOrBad(2)),
  [SYS_madvise]: (td, a) => vmMadvise(vmOf(td), a.u64(0), a.u64(1), a.int(2)),
};
