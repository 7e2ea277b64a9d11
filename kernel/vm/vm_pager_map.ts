/*
 * Which address spaces map a file, so the VFS can take pages away when the
 * file shrinks: after truncate, Linux unmaps the pages wholly past the new
 * EOF (private copies too), and the next touch raises SIGBUS. Entries are
 * added when a space maps the file and dropped when the space is destroyed
 * (a space that unmapped the file early just has nothing to do here).
 */
import type { VnodePager } from './vm_object.ts';
import { VnodeObject } from './vm_object.ts';
import type { VmSpace } from './vm_map.ts';
import { PAGE_SIZE } from './physmem.ts';

const spacesOf = new WeakMap<VnodePager, Set<VmSpace>>();

export function noteFileMapping(pager: VnodePager, vm: VmSpace): void {
  let set = spacesOf.get(pager);
  if (set === undefined) {
    set = new Set();
    spacesOf.set(pager, set);
  }
  set.add(vm);
}

export function forgetFileMapping(pager: VnodePager, vm: VmSpace): void {
  spacesOf.get(pager)?.delete(vm);
}

/**
 * The VFS calls this after a file shrank to newSize bytes: every mapped page
 * wholly past the new end is dropped, so a later access faults (SIGBUS).
 */
export function vnodeTruncated(pager: VnodePager, newSize: number): void {
  const firstGone = Math.ceil(newSize / PAGE_SIZE);
  for (const vm of spacesOf.get(pager) ?? []) {
    for (const r of vm.regions) {
      if (!(r.object instanceof VnodeObject) || r.object.pager !== pager) continue;
      const endPg = r.pgoffOf(r.end - 1) + 1;
      if (endPg <= firstGone) continue;
      const from = r.start + Math.max(0, firstGone - r.pgoff) * PAGE_SIZE;
      vm.dropPages(from, r.end);
    }
    vm.flushTlb();
  }
}
