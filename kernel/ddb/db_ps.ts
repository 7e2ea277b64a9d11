/*
 * ddb's ps and "show all procs" (BSD's db_ps.c): one line per process with
 * pid, ppid, pgrp, uid, state, what it waits on and its name, then a line
 * per thread for threaded processes.
 */
import type { Kernel } from '../kern/init_main.ts';
import { procStat, wmesgOf, SIDL, SRUN, SSLEEP, SSTOP, SZOMB } from '../kern/kern_kinfo.ts';
import { type Thread, TdState } from '../kern/proc.ts';

const STAT: Record<number, string> = { [SIDL]: 'I', [SRUN]: 'R', [SSLEEP]: 'S', [SSTOP]: 'T', [SZOMB]: 'Z' };
const TDSTATE = ['RUN', 'SLEEP', 'STOP', 'DEAD'];

export function dbPs(k: Kernel, cur: Thread | null): string[] {
  const out = ['  pid  ppid  pgrp   uid  state  wchan     cmd'];
  const procs = [...k.procs.procs.values()].sort((a, b) => a.pid - b.pid);
  for (const p of procs) {
    const live = p.liveThreads();
    const mark = cur && cur.proc === p ? '*' : ' ';
    out.push(`${mark}${String(p.pid).padStart(4)} ${String(p.ppid).padStart(5)} ${String(p.pgrp?.pgid ?? 0).padStart(5)} ` +
      `${String(p.cred.uid).padStart(5)}  ${STAT[procStat(p)].padEnd(5)}  ${(live[0] ? wmesgOf(live[0]) || '-' : '-').padEnd(8)}  ${p.comm}`);
    if (live.length < 2) continue;
    for (const td of live) {
      out.push(`        tid ${String(td.tid).padStart(5)}  ${TDSTATE[td.state].padEnd(5)}  ${(wmesgOf(td) || '-').padEnd(8)}` +
        `  pc 0x${td.ctx.pc.toString(16)}`);
    }
  }
  return out;
}

export function tdStateName(td: Thread): string {
  return td.state === TdState.SLEEP ? `sleeping (${wmesgOf(td)}, syscall ${td.syscallNo})` : TDSTATE[td.state].toLowerCase();
}
