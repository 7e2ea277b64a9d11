/*
 * Signal numbers, actions and siginfo: the Linux riscv64 (asm-generic) values.
 * Sets are bigints, bit (sig - 1) for signal sig, as in the kernel's sigset_t.
 */
export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
  SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13,
  SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
  SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25,
  SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;
export const SIGRTMIN = 32;

export const SIG_DFL = 0, SIG_IGN = 1;

export const SA_NOCLDSTOP = 0x1, SA_NOCLDWAIT = 0x2, SA_SIGINFO = 0x4, SA_RESTORER = 0x04000000,
  SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
  SA_RESETHAND = 0x80000000;

/* si_code values. */
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPC = 1, TRAP_BRKPT = 1, BUS_ADRERR = 2;
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
  CLD_CONTINUED = 6;

export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** Signals that can be neither caught, blocked nor ignored. */
export const CANTMASK = sigbit(SIGKILL) | sigbit(SIGSTOP);
export const ALLSIGS = (1n << 64n) - 1n;

/** The lowest signal number in set, or 0. */
export function firstSig(set: bigint): number {
  if (set === 0n) return 0;
  let s = 1;
  /* Synchronous faults first would be Linux's order; lowest number is close enough and stable. */
  while ((set & 1n) === 0n) { set >>= 1n; s++; }
  return s;
}

export const enum SigDefault { TERM, CORE, IGN, STOP, CONT }

const coreSigs = [SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS];
const ignSigs = [SIGCHLD, SIGURG, SIGWINCH];
const stopSigs = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU];

export function sigDefault(sig: number): SigDefault {
  if (coreSigs.includes(sig)) return SigDefault.CORE;
  if (ignSigs.includes(sig)) return SigDefault.IGN;
  if (stopSigs.includes(sig)) return SigDefault.STOP;
  if (sig === SIGCONT) return SigDefault.CONT;
  return SigDefault.TERM;
}

export const STOPSIGS = stopSigs.reduce((m, s) => m | sigbit(s), 0n);

/** What rt_sigaction stores: the kernel's struct sigaction for riscv64 (no sa_restorer). */
export interface SigAction {
  handler: number; // user address, or SIG_DFL / SIG_IGN
  flags: number;   // unsigned 32 bits of sa_flags
  mask: bigint;
  restorer: number;
}

/** The table of actions, shared by threads (and by CLONE_SIGHAND processes). */
export class SigActs {
  readonly act: SigAction[] = [];
  constructor() {
    for (let i = 0; i <= NSIG; i++) this.act.push({ handler: SIG_DFL, flags: 0, mask: 0n, restorer: 0 });
  }

  clone(): SigActs {
    const n = new SigActs();
    for (let i = 0; i <= NSIG; i++) n.act[i] = { ...this.act[i] };
    return n;
  }

  /** execve: caught signals go back to default; ignored ones stay ignored. */
  resetForExec(): void {
    for (const a of this.act) {
      if (a.handler !== SIG_IGN) a.handler = SIG_DFL;
      a.flags = 0; a.mask = 0n; a.restorer = 0;
    }
  }

  isIgnored(sig: number): boolean {
    const a = this.act[sig];
    if (a.handler === SIG_IGN) return true;
    return a.handler === SIG_DFL && sigDefault(sig) === SigDefault.IGN;
  }
}

/** The fields of siginfo_t we fill (128 bytes on the stack; see kern_sigframe.ts). */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  pid?: number;
  uid?: number;
  status?: number;
  utime?: number;
  stime?: number;
  addr?: number;
  value?: bigint;
  /** Raw 128 bytes from rt_sigqueueinfo, written as is. */
  raw?: Uint8Array;
}
