/*
 * /proc/pid/maps lines, in Linux's format:
 *   00010000-00012000 r-xp 00000000 00:00 0          /bin/sh
 * (device and inode are not tracked: 00:00 0).
 */
import { PAGE_SIZE } from './physmem.ts';
import type { VmSpace } from './vm_map.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from './vm_param.ts';

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function mapsLine(start: number, end: number, prot: number, shared: boolean, offset: number,
  name: string): string {
  const perms = (prot & PROT_READ ? 'r' : '-') + (prot & PROT_WRITE ? 'w' : '-') +
    (prot & PROT_EXEC ? 'x' : '-') + (shared ? 's' : 'p');
  const head = `${hex(start, 8)}-${hex(end, 8)} ${perms} ${hex(offset, 8)} 00:00 0`;
  return name ? `${head.padEnd(73)}${name}` : head;
}

/** The whole maps file of an address space. */
export function procMaps(vm: VmSpace): string {
  let out = '';
  for (const r of vm.regions) {
    const off = r.object === null ? 0 : r.pgoff * PAGE_SIZE;
    out += mapsLine(r.start, r.end, r.prot, r.shared, off, r.name) + '\n';
  }
  return out;
}
