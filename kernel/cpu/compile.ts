/*
 * Block compiler: decoded basic blocks → JS functions built with `new Function`,
 * so V8 optimizes hot guest code like any hot JS.
 *
 * Two tiers. A block seen for the first time compiles alone (straight code, cheap
 * to parse). Once it has been dispatched HOT_DISPATCHES times, its address gets a
 * region instead: every block of the same page reachable from it by direct
 * branches and jumps, in one function that moves between them with a switch in
 * a loop. Loops inside a page then run without returning to the dispatcher.
 *
 * A compiled function is `(pc, left) => nextPc`:
 *  - pc is the virtual address it was entered at. Code is cached by physical
 *    address and a frame of shared text (libc) may sit at different virtual
 *    addresses in different processes, so everything pc-relative (auipc, links,
 *    branch targets) is computed from `base`, the virtual page address.
 *  - left is the remaining budget: a region leaves when it has run that many.
 *  - it sets c.n to the instructions retired and returns the next pc; or it
 *    returns -1 after a trap (ecall, ebreak, illegal) recorded in c.stopCode,
 *    c.stopK, c.faultInsn. Faults in slow paths are thrown (mmu.ts). stopK
 *    packs (instructions retired) * 4096 + (page offset of the trapping insn).
 */
import type { Insn } from './decode.ts';
import { emitInsn, endsBlock, isBranch, type Flow, type Site } from './emit.ts';

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

export const HOT_DISPATCHES = 64;

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
    goto: (off) => flow.leave(`base + ${off}`),
    leave: (target) => `{ c.n = ${len}; return ${target}; }`,
  };
  let code = LOCALS + `const base = pc - ${bb.start};\n`;
  bb.insns.forEach((d, idx) => {
    const site: Site = { k: `${idx * 4096 + bb.offs[idx]}`, off: bb.offs[idx], compact: true };
    code += emitInsn(d, site, flow);
  });
  const last = bb.insns[len - 1];
  if (!isTerminated(last)) code += flow.goto(bb.end) + '\n';
  return code;
}

function isTerminated(d: Insn): boolean {
  return endsBlock(d.op);
}

/** The code of a region: the blocks (keyed by start offset) in a switch, entered at `entry`. */
function regionBody(entry: number, blocks: Map<number, BasicBlock>): string {
  let cases = '';
  for (const bb of blocks.values()) {
    const len = bb.insns.length;
    const flow: Flow = {
      goto: (off) => blocks.has(off)
        ? `{ n += ${len}; o = ${off}; if (n < left) continue; c.n = n; return base + ${off}; }`
        : flow.leave(`base + ${off}`),
      leave: (target) => `{ c.n = n + ${len}; return ${target}; }`,
    };
    let code = '';
    bb.insns.forEach((d, idx) => {
      const site: Site = { k: `n * 4096 + ${idx * 4096 + bb.offs[idx]}`, off: bb.offs[idx], compact: false };
      code += emitInsn(d, site, flow);
    });
    if (!isTerminated(bb.insns[len - 1])) code += flow.goto(bb.end) + '\n';
    cases += `case ${bb.start}: {\n${code}}\n`;
  }
  return LOCALS + `let n = 0, o = ${entry};\nconst base = pc - ${entry};\n` +
    `for (;;) {\nswitch (o) {\n${cases}default: c.n = n; return base + o;\n}\n}\n`;
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

/** Compile a region of blocks entered at `entry` (the second tier). */
export function compileRegion(entry: number, blocks: Map<number, BasicBlock>, env: readonly unknown[]): Block {
  return { fn: build(`r${entry.toString(16)}`, regionBody(entry, blocks), env), flags: needsSync(blocks.values()), heat: -1 };
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
