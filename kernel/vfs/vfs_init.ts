/*
 * Bringing the file layer up at boot: clocks, the memory devices and the
 * console, the root file system from vfs.root.mountfrom, devfs on /dev.
 *
 *   const vfs = vfsInit({ platform, pages, uptimeMs });
 *   const root = vfsMountRoot(vfs, kenv.get('vfs.root.mountfrom'));
 *   vfsMountDevfs(vfs);                 // and a tmpfs on /tmp if the root is read-only
 *   proc1.root = vref(root); proc1.cwd = vref(root);
 *   platform console input → vfs.console.input(bytes)
 */
import { consInit } from '../dev/cons.ts';
import { memDevInit } from '../dev/mem.ts';
import { EINVAL, ENODEV, ENXIO, SysError } from '../kern/errno.ts';
import { rootCred } from '../kern/proc.ts';
import type { Tty } from '../kern/tty.ts';
import type { Platform } from '../platform.ts';
import type { PageAllocator } from '../vm/vm_page.ts';
import { DevfsMount } from '../fs/devfs/devfs_vfsops.ts';
import { HostfsMount } from '../fs/hostfs/hostfs_vfsops.ts';
import { TmpfsMount } from '../fs/tmpfs/tmpfs_vfsops.ts';
import { namei } from './namei.ts';
import { vfsRegisterBase } from './vfs_conf.ts';
import { MountTable, setSystemMounts, type Mount } from './vfs_mount.ts';
import { setVfsClock } from './vfs_time.ts';
import type { Vnode } from './vnode.ts';

export interface VfsDeps {
  platform: Platform;
  pages: PageAllocator;
  /** Kernel uptime in ms (timeouts, VTIME). */
  uptimeMs(): number;
}

export interface Vfs {
  readonly mounts: MountTable;
  readonly console: Tty;
  readonly deps: VfsDeps;
  devfs: DevfsMount | null;
}

export function vfsInit(deps: VfsDeps): Vfs {
  setVfsClock({ wallMs: () => deps.platform.wallclockMs(), uptimeMs: deps.uptimeMs });
  memDevInit((b) => deps.platform.randomBytes(b));
  const console = consInit(deps.platform.console, deps.uptimeMs);
  const mounts = new MountTable();
  setSystemMounts(mounts);
  vfsRegisterBase(deps.pages, deps.platform);
  return { mounts, console, deps, devfs: null };
}

/**
 * Mount the root from a vfs.root.mountfrom spec: "hostfs:/abs/dir" (Node),
 * "tmpfs" (an empty memory root; the default). ufs/cd9660 come with the
 * storage issue. Returns the root vnode.
 */
export function vfsMountRoot(vfs: Vfs, spec = 'tmpfs'): Vnode {
  const i = spec.indexOf(':');
  const type = i < 0 ? spec : spec.slice(0, i);
  const arg = i < 0 ? '' : spec.slice(i + 1);
  let mp: Mount;
  if (type === 'hostfs') {
    const host = vfs.deps.platform.hostfs?.(arg) ?? null;
    if (!host) throw new SysError(ENXIO);
    mp = new HostfsMount(host, arg, vfs.deps.pages);
  } else if (type === 'tmpfs') {
    mp = new TmpfsMount(vfs.deps.pages, { mode: 0o755 });
    for (const d of ['dev', 'tmp', 'proc']) mp.root().mkdir(d, d === 'tmp' ? 0o1777 : 0o755, rootCred());
  } else {
    throw new SysError(type === '' ? EINVAL : ENODEV);
  }
  vfs.mounts.mountRoot(mp);
  return mp.root();
}

/** Mount mp on the directory at path (absolute, from the system root). */
export function vfsMountAt(vfs: Vfs, path: string, mp: Mount): void {
  const root = vfs.mounts.rootVnode();
  const vp = namei({ path, start: root, root, cred: rootCred(), follow: true });
  vfs.mounts.mount(mp, vp);
}

export function vfsMountDevfs(vfs: Vfs): DevfsMount {
  const mp = new DevfsMount();
  vfsMountAt(vfs, '/dev', mp);
  vfs.devfs = mp;
  return mp;
}

/** A tmpfs on /tmp (what a read-only hostfs root needs for scratch files). */
export function vfsMountTmp(vfs: Vfs): TmpfsMount {
  const mp = new TmpfsMount(vfs.deps.pages, { mode: 0o1777, maxPages: Math.floor(vfs.deps.pages.mem.npages / 4) });
  vfsMountAt(vfs, '/tmp', mp);
  return mp;
}

/** halt/reboot: sync and unmount everything. */
export function vfsShutdown(vfs: Vfs): void {
  vfs.mounts.syncAll();
  vfs.mounts.unmountAll();
  setSystemMounts(null);
}
