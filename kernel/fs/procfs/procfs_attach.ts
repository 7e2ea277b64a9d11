/*
 * Connecting procfs to the running kernel: the process table, the frame
 * allocator's counts (meminfo), uptime, the -n CPU count (cpuinfo) and the
 * version string. Called once per boot.
 */
import type { PageAllocator } from '../../vm/vm_page.ts';
import type { Proc } from '../../kern/proc.ts';
import { procfsHooks } from './procfs_vfsops.ts';

export interface ProcfsKernel {
  readonly procs: { readonly procs: ReadonlyMap<number, Proc> };
  readonly pages: PageAllocator;
  readonly config: { readonly ncpus: number };
  uptimeMs(): number;
}

export function procfsAttach(k: ProcfsKernel, version: string): void {
  procfsHooks.procs = () => k.procs.procs;
  procfsHooks.memory = () => {
    const s = k.pages.stats;
    return { total: s.total, free: s.free, active: s.active, wired: s.wired };
  };
  procfsHooks.uptimeMs = () => k.uptimeMs();
  procfsHooks.ncpus = () => k.config.ncpus;
  procfsHooks.version = () => version;
}
