/*
 * Page-table entries, Sv39 layout: 3 levels of 512 eight-byte PTEs, one 4 KiB
 * frame per table, VA bits [38:30] [29:21] [20:12]. Tables live in physical
 * memory so the CPU engine walks them itself (DESIGN.md §3, Execution).
 *
 * Physical memory is far below 16 GiB, so a PPN fits in bits 10..31 and the
 * whole PTE lives in the low 32-bit word; the high word is always 0. Read and
 * write PTEs as i32[(tableAddr + 8*index) >> 2].
 *
 * User virtual addresses are below 4 GiB (2^32); the engine treats any access
 * at or above that as a fault. So only root entries 0..3 are ever used.
 */
export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
export const PTE_G = 1 << 5;
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;
/* Software bits (RSW, 8..9): the CPU ignores them. */
export const PTE_COW = 1 << 8;   // write fault must copy the frame first
export const PTE_SHARED = 1 << 9; // frame belongs to a shared object (not freed with the map)
export const PTE_PPN_SHIFT = 10;

export const USER_VA_LIMIT = 0x1_0000_0000; // 4 GiB

export function ptePpn(pte: number): number {
  return pte >>> PTE_PPN_SHIFT;
}

export function makePte(ppn: number, flags: number): number {
  return ((ppn << PTE_PPN_SHIFT) | flags) | 0;
}

/** Index of va in the table of level (2 = root, 0 = leaf). */
export function vpnIndex(va: number, level: number): number {
  return Math.floor(va / 2 ** (12 + 9 * level)) & 511;
}
