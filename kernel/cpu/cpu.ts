/*
 * A vCPU: runs user-mode RV64GC code of the thread whose registers are in ctx,
 * over the Sv39 page tables rooted at setPageTable(), until the budget is
 * spent or something needs the kernel (ecall, fault, illegal, ebreak).
 *
 * Code is decoded once per basic block and cached by physical address
 * (codecache.ts). Cold blocks are interpreted (interp.ts); hot ones are
 * compiled to JS as regions (compile.ts). The dispatcher below finds the code
 * for a pc through a jump cache, calls it, and counts retired instructions
 * against the budget.
 */
import { CpuContext } from './context.ts';
import type { PhysMem } from '../vm/physmem.ts';
import { Access, Stop } from './stop.ts';
import { TLB_MASK } from './tlb.ts';
import { Mmu, TRAP } from './mmu.ts';
import type { Block } from './compile.ts';
import { CodeCache, type Tiering } from './codecache.ts';
import { interpreted } from './interp.ts';
import { fpuEnv } from './fpcall.ts';
import { execCsr, type CsrHost } from './csr.ts';
import { execAmo } from './amo.ts';
import * as alu from './alu.ts';

export { Stop, Access } from './stop.ts';

const ALU = { ...alu };

/* What compiled code returns after a jump to an address with no int32 pc (odd: never a pc). */
const BAD_JUMP = -3;

const JC_SIZE = 4096;
const JC_MASK = JC_SIZE - 1;

/* Every vCPU over a memory, so a frame that becomes code leaves all their write TLBs. */
const cpusOf = new WeakMap<PhysMem, Cpu[]>();

export class Cpu extends Mmu implements CsrHost {
  readonly ctx = new CpuContext();
  /** Retired instructions, monotonic. */
  instret = 0;
  /** rdtime: ticks of 10 MHz, like qemu's virt board. The kernel supplies its clock. */
  timeSource: () => number = () => Math.floor(Date.now() * 10000);

  /** Instructions retired by the last compiled-code call (set by the code). */
  n = 0;

  /* Jump cache: int32 pc → code, direct-mapped by (pc >> 1); flushed with the TLB. -1 (odd) is empty. */
  private readonly jTag = new Int32Array(JC_SIZE).fill(-1);
  private readonly jBlock = new Array<Block | null>(JC_SIZE).fill(null);
  private readonly cache: CodeCache;

  /** `tiering` is for tests: force the interpreter or the compiler for all code. */
  constructor(mem: PhysMem, readonly id: number, tiering: Tiering = 'auto') {
    super(mem);
    const t = this.tlb;
    const env = [this, this.ctx.x, this.ctx.f, this.ctx, mem.u8, mem.i8, mem.u16, mem.i16, mem.i32,
      t.rTag, t.rDelta, t.wTag, t.wDelta, ALU, fpuEnv()];
    this.cache = new CodeCache(mem, 1 << (id & 7), env, (ppn) => {
      for (const cpu of cpusOf.get(mem) ?? []) cpu.tlb.evictWritable(ppn);
    }, (bb) => interpreted(this, bb), tiering);
    const prev = mem.onCodeWrite;
    mem.onCodeWrite = (ppn: number): void => {
      prev(ppn);
      if (this.cache.dropFrame(ppn)) this.jTag.fill(-1);
    };
    const list = cpusOf.get(mem) ?? [];
    list.push(this);
    cpusOf.set(mem, list);
  }

  setPageTable(rootPpn: number): void {
    this.root = rootPpn;
    this.flushTlb();
  }

  flushTlb(): void {
    this.tlb.flush();
    this.jTag.fill(-1);
  }

  /**
   * Execute about `budget` instructions; stops early at a trap. Always stops at a
   * block boundary. Inside, pcs are int32 (va | 0): addresses above 2 GiB would
   * otherwise be heap-allocated numbers on every dispatch.
   */
  run(budget: number): Stop {
    const ctx = this.ctx;
    const jTag = this.jTag, jBlock = this.jBlock;
    const start = this.instret;
    if (!(ctx.pc >= 0 && ctx.pc < 4294967296)) return this.fetchFault(ctx.pc);
    let pc = ctx.pc | 0;
    let left = budget;
    let b: Block | null = null;
    let next = 0;
    try {
      while (left > 0) {
        const h = (pc >>> 1) & JC_MASK;
        b = jTag[h] === pc ? jBlock[h] : this.lookup(pc, h);
        if (b === null) break;
        if (b.flags !== 0) this.instret = start + budget - left;
        next = b.fn(pc, left);
        if ((next & 1) !== 0) break; // -1, -3: a trap (pcs are even; high ones are negative)
        if (this.n === 0) { // a region missed the TLB at its first instruction: run it cold once
          b = this.cold(pc);
          if (b === null) break;
          next = b.fn(pc, left);
          if ((next & 1) !== 0) break;
        }
        left -= this.n;
        if (b.heat > 0 && --b.heat === 0) this.promote(pc, h); // regions have heat -1
        pc = next;
      }
    } catch (e) {
      if (e !== TRAP || b === null) throw e;
    }
    this.instret = start + budget - left;
    if (b === null) {
      ctx.pc = pc >>> 0;
      return Stop.FAULT; // instruction fetch; fetchPa recorded it
    }
    if (next === BAD_JUMP) {
      this.instret += this.n;
      ctx.pc = this.faultAddr;
      return Stop.FAULT;
    }
    if (this.stopCode !== Stop.BUDGET) return this.trapped(pc);
    ctx.pc = pc >>> 0;
    return Stop.BUDGET;
  }

  /** After a trap in the code entered at pc: retire what ran and point pc at the instruction. */
  private trapped(pc: number): Stop {
    const k = this.stopK;
    const code = this.stopCode;
    this.instret += Math.floor(k / 4096);
    this.ctx.pc = ((pc - (pc & 4095)) >>> 0) + (k & 4095);
    this.stopCode = Stop.BUDGET;
    return code;
  }

  /** A fetch fault at va, which has no int32 form (≥ 4 GiB or negative). */
  private fetchFault(va: number): Stop {
    this.faultAddr = va;
    this.faultAccess = Access.EXEC;
    return Stop.FAULT;
  }

  /* ----------------------------------------------------- helpers for compiled code */

  /** A jump to a target with no int32 pc: record the fetch fault; the code returns BAD_JUMP. */
  badJump(target: number): number {
    this.faultAddr = target;
    this.faultAccess = Access.EXEC;
    return BAD_JUMP;
  }

  counter(k: number): number {
    return this.instret + Math.floor(k / 4096);
  }

  time(): number {
    return this.timeSource();
  }

  csr(raw: number, k: number): void {
    execCsr(this, raw, k);
  }

  amo(raw: number, k: number): void {
    execAmo(this, this.ctx, raw, k);
  }

  /** FENCE.I: forget all compiled code. */
  flushCode(): void {
    this.cache.dropAll();
    this.jTag.fill(-1);
  }

  /* ----------------------------------------------------------- finding code */

  /** The code at int32 pc, remembered in the jump cache at h; null (fault recorded) if not executable. */
  private lookup(pc: number, h: number): Block | null {
    const va = pc >>> 0;
    const pa = this.fetchPa(va);
    if (pa < 0) return null;
    let b = this.cache.get(pa);
    if (b === undefined) {
      if (this.cache.straddles4094(pa)) {
        const pa2 = this.fetchPa(va + 2);
        return pa2 < 0 ? null : this.cache.straddle(pa, pa2); // not jump-cached: pa2 is rechecked
      }
      b = this.cache.compile(pa);
    }
    this.jTag[h] = pc;
    this.jBlock[h] = b;
    return b;
  }

  /** Cold-tier code for the block at pc; null (fault recorded) if not executable. */
  private cold(pc: number): Block | null {
    const pa = this.fetchPa(pc >>> 0);
    return pa < 0 ? null : this.cache.cold(pa);
  }

  /** The hot code at pc becomes a region. */
  private promote(pc: number, h: number): void {
    const pa = this.fetchPa(pc >>> 0);
    if (pa < 0) return;
    const b = this.cache.promote(pa);
    this.jTag[h] = pc;
    this.jBlock[h] = b;
  }

  /** Physical address for an instruction fetch at va, or -1 with the fault recorded. */
  private fetchPa(va: number): number {
    const t = this.tlb;
    const i = (va >>> 12) & TLB_MASK;
    if (t.xTag[i] === va - (va & 4095)) return va + t.xDelta[i];
    const pa = this.translate(va, Access.EXEC);
    if (pa < 0) {
      this.faultAddr = va;
      this.faultAccess = Access.EXEC;
    }
    return pa;
  }
}
