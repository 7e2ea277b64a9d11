/*
 * The signal frame layout against glibc's own ucontext_t/siginfo_t, measured
 * by a program built with the cross compiler and run under qemu-riscv64.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram, haveQemu, haveToolchain, qemuRun } from './build.ts';
import {
  MC_FCSR, MC_FPREGS, RT_SIGFRAME_SIZE, SIGINFO_SIZE, UC_MCONTEXT, UC_SIGMASK, UC_STACK, UCONTEXT_SIZE,
  buildSigframe, restoreUcontext, UC_OFF,
} from '../../kernel/kern/kern_sigframe.ts';
import { CpuContext } from '../../kernel/cpu/context.ts';

const SRC = `#include <stdio.h>
#include <stddef.h>
#include <signal.h>
#include <ucontext.h>
int main(void){
  printf("%zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(siginfo_t), offsetof(ucontext_t,uc_stack),
    offsetof(ucontext_t,uc_sigmask), offsetof(ucontext_t,uc_mcontext), sizeof(ucontext_t),
    offsetof(ucontext_t,uc_mcontext.__fpregs), offsetof(ucontext_t,uc_mcontext.__fpregs.__d.__fcsr),
    offsetof(siginfo_t, si_addr));
  return 0;
}`;

test('rt_sigframe offsets match glibc riscv64', { skip: !haveToolchain() || !haveQemu() }, () => {
  const r = qemuRun(buildProgram('sigframe_offsets', SRC, ['-static', '-O0']));
  const [siginfo, stack, mask, mctx, ucsize, fp, fcsr, addr] = r.stdout.trim().split(' ').map(Number);
  assert.equal(siginfo, SIGINFO_SIZE);
  assert.equal(stack, UC_STACK);
  assert.equal(mask, UC_SIGMASK);
  assert.equal(mctx, UC_MCONTEXT);
  assert.equal(ucsize, UCONTEXT_SIZE);
  assert.equal(fp, UC_MCONTEXT + MC_FPREGS);
  assert.equal(fcsr, UC_MCONTEXT + MC_FCSR);
  assert.equal(addr, 16);
  assert.equal(RT_SIGFRAME_SIZE, 128 + 960);
});

test('a frame round-trips the registers, FP state and mask', () => {
  const ctx = new CpuContext();
  for (let i = 0; i < 64; i++) { ctx.x[i] = i * 0x1010101; ctx.f[i] = ~i; }
  ctx.x[0] = ctx.x[1] = 0;
  ctx.pc = 0x12345678;
  ctx.fcsr = 0xe3;
  const frame = buildSigframe(ctx, { signo: 11, code: 1, addr: 0xdead0 }, 0x8000_0000_0000_0001n, { sp: 0x1000, size: 8192, flags: 0 });
  const dv = new DataView(frame.buffer);
  assert.equal(dv.getInt32(0, true), 11);
  assert.equal(dv.getInt32(8, true), 1);
  assert.equal(Number(dv.getBigUint64(16, true)), 0xdead0);
  const back = new CpuContext();
  const r = restoreUcontext(frame.subarray(UC_OFF), back);
  assert.equal(back.pc, ctx.pc);
  assert.deepEqual([...back.x.subarray(2)], [...ctx.x.subarray(2)]);
  assert.deepEqual([...back.f], [...ctx.f]);
  assert.equal(back.fcsr, 0xe3);
  assert.equal(r.mask, 0x8000_0000_0000_0001n);
  assert.equal(r.stack.size, 8192);
});
