/*
 * cd9660 in the VFS (BSD's cd9660_vnops.c and the mount half of
 * cd9660_vfsops.c): a read-only Mount over IsoMnt and one vnode per
 * IsoNode. Every change fails with EROFS (the Vnode defaults do that for
 * a read-only mount). Reads may sleep on the buffer cache; IsoMnt keeps
 * nothing from a read that did not complete, so reruns are safe.
 */
import { PAGE_SIZE } from '../../vm/physmem.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';
import { ISOFS_MAGIC, Mount, ST_RDONLY, type StatFs } from '../../vfs/vfs_mount.ts';
import { Vnode, type DirEntry, type Vattr } from '../../vfs/vnode.ts';
import { ISO_BSIZE, type BlockDev } from './blockdev.ts';
import type { IsoNode } from './cd9660_node.ts';
import { IsoMnt, type IsoMountOptions } from './cd9660_vfsops.ts';

export class Cd9660Vnode extends Vnode {
  declare readonly mount: Cd9660Mount;
  private readonly pages = new Map<number, number>();

  constructor(mp: Cd9660Mount, readonly node: IsoNode) {
    super(mp, node.type);
  }

  getattr(): Vattr {
    return { ...this.mount.iso.getattr(this.node), fsid: this.mount.fsid };
  }

  override lookup(name: string): Vnode {
    return this.mount.vget(this.mount.iso.lookup(this.node, name));
  }

  override readdir(cookie: number, max: number): DirEntry[] {
    return this.mount.iso.readdir(this.node, cookie, max);
  }

  override readlink(): string {
    return this.mount.iso.readlink(this.node);
  }

  override read(off: number, len: number): Uint8Array {
    return this.mount.iso.read(this.node, off, len);
  }

  override getPage(pgoff: number): number {
    const hit = this.pages.get(pgoff);
    if (hit !== undefined) return hit;
    const data = this.mount.iso.read(this.node, pgoff * PAGE_SIZE, PAGE_SIZE);
    const pa = this.mount.pages;
    const ppn = pa.alloc();
    pa.mem.u8.set(data, ppn * PAGE_SIZE);
    pa.mem.noteWrite(ppn);
    this.pages.set(pgoff, ppn);
    return ppn;
  }

  override size(): number {
    return this.node.size;
  }

  /* Nobody holds it: give the cached frames back (mappings hold their own). */
  override inactive(): void {
    for (const ppn of this.pages.values()) this.mount.pages.unref(ppn);
    this.pages.clear();
  }
}

export class Cd9660Mount extends Mount {
  readonly fsType = 'cd9660';
  readonly iso: IsoMnt;
  private readonly vnodes = new Map<number, Cd9660Vnode>();
  private readonly rootVp: Cd9660Vnode;

  /** Mount the volume on dev; may throw SleepRequest (rerun) or a Cd9660Error (EINVAL/EIO). */
  constructor(dev: BlockDev, readonly from: string, readonly pages: PageAllocator, opts: IsoMountOptions = {}) {
    super();
    this.flags |= ST_RDONLY;
    this.iso = IsoMnt.mount(dev, opts);
    this.rootVp = this.vget(this.iso.root);
  }

  root(): Vnode {
    return this.rootVp;
  }

  vget(node: IsoNode): Cd9660Vnode {
    let vp = this.vnodes.get(node.ino);
    if (!vp) {
      vp = new Cd9660Vnode(this, node);
      this.vnodes.set(node.ino, vp);
    }
    return vp;
  }

  statfs(): StatFs {
    const blocks = this.iso.volumeBlocks * (this.iso.lbs / ISO_BSIZE);
    return {
      type: ISOFS_MAGIC, bsize: ISO_BSIZE, frsize: ISO_BSIZE, blocks, bfree: 0, bavail: 0,
      files: 0, ffree: 0, namelen: 255, flags: this.flags,
    };
  }

  /** Called once unmounted (the disk layer frees the device). */
  onRelease: (() => void) | null = null;

  override unmount(): void {
    for (const vp of this.vnodes.values()) vp.inactive();
    this.vnodes.clear();
    this.onRelease?.();
    this.onRelease = null;
  }
}

/** cd9660 mount options from mount(2)'s data string (BSD's mount_cd9660 -r -j -g). */
export function cd9660Options(o: Map<string, string>): IsoMountOptions {
  return { norrip: o.has('norrip') || o.has('norock'), nojoliet: o.has('nojoliet'), gens: o.has('gens') };
}
