/*
 * makefs: build a UFS1 or UFS2 image from a host directory, like BSD's
 * `makefs -t ffs`, optionally inside an MBR slice and a BSD disklabel.
 *
 *   node --import tsx tools/makefs.ts [-t ffs] [-o version=1|2,bsize=N,fsize=N,density=N,minfree=N,label=NAME]
 *        [-s size] [-T epoch] [--mbr-disklabel | --disklabel] [--label32] image dir
 *
 *   -s size          file system size (k/m/g suffixes); default: enough for dir, with room to spare
 *   -T epoch         every timestamp (default $SOURCE_DATE_EPOCH; else the files' own mtimes)
 *   --mbr-disklabel  MBR with one slice (type 0x6c, DragonFly) holding a disklabel64 whose
 *                    partition 'a' is the file system: the kernel's vkd0s1a
 *   --disklabel      a disklabel64 on the bare disk (DragonFly's vkernel root image layout):
 *                    vkd0s0a
 *   --label32        the classic 32-bit disklabel instead (MBR slice type 0xa5)
 *
 * Files, directories, symlinks, FIFOs and hard links are copied with their
 * permission bits; owner and group are 0. The same input and options give
 * the same bytes.
 */
import { lstatSync, readdirSync, readlinkSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemBlockDev, SubBlockDev, type BlockDev } from '../kernel/fs/ufs/ufs_blockdev.ts';
import { mkfs } from '../kernel/fs/ufs/ufs_mkfs.ts';
import { UfsVolume, IFIFO, IFREG } from '../kernel/fs/ufs/ufs_volume.ts';
import {
  disklabel32Build, disklabel64Build, DOSPTYP_386BSD, DOSPTYP_DFLYBSD, mbrBuild, SECTOR,
} from '../kernel/dev/disk/diskslice.ts';
import { unicodeToBstr } from '../kernel/vfs/bstr.ts';
import { ENOSPC, SysError } from '../kernel/kern/errno.ts';

export interface MakefsOptions {
  version?: 1 | 2;
  bsize?: number;
  fsize?: number;
  density?: number;
  minfree?: number;
  volname?: string;
  /** File system size in bytes (0/undefined: computed). */
  size?: number;
  /** Fixed timestamp (seconds) for everything; undefined: the host files' mtimes. */
  epoch?: number;
  wrap?: 'none' | 'mbr' | 'label';
  label32?: boolean;
}

const MIB = 1 << 20;

/** Build the image in memory. */
export function buildImage(dir: string, o: MakefsOptions = {}): Uint8Array {
  let size = o.size ?? estimateSize(dir, o);
  for (let tries = 0; ; tries++) {
    try {
      return buildSized(dir, o, size);
    } catch (e) {
      if (!(e instanceof SysError && e.errno === ENOSPC) || o.size || tries > 6) throw e;
      size = Math.ceil((size * 1.5) / MIB) * MIB;
    }
  }
}

function buildSized(dir: string, o: MakefsOptions, fsBytes: number): Uint8Array {
  const wrap = o.wrap ?? 'none';
  const lead = wrap === 'mbr' ? MIB : 0;               /* sectors before the slice */
  const labelArea = wrap === 'none' ? 0 : o.label32 ? 16 * SECTOR : MIB;
  const total = lead + labelArea + fsBytes;
  const disk = new MemBlockDev(total);
  let fsdev: BlockDev = disk;
  if (wrap !== 'none') fsdev = writeLabels(disk, lead, total - lead, !!o.label32, wrap === 'mbr');
  const t = o.epoch ?? Math.floor(Date.now() / 1000);
  mkfs(fsdev, {
    ufs2: o.version === 2, bsize: o.bsize, fsize: o.fsize, density: o.density, minfree: o.minfree,
    time: t, volname: o.volname,
  });
  const vol = UfsVolume.mount(fsdev, { clock: () => t * 1000 });
  const links = new Map<string, number>();
  copyDir(vol, vol.root, dir, o.epoch, links);
  const rootSt = lstatSync(dir);
  vol.setattr(vol.root, { mode: rootSt.mode & 0o7777 });
  setTimes(vol, vol.root, rootSt.mtimeMs, o.epoch);
  vol.unmount();
  return disk.bytes;
}

function writeLabels(disk: MemBlockDev, lead: number, sliceSize: number, label32: boolean, mbr: boolean): BlockDev {
  if (mbr) disk.write(0, mbrBuild(lead / SECTOR, sliceSize / SECTOR, label32 ? DOSPTYP_386BSD : DOSPTYP_DFLYBSD));
  if (label32) {
    const start = 16, sectors = sliceSize / SECTOR - start;
    disk.write(lead + SECTOR, disklabel32Build(sliceSize / SECTOR, start, sectors));
    return new SubBlockDev(disk, lead + start * SECTOR, sectors * SECTOR);
  }
  const l = disklabel64Build(sliceSize);
  disk.write(lead, l.label);
  return new SubBlockDev(disk, lead + l.partOffset, l.partSize);
}

function estimateSize(dir: string, o: MakefsOptions): number {
  const bsize = o.bsize ?? 16384;
  let bytes = 0, inodes = 0;
  const walk = (p: string) => {
    for (const name of readdirSync(p)) {
      const st = lstatSync(join(p, name));
      inodes++;
      if (st.isDirectory()) walk(join(p, name));
      bytes += Math.ceil(st.size / bsize) * bsize * 1.02 + 2048;
    }
  };
  walk(dir);
  const est = bytes * 1.25 + inodes * 2 * 256 + 4 * MIB;
  return Math.ceil(est / MIB) * MIB;
}

function times(mtimeMs: number, epoch: number | undefined) {
  const sec = epoch ?? Math.floor(mtimeMs / 1000);
  const nsec = epoch === undefined ? Math.round((mtimeMs - sec * 1000) * 1e6) : 0;
  return { sec, nsec };
}

function setTimes(vol: UfsVolume, ino: number, mtimeMs: number, epoch: number | undefined): void {
  const t = times(mtimeMs, epoch);
  vol.setattr(ino, { atime: t, mtime: t, ctime: t });
}

function copyDir(vol: UfsVolume, dino: number, path: string, epoch: number | undefined, links: Map<string, number>): void {
  for (const hostName of readdirSync(path).sort()) {
    const p = join(path, hostName), name = unicodeToBstr(hostName);
    const st = lstatSync(p);
    const key = `${st.dev}:${st.ino}`;
    if (!st.isDirectory() && st.nlink > 1 && links.has(key)) {
      vol.link(dino, name, links.get(key) as number);
      continue;
    }
    let ino: number;
    if (st.isDirectory()) {
      ino = vol.mkdir(dino, name, st.mode & 0o7777, 0, 0);
      copyDir(vol, ino, p, epoch, links);
    } else if (st.isSymbolicLink()) {
      ino = vol.symlink(dino, name, unicodeToBstr(readlinkSync(p)), 0, 0);
    } else if (st.isFIFO()) {
      ino = vol.create(dino, name, IFIFO | (st.mode & 0o7777), 0, 0);
    } else if (st.isFile()) {
      ino = vol.create(dino, name, IFREG | (st.mode & 0o7777), 0, 0);
      copyFile(vol, ino, p, st.size);
    } else {
      process.stderr.write(`makefs: skipping ${p}: unsupported file type\n`);
      continue;
    }
    if (!st.isDirectory() && st.nlink > 1) links.set(key, ino);
    vol.setattr(ino, { mode: st.mode & 0o7777 });
    setTimes(vol, ino, st.mtimeMs, epoch);
  }
}

/* Copy in 1 MiB pieces; all-zero blocks become holes, as BSD makefs does not but sparse sources want. */
function copyFile(vol: UfsVolume, ino: number, path: string, size: number): void {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(MIB);
    for (let off = 0; off < size;) {
      const n = readSync(fd, buf, 0, Math.min(MIB, size - off), off);
      if (n <= 0) break;
      writeNonZero(vol, ino, off, buf.subarray(0, n), off + n === size);
      off += n;
    }
    if (vol.getattr(ino).size < size) vol.truncate(ino, size);
  } finally {
    closeSync(fd);
  }
}

/* Write the piece, skipping 64 KiB runs of zeros (they stay holes); the file's end is always written. */
function writeNonZero(vol: UfsVolume, ino: number, off: number, data: Uint8Array, last: boolean): void {
  const step = 65536;
  for (let i = 0; i < data.length; i += step) {
    const part = data.subarray(i, Math.min(data.length, i + step));
    const final = last && i + step >= data.length;
    if (!final && part.every((b) => b === 0)) continue;
    vol.write(ino, off + i, part);
  }
}

/* ---- command line ---- */

function parseSize(s: string): number {
  const m = /^(\d+)([kmgKMG]?)$/.exec(s);
  if (!m) throw new Error(`bad size ${s}`);
  const mult = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[m[2].toLowerCase()] ?? 1;
  return Number(m[1]) * mult;
}

export function parseArgs(argv: string[]): { image: string; dir: string; opts: MakefsOptions } {
  const opts: MakefsOptions = {};
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env) opts.epoch = Number(env);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-t') {
      if (argv[++i] !== 'ffs') throw new Error('only -t ffs is supported');
    } else if (a === '-o') {
      for (const kv of argv[++i].split(',')) setOpt(opts, kv);
    } else if (a === '-s') opts.size = parseSize(argv[++i]);
    else if (a === '-T') opts.epoch = Number(argv[++i]);
    else if (a === '--mbr-disklabel') opts.wrap = 'mbr';
    else if (a === '--disklabel') opts.wrap = 'label';
    else if (a === '--label32') opts.label32 = true;
    else rest.push(a);
  }
  if (rest.length !== 2) throw new Error('usage: makefs [-t ffs] [-o opts] [-s size] [-T epoch] [--mbr-disklabel|--disklabel] [--label32] image dir');
  return { image: rest[0], dir: rest[1], opts };
}

function setOpt(o: MakefsOptions, kv: string): void {
  const [k, v] = kv.split('=');
  if (k === 'version') o.version = v === '2' ? 2 : 1;
  else if (k === 'bsize') o.bsize = Number(v);
  else if (k === 'fsize') o.fsize = Number(v);
  else if (k === 'density') o.density = Number(v);
  else if (k === 'minfree') o.minfree = Number(v);
  else if (k === 'label') o.volname = v;
  else throw new Error(`unknown option ${k}`);
}

function main(): void {
  try {
    const { image, dir, opts } = parseArgs(process.argv.slice(2));
    const bytes = buildImage(dir, opts);
    writeFileSync(image, bytes);
    process.stdout.write(`${image}: ${bytes.length} bytes, UFS${opts.version ?? 1}\n`);
  } catch (e) {
    process.stderr.write(`makefs: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

