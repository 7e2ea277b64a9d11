/*
 * ddb's symbols, such as they are: user programs carry no symbol table we
 * read, so an address is named by the mapping that holds it and its offset
 * in the mapped file (what addr2line and objdump want): <libc.so.6+0x4f2a0>.
 */
import type { VmSpace } from '../vm/vm_map.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';

export function dbSymbol(vm: VmSpace | null, va: number): string {
  if (!vm || vm.destroyed) return '';
  const r = vm.findRegion(va);
  if (!r) return '';
  const off = va - r.start + (r.object !== null || r.name.startsWith('/') ? r.pgoff * PAGE_SIZE : 0);
  const base = r.name ? r.name.slice(r.name.lastIndexOf('/') + 1) || r.name : 'anon';
  return `<${base}+0x${off.toString(16)}>`;
}
