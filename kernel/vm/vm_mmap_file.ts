/*
 * mmap's view of a file descriptor: the open file's access mode and the
 * vnode that pages it (Vnode implements VnodePager). Regular files map
 * through their vnode; /dev/zero maps as anonymous memory; anything else
 * (pipes, sockets, ttys, directories) is ENODEV.
 */
import type { Thread } from '../kern/proc.ts';
import { VCHR, VREG } from '../vfs/vnode.ts';
import { DEV_ZERO } from '../dev/cdev.ts';
import type { MmapFile } from './vm_mmap.ts';

export function fileForFd(td: Thread, fd: number): MmapFile {
  const fp = td.proc.fd.get(fd);
  const vp = fp.vnode;
  const name = 'path' in fp && typeof fp.path === 'string' ? fp.path : '';
  const base = { readable: fp.readable, writable: fp.writable, name };
  if (vp === null) return { ...base, pager: null };
  if (vp.type === VCHR && vp.getattr().rdev === DEV_ZERO) return { ...base, pager: null, zero: true };
  if (vp.type !== VREG) return { ...base, pager: null };
  return { ...base, pager: vp };
}
