/*
 * The debugger (BSD's ddb: db_main.c, db_trap): entered by ^\ on the console
 * (the host's SIGQUIT), by sysctl debug.kdb.enter=1, by a breakpoint or a
 * finished step, and by a panic when debug.debugger_on_panic is set. While
 * it has the machine the scheduler runs nothing and console input is ddb's:
 * a line reader with echo, erase and kill, then db_command. Leaving resumes
 * the scheduler (after a panic it finishes the panic instead).
 */
import type { Kernel } from '../kern/init_main.ts';
import { type Thread, TdState } from '../kern/proc.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import type { DbSpace } from './db_access.ts';
import { DbBreakpoints } from './db_break.ts';
import { dbCommand } from './db_command.ts';
import { disasmPretty } from './db_disasm.ts';
import { dbRead } from './db_access.ts';
import type { ExamineFmt } from './db_examine.ts';
import { dbSymbol } from './db_sym.ts';
import { insnLength } from '../cpu/decode.ts';

const enc = new TextEncoder();
const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export type StepMode = 'none' | 'step' | 'over';

export class Ddb {
  active = false;
  /** Entered from a panic: leaving finishes the panic. */
  postmortem = false;
  /** The selected thread: registers, trace and virtual addresses are its. */
  td: Thread | null = null;
  radix = 16;
  fmt: ExamineFmt = { size: 4, display: 'x', phys: false };
  nextAddr = 0;
  lastCommand = '';
  readonly bps: DbBreakpoints;
  stepMode: StepMode = 'none';
  stepsLeft = 0;
  private line = '';
  private lastCR = false;
  /** Input that arrived while a step ran: it is the next ddb command. */
  private pending: Uint8Array | null = null;

  constructor(readonly k: Kernel) {
    this.bps = new DbBreakpoints((vm) => this.spaceOf(vm));
  }

  spaceOf(vm: VmSpace | null, phys = false): DbSpace {
    return { mem: this.k.mem, vm, phys };
  }

  /** The selected process's space (or physical memory). */
  space(phys = false): DbSpace {
    return this.spaceOf(this.td ? this.td.proc.vm : null, phys);
  }

  /** db_printf: the console only (the message buffer is for kernel messages). */
  print(s: string): void {
    this.k.platform.console.write(enc.encode(s.replace(/\r?\n/g, '\r\n')), false);
  }

  println(s = ''): void {
    this.print(`${s}\n`);
  }

  /* ---- entering ---- */

  /** Debugger(why): stop the machine and take the console. why null: a breakpoint or step. */
  enter(why: string | null, td: Thread | null = null): void {
    if (this.active) return;
    const k = this.k;
    if (why !== null && why !== 'breakpoint') k.log(`Debugger("${why}")`);
    this.active = true;
    k.sched.ddbStopped = true;
    this.bps.removeAll();
    this.bps.clearTemps();
    this.stepMode = 'none';
    this.stepsLeft = 0;
    const others = ((1 << k.config.ncpus) - 1) & ~1;
    k.log(`CPU0 stopping CPUs: ${hex8(others)}`);
    k.log(' stopped');
    this.td = td ?? this.defaultThread();
    this.nextAddr = this.td ? this.td.ctx.pc : 0;
    this.println(`${why === 'breakpoint' ? 'Breakpoint at' : 'Stopped at'}      ${this.location()}`);
    this.prompt();
    const p = this.pending;
    this.pending = null;
    if (p) this.input(p);
  }

  /** A panic: the machine is already down; ddb is for looking, then the panic finishes. */
  enterPanic(msg: string): void {
    this.postmortem = true;
    this.enter(`panic: ${msg}`, this.k.sched.curthread ?? this.k.sched.panicthread);
  }

  private defaultThread(): Thread | null {
    const s = this.k.sched;
    for (const td of [s.curthread, s.lastthread]) if (td && td.state !== TdState.DEAD) return td;
    return this.k.procs.procs.get(1)?.liveThreads()[0] ?? null;
  }

  /** "0x10456 <prog+0x456>:  addi a0,a0,1" for the selected thread's pc. */
  location(): string {
    const td = this.td;
    if (!td) return 'idle (no threads)';
    const pc = td.ctx.pc;
    let insn = '';
    try {
      const s = this.space();
      const lo = dbRead(s, pc, 2);
      const len = insnLength(lo[0]);
      const b = dbRead(s, pc, len);
      const raw = len === 2 ? b[0] | (b[1] << 8) : new DataView(b.buffer).getUint32(0, true);
      insn = disasmPretty(raw, pc);
    } catch {
      insn = '(not mapped)';
    }
    return `0x${pc.toString(16)} ${dbSymbol(td.proc.vm, pc)}: ${insn}   [pid ${td.proc.pid} tid ${td.tid} ${td.proc.comm}]`;
  }

  private prompt(): void {
    this.print('db> ');
  }

  /* ---- the line reader ---- */

  /** Console bytes while ddb is active; returns what is left over after it left (for the tty). */
  input(b: Uint8Array): Uint8Array | null {
    for (let i = 0; i < b.length; i++) {
      if (!this.active) return this.leftover(b.subarray(i));
      this.inputByte(b[i]);
    }
    return null;
  }

  private leftover(rest: Uint8Array): Uint8Array | null {
    if (this.stepMode === 'step') {
      this.pending = rest.slice();
      return null;
    }
    return rest;
  }

  private inputByte(c: number): void {
    if (c === 10 && this.lastCR) {
      this.lastCR = false;
      return;
    }
    this.lastCR = c === 13;
    if (c === 13 || c === 10) {
      this.println();
      const l = this.line;
      this.line = '';
      dbCommand(this, l);
      if (this.active) this.prompt();
    } else if (c === 0x7f || c === 8) {
      if (this.line) {
        this.line = this.line.slice(0, -1);
        this.print('\b \b');
      }
    } else if (c === 0x15) {
      this.print('\b \b'.repeat(this.line.length));
      this.line = '';
    } else if (c === 3) {
      this.println('^C');
      this.line = '';
      this.prompt();
    } else if (c >= 0x20 && c < 0x7f) {
      this.line += String.fromCharCode(c);
      this.print(String.fromCharCode(c));
    }
  }

  /* ---- leaving ---- */

  /** continue (mode none) or step: put the breakpoints back and restart the CPUs. */
  leave(mode: 'continue' | 'step', steps = 1): void {
    const k = this.k;
    this.active = false;
    if (this.postmortem) {
      k.panicFinish();
      return;
    }
    const td = this.td;
    const atBp = td ? this.bps.find(td.proc.vm, td.ctx.pc) : undefined;
    if (td && (mode === 'step' || atBp)) {
      this.safePlan(td);
      this.stepMode = mode === 'step' ? 'step' : 'over';
      this.stepsLeft = steps;
    }
    this.bps.insertAll(td && atBp ? { vm: td.proc.vm, va: td.ctx.pc } : null);
    const others = ((1 << k.config.ncpus) - 1) & ~1;
    k.log(`CPU0 restarting CPUs: ${hex8(others)}`);
    k.log(' restarted');
    k.sched.ddbStopped = false;
    k.sched.kick();
  }

  private safePlan(td: Thread): void {
    try {
      this.bps.planStep(td);
    } catch {
      this.bps.clearTemps();
    }
  }

  /** The CPU trapped on an EBREAK at td's pc: ours (true) or the program's own (false: SIGTRAP). */
  breakpointHit(td: Thread): boolean {
    const bp = this.bps.find(td.proc.vm, td.ctx.pc);
    if (!bp || !bp.saved) return false;
    if (!this.bps.isTemp(bp)) {
      this.enter('breakpoint', td);
      return true;
    }
    if (this.stepMode === 'over') {
      this.bps.clearTemps();
      this.stepMode = 'none';
      this.bps.insertAll(null);
      return true;
    }
    if (--this.stepsLeft > 0) {
      this.bps.removeAll();
      this.bps.clearTemps();
      this.safePlan(td);
      this.bps.insertAll(null);
      return true;
    }
    this.enter(null, td);
    return true;
  }
}
