/*
 * The code cache of one vCPU: compiled blocks and regions keyed by PHYSICAL
 * address (frame, halfword offset), so shared text such as libc is decoded and
 * compiled once for every process that maps it.
 *
 * A frame's code is dropped when the frame is written (a store by the engine
 * to a frame with codePage set, or mem.noteWrite by the kernel) and on FENCE.I.
 * mem.codePage has one bit per vCPU (id & 7) so each knows whose code a frame holds.
 */
import type { PhysMem } from '../vm/physmem.ts';
import { decode, insnLength, type Insn } from './decode.ts';
import { compileBlock, compileRegion, endsBlock, successors, HOT_DISPATCHES, type BasicBlock, type Block, type BlockFn } from './compile.ts';
import { fpuMissing } from './fpcall.ts';

/* Long enough for V8 to optimize across instructions, short enough to compile fast. */
const MAX_BLOCK_INSNS = 64;
/* Bounds on a region, to keep its compile time small. */
const MAX_REGION_INSNS = 128;
const MAX_REGION_BLOCKS = 16;
/* Dispatches after which a block counts as taken when a region is formed. */
const MIN_RUNS = 4;

/**
 * How code moves through the tiers. Tests run the ISA suite under each:
 * 'interp' never compiles (and never promotes), 'compile' never interprets.
 */
export type Tiering = 'auto' | 'interp' | 'compile';

/** A block for a 32-bit instruction whose halves lie in two frames (RVC code at offset 4094). */
interface Straddle {
  block: Block;
  pa2: number;
}

/** A compiled region and the page offsets of its blocks, each a valid entry. */
interface Region {
  block: Block;
  starts: Set<number>;
}

export class CodeCache {
  private readonly frames: (Block[] | undefined)[];
  private readonly codeFrames = new Set<number>();
  private readonly straddles = new Map<number, Straddle>();
  /* The regions compiled from each frame, so a hot block inside one enters it instead of compiling another. */
  private readonly regions = new Map<number, Region[]>();
  /* Cold-tier code for block starts whose region made no progress (a TLB miss at its first instruction). */
  private readonly colds = new Map<number, Block>();

  /**
   * @param onNewCodeFrame called when frame ppn first holds code of any vCPU, so
   *   write-TLB entries for it can be evicted everywhere.
   */
  constructor(
    private readonly mem: PhysMem,
    private readonly codeBit: number,
    private readonly env: readonly unknown[],
    private readonly onNewCodeFrame: (ppn: number) => void,
    private readonly interpret: (bb: BasicBlock) => BlockFn | null,
    private readonly tiering: Tiering = 'auto',
  ) {
    this.frames = new Array<Block[] | undefined>(mem.npages);
  }

  get(pa: number): Block | undefined {
    const page = this.frames[pa >>> 12];
    return page === undefined ? undefined : page[(pa & 4095) >>> 1];
  }

  /** True if the instruction at pa continues into the next page. */
  straddles4094(pa: number): boolean {
    return (pa & 4095) === 4094 && insnLength(this.mem.u16[pa >>> 1]) === 4;
  }

  /**
   * Code for the block at pa (which must not straddle pages): the interpreter
   * for cold code where it covers the block, else compiled straight away.
   */
  compile(pa: number): Block {
    return this.store(pa, this.coldBlock(pa));
  }

  /** The first-tier code of the block at pa, not yet stored: interpreted if possible, else compiled. */
  private coldBlock(pa: number): Block {
    const bb = this.decodeBlock(pa - (pa & 4095), pa & 4095);
    if (bb === null) throw new Error('codecache: block straddles a page');
    const fn = this.tiering === 'compile' ? null : this.interpret(bb);
    if (fn === null) return compileBlock(bb, this.env);
    return { fn, flags: 0, heat: this.tiering === 'interp' ? -1 : HOT_DISPATCHES };
  }

  /**
   * Replace the block at pa by a region: it and the blocks of its page reachable
   * from it by direct branches that have already run (have code here). Paths
   * never taken stay out, so V8 has type feedback for all of the region.
   * A block already inside a region of its frame enters that one: code such as
   * vfprintf would otherwise get a region per call return point, each compiled
   * and warmed up by V8 separately.
   */
  promote(pa: number): Block {
    const known = this.regions.get(pa >>> 12)?.find((r) => r.starts.has(pa & 4095));
    if (known !== undefined) return this.store(pa, known.block);
    const page = pa - (pa & 4095);
    const blocks = new Map<number, BasicBlock>();
    const todo = [pa & 4095];
    let insns = 0;
    while (todo.length > 0 && blocks.size < MAX_REGION_BLOCKS && insns < MAX_REGION_INSNS) {
      const off = todo.shift() as number;
      if (blocks.has(off) || (blocks.size > 0 && !this.ran(page + off))) continue;
      const bb = this.decodeBlock(page, off);
      if (bb === null) continue;
      blocks.set(off, bb);
      insns += bb.insns.length;
      for (const s of successors(bb)) if (!blocks.has(s)) todo.push(s);
    }
    const block = compileRegion(pa & 4095, blocks, this.env);
    const list = this.regions.get(pa >>> 12) ?? [];
    list.push({ block, starts: new Set(blocks.keys()) });
    this.regions.set(pa >>> 12, list);
    return this.store(pa, block);
  }

  /**
   * Cold-tier code for the block at pa, apart from what the cache holds there
   * (a region that left at once on a TLB miss): it runs the access through the
   * slow path, which fills the TLB.
   */
  cold(pa: number): Block {
    let b = this.colds.get(pa);
    if (b === undefined) {
      b = this.coldBlock(pa);
      b.heat = -1;
      this.mark(pa >>> 12);
      this.colds.set(pa, b);
    }
    return b;
  }

  /** True if code at pa has been dispatched a few times (or is part of a region already). */
  private ran(pa: number): boolean {
    const b = this.get(pa);
    return b !== undefined && (b.heat < 0 || b.heat <= HOT_DISPATCHES - MIN_RUNS);
  }

  /** The block of the one instruction at pa whose upper half is at pa2 (another frame). */
  straddle(pa: number, pa2: number): Block {
    const known = this.straddles.get(pa);
    if (known !== undefined && known.pa2 === pa2) return known.block;
    const d = decodeChecked(this.mem.u16[pa >>> 1] | (this.mem.u16[pa2 >>> 1] << 16));
    const block = compileBlock({ start: 4094, insns: [d], offs: [4094], end: 4098 }, this.env);
    block.heat = -1;
    this.mark(pa >>> 12);
    this.mark(pa2 >>> 12);
    this.straddles.set(pa, { block, pa2 });
    return block;
  }

  /** Forget the code compiled from frame ppn. */
  dropFrame(ppn: number): boolean {
    if (!this.codeFrames.has(ppn)) return false;
    this.frames[ppn] = undefined;
    this.regions.delete(ppn);
    for (const pa of this.colds.keys()) if (pa >>> 12 === ppn) this.colds.delete(pa);
    this.codeFrames.delete(ppn);
    this.mem.codePage[ppn] &= ~this.codeBit;
    for (const [pa, s] of this.straddles) {
      if (pa >>> 12 === ppn || s.pa2 >>> 12 === ppn) this.straddles.delete(pa);
    }
    return true;
  }

  dropAll(): void {
    for (const ppn of [...this.codeFrames]) this.dropFrame(ppn);
    this.straddles.clear();
  }

  private store(pa: number, b: Block): Block {
    const ppn = pa >>> 12;
    this.mark(ppn);
    let page = this.frames[ppn];
    if (page === undefined) {
      page = new Array<Block>(2048);
      this.frames[ppn] = page;
    }
    page[(pa & 4095) >>> 1] = b;
    return b;
  }

  private mark(ppn: number): void {
    const cp = this.mem.codePage;
    if ((cp[ppn] & this.codeBit) !== 0) return;
    if (cp[ppn] === 0) this.onNewCodeFrame(ppn);
    cp[ppn] |= this.codeBit;
    this.codeFrames.add(ppn);
  }

  /**
   * Decode the basic block at offset `start` of the frame at physical `page`:
   * up to a control transfer, MAX_BLOCK_INSNS, the page end, or an instruction
   * that straddles into the next page (null if that is the first one).
   */
  private decodeBlock(page: number, start: number): BasicBlock | null {
    const u16 = this.mem.u16;
    const insns: Insn[] = [];
    const offs: number[] = [];
    let off = start;
    while (off < 4096 && insns.length < MAX_BLOCK_INSNS) {
      const p0 = u16[(page + off) >>> 1];
      const len = insnLength(p0);
      if (len === 4 && off === 4094) break;
      const d = decodeChecked(len === 4 ? p0 | (u16[(page + off + 2) >>> 1] << 16) : p0);
      insns.push(d);
      offs.push(off);
      off += len;
      if (endsBlock(d.op)) break;
    }
    return insns.length === 0 ? null : { start, insns, offs, end: off };
  }
}

/** Decode, turning FP instructions fpu.ts does not (yet) implement into illegal ones. */
function decodeChecked(raw: number): Insn {
  const d = decode(raw);
  if (fpuMissing(d.op)) d.op = 'illegal';
  return d;
}
