/*
 * The user-visible layouts of stat(2), statx(2) and statfs(2) on Linux
 * riscv64 (asm-generic, 64-bit): struct stat is 128 bytes, struct statx 256,
 * struct statfs 120.
 */
import { makedev } from '../dev/cdev.ts';
import type { StatFs } from './vfs_mount.ts';
import { vtypeToIfmt, type Timespec, type Vattr } from './vnode.ts';

export const STAT_SIZE = 128;
export const STATX_STRUCT_SIZE = 256;
export const STATFS_SIZE = 120;

export const STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8,
  STATX_GID = 0x10, STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80,
  STATX_INO = 0x100, STATX_SIZE = 0x200, STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff,
  STATX_BTIME = 0x800;

function put64(dv: DataView, off: number, v: number): void {
  dv.setBigInt64(off, BigInt(Math.trunc(v)), true);
}

/** st_dev for a mount: anonymous devices have major 0, like Linux's tmpfs and procfs. */
export function fsidToDev(fsid: number): number {
  return makedev(0, fsid);
}

export function stMode(va: Vattr): number {
  return vtypeToIfmt(va.type) | (va.mode & 0o7777);
}

export function encodeStat(va: Vattr): Uint8Array {
  const b = new Uint8Array(STAT_SIZE);
  const dv = new DataView(b.buffer);
  put64(dv, 0, fsidToDev(va.fsid));
  put64(dv, 8, va.ino);
  dv.setUint32(16, stMode(va), true);
  dv.setUint32(20, va.nlink, true);
  dv.setUint32(24, va.uid, true);
  dv.setUint32(28, va.gid, true);
  put64(dv, 32, va.rdev);
  put64(dv, 48, va.size);
  dv.setInt32(56, va.blksize, true);
  put64(dv, 64, va.blocks);
  putTs(dv, 72, va.atime);
  putTs(dv, 88, va.mtime);
  putTs(dv, 104, va.ctime);
  return b;
}

function putTs(dv: DataView, off: number, t: Timespec): void {
  put64(dv, off, t.sec);
  put64(dv, off + 8, t.nsec);
}

function putStatxTs(dv: DataView, off: number, t: Timespec): void {
  put64(dv, off, t.sec);
  dv.setUint32(off + 8, t.nsec, true);
}

export function encodeStatx(va: Vattr): Uint8Array {
  const b = new Uint8Array(STATX_STRUCT_SIZE);
  const dv = new DataView(b.buffer);
  const dev = fsidToDev(va.fsid);
  dv.setUint32(0, STATX_BASIC_STATS | STATX_BTIME, true);
  dv.setUint32(4, va.blksize, true);
  dv.setUint32(16, va.nlink, true);
  dv.setUint32(20, va.uid, true);
  dv.setUint32(24, va.gid, true);
  dv.setUint16(28, stMode(va), true);
  put64(dv, 32, va.ino);
  put64(dv, 40, va.size);
  put64(dv, 48, va.blocks);
  putStatxTs(dv, 64, va.atime);
  putStatxTs(dv, 80, va.btime);
  putStatxTs(dv, 96, va.ctime);
  putStatxTs(dv, 112, va.mtime);
  dv.setUint32(128, (va.rdev >>> 8) & 0xfff, true);
  dv.setUint32(132, (va.rdev & 0xff) | ((va.rdev >>> 12) & 0xfff00), true);
  dv.setUint32(136, (dev >>> 8) & 0xfff, true);
  dv.setUint32(140, (dev & 0xff) | ((dev >>> 12) & 0xfff00), true);
  put64(dv, 144, va.fsid);
  return b;
}

export function encodeStatfs(sf: StatFs, fsid: number): Uint8Array {
  const b = new Uint8Array(STATFS_SIZE);
  const dv = new DataView(b.buffer);
  put64(dv, 0, sf.type);
  put64(dv, 8, sf.bsize);
  put64(dv, 16, sf.blocks);
  put64(dv, 24, sf.bfree);
  put64(dv, 32, sf.bavail);
  put64(dv, 40, sf.files);
  put64(dv, 48, sf.ffree);
  dv.setInt32(56, fsid, true);
  dv.setInt32(60, 0, true);
  put64(dv, 64, sf.namelen);
  put64(dv, 72, sf.frsize);
  put64(dv, 80, sf.flags);
  return b;
}
