/*
 * /dev/fd: opening /dev/fd/N gives the caller's descriptor N again (a dup,
 * sharing the offset), as BSD's fdescfs does. Names are made up on lookup
 * from whatever number is asked for; the directory lists nothing, since a
 * readdir does not know who is asking.
 */
import { EACCES, ENOENT, SysError } from '../../kern/errno.ts';
import { cdevRegisterMajor, FDESC_MAJOR, makedev, minor, type Cdev } from '../../dev/cdev.ts';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../../vfs/file.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import { DevCdev, DevDir } from './devfs_vnops.ts';
import type { DevfsMount } from './devfs_vfsops.ts';

const fdescCdev: Cdev = {
  name: 'fd',
  open(vp, flags, io) {
    const fp = io.files.get(minor(vp.getattr().rdev));
    const acc = flags & O_ACCMODE;
    if ((acc !== O_WRONLY && !fp.readable) || (acc !== O_RDONLY && !fp.writable)) {
      throw new SysError(EACCES);
    }
    return fp.hold();
  },
};

export class FdescDir extends DevDir {
  private readonly nodes = new Map<number, DevCdev>();

  constructor(mp: DevfsMount, parent: DevDir) {
    super(mp, parent, 0o555);
    cdevRegisterMajor(FDESC_MAJOR, fdescCdev);
  }

  override lookup(name: string): Vnode {
    if (name === '..') return this.parent;
    if (!/^(0|[1-9][0-9]{0,6})$/.test(name)) throw new SysError(ENOENT);
    const fd = Number(name);
    let n = this.nodes.get(fd);
    if (!n) {
      n = new DevCdev(this.mount, makedev(FDESC_MAJOR, fd), 0o666);
      this.nodes.set(fd, n);
    }
    return n;
  }
}
