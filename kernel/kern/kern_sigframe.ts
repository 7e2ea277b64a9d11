/*
 * Linux riscv64 signal frames: what sendsig pushes on the user stack and
 * rt_sigreturn pops. Layout (offsets checked against glibc's ucontext_t in
 * test/kern/sigframe.test.ts):
 *
 *   struct rt_sigframe {
 *     siginfo_t info;                 0    (128 bytes)
 *     struct ucontext uc;             128
 *   };
 *   struct ucontext {
 *     unsigned long uc_flags;         0
 *     struct ucontext *uc_link;       8
 *     stack_t uc_stack;               16   (ss_sp 8, ss_flags 4 + 4 pad, ss_size 8)
 *     sigset_t uc_sigmask;            40   (8 bytes, padded to 128 for glibc's sigset_t)
 *     struct sigcontext uc_mcontext;  176  (16-aligned because of the Q state)
 *   };                                size 960
 *   struct sigcontext {
 *     unsigned long pc, x1..x31;      0    (256 bytes)
 *     union __riscv_fp_state;         256  (d: f[32] + fcsr; sized as q: 528 bytes)
 *   };
 */
import type { CpuContext } from '../cpu/context.ts';
import type { SigInfo } from './signal.ts';

export const SIGINFO_SIZE = 128;
export const UC_OFF = 128;
export const UC_STACK = 16;
export const UC_SIGMASK = 40;
export const UC_MCONTEXT = 176;
export const MC_FPREGS = 256;
export const MC_FCSR = MC_FPREGS + 32 * 8;
export const UCONTEXT_SIZE = 960;
export const RT_SIGFRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;

/** The sigreturn trampoline: li a7, 139; ecall. Mapped at SIGCODE_VA in every process. */
export const SIGCODE = new Uint32Array([0x08b00893, 0x00000073]);

/* siginfo_t field offsets (64-bit layout: the union starts at 16). */
const SI_SIGNO = 0, SI_ERRNO = 4, SI_CODE = 8, SI_PID = 16, SI_UID = 20, SI_STATUS = 24,
  SI_UTIME = 32, SI_STIME = 40, SI_ADDR = 16, SI_VALUE = 24;

/** Fill 128 bytes of siginfo_t at dv[off]. */
export function encodeSiginfo(dv: DataView, off: number, si: SigInfo): void {
  if (si.raw) {
    new Uint8Array(dv.buffer, dv.byteOffset + off, SIGINFO_SIZE).set(si.raw.subarray(0, SIGINFO_SIZE));
    dv.setInt32(off + SI_SIGNO, si.signo, true);
    return;
  }
  dv.setInt32(off + SI_SIGNO, si.signo, true);
  dv.setInt32(off + SI_ERRNO, si.errno ?? 0, true);
  dv.setInt32(off + SI_CODE, si.code, true);
  if (si.addr !== undefined) {
    dv.setBigUint64(off + SI_ADDR, BigInt(si.addr), true);
    return;
  }
  dv.setInt32(off + SI_PID, si.pid ?? 0, true);
  dv.setInt32(off + SI_UID, si.uid ?? 0, true);
  if (si.status !== undefined) {
    dv.setInt32(off + SI_STATUS, si.status, true);
    dv.setBigInt64(off + SI_UTIME, BigInt(Math.round(si.utime ?? 0)), true);
    dv.setBigInt64(off + SI_STIME, BigInt(Math.round(si.stime ?? 0)), true);
  } else if (si.value !== undefined) {
    dv.setBigUint64(off + SI_VALUE, BigInt.asUintN(64, si.value), true);
  }
}

export interface FrameStack { sp: number; flags: number; size: number }

/** Build the whole rt_sigframe for ctx (the interrupted state) in a fresh buffer. */
export function buildSigframe(ctx: CpuContext, si: SigInfo, mask: bigint, stack: FrameStack): Uint8Array {
  const buf = new Uint8Array(RT_SIGFRAME_SIZE);
  const dv = new DataView(buf.buffer);
  encodeSiginfo(dv, 0, si);
  const uc = UC_OFF;
  dv.setBigUint64(uc + UC_STACK, BigInt(stack.sp), true);
  dv.setInt32(uc + UC_STACK + 8, stack.flags, true);
  dv.setBigUint64(uc + UC_STACK + 16, BigInt(stack.size), true);
  dv.setBigUint64(uc + UC_SIGMASK, BigInt.asUintN(64, mask), true);
  saveMcontext(dv, uc + UC_MCONTEXT, ctx);
  return buf;
}

function saveMcontext(dv: DataView, mc: number, ctx: CpuContext): void {
  dv.setBigUint64(mc, BigInt(ctx.pc), true);
  for (let r = 1; r < 32; r++) {
    dv.setInt32(mc + 8 * r, ctx.x[2 * r], true);
    dv.setInt32(mc + 8 * r + 4, ctx.x[2 * r + 1], true);
  }
  for (let r = 0; r < 32; r++) {
    dv.setInt32(mc + MC_FPREGS + 8 * r, ctx.f[2 * r], true);
    dv.setInt32(mc + MC_FPREGS + 8 * r + 4, ctx.f[2 * r + 1], true);
  }
  dv.setUint32(mc + MC_FCSR, ctx.fcsr >>> 0, true);
}

export interface RestoredFrame { mask: bigint; stack: FrameStack }

/** Load registers from a ucontext (bytes of the uc part of the frame) into ctx. */
export function restoreUcontext(ucBytes: Uint8Array, ctx: CpuContext): RestoredFrame {
  const dv = new DataView(ucBytes.buffer, ucBytes.byteOffset, ucBytes.byteLength);
  const mc = UC_MCONTEXT;
  ctx.pc = Number(dv.getBigUint64(mc, true) & 0xffff_ffff_ffffn);
  for (let r = 1; r < 32; r++) {
    ctx.x[2 * r] = dv.getInt32(mc + 8 * r, true);
    ctx.x[2 * r + 1] = dv.getInt32(mc + 8 * r + 4, true);
  }
  for (let r = 0; r < 32; r++) {
    ctx.f[2 * r] = dv.getInt32(mc + MC_FPREGS + 8 * r, true);
    ctx.f[2 * r + 1] = dv.getInt32(mc + MC_FPREGS + 8 * r + 4, true);
  }
  ctx.fcsr = dv.getUint32(mc + MC_FCSR, true) & 0xff;
  ctx.reservation = -1;
  return {
    mask: dv.getBigUint64(UC_SIGMASK, true),
    stack: {
      sp: Number(dv.getBigUint64(UC_STACK, true)),
      flags: dv.getInt32(UC_STACK + 8, true),
      size: Number(dv.getBigUint64(UC_STACK + 16, true)),
    },
  };
}
