/*
 * Resource syscalls: getrlimit/setrlimit/prlimit64, getrusage, umask,
 * getpriority/setpriority, sysinfo, prctl.
 */
import { copyin, copyinstrBytes, copyout } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { bytesToBstr } from '../vfs/bstr.ts';
import { EINVAL, EPERM, ESRCH, SysError } from './errno.ts';
import { type Proc, type Thread } from './proc.ts';
import { RLIM_NLIMITS, RLIMIT_AS, RLIMIT_DATA, type Rlimit } from './resource.ts';
import type { SysArgs } from './sysargs.ts';
import type { SyscallHandler } from './syscall_types.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';

const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

function encodeRlimit(r: Rlimit): Uint8Array {
  const s = new CStruct(16);
  s.setBig(0, r.cur === Infinity ? RLIM_INFINITY : BigInt(r.cur));
  s.setBig(8, r.max === Infinity ? RLIM_INFINITY : BigInt(r.max));
  return s.u8;
}

function decodeRlimit(b: Uint8Array): Rlimit {
  const s = new CStruct(b);
  const v = (x: bigint): number => (x >= 1n << 62n ? Infinity : Number(x));
  return { cur: v(s.ubig(0)), max: v(s.ubig(8)) };
}

/** Apply a new limit with Linux's checks; the VM keeps the memory limits in step. */
function setLimit(td: Thread, p: Proc, which: number, nl: Rlimit): void {
  const old = p.limits.lim[which];
  if (nl.cur > nl.max) throw new SysError(EINVAL);
  if (nl.max > old.max && td.proc.cred.euid !== 0) throw new SysError(EPERM);
  p.limits.lim[which] = nl;
  if (which === RLIMIT_DATA) p.vm.dataLimit = nl.cur;
  if (which === RLIMIT_AS) p.vm.asLimit = nl.cur;
}

function target(td: Thread, pid: number): Proc {
  if (pid === 0) return td.proc;
  const p = td.k.procs.procs.get(pid);
  if (!p) throw new SysError(ESRCH);
  if (td.proc.cred.euid !== 0 && p.cred.uid !== td.proc.cred.uid) throw new SysError(EPERM);
  return p;
}

function sys_prlimit64(td: Thread, a: SysArgs): number {
  const which = a.uint(1);
  if (which >= RLIM_NLIMITS) throw new SysError(EINVAL);
  const p = target(td, a.int(0));
  const nl = a.ptr(2) ? decodeRlimit(copyin(td.proc.vm, a.ptr(2), 16)) : null;
  const old = encodeRlimit(p.limits.lim[which]);
  if (nl) setLimit(td, p, which, nl);
  if (a.ptr(3)) copyout(td.proc.vm, a.ptr(3), old);
  return 0;
}

function sys_getrlimit(td: Thread, a: SysArgs): number {
  const which = a.uint(0);
  if (which >= RLIM_NLIMITS) throw new SysError(EINVAL);
  copyout(td.proc.vm, a.ptr(1), encodeRlimit(td.proc.limits.lim[which]));
  return 0;
}

function sys_setrlimit(td: Thread, a: SysArgs): number {
  const which = a.uint(0);
  if (which >= RLIM_NLIMITS) throw new SysError(EINVAL);
  setLimit(td, td.proc, which, decodeRlimit(copyin(td.proc.vm, a.ptr(1), 16)));
  return 0;
}

/** struct rusage: two timevals then 14 longs (144 bytes). */
export function encodeRusage(utimeMs: number, stimeMs: number, maxRssKb: number): Uint8Array {
  const s = new CStruct(144);
  const tv = (off: number, ms: number): void => {
    const sec = Math.floor(ms / 1000);
    s.setI64(off, sec).setI64(off + 8, Math.floor((ms - sec * 1000) * 1000));
  };
  tv(0, utimeMs);
  tv(16, stimeMs);
  s.setI64(32, Math.round(maxRssKb));
  return s.u8;
}

export const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

function sys_getrusage(td: Thread, a: SysArgs): number {
  const p = td.proc;
  const rss = Math.max(p.maxRssKb, (p.vm.rss * PAGE_SIZE) / 1024);
  let b: Uint8Array;
  switch (a.int(0)) {
    case RUSAGE_SELF: b = encodeRusage(p.utimeMs, p.stimeMs, rss); break;
    case RUSAGE_CHILDREN: b = encodeRusage(p.cutimeMs, p.cstimeMs, 0); break;
    case RUSAGE_THREAD: b = encodeRusage(td.cpuMs, 0, rss); break;
    default: throw new SysError(EINVAL);
  }
  copyout(p.vm, a.ptr(1), b);
  return 0;
}

function sys_umask(td: Thread, a: SysArgs): number {
  const old = td.proc.umask;
  td.proc.umask = a.uint(0) & 0o777;
  return old;
}

/** struct sysinfo (riscv64: 112 bytes). */
function sys_sysinfo(td: Thread, a: SysArgs): number {
  const k = td.k;
  const st = k.pages.stats;
  const s = new CStruct(112);
  s.setI64(0, Math.floor(k.uptimeMs() / 1000));
  s.setI64(32, st.total * PAGE_SIZE);
  s.setI64(40, st.free * PAGE_SIZE);
  s.setU16(80, Math.min(0xffff, k.procs.threads.size));
  s.setU32(104, 1);
  copyout(td.proc.vm, a.ptr(0), s.u8);
  return 0;
}

export const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
  PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_TIMERSLACK = 30, PR_SET_TIMERSLACK = 29,
  PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38,
  PR_GET_NO_NEW_PRIVS = 39;

function sys_prctl(td: Thread, a: SysArgs): number {
  const p = td.proc;
  switch (a.int(0)) {
    case PR_SET_NAME: {
      const name = bytesToBstr(copyinstrBytes(p.vm, a.ptr(1), 4096).subarray(0, 15));
      if (td.tid === p.pid) p.comm = name;
      p.tdNames.set(td.tid, name);
      return 0;
    }
    case PR_GET_NAME: {
      const name = p.tdNames.get(td.tid) ?? p.comm;
      const b = new Uint8Array(16);
      for (let i = 0; i < Math.min(15, name.length); i++) b[i] = name.charCodeAt(i) & 0xff;
      copyout(p.vm, a.ptr(1), b);
      return 0;
    }
    case PR_SET_PDEATHSIG: case PR_SET_DUMPABLE: case PR_SET_CHILD_SUBREAPER:
    case PR_SET_NO_NEW_PRIVS: case PR_SET_TIMERSLACK:
      return 0;
    case PR_GET_DUMPABLE:
      return 1;
    case PR_GET_NO_NEW_PRIVS:
      return 0;
    case PR_GET_TIMERSLACK:
      return 50000;
    case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER:
      copyout(p.vm, a.ptr(1), new Uint8Array(4));
      return 0;
    default:
      throw new SysError(EINVAL);
  }
}

export const resourceSyscalls: Record<number, SyscallHandler> = {
  140: () => 0,       // setpriority: accepted, the scheduler has no priorities yet
  141: () => 20,      // getpriority: nice 0, reported as 20 - nice
  163: sys_getrlimit,
  164: sys_setrlimit,
  165: sys_getrusage,
  166: sys_umask,
  167: sys_prctl,
  179: sys_sysinfo,
  261: sys_prlimit64,
};
