/*
 * The kernel environment (BSD's kern_environment.c): the -e name=value pairs
 * and loader tunables (init_path, vfs.root.mountfrom, boot.netif.*, ...),
 * k.kenv, and kenv(2) for user space with FreeBSD's semantics under a
 * private number (riscv64 Linux has none):
 *
 *   int kenv(int action, const char *name, char *value, int len);  // SYS_kenv = 1001
 *
 * KENV_GET copies the value (NUL-terminated, cut to len) and returns the bytes
 * copied; ENOENT if unset. KENV_SET (root) sets name to value; KENV_UNSET
 * (root) removes it (ENOENT if unset). KENV_DUMP fills value with
 * "name=value\0" entries, as many bytes as fit in len, and returns the size
 * the whole dump needs (value NULL: just the size).
 */
import { copyinstr, copyout } from '../vm/copyio.ts';
import { EINVAL, ENOENT, EPERM, SysError } from './errno.ts';
import type { Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';

export const SYS_kenv = 1001;
export const KENV_GET = 0, KENV_SET = 1, KENV_UNSET = 2, KENV_DUMP = 3;
export const KENV_MNAMELEN = 128, KENV_MVALLEN = 128;

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** All entries as "name=value\0..." (a byte string per char). */
export function kenvDump(env: Map<string, string>): Uint8Array {
  return bytesOf([...env].map(([k, v]) => `${k}=${v}\0`).join(''));
}

function kenvName(td: Thread, a: SysArgs): string {
  const name = copyinstr(td.proc.vm, a.ptr(1), KENV_MNAMELEN);
  if (name === '' || name.includes('=')) throw new SysError(EINVAL);
  return name;
}

function requireRoot(td: Thread): void {
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
}

export function sys_kenv(td: Thread, a: SysArgs): number {
  const env = td.k.kenv;
  const len = a.int(3);
  switch (a.int(0)) {
    case KENV_DUMP: {
      const all = kenvDump(env);
      if (a.ptr(2) !== 0 && len > 0) copyout(td.proc.vm, a.ptr(2), all.subarray(0, Math.min(len, all.length)));
      return all.length;
    }
    case KENV_GET: {
      const v = env.get(kenvName(td, a));
      if (v === undefined) throw new SysError(ENOENT);
      if (len <= 0) throw new SysError(EINVAL);
      const b = bytesOf(v + '\0').subarray(0, len);
      b[b.length - 1] = 0;
      copyout(td.proc.vm, a.ptr(2), b);
      return b.length;
    }
    case KENV_SET: {
      requireRoot(td);
      const name = kenvName(td, a);
      if (len < 1 || len > KENV_MVALLEN + 1) throw new SysError(EINVAL);
      env.set(name, copyinstr(td.proc.vm, a.ptr(2), len));
      return 0;
    }
    case KENV_UNSET: {
      requireRoot(td);
      if (!env.delete(kenvName(td, a))) throw new SysError(ENOENT);
      return 0;
    }
    default:
      throw new SysError(EINVAL);
  }
}
