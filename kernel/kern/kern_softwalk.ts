/*
 * vkernel -d ("disables hardware pagetable"): our MMU has two ways to fill
 * the CPU engine's TLB on a miss. By default the engine walks the Sv39 tables
 * in physical memory itself, like hardware with nested paging (hence
 * "vmm: Hardware pagetable enabled for guest"). With -d every miss calls back
 * into the kernel, which looks the PTE up through the VM's own pmap of the
 * running process (the software path, like a vkernel without VMM support)
 * and counts it: sysctl vm.pmap.soft_fills. Same permissions, same results,
 * only slower.
 */
import type { Access } from '../cpu/stop.ts';
import { PTE_PPN_SHIFT, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from '../vm/pte.ts';
import { USER_VA_LIMIT } from '../vm/vm_param.ts';
import type { Kernel } from './init_main.ts';

const NEED = [PTE_R, PTE_W, PTE_X];

/** The leaf PTE for va if it permits access (Access.READ/WRITE/EXEC = 0/1/2), else 0. */
export function softWalk(k: Kernel, va: number, access: Access): number {
  k.softTlbFills++;
  const td = k.sched.curthread;
  if (!td || !(va >= 0 && va < USER_VA_LIMIT)) return 0;
  const vm = td.proc.vm;
  if (vm.destroyed) return 0;
  const pte = vm.pmap.get(va);
  if ((pte & (PTE_V | PTE_U)) !== (PTE_V | PTE_U)) return 0;
  if ((pte & (PTE_R | PTE_W)) === PTE_W) return 0;
  if (pte >>> PTE_PPN_SHIFT >= k.mem.npages) return 0;
  return (pte & NEED[access]) !== 0 ? pte : 0;
}
