/*
 * Small system calls of the kernel proper: uname/sethostname, getrandom,
 * sched_*, set_tid_address, robust lists, getpid & co, reboot, and the
 * ones we decline (rseq, membarrier → ENOSYS, which glibc handles).
 *
 * uname: Linux binaries get what BSD's Linux emulation gives them: sysname
 * "Linux" and a Linux release (glibc and most tools only need release ≥ 4.15),
 * tunable with the FreeBSD linuxulator's names compat.linux.osname and
 * compat.linux.osrelease; the version field says which kernel really runs.
 */
import { copyin, copyinstrBytes, copyout, suword64 } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, SysError } from './errno.ts';
import { VERSION } from './vers.ts';
import { MSGBUF_SIZE } from './subr_prf.ts';
import type { Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';
import type { SyscallHandler } from './syscall_types.ts';

export const LINUX_OSNAME = 'Linux';
export const LINUX_OSRELEASE = '6.1.0';
const UTS_LEN = 65;

function sys_uname(td: Thread, a: SysArgs): number {
  const k = td.k;
  const s = new CStruct(6 * UTS_LEN);
  const fields = [
    k.kenv.get('compat.linux.osname') ?? LINUX_OSNAME,
    k.hostname,
    k.kenv.get('compat.linux.osrelease') ?? LINUX_OSRELEASE,
    VERSION,
    'riscv64',
    k.domainname,
  ];
  fields.forEach((f, i) => {
    for (let j = 0; j < Math.min(f.length, UTS_LEN - 1); j++) s.u8[i * UTS_LEN + j] = f.charCodeAt(j) & 0xff;
  });
  copyout(td.proc.vm, a.ptr(0), s.u8);
  return 0;
}

function setName(td: Thread, a: SysArgs, set: (s: string) => void): number {
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  const len = a.int(1);
  if (len < 0 || len > 64) throw new SysError(EINVAL);
  const b = copyin(td.proc.vm, a.ptr(0), len);
  let n = b.indexOf(0);
  if (n < 0) n = len;
  set(String.fromCharCode(...b.subarray(0, n)));
  return 0;
}

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

function sys_getrandom(td: Thread, a: SysArgs): number {
  const flags = a.uint(2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) throw new SysError(EINVAL);
  if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE)) throw new SysError(EINVAL);
  const len = Math.min(a.u64(1), 33554431);
  const va = a.ptr(0);
  let done = 0;
  while (done < len) {
    const b = new Uint8Array(Math.min(65536, len - done));
    td.k.platform.randomBytes(b);
    copyout(td.proc.vm, va + done, b);
    done += b.length;
  }
  return len;
}

function sys_sched_getaffinity(td: Thread, a: SysArgs): number {
  const len = a.u64(1);
  if (a.int(0) !== 0 && !td.k.procs.threads.has(a.int(0))) throw new SysError(ESRCH);
  if (len < 8 || (len & 7) !== 0) throw new SysError(EINVAL);
  const n = td.k.config.ncpus;
  const s = new CStruct(8).setBig(0, (1n << BigInt(n)) - 1n);
  copyout(td.proc.vm, a.ptr(2), s.u8);
  return 8;
}

function sys_sched_yield(td: Thread): number {
  td.k.sched.yieldRequested = true;
  return 0;
}

function sys_set_tid_address(td: Thread, a: SysArgs): number {
  td.clearChildTid = a.ptr(0);
  return td.tid;
}

const ROBUST_LIST_HEAD_SIZE = 24;

function sys_set_robust_list(td: Thread, a: SysArgs): number {
  if (a.u64(1) !== ROBUST_LIST_HEAD_SIZE) throw new SysError(EINVAL);
  td.robustList = a.ptr(0);
  td.robustLen = ROBUST_LIST_HEAD_SIZE;
  return 0;
}

function sys_get_robust_list(td: Thread, a: SysArgs): number {
  const tid = a.int(0);
  const t = tid === 0 ? td : td.k.procs.threads.get(tid);
  if (!t) throw new SysError(ESRCH);
  if (!a.ptr(1) || !a.ptr(2)) throw new SysError(EFAULT);
  suword64(td.proc.vm, a.ptr(1), t.robustList);
  suword64(td.proc.vm, a.ptr(2), ROBUST_LIST_HEAD_SIZE);
  return 0;
}

export const LINUX_REBOOT_MAGIC1 = 0xfee1dead;
const MAGIC2 = [672274793, 85072278, 369367448, 537993216];
export const LINUX_REBOOT_CMD_RESTART = 0x01234567, LINUX_REBOOT_CMD_HALT = 0xcdef0123,
  LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc, LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4,
  LINUX_REBOOT_CMD_CAD_ON = 0x89abcdef, LINUX_REBOOT_CMD_CAD_OFF = 0;

function sys_reboot(td: Thread, a: SysArgs): number {
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  if (a.uint(0) !== LINUX_REBOOT_MAGIC1 || !MAGIC2.includes(a.uint(1))) throw new SysError(EINVAL);
  const k = td.k;
  switch (a.uint(2)) {
    case LINUX_REBOOT_CMD_RESTART: case LINUX_REBOOT_CMD_RESTART2:
      k.shutdown('reboot', 32);
      return 0;
    case LINUX_REBOOT_CMD_HALT:
      k.shutdown('halt', 0);
      return 0;
    case LINUX_REBOOT_CMD_POWER_OFF:
      k.shutdown('poweroff', 0);
      return 0;
    case LINUX_REBOOT_CMD_CAD_ON: case LINUX_REBOOT_CMD_CAD_OFF:
      return 0;
    default:
      throw new SysError(EINVAL);
  }
}

/* syslog(2) actions (klogctl): how dmesg reads the kernel message buffer. */
export const SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2,
  SYSLOG_ACTION_READ_ALL = 3, SYSLOG_ACTION_READ_CLEAR = 4, SYSLOG_ACTION_CLEAR = 5,
  SYSLOG_ACTION_CONSOLE_OFF = 6, SYSLOG_ACTION_CONSOLE_ON = 7, SYSLOG_ACTION_CONSOLE_LEVEL = 8,
  SYSLOG_ACTION_SIZE_UNREAD = 9, SYSLOG_ACTION_SIZE_BUFFER = 10;

function sys_syslog(td: Thread, a: SysArgs): number {
  const k = td.k;
  const text = k.kp.msgbuf.contents();
  switch (a.int(0)) {
    case SYSLOG_ACTION_CLOSE: case SYSLOG_ACTION_OPEN:
      return 0;
    case SYSLOG_ACTION_READ: case SYSLOG_ACTION_READ_ALL: case SYSLOG_ACTION_READ_CLEAR: {
      const len = a.int(2);
      if (len < 0) throw new SysError(EINVAL);
      if (len === 0) return 0;
      const b = new Uint8Array(Math.min(len, text.length));
      const from = text.length - b.length;
      for (let i = 0; i < b.length; i++) b[i] = text.charCodeAt(from + i) & 0xff;
      copyout(td.proc.vm, a.ptr(1), b);
      if (a.int(0) === SYSLOG_ACTION_READ_CLEAR) k.kp.msgbuf.clear();
      return b.length;
    }
    case SYSLOG_ACTION_CLEAR:
      if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
      k.kp.msgbuf.clear();
      return 0;
    case SYSLOG_ACTION_CONSOLE_OFF: case SYSLOG_ACTION_CONSOLE_ON: case SYSLOG_ACTION_CONSOLE_LEVEL:
      if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
      return 0;
    case SYSLOG_ACTION_SIZE_UNREAD:
      return text.length;
    case SYSLOG_ACTION_SIZE_BUFFER:
      return MSGBUF_SIZE;
    default:
      throw new SysError(EINVAL);
  }
}

/** personality(2): only PER_LINUX (0); 0xffffffff queries. */
function sys_personality(_td: Thread, a: SysArgs): number {
  const v = a.uint(0);
  if (v !== 0 && v !== 0xffff_ffff) throw new SysError(EINVAL);
  return 0;
}

/** getcpu(cpu, node, cache): everything runs on cpu0, node 0 for now. */
function sys_getcpu(td: Thread, a: SysArgs): number {
  if (a.ptr(0)) copyout(td.proc.vm, a.ptr(0), new Uint8Array(4));
  if (a.ptr(1)) copyout(td.proc.vm, a.ptr(1), new Uint8Array(4));
  return 0;
}

const enosys: SyscallHandler = () => { throw new SysError(ENOSYS); };

export const miscSyscalls: Record<number, SyscallHandler> = {
  92: sys_personality,
  96: sys_set_tid_address,
  116: sys_syslog,
  168: sys_getcpu,
  99: sys_set_robust_list,
  100: sys_get_robust_list,
  118: () => 0,                        // sched_setparam
  119: () => 0,                        // sched_setscheduler
  120: () => 0,                        // sched_getscheduler: SCHED_OTHER
  121: (td, a) => { copyout(td.proc.vm, a.ptr(1), new Uint8Array(4)); return 0; }, // sched_getparam
  122: () => 0,                        // sched_setaffinity: accepted
  123: sys_sched_getaffinity,
  124: sys_sched_yield,
  125: () => 0,                        // sched_get_priority_max (SCHED_OTHER)
  126: () => 0,                        // sched_get_priority_min
  142: sys_reboot,
  160: sys_uname,
  161: (td, a) => setName(td, a, (s) => { td.k.hostname = s; }),
  162: (td, a) => setName(td, a, (s) => { td.k.domainname = s; }),
  172: (td) => td.proc.pid,
  173: (td) => td.proc.ppid,
  178: (td) => td.tid,
  259: (td) => { td.k.cpu.flushCode(); return 0; }, // riscv_flush_icache (stores are snooped too)
  278: sys_getrandom,
  283: enosys,                         // membarrier
  293: enosys,                         // rseq: glibc 2.36 on riscv64 copes
};

export { copyinstrBytes };
