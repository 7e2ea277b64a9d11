/*
 * VM constants: the Linux (asm-generic) mmap/mprotect bits user space passes,
 * the access kinds of a fault, and the user address-space layout.
 */
import { PAGE_SIZE } from './physmem.ts';
import { USER_VA_LIMIT } from './pte.ts';

export { USER_VA_LIMIT };

/* Protections (mmap/mprotect prot). */
export const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
export const PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
export const PROT_GROWSDOWN = 0x0100_0000, PROT_GROWSUP = 0x0200_0000;

/* mmap flags. */
export const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f,
  MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800,
  MAP_EXECUTABLE = 0x1000, MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000,
  MAP_NONBLOCK = 0x1_0000, MAP_STACK = 0x2_0000, MAP_HUGETLB = 0x4_0000, MAP_SYNC = 0x8_0000,
  MAP_FIXED_NOREPLACE = 0x10_0000, MAP_UNINITIALIZED = 0x400_0000;

/* mremap flags. */
export const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

/* msync flags. */
export const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

/* madvise advice values that Linux knows. */
export const MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
  MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_DOFORK = 11,
  MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13, MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15,
  MADV_DONTDUMP = 16, MADV_DODUMP = 17, MADV_WIPEONFORK = 18, MADV_KEEPONFORK = 19,
  MADV_COLD = 20, MADV_PAGEOUT = 21, MADV_POPULATE_READ = 22, MADV_POPULATE_WRITE = 23;

/* Access kinds of a fault; the same order as the CPU engine's Access enum. */
export const ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_EXEC = 2;

/*
 * Address-space layout (all below USER_VA_LIMIT so the engine can use 32-bit
 * addresses). The top 64 KiB are left for pages the kernel places itself
 * (a sigreturn trampoline or vDSO); the stack ends below them and mmap
 * allocates top-down below the stack, as Linux's default layout does.
 */
export const USER_STACK_TOP = 0xffff_0000;
export const DEFAULT_STACK_SIZE = 8 * 1024 * 1024;
/* The stack never gets bigger than this, whatever RLIMIT_STACK says. */
export const MAX_STACK_SIZE = 256 * 1024 * 1024;
/* Linux keeps at least 128 MiB between the stack top and mmap_base. */
export const MIN_STACK_GAP = 128 * 1024 * 1024;
/* Lowest address mmap picks by itself, and lowest MAP_FIXED address (mmap_min_addr). */
export const MMAP_MIN_SEARCH = 0x1_0000;
export const MMAP_MIN_ADDR = PAGE_SIZE;
/* Where exec may place a PIE executable (ELF_ET_DYN_BASE); the interpreter goes top-down. */
export const ELF_ET_DYN_BASE = 0x2aaa_a000;

export function pageDown(va: number): number {
  return va - (va % PAGE_SIZE);
}

export function pageUp(va: number): number {
  const r = va % PAGE_SIZE;
  return r === 0 ? va : va + (PAGE_SIZE - r);
}

export function isPageAligned(va: number): boolean {
  return va % PAGE_SIZE === 0;
}
