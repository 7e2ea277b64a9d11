/*
 * Breakpoints and single-stepping (BSD's db_break.c and db_run.c) for user
 * code: a breakpoint is an EBREAK patched over the instruction at a virtual
 * address of one address space (c.ebreak over a compressed instruction, so
 * the neighbours stay intact). The patch goes through the store path ddb's
 * writes use: a shared text page gets the process's private copy first, and
 * the engine drops the code it had compiled from the frame. Like BSD, the
 * breakpoints are in memory only while the machine runs: entering ddb takes
 * them all out (so x/i shows the real code) and leaving puts them back.
 *
 * Single-step has no hardware help: like GDB's software single-step on
 * RISC-V, ddb decodes the instruction at pc and plants temporary breakpoints
 * on every possible successor (pc+len, a branch target, a jump target
 * computed from the registers). A syscall's successor is pc+4, so stepping
 * an ecall that does not return there (exit, execve, sigreturn) just runs on.
 */
import { decode, insnLength } from '../cpu/decode.ts';
import type { Thread } from '../kern/proc.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import { dbRead, dbWrite, type DbSpace } from './db_access.ts';

const EBREAK = new Uint8Array([0x73, 0x00, 0x10, 0x00]);
const C_EBREAK = new Uint8Array([0x02, 0x90]);

export interface Breakpoint {
  n: number;
  vm: VmSpace;
  pid: number;
  va: number;
  /** The original instruction bytes while the EBREAK is in memory. */
  saved: Uint8Array | null;
}

export class DbBreakpoints {
  readonly list: Breakpoint[] = [];
  /** Temporary breakpoints of a step in progress. */
  temps: Breakpoint[] = [];
  private nextNo = 1;

  constructor(private readonly space: (vm: VmSpace) => DbSpace) {}

  add(vm: VmSpace, pid: number, va: number): Breakpoint {
    const old = this.find(vm, va);
    if (old) return old;
    const bp = { n: this.nextNo++, vm, pid, va, saved: null };
    this.list.push(bp);
    return bp;
  }

  /** Delete by number or by address; false if there was none. */
  delete(pred: (b: Breakpoint) => boolean): boolean {
    const i = this.list.findIndex(pred);
    if (i < 0) return false;
    this.remove(this.list[i]);
    this.list.splice(i, 1);
    return true;
  }

  find(vm: VmSpace, va: number): Breakpoint | undefined {
    return this.list.find((b) => b.vm === vm && b.va === va) ?? this.temps.find((b) => b.vm === vm && b.va === va);
  }

  isTemp(bp: Breakpoint): boolean {
    return this.temps.includes(bp);
  }

  /** Patch the EBREAKs in (except one at skip, the instruction being stepped over). */
  insertAll(skip: { vm: VmSpace; va: number } | null): void {
    for (const b of this.list.filter((x) => x.vm.destroyed)) this.delete((x) => x === b);
    for (const b of [...this.list, ...this.temps]) {
      if (skip && b.vm === skip.vm && b.va === skip.va && !this.temps.includes(b)) continue;
      this.insert(b);
    }
  }

  /** Take every EBREAK out again (entering ddb). */
  removeAll(): void {
    for (const b of [...this.temps, ...this.list]) this.remove(b);
  }

  clearTemps(): void {
    for (const b of this.temps) this.remove(b);
    this.temps = [];
  }

  private insert(b: Breakpoint): void {
    if (b.saved || b.vm.destroyed) return;
    const s = this.space(b.vm);
    try {
      const len = insnLength(dbRead(s, b.va, 2)[0]);
      b.saved = dbRead(s, b.va, len);
      dbWrite(s, b.va, len === 2 ? C_EBREAK : EBREAK);
    } catch {
      b.saved = null;   // not mapped (yet): it simply cannot trigger
    }
  }

  private remove(b: Breakpoint): void {
    if (!b.saved) return;
    if (!b.vm.destroyed) {
      try {
        dbWrite(this.space(b.vm), b.va, b.saved);
      } catch {
        /* The page went away with its breakpoint. */
      }
    }
    b.saved = null;
  }

  /** Plant temporary breakpoints on every successor of td's next instruction. */
  planStep(td: Thread): void {
    this.clearTemps();
    const vm = td.proc.vm;
    for (const va of successors(td, this.space(vm))) {
      this.temps.push({ n: 0, vm, pid: td.proc.pid, va, saved: null });
    }
  }
}

const BRANCH = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);

/** Where the instruction at td's pc can go next. */
export function successors(td: Thread, s: DbSpace): number[] {
  const pc = td.ctx.pc;
  const lo = dbRead(s, pc, 2);
  const len = insnLength(lo[0]);
  const raw = len === 2 ? lo[0] | (lo[1] << 8) : new DataView(dbRead(s, pc, 4).buffer).getUint32(0, true);
  const i = decode(raw);
  const next = pc + i.len;
  if (i.op === 'jal') return [(pc + i.imm) >>> 0];
  if (i.op === 'jalr') {
    const base = Number(BigInt.asUintN(64, td.ctx.getX(i.rs1)) & 0xffffffffn);
    return [((base + i.imm) & ~1) >>> 0];
  }
  if (BRANCH.has(i.op)) return [...new Set([next, (pc + i.imm) >>> 0])];
  return [next];
}
