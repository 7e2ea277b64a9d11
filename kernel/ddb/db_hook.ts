/*
 * The debugger's entry points as the kernel calls them. ddb proper (the db>
 * prompt, ps, trace, examine) comes with the boot issue; until then entering
 * it prints what a first look would show and returns.
 */
import type { Kernel } from '../kern/init_main.ts';
import { TdState } from '../kern/proc.ts';

const stateName = ['RUN', 'SLEEP', 'STOP', 'DEAD'];

/** A one-line-per-thread process listing (ddb's ps). */
export function dbPs(k: Kernel): string[] {
  const out = ['  pid  ppid  pgrp   tid state  wchan  comm'];
  for (const p of k.procs.procs.values()) {
    for (const td of p.threads) {
      if (td.state === TdState.DEAD) continue;
      out.push(`${String(p.pid).padStart(5)} ${String(p.ppid).padStart(5)} ${String(p.pgrp.pgid).padStart(5)} ` +
        `${String(td.tid).padStart(5)} ${stateName[td.state].padEnd(6)} ${td.wchan ? 'wait' : '-'.padEnd(4)}   ${p.comm}`);
    }
  }
  return out;
}

/** ^\ or SIGQUIT from the host (Debugger("interrupt from console")). */
export function dbEnter(k: Kernel, why: string): void {
  k.log(`CPU0 stopping CPUs: 0x00000000`);
  k.log(' stopped');
  k.log(`Stopped at ${why}`);
  for (const l of dbPs(k)) k.log(l);
  k.log('CPU0 restarting CPUs: 0x00000000');
  k.log(' restarted');
}

/** After a panic message: the process list, then the kernel stays stopped. */
export function dbPanic(k: Kernel, _msg: string): void {
  for (const l of dbPs(k)) k.log(l);
}
