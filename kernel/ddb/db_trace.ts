/*
 * trace/where (BSD's db_trace.c) for a user thread: the pc, the return
 * address register, then the frame-pointer chain. With the RISC-V frame
 * layout (-fno-omit-frame-pointer) s0 points just above the saved pair
 * {ra at fp-8, previous fp at fp-16}. Code built without frame pointers
 * (glibc at -O2) leaves s0 as a plain register: the walk stops at the first
 * frame that does not look like one (unmapped, misaligned, not ascending).
 * Also says what the kernel is doing for the thread (the sleep it is in).
 */
import type { Thread } from '../kern/proc.ts';
import { REG_RA } from '../cpu/context.ts';
import { PROT_EXEC } from '../vm/vm_param.ts';
import { dbReadValue, type DbSpace } from './db_access.ts';
import { tdStateName } from './db_ps.ts';
import { dbSymbol } from './db_sym.ts';

const REG_S0 = 8;
const MAX_FRAMES = 32;

const hex = (n: number): string => `0x${n.toString(16)}`;

function isCode(td: Thread, va: number): boolean {
  const r = td.proc.vm.findRegion(va);
  return r !== undefined && (r.prot & PROT_EXEC) !== 0;
}

function reg(td: Thread, r: number): number {
  return Number(BigInt.asUintN(64, td.ctx.getX(r)));
}

export function dbTrace(td: Thread, s: DbSpace): string[] {
  const vm = td.proc.vm;
  const out = [`Tracing pid ${td.proc.pid} tid ${td.tid} (${td.proc.comm}): ${tdStateName(td)}`];
  const line = (n: number, va: number, how: string): string =>
    `#${n}  ${hex(va).padEnd(12)} ${dbSymbol(vm, va).padEnd(28)} (${how})`;
  out.push(line(0, td.ctx.pc, 'pc'));
  out.push(line(1, reg(td, REG_RA), 'ra'));
  let fp = reg(td, REG_S0);
  for (let n = 2; n < MAX_FRAMES; n++) {
    if (fp === 0 || fp % 8 !== 0) break;
    let ra: number, prev: number;
    try {
      ra = Number(dbReadValue(s, fp - 8, 8));
      prev = Number(dbReadValue(s, fp - 16, 8));
    } catch {
      break;
    }
    /* A leaf function saves only s0 (at fp-8): its return address is still in ra. */
    if (!isCode(td, ra) && ra > fp) {
      fp = ra;
      n--;
      continue;
    }
    if (!isCode(td, ra)) break;
    out.push(line(n, ra, `fp ${hex(fp)}`));
    if (prev <= fp) break;
    fp = prev;
  }
  return out;
}
