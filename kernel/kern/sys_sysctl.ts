/*
 * __sysctl(2) for user space. riscv64 Linux has no sysctl system call, so
 * ours takes a private number (SYS___sysctl = 1000, above every Linux one)
 * with BSD's signature and semantics:
 *
 *   int __sysctl(const int *name, u_int namelen, void *oldp, size_t *oldlenp,
 *                const void *newp, size_t newlen);
 *
 * oldp NULL → *oldlenp = the size needed; a short buffer gets what fits,
 * *oldlenp = the bytes copied, and ENOMEM. newp writes (root only: EPERM),
 * after the old value was read. The internal MIB {0, x} does name, next,
 * name2oid and oidfmt exactly as BSD's libc expects (see kern_sysctl.ts).
 */
import { copyin, copyout, fuword64num, suword64 } from '../vm/copyio.ts';
import { EINVAL, ENAMETOOLONG, ENOENT, ENOMEM, SysError } from './errno.ts';
import {
  CTL_MAXNAME, CTL_SYSCTL, type Sysctl, SYSCTL_NAME, SYSCTL_NAME2OID, SYSCTL_NEXT, SYSCTL_OIDDESCR,
  SYSCTL_OIDFMT, type SysctlCaller, encodeValue, CTLTYPE_STRING,
} from './kern_sysctl.ts';
import type { Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';

export const SYS___sysctl = 1000;
const NAME_MAX_LEN = 1024;

function callerOf(td: Thread): SysctlCaller {
  return { uid: td.proc.cred.euid, pid: td.proc.pid };
}

function mibBytes(mib: number[]): Uint8Array {
  const b = new Uint8Array(mib.length * 4);
  const dv = new DataView(b.buffer);
  mib.forEach((n, i) => dv.setInt32(i * 4, n, true));
  return b;
}

/** Hand data to (oldp, oldlenp) with BSD's sizing rules; true if it was cut short. */
function sysctlOut(td: Thread, oldp: number, oldlenp: number, data: Uint8Array): boolean {
  if (oldlenp === 0) return false;
  const vm = td.proc.vm;
  if (oldp === 0) {
    suword64(vm, oldlenp, data.length);
    return false;
  }
  const room = fuword64num(vm, oldlenp);
  const n = Math.min(room, data.length);
  if (n > 0) copyout(vm, oldp, data.subarray(0, n));
  suword64(vm, oldlenp, n);
  return n < data.length;
}

/** The internal MIB {0, op, ...}: what the old buffer receives. */
function internal(s: Sysctl, td: Thread, mib: number[], a: SysArgs): Uint8Array {
  const rest = mib.slice(2);
  switch (mib[1]) {
    case SYSCTL_NAME:
      return encodeValue(CTLTYPE_STRING, s.resolve(rest).oid.fullName());
    case SYSCTL_NEXT:
      return mibBytes(s.next(rest).mib());
    case SYSCTL_NAME2OID: {
      const len = a.u64(5);
      if (a.ptr(4) === 0 || len === 0) throw new SysError(ENOENT);
      if (len > NAME_MAX_LEN) throw new SysError(ENAMETOOLONG);
      const raw = copyin(td.proc.vm, a.ptr(4), len);
      let n = raw.indexOf(0);
      if (n < 0) n = raw.length;
      return mibBytes(s.byName(String.fromCharCode(...raw.subarray(0, n))).mib());
    }
    case SYSCTL_OIDFMT: {
      const o = s.resolve(rest).oid;
      const fmt = encodeValue(CTLTYPE_STRING, o.fmt);
      const b = new Uint8Array(4 + fmt.length);
      new DataView(b.buffer).setUint32(0, o.kind >>> 0, true);
      b.set(fmt, 4);
      return b;
    }
    case SYSCTL_OIDDESCR:
      return encodeValue(CTLTYPE_STRING, s.resolve(rest).oid.descr);
    default:
      throw new SysError(ENOENT);
  }
}

export function sys___sysctl(td: Thread, a: SysArgs): number {
  const s = td.k.sysctl;
  const namelen = a.uint(1);
  if (namelen < 2 || namelen > CTL_MAXNAME) throw new SysError(EINVAL);
  const raw = copyin(td.proc.vm, a.ptr(0), namelen * 4);
  const dv = new DataView(raw.buffer);
  const mib = Array.from({ length: namelen }, (_, i) => dv.getInt32(i * 4, true));
  const oldp = a.ptr(2), oldlenp = a.ptr(3);
  if (mib[0] === CTL_SYSCTL) {
    if (sysctlOut(td, oldp, oldlenp, internal(s, td, mib, a))) throw new SysError(ENOMEM);
    return 0;
  }
  const { oid, rest } = s.resolve(mib);
  const c = callerOf(td);
  let short = false;
  if (oldlenp !== 0) short = sysctlOut(td, oldp, oldlenp, s.read(oid, rest, c));
  if (a.ptr(4) !== 0) {
    const newlen = a.u64(5);
    if (newlen > 1 << 20) throw new SysError(EINVAL);
    s.write(oid, rest, copyin(td.proc.vm, a.ptr(4), newlen), c);
  }
  if (short) throw new SysError(ENOMEM);
  return 0;
}
