/*
 * The A extension: LR/SC and the AMOs, .W and .D. They run through the Mmu's
 * byte-level paths (any alignment, store permission checked before anything is
 * written) since they are rare next to plain loads and stores. One vCPU runs at
 * a time in a worker today; with a Worker per vCPU these become Atomics ops.
 */
import type { CpuContext } from './context.ts';
import type { Mmu } from './mmu.ts';
import { Access } from './stop.ts';

const LR = 0x02, SC = 0x03;

/* The result of amoOp, as a pair (a typed array: module variables would box). */
const res = new Int32Array(2);

function ltS(al: number, ah: number, bl: number, bh: number): boolean {
  return ah < bh || (ah === bh && al >>> 0 < bl >>> 0);
}

function ltU(al: number, ah: number, bl: number, bh: number): boolean {
  return ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0);
}

/** memory value a (old) combined with register value b by AMO funct5 f5 → res. */
function amoOp(f5: number, al: number, ah: number, bl: number, bh: number): void {
  let pick = true; // true: the result is b
  switch (f5) {
    case 0x00: {
      const lo = (al + bl) | 0;
      res[0] = lo;
      res[1] = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
      return;
    }
    case 0x04: res[0] = al ^ bl; res[1] = ah ^ bh; return;
    case 0x08: res[0] = al | bl; res[1] = ah | bh; return;
    case 0x0c: res[0] = al & bl; res[1] = ah & bh; return;
    case 0x01: pick = true; break;
    case 0x10: pick = ltS(bl, bh, al, ah); break;
    case 0x14: pick = ltS(al, ah, bl, bh); break;
    case 0x18: pick = ltU(bl, bh, al, ah); break;
    default: pick = ltU(al, ah, bl, bh); break; // 0x1c amomaxu
  }
  res[0] = pick ? bl : al;
  res[1] = pick ? bh : ah;
}

/** Execute the LR/SC/AMO instruction `raw` at block index k. */
export function execAmo(m: Mmu, ctx: CpuContext, raw: number, k: number): void {
  const x = ctx.x;
  const f5 = raw >>> 27, rd = (raw >>> 7) & 31, rs1 = (raw >>> 15) & 31, rs2 = (raw >>> 20) & 31;
  const dbl = ((raw >>> 12) & 7) === 3;
  const n = dbl ? 8 : 4;
  const a = x[2 * rs1 + 1] * 4294967296 + (x[2 * rs1] >>> 0);
  let oldLo: number, oldHi: number;
  if (f5 === SC) {
    const ok = ctx.reservation === a;
    ctx.reservation = -1;
    if (ok) m.writeBytes(a, n, x[2 * rs2], x[2 * rs2 + 1], k);
    oldLo = ok ? 0 : 1;
    oldHi = 0;
  } else {
    // Check store permission before reading, so an AMO on a read-only page faults as a store.
    if (f5 !== LR && m.translate(a, Access.WRITE) < 0) m.fault(a, Access.WRITE, k);
    oldLo = m.readBytes(a, 4, k) | 0;
    oldHi = dbl ? m.readBytes(a + 4, 4, k) | 0 : oldLo >> 31;
    if (f5 === LR) {
      ctx.reservation = a;
    } else {
      const bl = x[2 * rs2], bh = dbl ? x[2 * rs2 + 1] : bl >> 31;
      amoOp(f5, oldLo, oldHi, bl, bh);
      m.writeBytes(a, n, res[0], res[1], k);
    }
  }
  if (rd !== 0) {
    x[2 * rd] = oldLo;
    x[2 * rd + 1] = oldHi;
  }
}
