/*
 * Zicsr for user mode: the FP CSRs (fflags, frm, fcsr) and the read-only
 * counters (cycle, time, instret; cycle reads as instret, like qemu-user).
 * Anything else, or a write to a counter, is an illegal instruction.
 */
import type { CpuContext } from './context.ts';

const FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
const CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02;

/** What a CSR instruction needs from the vCPU. */
export interface CsrHost {
  readonly ctx: CpuContext;
  /** Retired instructions before the CSR instruction. */
  counter(k: number): number;
  time(): number;
  illegal(raw: number, k: number): never;
}

function readCsr(h: CsrHost, csr: number, k: number): number {
  const fcsr = h.ctx.fcsr;
  switch (csr) {
    case FFLAGS: return fcsr & 31;
    case FRM: return (fcsr >>> 5) & 7;
    case FCSR: return fcsr & 0xff;
    case CYCLE: case INSTRET: return h.counter(k);
    default: return h.time(); // TIME; others were rejected by the caller
  }
}

function writeCsr(ctx: CpuContext, csr: number, v: number): void {
  switch (csr) {
    case FFLAGS: ctx.fcsr = (ctx.fcsr & ~31) | (v & 31); break;
    case FRM: ctx.fcsr = (ctx.fcsr & 31) | ((v & 7) << 5); break;
    default: ctx.fcsr = v & 0xff; break;
  }
}

/** Execute the CSR instruction `raw` at block index k. */
export function execCsr(h: CsrHost, raw: number, k: number): void {
  const csr = raw >>> 20, rd = (raw >>> 7) & 31, rs1 = (raw >>> 15) & 31, f3 = (raw >>> 12) & 7;
  const known = csr === FFLAGS || csr === FRM || csr === FCSR || csr === CYCLE || csr === TIME || csr === INSTRET;
  const op = f3 & 3; // 1 = write, 2 = set bits, 3 = clear bits
  const writes = op === 1 || rs1 !== 0;
  if (!known || (writes && csr >= CYCLE)) h.illegal(raw, k);
  const x = h.ctx.x;
  const src = f3 >= 5 ? rs1 : x[2 * rs1]; // the FP CSRs only have low bits
  const old = readCsr(h, csr, k);
  if (writes) writeCsr(h.ctx, csr, op === 1 ? src : op === 2 ? old | src : old & ~src);
  h.ctx.setXNum(rd, old);
}
