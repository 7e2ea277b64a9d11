/*
 * tmpfs: a memory file system whose file data lives in page frames from the
 * VM's allocator (so a file's pages are exactly what MAP_SHARED maps).
 * Size limit in pages (default: half of physical memory, as BSD's tmpfs).
 */
import { ENOSPC, EROFS, SysError } from '../../kern/errno.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';
import { Mount, TMPFS_MAGIC, type StatFs } from '../../vfs/vfs_mount.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import type { PageBudget } from './tmpfs_pages.ts';
import { TmpDir } from './tmpfs_vnops.ts';

export interface TmpfsOptions {
  /** Size limit in pages. */
  maxPages?: number;
  /** Limit on files, directories and links (default: one per page of the size limit). */
  maxNodes?: number;
  /** The root directory's mode, owner and group. */
  mode?: number;
  uid?: number;
  gid?: number;
  from?: string;
}

export class TmpfsMount extends Mount {
  readonly fsType = 'tmpfs';
  readonly from: string;
  readonly budget: PageBudget;
  private nextIno = 2;
  /** Live nodes and their limit (Linux's nr_inodes): file names cost JS heap, not frames. */
  nodes = 0;
  readonly maxNodes: number;
  private readonly rootDir: TmpDir;

  /** tmpfs switches between read-only and read-write freely (mount -u); the flags say which. */
  override remount(_newFlags: number): void {}

  constructor(readonly pages: PageAllocator, opts: TmpfsOptions = {}) {
    super();
    this.from = opts.from ?? 'tmpfs';
    this.budget = { used: 0, limit: opts.maxPages ?? Math.floor(pages.mem.npages / 2) };
    this.maxNodes = opts.maxNodes ?? Math.max(1024, this.budget.limit);
    this.rootDir = new TmpDir(this, opts.mode ?? 0o1777, opts.uid ?? 0, opts.gid ?? 0, null);
  }

  allocIno(): number {
    if (this.nodes >= this.maxNodes) throw new SysError(ENOSPC);
    this.nodes++;
    return this.nextIno++;
  }

  releaseIno(): void {
    this.nodes--;
  }

  checkWritable(): void {
    if (this.readonly) throw new SysError(EROFS);
  }

  root(): Vnode {
    return this.rootDir;
  }

  statfs(): StatFs {
    const free = Math.max(0, Math.min(this.budget.limit - this.budget.used, this.pages.stats.free));
    return {
      type: TMPFS_MAGIC, bsize: 4096, frsize: 4096, blocks: this.budget.limit, bfree: free,
      bavail: free, files: this.maxNodes, ffree: this.maxNodes - this.nodes, namelen: 255,
      flags: this.flags,
    };
  }
}
