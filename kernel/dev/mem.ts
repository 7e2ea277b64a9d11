/*
 * The memory devices: /dev/null, /dev/zero, /dev/full, /dev/random and
 * /dev/urandom (both from the platform's cryptographic source; there is no
 * entropy pool to run dry, as on modern Linux and BSD).
 */
import { ENOSPC, SysError } from '../kern/errno.ts';
import { noIoctl, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, type FileOps } from '../vfs/file.ts';
import { falloc } from '../vfs/vfs_vnops.ts';
import type { Vnode } from '../vfs/vnode.ts';
import {
  cdevRegister, DEV_FULL, DEV_NULL, DEV_RANDOM, DEV_URANDOM, DEV_ZERO, type Cdev,
} from './cdev.ts';

/* One read returns at most this much (a short read is legal; a 1 GiB buffer is not). */
const MAXREAD = 1 << 20;

function memOps(read: (len: number) => Uint8Array, write: (data: Uint8Array) => number): FileOps {
  return {
    read: (_fp, len) => read(Math.min(len, MAXREAD)),
    write: (_fp, data) => write(data),
    ioctl: noIoctl,
    poll: (_fp, events) => events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM),
    stat: (fp) => (fp.vnode as Vnode).getattr(),
    close: () => {},
    seek: (fp) => (fp.offset = 0),
  };
}

function simpleCdev(name: string, ops: FileOps): Cdev {
  return { name, open: (vp, flags) => falloc(ops, vp, flags) };
}

/** Register the memory devices; randomBytes is the platform's source. */
export function memDevInit(randomBytes: (into: Uint8Array) => void): void {
  const zeros = (len: number) => new Uint8Array(len);
  const sink = (d: Uint8Array) => d.length;
  const random = (len: number) => {
    const b = new Uint8Array(len);
    for (let off = 0; off < len; off += 65536) randomBytes(b.subarray(off, Math.min(len, off + 65536)));
    return b;
  };
  cdevRegister(DEV_NULL, simpleCdev('null', memOps(() => new Uint8Array(0), sink)));
  cdevRegister(DEV_ZERO, simpleCdev('zero', memOps(zeros, sink)));
  cdevRegister(DEV_FULL, simpleCdev('full', memOps(zeros, () => {
    throw new SysError(ENOSPC);
  })));
  cdevRegister(DEV_RANDOM, simpleCdev('random', memOps(random, sink)));
  cdevRegister(DEV_URANDOM, simpleCdev('urandom', memOps(random, sink)));
}
