/*
 * The file system types the kernel knows (BSD's vfsconf): name → how to make
 * a Mount from mount(2)'s source, flags and data. Both BSD and Linux type
 * names are accepted (ufs/ffs, cd9660/iso9660, procfs/proc, devfs/devtmpfs).
 */
import type { PageAllocator } from '../vm/vm_page.ts';
import type { Platform } from '../platform.ts';
import { ENXIO, EROFS, SysError } from '../kern/errno.ts';
import { DevfsMount } from '../fs/devfs/devfs_vfsops.ts';
import { HostfsMount } from '../fs/hostfs/hostfs_vfsops.ts';
import { TmpfsMount } from '../fs/tmpfs/tmpfs_vfsops.ts';
import { ProcfsMount } from '../fs/procfs/procfs_vfsops.ts';
import type { Mount } from './vfs_mount.ts';

/**
 * Make a mount from mount(2)'s source and data (data: the option string,
 * "size=64m,mode=1777"); flags are mount(2)'s MS_* (a disk file system
 * must know MS_RDONLY before it touches the disk's clean flag).
 */
export type FsFactory = (source: string, data: string, flags?: number) => Mount;

const fstypes = new Map<string, FsFactory>();

/* mount(2)'s MS_RDONLY (vfs_mountsys.ts has the rest; importing it here would be circular). */
const MS_RDONLY = 1;

export function vfsRegister(names: string[], f: FsFactory): void {
  for (const n of names) fstypes.set(n, f);
}

export function vfsFactory(name: string): FsFactory | null {
  return fstypes.get(name) ?? null;
}

export function vfsTypeNames(): string[] {
  return [...fstypes.keys()];
}

/** "size=64m,mode=1777" → Map. */
export function parseMountOptions(data: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of data.split(',')) {
    if (!part) continue;
    const i = part.indexOf('=');
    m.set(i < 0 ? part : part.slice(0, i), i < 0 ? '' : part.slice(i + 1));
  }
  return m;
}

function sizeToPages(s: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2].toLowerCase()] ?? 1;
  return Math.ceil((Number(m[1]) * mult) / 4096);
}

/** tmpfs, devfs, procfs and (when the platform has one) hostfs. */
export function vfsRegisterBase(pages: PageAllocator, platform: Platform): void {
  vfsRegister(['tmpfs'], (_src, data) => {
    const o = parseMountOptions(data);
    const size = o.get('size');
    const mode = o.get('mode');
    return new TmpfsMount(pages, {
      maxPages: size ? sizeToPages(size) : undefined,
      mode: mode ? parseInt(mode, 8) : 0o1777,
    });
  });
  vfsRegister(['devfs', 'devtmpfs'], () => new DevfsMount());
  vfsRegister(['procfs', 'proc'], () => new ProcfsMount());
  vfsRegister(['hostfs'], (src, _data, flags = 0) => {
    const rdonly = (flags & MS_RDONLY) !== 0;
    const host = platform.hostfs?.(src, !rdonly) ?? null;
    if (!host) {
      /* A host tree the operator did not export read-write still mounts with -o ro. */
      if (!rdonly && platform.hostfs?.(src, false)) throw new SysError(EROFS);
      throw new SysError(ENXIO);
    }
    return new HostfsMount(host, src, pages, rdonly ? undefined : []);
  });
}
