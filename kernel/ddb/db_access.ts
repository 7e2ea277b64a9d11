/*
 * ddb's view of memory (BSD's db_access.c / db_read_bytes): addresses are
 * virtual addresses of the selected process, or physical addresses (the
 * PhysMem byte offset) with the P modifier. Reads never fault anything in:
 * a page that is not present reads as an error, so looking cannot change the
 * machine. Writes (only with -U) go where a store would: a COW or read-only
 * page gets its private copy first, and compiled code of the frame is dropped.
 */
import { SysError } from '../kern/errno.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';
import { PTE_V, ptePpn } from '../vm/pte.ts';
import { userPhys } from '../vm/copyio.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import { ACCESS_WRITE, USER_VA_LIMIT } from '../vm/vm_param.ts';
import type { PhysMem } from '../vm/physmem.ts';

export class DbMemError extends Error {}

/** Where an address points: a process's space, or physical memory. */
export interface DbSpace {
  mem: PhysMem;
  vm: VmSpace | null;
  phys: boolean;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Physical byte address of one virtual byte, without faulting. */
function virtToPhys(s: DbSpace, va: number): number {
  if (!s.vm || s.vm.destroyed) throw new DbMemError('no process selected');
  if (!(va >= 0 && va < USER_VA_LIMIT)) throw new DbMemError(`Cannot access ${hex(va)}: not a user address`);
  const pte = s.vm.pmap.get(va);
  if ((pte & PTE_V) === 0) throw new DbMemError(`Cannot access ${hex(va)}: not mapped`);
  return ptePpn(pte) * PAGE_SIZE + (va % PAGE_SIZE);
}

function physCheck(s: DbSpace, pa: number, n: number): void {
  if (!(pa >= 0 && pa + n <= s.mem.size)) throw new DbMemError(`Cannot access physical ${hex(pa)}`);
}

export function dbRead(s: DbSpace, addr: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (s.phys) {
    physCheck(s, addr, n);
    out.set(s.mem.u8.subarray(addr, addr + n));
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = s.mem.u8[virtToPhys(s, addr + i)];
  return out;
}

/** Little-endian unsigned value of n ≤ 8 bytes. */
export function dbReadValue(s: DbSpace, addr: number, n: number): bigint {
  const b = dbRead(s, addr, n);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export function dbWrite(s: DbSpace, addr: number, bytes: Uint8Array): void {
  const mem = s.mem;
  for (let i = 0; i < bytes.length; i++) {
    let pa: number;
    if (s.phys) {
      physCheck(s, addr + i, 1);
      pa = addr + i;
    } else {
      if (!s.vm || s.vm.destroyed) throw new DbMemError('no process selected');
      try {
        pa = userPhys(s.vm, addr + i, ACCESS_WRITE, true);
      } catch (e) {
        if (e instanceof SysError) throw new DbMemError(`Cannot write ${hex(addr + i)}`);
        throw e;
      }
    }
    mem.noteWrite(Math.floor(pa / PAGE_SIZE));
    mem.u8[pa] = bytes[i];
  }
}

export function leBytes(v: bigint, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}
