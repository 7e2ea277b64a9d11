/*
 * The extra boot lines of a verbose boot (-v, bootverbose): the physical
 * memory layout, the page allocator's numbers, how the MMU and the CPU
 * engine are set up, and what each early subsystem registered.
 */
import { TLB_SIZE } from '../cpu/tlb.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';
import type { Kernel } from './init_main.ts';
import { SIGCODE_VA } from './sigcode.ts';

const hex16 = (n: number): string => `0x${n.toString(16).padStart(16, '0')}`;

export function bootVerbose(k: Kernel): void {
  const st = k.pages.stats;
  const first = k.mem.npages - st.total;
  k.log('Physical memory chunk(s):');
  k.log(`${hex16(first * PAGE_SIZE)} - ${hex16(k.mem.size - 1)}, ${st.total * PAGE_SIZE} bytes (${st.total} pages)`);
  k.log(`vm_page: ${k.mem.npages} frames of ${PAGE_SIZE} bytes: ${first} reserved, ${st.wired} wired, ` +
    `${st.active} active, ${st.free} free`);
  k.log(`pmap: Sv39 page tables in guest memory; TLB ${TLB_SIZE} entries each for read, write and execute; ` +
    `${k.config.softwarePageTables ? 'software fill through the kernel (-d)' : 'filled by the engine\'s own walk'}`);
  k.log(`cpu0: RV64IMAFDC_Zicsr_Zifencei user mode; interpreter, hot blocks compiled to JS; ` +
    `${k.config.ncpus} vCPU${k.config.ncpus > 1 ? 's' : ''} multiplexed on one engine`);
  k.log(`sigcode: signal trampoline page at 0x${SIGCODE_VA.toString(16)}`);
  k.log(`kenv: ${k.kenv.size} variable${k.kenv.size === 1 ? '' : 's'}${[...k.kenv.keys()].map((n) => ` ${n}`).join('')}`);
  k.log(`sysctl: ${k.sysctl.all().length} oids`);
  if (k.consTty) k.log(`cons: console tty ${k.consTty.name}`);
  k.log(`kern: ${k.config.kmemWritable ? 'kernel memory writable, module loading allowed (-U)' : 'kernel memory read-only, module loading disabled'}`);
}
