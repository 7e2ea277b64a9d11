/*
 * procfs: processes as files, mounted on /proc. What glibc and the common
 * tools read: /proc/self, /proc/<pid>/{exe,cwd,root,fd/,cmdline,comm,stat,
 * status,maps,mounts}, /proc/{mounts,meminfo,cpuinfo,uptime,loadavg,
 * filesystems,version}. The kernel connects it to the process table and
 * the allocator through procfsHooks; /proc/self is curproc's (vfs_curproc.ts).
 */
import type { Proc } from '../../kern/proc.ts';
import { curproc } from '../../vfs/vfs_curproc.ts';
import { Mount, PROC_MAGIC, type StatFs } from '../../vfs/vfs_mount.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import { procDirEntries } from './procfs_proc.ts';
import { sysEntries } from './procfs_sys.ts';
import { PfsDir, PfsLink, type PfsNode } from './procfs_vnops.ts';

export interface ProcfsHooks {
  /** The process table (live and zombie processes by pid). */
  procs(): ReadonlyMap<number, Proc>;
  /** Frame counts for meminfo, in pages. */
  memory(): { total: number; free: number; active: number; wired: number } | null;
  uptimeMs(): number;
  ncpus(): number;
  version(): string;
}

export const procfsHooks: ProcfsHooks = {
  procs: () => {
    const p = curproc();
    return new Map(p ? [[p.pid, p]] : []);
  },
  memory: () => null,
  uptimeMs: () => 0,
  ncpus: () => 1,
  version: () => 'DragonFly vkernel',
};

export class ProcfsMount extends Mount {
  readonly fsType = 'procfs';
  readonly from = 'proc';
  private nextIno = 2;
  private readonly rootDir: PfsDir;

  constructor() {
    super();
    this.rootDir = new PfsDir(this, null, () => this.rootEntries());
  }

  allocIno(): number {
    return this.nextIno++;
  }

  root(): Vnode {
    return this.rootDir;
  }

  statfs(): StatFs {
    return {
      type: PROC_MAGIC, bsize: 1024, frsize: 1024, blocks: 0, bfree: 0, bavail: 0, files: 0,
      ffree: 0, namelen: 255, flags: this.flags,
    };
  }

  private rootEntries(): Map<string, () => PfsNode> {
    const m = new Map<string, () => PfsNode>();
    m.set('self', () => new PfsLink(this, () => String(curproc()?.pid ?? 0)));
    for (const [pid, p] of procfsHooks.procs()) {
      m.set(String(pid), () => new PfsDir(this, this.rootDir, () => procDirEntries(this, p), 0o555,
        p.cred.uid, p.cred.gid));
    }
    for (const [name, make] of sysEntries(this)) m.set(name, make);
    return m;
  }
}
