/*
 * The descriptor I/O system calls: read, write, readv, writev, pread64,
 * pwrite64, lseek, ioctl. Each copies between user memory and the File's ops.
 */
import { EBADF, EINVAL, ESPIPE, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import type { SysArgs } from '../kern/sysargs.ts';
import type { SyscallHandler } from '../kern/syscall_types.ts';
import { copyin, copyout } from '../vm/copyio.ts';
import { O_ASYNC, O_NONBLOCK, type File } from './file.ts';
import { ioctxOf } from './vfs_thread.ts';

/*
 * Linux's MAX_RW_COUNT, and the most one call moves (a short read or write
 * beyond): a 2 GiB count on a sparse file must not become a 2 GiB buffer.
 */
const MAX_RW_COUNT = 0x7ffff000;
const MAX_WRITE_CHUNK = 64 << 20;
const MAX_READ_CHUNK = 64 << 20;
export const IOV_MAX = 1024;

export const FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;

function readableFile(td: Thread, fd: number): File {
  const fp = td.proc.fd.get(fd);
  if (!fp.readable) throw new SysError(EBADF);
  return fp;
}

function writableFile(td: Thread, fd: number): File {
  const fp = td.proc.fd.get(fd);
  if (!fp.writable) throw new SysError(EBADF);
  return fp;
}

function countArg(a: SysArgs, i: number): number {
  return Math.min(a.u64(i), MAX_RW_COUNT, MAX_READ_CHUNK);
}

function offsetArg(a: SysArgs, i: number): number {
  const off = a.i64(i);
  if (off < 0) throw new SysError(EINVAL);
  return off;
}

function doRead(td: Thread, fd: number, va: number, len: number, off: number | null): number {
  const fp = readableFile(td, fd);
  if (off !== null && !fp.ops.seek) throw new SysError(ESPIPE);
  const data = fp.ops.read(fp, len, off, ioctxOf(td));
  if (data.length) copyout(td.proc.vm, va, data);
  return data.length;
}

function doWrite(td: Thread, fd: number, va: number, len: number, off: number | null): number {
  const fp = writableFile(td, fd);
  if (off !== null && !fp.ops.seek) throw new SysError(ESPIPE);
  const data = copyin(td.proc.vm, va, Math.min(len, MAX_WRITE_CHUNK));
  return fp.ops.write(fp, data, off, ioctxOf(td));
}

interface Iov { base: number; len: number }

function copyinIovecs(td: Thread, va: number, cnt: number): Iov[] {
  if (cnt < 0 || cnt > IOV_MAX) throw new SysError(EINVAL);
  const raw = copyin(td.proc.vm, va, cnt * 16);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const iovs: Iov[] = [];
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    const base = Number(dv.getBigUint64(i * 16, true));
    const len = Number(dv.getBigUint64(i * 16 + 8, true));
    total += len;
    if (len > MAX_RW_COUNT * 2 || total > Number.MAX_SAFE_INTEGER) throw new SysError(EINVAL);
    iovs.push({ base, len });
  }
  return iovs;
}

function doReadv(td: Thread, fd: number, iovVa: number, cnt: number, off: number | null): number {
  const fp = readableFile(td, fd);
  if (off !== null && !fp.ops.seek) throw new SysError(ESPIPE);
  const iovs = copyinIovecs(td, iovVa, cnt);
  const total = Math.min(iovs.reduce((s, v) => s + v.len, 0), MAX_READ_CHUNK);
  const data = fp.ops.read(fp, total, off, ioctxOf(td));
  let done = 0;
  for (const v of iovs) {
    if (done >= data.length) break;
    const n = Math.min(v.len, data.length - done);
    copyout(td.proc.vm, v.base, data.subarray(done, done + n));
    done += n;
  }
  return data.length;
}

/* Gathered into one buffer so a pipe sees one write (atomic up to PIPE_BUF), as Linux does. */
function doWritev(td: Thread, fd: number, iovVa: number, cnt: number, off: number | null): number {
  const fp = writableFile(td, fd);
  if (off !== null && !fp.ops.seek) throw new SysError(ESPIPE);
  const iovs = copyinIovecs(td, iovVa, cnt);
  const total = Math.min(iovs.reduce((s, v) => s + v.len, 0), MAX_WRITE_CHUNK);
  const buf = new Uint8Array(total);
  let done = 0;
  for (const v of iovs) {
    if (done >= total) break;
    const n = Math.min(v.len, total - done);
    if (n) buf.set(copyin(td.proc.vm, v.base, n), done);
    done += n;
  }
  return fp.ops.write(fp, buf, off, ioctxOf(td));
}

function sysLseek(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  if (!fp.ops.seek) throw new SysError(ESPIPE);
  return fp.ops.seek(fp, a.i64(1), a.int(2));
}

function sysIoctl(td: Thread, a: SysArgs): number {
  const fd = a.int(0);
  const fdt = td.proc.fd;
  const fp = fdt.get(fd);
  const cmd = a.uint(1);
  const io = ioctxOf(td);
  switch (cmd) {
    case FIOCLEX: fdt.setCloexec(fd, true); return 0;
    case FIONCLEX: fdt.setCloexec(fd, false); return 0;
    case FIONBIO: return setFlagFromInt(fp, O_NONBLOCK, io.copyin(a.ptr(2), 4));
    case FIOASYNC: return setFlagFromInt(fp, O_ASYNC, io.copyin(a.ptr(2), 4));
    default: return fp.ops.ioctl(fp, cmd, a.u64(2), io);
  }
}

function setFlagFromInt(fp: File, flag: number, raw: Uint8Array): number {
  const on = new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true) !== 0;
  fp.flags = on ? fp.flags | flag : fp.flags & ~flag;
  return 0;
}

/** sendfile(out, in, offset*, count): a read and a write in the kernel. */
function sysSendfile(td: Thread, a: SysArgs): number {
  const out = writableFile(td, a.int(0));
  const inp = readableFile(td, a.int(1));
  const offVa = a.ptr(2);
  const count = Math.min(a.u64(3), MAX_READ_CHUNK);
  const io = ioctxOf(td);
  let off: number | null = null;
  if (offVa !== 0) {
    if (!inp.ops.seek) throw new SysError(ESPIPE);
    off = Number(new DataView(copyin(td.proc.vm, offVa, 8).buffer).getBigInt64(0, true));
    if (off < 0) throw new SysError(EINVAL);
  }
  const data = inp.ops.read(inp, count, off, io);
  const n = data.length ? out.ops.write(out, data, null, io) : 0;
  if (off !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(off + n), true);
    copyout(td.proc.vm, offVa, b);
  } else if (n < data.length && inp.ops.seek) {
    inp.offset -= data.length - n;
  }
  return n;
}

/** posix_fadvise and readahead: hints; only the descriptor is checked. */
function sysFadvise(td: Thread, a: SysArgs): number {
  const fp = td.proc.fd.get(a.int(0));
  if (!fp.ops.seek) throw new SysError(ESPIPE);
  if (a.int(3) < 0 || a.int(3) > 5) throw new SysError(EINVAL);
  return 0;
}

export const genericSyscalls: Record<number, SyscallHandler> = {
  71: sysSendfile,
  223: sysFadvise,
  213: (td, a) => (td.proc.fd.get(a.int(0)), 0),
  63: (td, a) => doRead(td, a.int(0), a.ptr(1), countArg(a, 2), null),
  64: (td, a) => doWrite(td, a.int(0), a.ptr(1), countArg(a, 2), null),
  65: (td, a) => doReadv(td, a.int(0), a.ptr(1), a.int(2), null),
  66: (td, a) => doWritev(td, a.int(0), a.ptr(1), a.int(2), null),
  67: (td, a) => doRead(td, a.int(0), a.ptr(1), countArg(a, 2), offsetArg(a, 3)),
  68: (td, a) => doWrite(td, a.int(0), a.ptr(1), countArg(a, 2), offsetArg(a, 3)),
  69: (td, a) => doReadv(td, a.int(0), a.ptr(1), a.int(2), offsetArg(a, 3)),   // preadv
  70: (td, a) => doWritev(td, a.int(0), a.ptr(1), a.int(2), offsetArg(a, 3)),  // pwritev
  62: sysLseek,
  29: sysIoctl,
};
