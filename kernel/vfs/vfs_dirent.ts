/*
 * getdents64: directory entries in struct linux_dirent64 records
 * { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[] },
 * each padded to 8 bytes. The file offset is the file system's cookie.
 */
import { EINVAL, ENOTDIR, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyout } from '../vm/copyio.ts';
import { VDIR, vtypeToDt, type DirEntry } from './vnode.ts';

export function direntSize(nameLen: number): number {
  return (19 + nameLen + 1 + 7) & ~7;
}

/** Pack entries into at most count bytes; returns the bytes and how many entries fit. */
export function packDirents(ents: DirEntry[], count: number): { buf: Uint8Array; n: number } {
  let size = 0;
  let n = 0;
  for (const e of ents) {
    const r = direntSize(e.name.length);
    if (size + r > count) break;
    size += r;
    n++;
  }
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const e = ents[i];
    const r = direntSize(e.name.length);
    dv.setBigUint64(off, BigInt(e.ino || 1), true);
    dv.setBigInt64(off + 8, BigInt(e.cookie), true);
    dv.setUint16(off + 16, r, true);
    buf[off + 18] = vtypeToDt(e.type);
    for (let k = 0; k < e.name.length; k++) buf[off + 19 + k] = e.name.charCodeAt(k);
    off += r;
  }
  return { buf, n };
}

function sysGetdents64(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  const vp = fp.vnode;
  if (!vp || vp.type !== VDIR) throw new SysError(ENOTDIR);
  const count = Math.min(a.uint(2), 1 << 20);
  const ents = vp.readdir(fp.offset, Math.max(1, Math.floor(count / 24)));
  if (ents.length === 0) return 0;
  const { buf, n } = packDirents(ents, count);
  if (n === 0) throw new SysError(EINVAL);
  copyout(td.proc.vm, a.ptr(1), buf);
  fp.offset = ents[n - 1].cookie;
  return buf.length;
}

export const dirSyscalls: Record<number, SyscallHandler> = {
  61: sysGetdents64,
};
