/*
 * The system call table (Linux riscv64 numbers) and the dispatcher: a7 picks
 * the handler, a0..a5 are its arguments, a0 gets the result or -errno.
 * SysError → -errno; SleepRequest → the thread parks and the syscall reruns
 * when woken; anything else is a kernel bug and propagates to panic().
 */
import { setCurproc } from '../vfs/vfs_curproc.ts';
import { REG_A0 } from '../cpu/context.ts';
import { vmSyscalls } from '../vm/vm_mmap.ts';
import { vfsSyscalls } from '../vfs/vfs_syscalls.ts';
import { EINTR, ENOSYS, ERESTARTNOHAND, ERESTARTSYS, ETIMEDOUT, SysError } from './errno.ts';
import type { Thread } from './proc.ts';
import { SleepRequest } from './sleep.ts';
import { SysArgs } from './sysargs.ts';
import { EJUSTRETURN, type SyscallHandler } from './syscall_types.ts';
import { kernSyscalls } from './kern_syscalls.ts';
import { uipcSyscalls } from './uipc_syscalls.ts';
import { epollSyscalls } from '../vfs/sys_epoll.ts';
import { ktraceSyscalls } from './kern_ktrace.ts';

/* Linux's numbers end below 512; ours (sysctl 1000, kenv 1001, ktrace 1002) sit above them. */
export const NSYSENT = 1024;

export const REG_A7 = 17;

export function buildSysent(): Array<SyscallHandler | undefined> {
  const table: Array<SyscallHandler | undefined> = new Array(NSYSENT);
  /* Later tables win: the kernel proper's handlers override placeholders elsewhere. */
  for (const t of [vfsSyscalls, vmSyscalls, kernSyscalls, ktraceSyscalls, uipcSyscalls, epollSyscalls]) {
    for (const [no, h] of Object.entries(t)) table[Number(no)] = h;
  }
  return table;
}

export class SyscallDispatcher {
  readonly sysent = buildSysent();
  /** Unknown syscall numbers seen, with counts (for ktrace later). */
  readonly unknown = new Map<number, number>();
  /** Calls per number (cheap profiling for ddb). */
  private readonly args = new SysArgs();
  /** A ktrace-style hook: called for each completed syscall (null = off, the fast path). */
  trace: ((td: Thread, no: number, a: SysArgs, r: number) => void) | null = null;
  /** ktrace's entry hook (kern_ktrace.ts): set and cleared together with trace. */
  traceEnter: ((td: Thread, no: number, a: SysArgs) => void) | null = null;
  /** System calls dispatched (vm.stats.sys.v_syscall). */
  ncalls = 0;

  constructor(
    private readonly uptimeMs: () => number,
    private readonly park: (td: Thread, r: SleepRequest) => void,
    private readonly hasSignal: (td: Thread) => boolean,
  ) {}

  dispatch(td: Thread): void {
    const ctx = td.ctx;
    const no = ctx.x[2 * REG_A7];
    const a = this.args;
    for (let i = 0; i < 6; i++) {
      a.lo[i] = ctx.x[2 * (REG_A0 + i)];
      a.hi[i] = ctx.x[2 * (REG_A0 + i) + 1];
    }
    td.syscallNo = no;
    setCurproc(td.proc);
    this.ncalls++;
    if (this.traceEnter !== null) this.traceEnter(td, no, a);
    const h = no >= 0 && no < this.sysent.length ? this.sysent[no] : undefined;
    let r: number;
    if (!h || ctx.x[2 * REG_A7 + 1] !== 0) {
      this.unknown.set(no, (this.unknown.get(no) ?? 0) + 1);
      r = -ENOSYS;
    } else {
      try {
        r = h(td, a);
      } catch (e) {
        if (e instanceof SysError) {
          r = -e.errno;
          if (e.errno === ERESTARTSYS || e.errno === ERESTARTNOHAND) {
            /* Interrupted by a signal: the delivery decides between EINTR and a restart. */
            if (this.hasSignal(td)) {
              td.inSyscall = true;
              td.winterruptible = true;
              td.noRestart = e.errno === ERESTARTNOHAND;
              return;
            }
            r = -EINTR;
          }
        }
        else if (e instanceof SleepRequest) {
          if (e.deadline > this.uptimeMs()) {
            this.park(td, e);
            return;
          }
          r = -ETIMEDOUT;
        } else throw e;
      }
    }
    if (this.trace) this.trace(td, no, a, r);
    /* A temporary mask (ppoll, pselect, sigtimedwait) never outlives its syscall. */
    if (td.savedMask !== null) {
      td.sigmask = td.savedMask;
      td.savedMask = null;
    }
    this.complete(td, r);
  }

  /** The syscall is over: forget rerun state, set a0 and step past the ecall. */
  complete(td: Thread, r: number): void {
    td.inSyscall = false;
    td.winterruptible = true;
    td.noRestart = false;
    td.restartDeadline = null;
    td.restart = null;
    td.sigwait = 0n;
    td.syscallNo = -1;
    const eintr = td.onEintr;
    td.onEintr = null;
    if (eintr && r === -EINTR) eintr();
    if (r === EJUSTRETURN) return;
    td.ctx.setXNum(REG_A0, r);
    td.ctx.pc += 4;
  }
}
