/*
 * copyin/copyout and friends: the only way kernel code touches user memory.
 * Each page is reached through the process's page tables; a page the PTE
 * does not allow is faulted in exactly as a user access would be (demand
 * zero, COW, file pages). Whatever still fails is SysError(EFAULT): an
 * unmapped address, or a write to a read-only page. Every frame written gets
 * mem.noteWrite(ppn) so the CPU engine drops code compiled from it.
 *
 * The *Force variants are for exec's loader, which must fill pages the
 * program sees read-only (text, RELRO) without turning them writable.
 */
import { PAGE_SHIFT, PAGE_SIZE } from './physmem.ts';
import { PTE_COW, PTE_R, PTE_U, PTE_V, PTE_W, ptePpn } from './pte.ts';
import type { VmSpace } from './vm_map.ts';
import { ACCESS_READ, ACCESS_WRITE, USER_VA_LIMIT } from './vm_param.ts';
import { CStruct } from './cstruct.ts';
import { EFAULT, ENAMETOOLONG, SysError } from '../kern/errno.ts';

const READ_OK = PTE_V | PTE_R | PTE_U;
const WRITE_OK = PTE_V | PTE_W | PTE_U;
const TWO32 = 0x1_0000_0000;

function efault(): never {
  throw new SysError(EFAULT);
}

/**
 * Physical byte address of user address va for a read or write, faulting the
 * page in if needed. force: ignore the protection (writes still land in a
 * private copy for private mappings). Throws SysError(EFAULT).
 */
export function userPhys(vm: VmSpace, va: number, access: number, force = false): number {
  if (!(va >= 0 && va < USER_VA_LIMIT)) efault();
  const need = access === ACCESS_WRITE ? WRITE_OK : READ_OK;
  for (let tries = 0; tries < 3; tries++) {
    const pte = vm.pmap.get(va);
    if ((pte & need) === need) return ptePpn(pte) * PAGE_SIZE + (va & (PAGE_SIZE - 1));
    /* A forced write is fine on any present page that is ours alone (not COW). */
    if (force && pte !== 0 && (access !== ACCESS_WRITE || (pte & PTE_COW) === 0)) {
      return ptePpn(pte) * PAGE_SIZE + (va & (PAGE_SIZE - 1));
    }
    const ok = force ? vm.faultForce(va, access) : vm.fault(va, access);
    if (!ok) efault();
  }
  return efault();
}

/**
 * Visit [va, va+len) of user memory as physical chunks (at most a page each):
 * fn(physAddr, n, done) where done is the number of bytes before this chunk.
 * For zero-copy reads/writes straight into PhysMem. Written frames are noted.
 */
export function forEachUserChunk(vm: VmSpace, va: number, len: number, access: number,
  fn: (phys: number, n: number, done: number) => void, force = false): void {
  if (len === 0) return;
  if (!(va >= 0 && len > 0 && va + len <= USER_VA_LIMIT)) efault();
  let done = 0;
  while (done < len) {
    const at = va + done;
    const n = Math.min(len - done, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
    const phys = userPhys(vm, at, access, force);
    if (access === ACCESS_WRITE) vm.mem.noteWrite(phys >>> PAGE_SHIFT);
    fn(phys, n, done);
    done += n;
  }
}

/** Copy len bytes from user va into a new buffer. */
export function copyin(vm: VmSpace, va: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  copyinTo(vm, va, out);
  return out;
}

/** Copy dst.length bytes from user va into dst. */
export function copyinTo(vm: VmSpace, va: number, dst: Uint8Array): void {
  const u8 = vm.mem.u8;
  forEachUserChunk(vm, va, dst.length, ACCESS_READ, (phys, n, done) => {
    dst.set(u8.subarray(phys, phys + n), done);
  });
}

/** Copy src to user va. */
export function copyout(vm: VmSpace, va: number, src: Uint8Array): void {
  const u8 = vm.mem.u8;
  forEachUserChunk(vm, va, src.length, ACCESS_WRITE, (phys, n, done) => {
    u8.set(src.subarray(done, done + n), phys);
  });
}

/** copyout for exec's loader: also into pages the program may not write. */
export function copyoutForce(vm: VmSpace, va: number, src: Uint8Array): void {
  const u8 = vm.mem.u8;
  forEachUserChunk(vm, va, src.length, ACCESS_WRITE, (phys, n, done) => {
    u8.set(src.subarray(done, done + n), phys);
  }, true);
}

/** Zero len bytes of user memory (force: regardless of protection, for bss tails). */
export function zeroUser(vm: VmSpace, va: number, len: number, force = false): void {
  const u8 = vm.mem.u8;
  forEachUserChunk(vm, va, len, ACCESS_WRITE, (phys, n) => {
    u8.fill(0, phys, phys + n);
  }, force);
}

/**
 * The bytes of a NUL-terminated user string, without the NUL. max counts the
 * NUL too (PATH_MAX = 4096): no NUL within max bytes → ENAMETOOLONG.
 */
export function copyinstrBytes(vm: VmSpace, va: number, max: number): Uint8Array {
  const u8 = vm.mem.u8;
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < max) {
    const at = va + total;
    const n = Math.min(max - total, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
    const phys = userPhys(vm, at, ACCESS_READ);
    const nul = u8.subarray(phys, phys + n).indexOf(0);
    const take = nul < 0 ? n : nul;
    parts.push(u8.slice(phys, phys + take));
    total += take;
    if (nul >= 0) return join(parts, total);
  }
  throw new SysError(ENAMETOOLONG);
}

/**
 * A NUL-terminated user string as a byte string (one char per byte, the
 * kernel's convention for names: vfs/bstr.ts); see copyinstrBytes for max.
 */
export function copyinstr(vm: VmSpace, va: number, max: number): string {
  const b = copyinstrBytes(vm, va, max);
  let s = '';
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 8192)));
  }
  return s;
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/* ---- words ---- */

/** Read an aligned-or-not int32 at user va (signed). */
export function fuword32(vm: VmSpace, va: number): number {
  if ((va & 3) === 0) return vm.mem.i32[userPhys(vm, va, ACCESS_READ) >>> 2];
  return new CStruct(copyin(vm, va, 4)).i32(0);
}

export function suword32(vm: VmSpace, va: number, v: number): void {
  if ((va & 3) === 0) {
    const phys = userPhys(vm, va, ACCESS_WRITE);
    vm.mem.noteWrite(phys >>> PAGE_SHIFT);
    vm.mem.i32[phys >>> 2] = v;
    return;
  }
  copyout(vm, va, new CStruct(4).setI32(0, v | 0).u8);
}

/** The two halves of a 64-bit user word: [lo, hi] as int32. */
function fuwordPair(vm: VmSpace, va: number): [number, number] {
  if ((va & 7) === 0) {
    const i = userPhys(vm, va, ACCESS_READ) >>> 2;
    return [vm.mem.i32[i], vm.mem.i32[i + 1]];
  }
  const s = new CStruct(copyin(vm, va, 8));
  return [s.i32(0), s.i32(4)];
}

export function fuword64(vm: VmSpace, va: number): bigint {
  const [lo, hi] = fuwordPair(vm, va);
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** A signed 64-bit user word as a number (exact to 2^53). */
export function fuword64num(vm: VmSpace, va: number): number {
  const [lo, hi] = fuwordPair(vm, va);
  return hi * TWO32 + (lo >>> 0);
}

/** A user pointer stored in user memory (argv[], iovec): unsigned; ≥ 2^32 stays out of range. */
export function fuptr(vm: VmSpace, va: number): number {
  const [lo, hi] = fuwordPair(vm, va);
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

export function suword64(vm: VmSpace, va: number, v: bigint | number): void {
  const s = new CStruct(8);
  if (typeof v === 'bigint') s.setBig(0, v);
  else s.setI64(0, v);
  if ((va & 7) === 0) {
    const phys = userPhys(vm, va, ACCESS_WRITE);
    vm.mem.noteWrite(phys >>> PAGE_SHIFT);
    vm.mem.i32[phys >>> 2] = s.i32(0);
    vm.mem.i32[(phys >>> 2) + 1] = s.i32(4);
    return;
  }
  copyout(vm, va, s.u8);
}

/* ---- structs ---- */

export function copyinStruct(vm: VmSpace, va: number, size: number): CStruct {
  return new CStruct(copyin(vm, va, size));
}

export function copyoutStruct(vm: VmSpace, va: number, s: CStruct): void {
  copyout(vm, va, s.u8);
}
