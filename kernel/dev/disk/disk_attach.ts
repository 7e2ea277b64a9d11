/*
 * Disks at boot and halt: attach vkd/vcd for the -r/-c images the host
 * opened, probe their slices, mount the root file system from them, and at
 * halt sync everything to the stores before the host lets go.
 *
 * The block stores are asynchronous and boot runs outside any thread, so
 * the steps that read the disk run to completion by retrying: a step that
 * throws SleepRequest (a buffer-cache miss) runs again once the cache has
 * no I/O in flight — the same rerun rule syscalls follow.
 */
import type { BootConfig } from '../../kern/bootconfig.ts';
import { EBUSY, EINVAL, SysError } from '../../kern/errno.ts';
import type { BlockDev } from '../../fs/ufs/ufs_blockdev.ts';
import { SleepRequest } from '../../kern/sleep.ts';
import { rootCred } from '../../kern/proc.ts';
import { namei } from '../../vfs/namei.ts';
import { VREG, type Vnode } from '../../vfs/vnode.ts';
import type { Platform } from '../../platform.ts';
import { BufCache } from '../../vfs/vfs_bio.ts';
import { parseMountOptions, vfsRegister } from '../../vfs/vfs_conf.ts';
import type { Mount, MountTable } from '../../vfs/vfs_mount.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';
import { devfsAddPopulator } from '../../fs/devfs/devfs_vfsops.ts';
import { Cd9660Mount, cd9660Options } from '../../fs/cd9660/cd9660_vnops.ts';
import { UfsMount } from '../../fs/ufs/ufs_vfsops.ts';
import { vcdAttach, NVCD } from '../vcd.ts';
import { vkdAttach, NVKD } from '../vkd.ts';
import { diskClearAll, diskNodes, diskOpen, diskRegisterCdevs, diskUnits, type DiskUnit } from './subr_disk.ts';
import { devstatAttach, devstatReset } from './subr_devstat.ts';

/* MS_RDONLY of mount(2). */
const MS_RDONLY = 1;

/** What the disk layer needs from the kernel. */
export interface DiskKernel {
  readonly platform: Platform;
  readonly config: BootConfig;
  readonly pages: PageAllocator;
  log(s: string): void;
  uptimeMs(): number;
}

interface DiskState {
  cache: BufCache;
  k: DiskKernel;
  rootFrom: string | null;   // the default root, from the first -r/-c
  rootMount: Mount | null;   // mounted during boot
  rootError: string | null;
}

let state: DiskState | null = null;

/** The buffer cache of the running system (vmstat/iostat, tests). */
export function diskCache(): BufCache | null {
  return state?.cache ?? null;
}

/**
 * Boot: attach the disks, probe them, and mount the root from them if it
 * comes from one (vfs.root.mountfrom, or the first -r/-c). Calls done when
 * finished (at once, synchronously, when there are no disks).
 */
export function diskBoot(k: DiskKernel, done: () => void): void {
  diskClearAll();
  devstatReset();
  mountedDevs.clear();
  state?.cache.shutdown();
  const cache = new BufCache({
    maxBytes: Math.min(64 << 20, Math.floor(k.config.memSize / 8)),
    uptimeMs: () => k.uptimeMs(),
    schedule: (fn, ms) => k.platform.schedule(fn, ms),
  });
  const st: DiskState = { cache, k, rootFrom: null, rootMount: null, rootError: null };
  state = st;
  registerFilesystems(k);
  if (!attachAll(k, cache)) {
    done();
    return;
  }
  runToCompletion(cache, () => {
    for (const du of diskUnits()) {
      du.probe();
      diskRegisterCdevs(du);
    }
    st.rootFrom ??= defaultRoot(k.config);
    mountRootStep(st, k.config.kenv.get('vfs.root.mountfrom') ?? st.rootFrom);
    if (st.rootMount) prefetchBoot(st.rootMount, k.config.kenv.get('init_path') ?? '/sbin/init');
  }, (err) => {
    if (err) st.rootError = String(err instanceof Error ? err.message : err);
    done();
  });
}

function attachAll(k: DiskKernel, cache: BufCache): boolean {
  const stores = k.platform.blockStores ?? [];
  let n = 0;
  k.config.disks.forEach((spec, i) => {
    const store = stores[i] && devstatAttach(stores[i], `${spec.kind}${spec.unit}`, () => k.uptimeMs());
    if (!store) {
      k.log(`${spec.kind}${spec.unit}: no block store for ${spec.path}`);
      return;
    }
    if (spec.kind === 'vkd' && spec.unit < NVKD) vkdAttach(cache, store, spec.unit, spec.serno, (s) => k.log(s));
    else if (spec.kind === 'vcd' && spec.unit < NVCD) vcdAttach(cache, store, spec.unit);
    else return;
    n++;
  });
  return n > 0;
}

/* The first -r/-c is the boot disk: ufs on vkd0s0a, then vkd0s1a (the bare disk if neither), or cd9660 on vcd0. */
function defaultRoot(config: BootConfig): string | null {
  const first = config.disks[0];
  if (!first) return null;
  const du = diskUnits().find((d) => d.name === `${first.kind}${first.unit}`);
  if (!du) return null;
  if (du.kind === 'vcd') return `cd9660:${du.name}`;
  const names = (du.parts ?? []).map((p) => p.name);
  for (const s of ['s0a', 's1a']) if (names.includes(s)) return `ufs:${du.name}${s}`;
  return `ufs:${du.name}`;
}

/** The root spec boot should use when -e vfs.root.mountfrom does not say. */
export function diskRootFrom(): string | null {
  return state?.rootFrom ?? null;
}

/* Mount ufs:/cd9660: roots during boot (other types are the kernel's). */
function mountRootStep(st: DiskState, from: string | null): void {
  if (!from || st.rootMount) return;
  const i = from.indexOf(':');
  const type = i < 0 ? from : from.slice(0, i);
  if (!isDiskFs(type)) return;
  const mp = makeDiskMount(st.k, type, from.slice(i + 1), false, true, '');
  st.rootMount = mp;
  if (mp.readonly && (type === 'ufs' || type === 'ffs')) {
    const um = mp as UfsMount;
    if (!um.vol.sb.isClean) st.k.log(`WARNING: ${um.from} was not properly dismounted, mounted read-only`);
  }
}

/*
 * Boot reads the root outside any thread (mount points, exec of init and
 * its interpreter), where a cache miss cannot sleep: read those here, in
 * the retried step, so boot finds them cached.
 */
function prefetchBoot(mp: Mount, initPath: string): void {
  const root = mp.root();
  const look = (path: string): Vnode | null => {
    try {
      return namei({ path, start: root, root, cred: rootCred(), follow: true });
    } catch (e) {
      if (e instanceof SleepRequest) throw e;
      return null;
    }
  };
  for (const d of ['/dev', '/tmp', '/proc']) look(d);
  let path: string | null = initPath;
  for (let depth = 0; path && depth < 4; depth++) {
    const vp = look(path);
    if (!vp || vp.type !== VREG) break;
    const size = vp.getattr().size;
    const img = vp.read(0, Math.min(size, 16 << 20));
    path = interpreterOf(img);
  }
}

/* The program that runs img: PT_INTERP of an ELF64, or a #! line. */
function interpreterOf(img: Uint8Array): string | null {
  const str = (a: number, z: number): string => String.fromCharCode(...img.subarray(a, z));
  if (img[0] === 0x23 && img[1] === 0x21) {
    const nl = img.indexOf(10);
    const line = str(2, nl < 0 ? Math.min(img.length, 256) : nl).trim();
    return line.split(/[ \t]/)[0] || null;
  }
  if (img.length < 64 || img[0] !== 0x7f || img[1] !== 0x45 || img[4] !== 2) return null;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const phoff = Number(dv.getBigUint64(0x20, true)), phentsize = dv.getUint16(0x36, true), phnum = dv.getUint16(0x38, true);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 56 > img.length || dv.getUint32(ph, true) !== 3) continue;
    const off = Number(dv.getBigUint64(ph + 8, true)), sz = Number(dv.getBigUint64(ph + 32, true));
    if (off + sz > img.length) return null;
    const z = img.indexOf(0, off);
    return str(off, z < 0 || z > off + sz ? off + sz : z);
  }
  return null;
}

function isDiskFs(type: string): boolean {
  return ['ufs', 'ffs', 'cd9660', 'iso9660'].includes(type);
}

/**
 * The root Mount for vfs.root.mountfrom `from` if it lives on a disk (made
 * during diskBoot), null if from is not a disk file system. Throws with the
 * reason when the disk root could not be mounted.
 */
export function diskRootMount(from: string): Mount | null {
  const type = from.split(':')[0];
  if (!isDiskFs(type)) return null;
  if (state?.rootMount) return state.rootMount;
  throw new Error(`cannot mount root from ${from}: ${state?.rootError ?? 'no such disk'}`);
}

/* Devices with a file system mounted on them: a second mount would be a second, unaware writer. */
const mountedDevs = new Set<string>();

/* A UFS or cd9660 mount on a disk device. May sleep (SleepRequest); EBUSY if the device is mounted. */
function makeDiskMount(k: DiskKernel, type: string, source: string, rdonly: boolean, isRoot: boolean, data: string): Mount {
  const { dev, du, name } = diskOpen(source);
  if (mountedDevs.has(name)) throw new SysError(EBUSY);
  const mp = newDiskMount(k, type, dev, du, `/dev/${name}`, rdonly, isRoot, data);
  mountedDevs.add(name);
  mp.onRelease = () => mountedDevs.delete(name);
  return mp;
}

function newDiskMount(k: DiskKernel, type: string, dev: BlockDev, du: DiskUnit, from: string, rdonly: boolean,
  isRoot: boolean, data: string): UfsMount | Cd9660Mount {
  if (type === 'cd9660' || type === 'iso9660') {
    return new Cd9660Mount(dev, from, k.pages, cd9660Options(parseMountOptions(data)));
  }
  const opts = parseMountOptions(data);
  return new UfsMount({
    dev, bio: du.bdev, from, pages: k.pages, readonly: rdonly || du.readOnly || opts.has('ro'),
    dirty: isRoot ? 'readonly' : opts.has('force') ? 'force' : 'refuse',
    wallMs: () => k.platform.wallclockMs(),
  });
}

/* mount(2) -t ufs|ffs|cd9660|iso9660 /dev/vkd0s1a /mnt; /dev nodes for every disk in every devfs. */
function registerFilesystems(k: DiskKernel): void {
  vfsRegister(['ufs', 'ffs'], (src, data, flags) => makeDiskMount(k, 'ufs', src, ((flags ?? 0) & MS_RDONLY) !== 0, false, data));
  vfsRegister(['cd9660', 'iso9660'], (src, data) => makeDiskMount(k, 'cd9660', src, true, false, data));
  devfsAddPopulator((devfs) => {
    for (const du of diskUnits()) makeNodes(devfs, du);
  });
}

function makeNodes(devfs: { makeDev(path: string, rdev: number, mode: number, uid?: number, gid?: number): unknown }, du: DiskUnit): void {
  /* BSD: disks are root:operator 0640. */
  for (const [name, rdev] of diskNodes(du)) {
    try {
      devfs.makeDev(name, rdev, 0o640, 0, 5);
    } catch {
      /* already there */
    }
  }
}

/**
 * Halt: sync every file system (retrying through cache misses), unmount,
 * then wait until every dirty buffer is on its store. done(null) when
 * finished; synchronously when there are no disks.
 */
export function diskShutdown(mounts: MountTable, done: (err: unknown) => void): void {
  const st = state;
  if (!st || st.cache.devs.length === 0) {
    try {
      mounts.syncAll();
      mounts.unmountAll();
      done(null);
    } catch (e) {
      done(e);
    }
    return;
  }
  const cache = st.cache;
  BufCache.noSleep = true;
  runToCompletion(cache, () => mounts.syncAll(), (err) => {
    if (!err) {
      try {
        mounts.unmountAll();
      } catch (e) {
        err = e;
      }
    }
    const tokens = cache.flushAll();
    cache.whenIdle(() => {
      BufCache.noSleep = false;
      cache.shutdown();
      const failed = tokens.some((t) => t.failed);
      done(err ?? (failed ? new SysError(EINVAL) : null));
    });
  });
}

/* Run step until it stops sleeping; each SleepRequest waits for the cache to go idle. */
function runToCompletion(cache: BufCache, step: () => void, done: (err: unknown) => void): void {
  let tries = 0;
  const attempt = (): void => {
    try {
      step();
    } catch (e) {
      if (e instanceof SleepRequest && ++tries < 100000) {
        if (!cache.busy) {
          done(new Error('disk wait with no I/O in flight'));
          return;
        }
        cache.whenIdle(attempt);
        return;
      }
      done(e);
      return;
    }
    done(null);
  };
  attempt();
}
