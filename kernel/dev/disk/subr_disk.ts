/*
 * Disks (BSD's subr_disk.c): each attached vkd/vcd unit, its slices and
 * partitions (from diskslice.ts), the registry file systems open devices
 * by name from ("vkd0s0a", "/dev/vcd0"), and the character-device face of
 * every disk node in /dev (pread/pwrite for dd and fsck).
 */
import { EINVAL, ENXIO, EROFS, SysError } from '../../kern/errno.ts';
import { cdevRegister, makedev, type Cdev } from '../cdev.ts';
import { noIoctl, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, SEEK_CUR, SEEK_END, SEEK_SET, type File, type FileOps } from '../../vfs/file.ts';
import { falloc } from '../../vfs/vfs_vnops.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import type { BlockDev } from '../../fs/ufs/ufs_blockdev.ts';
import { SubBlockDev } from '../../fs/ufs/ufs_blockdev.ts';
import { dsProbe, type DiskPart } from './diskslice.ts';
import type { BioDev } from '../../vfs/vfs_bio.ts';

/* Linux majors shown in st_rdev: vkd in the experimental range (252), vcd as SCSI CD-ROM (11). */
export const VKD_MAJOR = 252, VCD_MAJOR = 11;
/* Minors per disk: the whole disk plus up to 63 slices/partitions. */
const MINORS = 64;
const MAXIO = 1 << 20;

export class DiskUnit {
  /** Slices and partitions, probed once at attach (null: not probed yet). */
  parts: DiskPart[] | null = null;

  constructor(
    readonly name: string,            // "vkd0", "vcd1"
    readonly kind: 'vkd' | 'vcd',
    readonly unit: number,
    readonly bdev: BioDev,
    readonly secsize: number,
    readonly serno: string | undefined,
  ) {}

  get readOnly(): boolean {
    return this.kind === 'vcd' || this.bdev.readOnly;
  }

  /** Probe slices and labels (may sleep: SleepRequest). A vcd has none. */
  probe(): DiskPart[] {
    if (this.parts === null) this.parts = this.kind === 'vkd' ? dsProbe(this.bdev) : [];
    return this.parts;
  }

  /** The device for a suffix ("" whole disk, "s0", "s0a"), or null. */
  device(suffix: string): BlockDev | null {
    const dev: BlockDev = this.readOnly ? readOnlyDev(this.bdev) : this.bdev;
    if (suffix === '') return dev;
    const p = this.probe().find((x) => x.name === suffix);
    return p ? new SubBlockDev(dev, p.offset, p.size) : null;
  }

  rdev(index: number): number {
    return makedev(this.kind === 'vkd' ? VKD_MAJOR : VCD_MAJOR, this.unit * MINORS + index);
  }
}

/* vcd (and read-only stores): writes fail with EROFS. */
function readOnlyDev(d: BioDev): BlockDev {
  return {
    size: d.size,
    read: (off, into) => d.read(off, into),
    write: () => { throw new SysError(EROFS); },
    barrier: () => {},
  };
}

const units = new Map<string, DiskUnit>();

export function diskRegister(du: DiskUnit): void {
  units.set(du.name, du);
}

/** Forget every disk (a new boot, or a test). */
export function diskClearAll(): void {
  units.clear();
}

export function diskUnits(): DiskUnit[] {
  return [...units.values()];
}

/** "vkd0s0a", "/dev/vkd0s0a", "vcd0" → its unit and suffix, or null. */
export function diskParseName(spec: string): { du: DiskUnit; suffix: string } | null {
  const name = spec.startsWith('/dev/') ? spec.slice(5) : spec;
  const m = /^(vkd|vcd)(\d+)(.*)$/.exec(name);
  if (!m) return null;
  const du = units.get(`${m[1]}${m[2]}`);
  return du ? { du, suffix: m[3] } : null;
}

/** Open a disk device by name for a file system: ENXIO if there is no such device. */
export function diskOpen(spec: string): { dev: BlockDev; du: DiskUnit; name: string } {
  const r = diskParseName(spec);
  if (!r) throw new SysError(ENXIO);
  const dev = r.du.device(r.suffix);
  if (!dev) throw new SysError(ENXIO);
  return { dev, du: r.du, name: `${r.du.name}${r.suffix}` };
}

/** The /dev nodes of a unit: [name, rdev] for the disk and each slice/partition probed. */
export function diskNodes(du: DiskUnit): [string, number][] {
  const out: [string, number][] = [[du.name, du.rdev(0)]];
  (du.parts ?? []).forEach((p, i) => {
    if (i + 1 < MINORS) out.push([`${du.name}${p.name}`, du.rdev(i + 1)]);
  });
  return out;
}

/** Register the character devices of a unit's nodes (call after probing). */
export function diskRegisterCdevs(du: DiskUnit): void {
  for (const [name, rdev] of diskNodes(du)) {
    const suffix = name.slice(du.name.length);
    cdevRegister(rdev, diskCdev(du, suffix, name));
  }
}

function diskCdev(du: DiskUnit, suffix: string, name: string): Cdev {
  return {
    name,
    open(vp: Vnode, flags: number): File {
      const dev = du.device(suffix);
      if (!dev) throw new SysError(ENXIO);
      return falloc(diskFileOps(dev), vp, flags);
    },
  };
}

/* The file face of a disk: byte-addressed reads and writes at the file offset or pread/pwrite's. */
function diskFileOps(dev: BlockDev): FileOps {
  const at = (fp: File, off: number | null): number => (off === null ? fp.offset : off);
  return {
    read(fp, len, off) {
      const pos = at(fp, off);
      const n = Math.max(0, Math.min(len, MAXIO, dev.size - pos));
      const buf = new Uint8Array(n);
      if (n > 0) dev.read(pos, buf);
      if (off === null) fp.offset += n;
      return buf;
    },
    write(fp, data, off) {
      const pos = at(fp, off);
      const n = Math.max(0, Math.min(data.length, dev.size - pos));
      if (n === 0 && data.length > 0) throw new SysError(EINVAL);
      writeUnaligned(dev, pos, data.subarray(0, n));
      if (off === null) fp.offset += n;
      return n;
    },
    ioctl: noIoctl,
    poll: (_fp, events) => events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM),
    stat: (fp) => {
      const va = (fp.vnode as Vnode).getattr();
      return { ...va, size: dev.size };
    },
    close: () => {},
    seek(fp, off, whence) {
      const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? fp.offset : whence === SEEK_END ? dev.size : -1;
      if (base < 0 || base + off < 0) throw new SysError(EINVAL);
      fp.offset = base + off;
      return fp.offset;
    },
  };
}

/*
 * The buffer cache tracks whole sectors: a write that covers part of one
 * reads it first (that read may sleep; nothing has changed yet), so the
 * sector's other bytes survive.
 */
function writeUnaligned(dev: BlockDev, pos: number, data: Uint8Array): void {
  if (data.length === 0) return;
  const a = Math.floor(pos / 512) * 512;
  const z = Math.min(dev.size, Math.ceil((pos + data.length) / 512) * 512);
  if (a === pos && z === pos + data.length) {
    dev.write(pos, data);
    return;
  }
  const buf = new Uint8Array(z - a);
  dev.read(a, buf);
  buf.set(data, pos - a);
  dev.write(a, buf);
}
