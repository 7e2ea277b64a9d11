/*
 * devfs: the kernel's device directory, mounted on /dev at boot. Drivers add
 * their nodes with makeDev (later: vkd0, vkd0s0a, vcd0, ...).
 */
import { EEXIST, SysError } from '../../kern/errno.ts';
import {
  DEV_CONSOLE, DEV_FULL, DEV_NULL, DEV_RANDOM, DEV_TTY, DEV_URANDOM, DEV_ZERO,
} from '../../dev/cdev.ts';
import { DEVFS_MAGIC, Mount, ST_NOEXEC, type StatFs } from '../../vfs/vfs_mount.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import { FdescDir } from './devfs_fdesc.ts';
import { DevCdev, DevDir, DevLink, type DevNode } from './devfs_vnops.ts';

/*
 * Drivers that add nodes to every devfs when it is made (disks: vkd0,
 * vkd0s0a, vcd0...). Registered by the driver, run by populate().
 */
const populators: ((mp: DevfsMount) => void)[] = [];

export function devfsAddPopulator(fn: (mp: DevfsMount) => void): void {
  if (!populators.includes(fn)) populators.push(fn);
}

export class DevfsMount extends Mount {
  readonly fsType = 'devfs';
  readonly from = 'devfs';
  private nextIno = 2;
  private readonly rootDir: DevDir;

  constructor() {
    super();
    this.flags |= ST_NOEXEC;
    this.rootDir = new DevDir(this, null);
    this.populate();
  }

  allocIno(): number {
    return this.nextIno++;
  }

  root(): Vnode {
    return this.rootDir;
  }

  statfs(): StatFs {
    return {
      type: DEVFS_MAGIC, bsize: 4096, frsize: 4096, blocks: 0, bfree: 0, bavail: 0,
      files: this.nextIno, ffree: 0, namelen: 255, flags: this.flags,
    };
  }

  /** Add a device node (path relative to /dev, directories made as needed). */
  makeDev(path: string, rdev: number, mode: number, uid = 0, gid = 0): DevNode {
    const n = new DevCdev(this, rdev, mode);
    n.uid = uid;
    n.gid = gid;
    this.enter(path, n);
    return n;
  }

  makeLink(path: string, target: string): DevNode {
    const n = new DevLink(this, target);
    this.enter(path, n);
    return n;
  }

  /** Remove a node (a detached device). */
  destroyDev(path: string): void {
    const parts = path.split('/');
    const name = parts.pop() as string;
    this.dirFor(parts).entries.delete(name);
  }

  private enter(path: string, n: DevNode): void {
    const parts = path.split('/');
    const name = parts.pop() as string;
    const dir = this.dirFor(parts);
    if (dir.entries.has(name)) throw new SysError(EEXIST);
    dir.entries.set(name, n);
  }

  private dirFor(parts: string[]): DevDir {
    let d = this.rootDir;
    for (const p of parts) {
      let next = d.entries.get(p);
      if (!next) {
        next = new DevDir(this, d);
        d.entries.set(p, next);
      }
      if (!(next instanceof DevDir)) throw new SysError(EEXIST);
      d = next;
    }
    return d;
  }

  private populate(): void {
    this.makeDev('console', DEV_CONSOLE, 0o600);
    this.makeDev('tty', DEV_TTY, 0o666);
    this.makeDev('null', DEV_NULL, 0o666);
    this.makeDev('zero', DEV_ZERO, 0o666);
    this.makeDev('full', DEV_FULL, 0o666);
    this.makeDev('random', DEV_RANDOM, 0o666);
    this.makeDev('urandom', DEV_URANDOM, 0o666);
    this.rootDir.entries.set('fd', new FdescDir(this, this.rootDir));
    this.makeLink('stdin', 'fd/0');
    this.makeLink('stdout', 'fd/1');
    this.makeLink('stderr', 'fd/2');
    for (const fn of populators) fn(this);
  }
}
