/*
 * Block compiler: decoded basic blocks → JS functions built with `new Function`,
 * so V8 optimizes hot guest code like any hot JS.
 *
 * Cold blocks are interpreted (interp.ts); a block the interpreter does not
 * cover (FP arithmetic, CSRs, atomics, FENCE.I) compiles alone, as straight
 * code that is cheap to parse. Once a block has been dispatched HOT_DISPATCHES
 * times, its address gets a region instead: the blocks of the same page
 * reachable from it by direct branches and jumps that have already run, in one
 * function that moves between them with a switch in a loop, the registers its
 * loops use in JS locals. Loops inside a page then run without returning to
 * the dispatcher.
 *
 * A compiled function is `(pc, left) => nextPc`:
 *  - pc is the virtual address it was entered at, as an int32 (va | 0): the
 *    dispatcher keeps pcs in int32 form so that addresses above 2 GiB (shared
 *    libraries, the stack) stay small integers instead of heap numbers. Code is cached by physical
 *    address and a frame of shared text (libc) may sit at different virtual
 *    addresses in different processes, so everything pc-relative (auipc, links,
 *    branch targets) is computed from `base`, the virtual page address.
 *  - left is the remaining budget: a region leaves when it has run that many.
 *  - it sets c.n to the instructions retired and returns the next pc (int32);
 *    a region that misses the TLB returns the pc of the access instead (c.n
 *    may then be 0: Cpu.run runs that block in the cold tier);
 *    or -3 after a jump beyond 4 GiB (Cpu.badJump); or it
 *    returns -1 after a trap (ecall, ebreak, illegal) recorded in c.stopCode,
 *    c.stopK, c.faultInsn. Faults in slow paths are thrown (mmu.ts). stopK
 *    packs (instructions retired) * 4096 + (page offset of the trapping insn).
 */
import type { Insn } from './decode.ts';
import { emitInsn, endsBlock, ipc, isBranch, type Flow, type Site } from './emit.ts';
import { NARROW, RELOAD, SYNC, dropSyncMarkers } from './regsync.ts';

export { endsBlock, isBranch } from './emit.ts';

export type BlockFn = (pc: number, left: number) => number;

/** A decoded basic block; offsets are within its page. */
export interface BasicBlock {
  start: number;
  insns: Insn[];
  offs: number[];
  /** Offset just past the last instruction (the fall-through address). */
  end: number;
}

/** A compiled block or region, as the dispatcher sees it. */
export interface Block {
  fn: BlockFn;
  /** BLOCK_SYNC or 0. */
  flags: number;
  /** Dispatches left before promotion to a region; negative: never. */
  heat: number;
}

/** The code reads a counter CSR: Cpu.instret must be exact when it is entered. */
export const BLOCK_SYNC = 1;

/*
 * Dispatches of a cold block before it is compiled into a region. A region
 * costs V8 about 0.3 ms to parse and compile (~13 us per instruction), while
 * the interpreter runs a block in well under a microsecond; so only code that
 * will clearly run thousands of times pays back. At 32 the boot spent ~400 ms
 * compiling startup code run a few dozen times (ld.so, sh parsing rc); at 4096
 * bench/boot.ts goes from 1.4 s to ~0.65 s to login and bench/mips.ts and
 * bench/programs.ts do not move.
 */
export const HOT_DISPATCHES = 4096;

/** Names the generated code closes over, in the order the Cpu passes their values. */
export const ENV_NAMES = ['c', 'x', 'f', 'ctx', 'u8', 'i8', 'u16', 'i16', 'i32', 'rT', 'rD', 'wT', 'wD', 'A', 'F'] as const;

const LOCALS = 'let a = 0, i = 0, p = 0, s = 0, t = 0, u = 0;\n';

function needsSync(blocks: Iterable<BasicBlock>): number {
  for (const bb of blocks) if (bb.insns.some((d) => d.op.startsWith('csr'))) return BLOCK_SYNC;
  return 0;
}

/** The straight code of one block, entered at its start. */
function blockBody(bb: BasicBlock): string {
  const len = bb.insns.length;
  const flow: Flow = {
    goto: (off) => flow.leave(ipc(off)),
    leave: (target) => `{ c.n = ${len}; return ${target}; }`,
  };
  let code = LOCALS + `const base = pc - ${bb.start};\n`;
  bb.insns.forEach((d, idx) => {
    const site: Site = { k: `${idx * 4096 + bb.offs[idx]}`, off: bb.offs[idx], compact: true, miss: null };
    code += emitInsn(d, site, flow);
  });
  const last = bb.insns[len - 1];
  if (!isTerminated(last)) code += flow.goto(bb.end) + '\n';
  return dropSyncMarkers(code);
}

function isTerminated(d: Insn): boolean {
  return endsBlock(d.op);
}

/* Where a region leaves: the locals holding written registers go back to x. */
const WRITE_BACK = '/*W*/';

/* A register word in generated code: x[N], not part of a longer name. */
const REG_WORD = /(?<![\w.])x\[(\d+)\]/g;

/**
 * Registers in JS locals: x[N] → xN (loaded on entry), written ones stored back
 * at every exit and around calls that need the register file (regsync.ts).
 * Only the words in `only` move to locals: the rest stay in x, so that a
 * region entered for a short path does not load and store registers that
 * only its loops would keep busy.
 */
function localize(body: string, only: Set<number>): string {
  const used = new Set<number>();
  const written = new Set<number>();
  for (const m of body.matchAll(/(?<![\w.])x\[(\d+)\] = (?!=)/g)) {
    if (only.has(Number(m[1]))) written.add(Number(m[1]));
  }
  const code = body.replace(REG_WORD, (w: string, n: string) => {
    if (!only.has(Number(n))) return w;
    used.add(Number(n));
    return `x${n}`;
  });
  const regs = [...used].sort((a, b) => a - b);
  const wr = [...written].sort((a, b) => a - b);
  const load = regs.length ? `let ${regs.map((r) => `x${r} = x[${r}]`).join(', ')};\n` : '';
  return load + code
    .replace(NARROW, (_, kind: string, list: string) => narrow(kind, list, used, written))
    .replaceAll(SYNC, wr.map((r) => `x[${r}] = x${r}, `).join(''))
    .replaceAll(RELOAD, regs.map((r) => `x${r} = x[${r}];`).join(' '))
    .replaceAll(WRITE_BACK, wr.map((r) => `x[${r}] = x${r};`).join(' '));
}

/** A narrow marker: store the listed locals the region writes (S), or reload the listed ones it uses (R). */
function narrow(kind: string, list: string, used: Set<number>, written: Set<number>): string {
  const regs = list === '' ? [] : list.split(',').map(Number);
  if (kind === 'S') return regs.filter((r) => written.has(r)).map((r) => `x[${r}] = x${r}, `).join('');
  return regs.filter((r) => used.has(r)).map((r) => `x${r} = x[${r}];`).join(' ');
}

/**
 * The code of a region: the blocks (keyed by start offset) in a switch. It is
 * formed from `entry` but may be entered at any of its blocks: the page offset
 * of pc picks the case, so other hot blocks of the region reuse its code.
 *
 * V8 optimizes a region once it is warm and deoptimizes it when a path without
 * type feedback runs (a branch edge or exit first taken later). So the edges
 * carry no feedback-needing operations: a block adds its length to n on entry,
 * an edge only sets o (the next offset) and continues or breaks, the budget is
 * checked once at the loop head, and every exit shares one tail that stores
 * the registers back. Direct exits leave o as their page offset; indirect ones
 * set o = 1 (never an offset: code is 2-aligned) and j to the target pc.
 */
function regionBody(blocks: Map<number, BasicBlock>): string {
  let cases = '';
  const inLoop = loopBlocks(blocks);
  const loopWords = new Set<number>();
  for (const bb of blocks.values()) {
    const len = bb.insns.length;
    const flow: Flow = {
      goto: (off) => `{ o = ${off}; ${blocks.has(off) ? 'continue' : 'break run'}; }`,
      leave: (target) => `{ j = ${target}; o = 1; break run; }`,
    };
    let code = '';
    bb.insns.forEach((d, idx) => {
      // A miss leaves before the instruction (q: how many of the block's instructions did not run).
      const miss = `{ o = ${bb.offs[idx]}; q = ${len - idx}; break run; }`;
      const site: Site = { k: `n * 4096 + ${(idx - len) * 4096 + bb.offs[idx]}`, off: bb.offs[idx], compact: false, miss };
      code += emitInsn(d, site, flow);
    });
    if (!isTerminated(bb.insns[len - 1])) code += flow.goto(bb.end) + '\n';
    // Scratch declared per block: shared ones would become loop phis, and an address phi
    // that also feeds a slow-path call gets boxed by V8 on every iteration.
    cases += `case ${bb.start}: {\nn += ${len};\nlet a = 0, i = 0, p = 0;\n${code}}\n`;
    if (inLoop.has(bb.start)) for (const m of code.matchAll(REG_WORD)) loopWords.add(Number(m[1]));
  }
  const body = `run: for (;;) {\nif (n >= left) break;\nswitch (o) {\n${cases}default: break run;\n}\n}\n` +
    `c.n = n - q; ${WRITE_BACK}\nreturn o === 1 ? j : (base + o) | 0;\n`;
  // Loading and storing registers pays off in loops; code between calls runs too briefly to repay it.
  return LOCALS + 'let n = 0, o = pc & 4095, j = 0, q = 0;\nconst base = pc - o;\n' +
    (loopWords.size > 0 ? localize(body, loopWords) : dropSyncMarkers(body).replaceAll(WRITE_BACK, ''));
}

/** Start offsets of the blocks on a cycle of the region (those that can reach themselves). */
function loopBlocks(blocks: Map<number, BasicBlock>): Set<number> {
  const succ = new Map<number, number[]>();
  for (const bb of blocks.values()) succ.set(bb.start, successors(bb).filter((s) => blocks.has(s)));
  const out = new Set<number>();
  for (const start of succ.keys()) {
    const seen = new Set<number>();
    const todo = [...(succ.get(start) ?? [])];
    while (todo.length > 0) {
      const b = todo.pop() as number;
      if (b === start) {
        out.add(start);
        break;
      }
      if (seen.has(b)) continue;
      seen.add(b);
      todo.push(...(succ.get(b) ?? []));
    }
  }
  return out;
}

type Factory = (...env: unknown[]) => BlockFn;

/* The function's name says where its code came from, for profiles: r/b, then the page offset. */
function build(name: string, body: string, env: readonly unknown[]): BlockFn {
  const factory = new Function(...ENV_NAMES, `return function ${name}(pc, left) {\n${body}};`) as Factory;
  return factory(...env);
}

/** Compile one basic block (the first tier). */
export function compileBlock(bb: BasicBlock, env: readonly unknown[]): Block {
  return { fn: build(`b${bb.start.toString(16)}`, blockBody(bb), env), flags: needsSync([bb]), heat: HOT_DISPATCHES };
}

/** Compile a region of blocks formed from `entry` (the second tier); it may be entered at any of them. */
export function compileRegion(entry: number, blocks: Map<number, BasicBlock>, env: readonly unknown[]): Block {
  return { fn: build(`r${entry.toString(16)}`, regionBody(blocks), env), flags: needsSync(blocks.values()), heat: -1 };
}

/** Direct successors of a block inside its page, for region discovery. */
export function successors(bb: BasicBlock): number[] {
  const last = bb.insns[bb.insns.length - 1];
  const off = bb.offs[bb.offs.length - 1];
  let out: number[];
  if (last.op === 'jal') out = last.rd === 0 ? [off + last.imm] : [];
  else if (isBranch(last.op)) out = [off + last.imm, bb.end];
  else if (endsBlock(last.op)) out = [];
  else out = [bb.end];
  return out.filter((o) => o >= 0 && o < 4096);
}
