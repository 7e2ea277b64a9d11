/*
 * On-disk inodes: ufs1_dinode (128 bytes) and ufs2_dinode (256 bytes),
 * decoded into one in-memory shape. Block pointers are fragment addresses
 * (32-bit on UFS1, 64-bit on UFS2). A fast symlink keeps its target in the
 * block-pointer area itself (fs_maxsymlinklen bytes: 60 on UFS1, 120 on UFS2).
 */
import { NDADDR, NIADDR } from './ufs_fs.ts';

export const IFMT = 0o170000, IFIFO = 0o010000, IFCHR = 0o020000, IFDIR = 0o040000,
  IFBLK = 0o060000, IFREG = 0o100000, IFLNK = 0o120000, IFSOCK = 0o140000;

export interface UfsTime {
  sec: number;
  nsec: number;
}

export class Dinode {
  mode = 0;
  nlink = 0;
  uid = 0;
  gid = 0;
  size = 0;
  /** DEV_BSIZE (512-byte) units held, indirect blocks included. */
  blocks = 0;
  atime: UfsTime = { sec: 0, nsec: 0 };
  mtime: UfsTime = { sec: 0, nsec: 0 };
  ctime: UfsTime = { sec: 0, nsec: 0 };
  birthtime: UfsTime = { sec: 0, nsec: 0 };
  flags = 0;
  gen = 0;
  db: number[] = new Array<number>(NDADDR).fill(0);
  ib: number[] = new Array<number>(NIADDR).fill(0);
  /** A fast symlink's target bytes, stored in place of the block pointers. */
  shortlink: Uint8Array | null = null;
  /** The bytes this inode was read from: unknown fields are written back unchanged. */
  raw: Uint8Array;

  constructor(readonly ufs2: boolean) {
    this.raw = new Uint8Array(ufs2 ? 256 : 128);
  }

  get type(): number { return this.mode & IFMT; }
  get isDir(): boolean { return this.type === IFDIR; }
  /** Block-pointer area offset and size inside the raw inode (for fast symlinks). */
  get ptrArea(): [number, number] { return this.ufs2 ? [112, 120] : [40, 60]; }
  /** Device number of a character or block special file (kept in di_db[0]). */
  get rdev(): number { return this.db[0]; }
  set rdev(v: number) { this.db[0] = v; }
}

function getTime64(dv: DataView, secOff: number, nsecOff: number): UfsTime {
  return { sec: Number(dv.getBigInt64(secOff, true)), nsec: dv.getInt32(nsecOff, true) };
}

export function dinodeDecode(buf: Uint8Array, ufs2: boolean, maxsymlinklen: number): Dinode {
  const ip = new Dinode(ufs2);
  ip.raw.set(buf.subarray(0, ip.raw.length));
  const dv = new DataView(ip.raw.buffer);
  ip.mode = dv.getUint16(0, true);
  ip.nlink = dv.getInt16(2, true);
  if (ufs2) decode2(ip, dv);
  else decode1(ip, dv);
  const [off, len] = ip.ptrArea;
  if (ip.type === IFLNK && ip.size < maxsymlinklen && ip.blocks === 0 && ip.size <= len) {
    ip.shortlink = ip.raw.slice(off, off + ip.size);
    ip.db.fill(0);
    ip.ib.fill(0);
  }
  return ip;
}

function decode1(ip: Dinode, dv: DataView): void {
  ip.size = Number(dv.getBigUint64(8, true));
  ip.atime = { sec: dv.getInt32(16, true), nsec: dv.getInt32(20, true) };
  ip.mtime = { sec: dv.getInt32(24, true), nsec: dv.getInt32(28, true) };
  ip.ctime = { sec: dv.getInt32(32, true), nsec: dv.getInt32(36, true) };
  for (let i = 0; i < NDADDR; i++) ip.db[i] = dv.getInt32(40 + 4 * i, true);
  for (let i = 0; i < NIADDR; i++) ip.ib[i] = dv.getInt32(88 + 4 * i, true);
  ip.flags = dv.getUint32(100, true);
  ip.blocks = dv.getInt32(104, true);
  ip.gen = dv.getInt32(108, true);
  ip.uid = dv.getUint32(112, true);
  ip.gid = dv.getUint32(116, true);
}

function decode2(ip: Dinode, dv: DataView): void {
  ip.uid = dv.getUint32(4, true);
  ip.gid = dv.getUint32(8, true);
  ip.size = Number(dv.getBigUint64(16, true));
  ip.blocks = Number(dv.getBigUint64(24, true));
  ip.atime = getTime64(dv, 32, 68);
  ip.mtime = getTime64(dv, 40, 64);
  ip.ctime = getTime64(dv, 48, 72);
  ip.birthtime = getTime64(dv, 56, 76);
  ip.gen = dv.getInt32(80, true);
  ip.flags = dv.getUint32(88, true);
  for (let i = 0; i < NDADDR; i++) ip.db[i] = Number(dv.getBigInt64(112 + 8 * i, true));
  for (let i = 0; i < NIADDR; i++) ip.ib[i] = Number(dv.getBigInt64(208 + 8 * i, true));
}

/** The inode's on-disk bytes (128 or 256). */
export function dinodeEncode(ip: Dinode): Uint8Array {
  const out = ip.raw.slice();
  const dv = new DataView(out.buffer);
  dv.setUint16(0, ip.mode, true);
  dv.setInt16(2, ip.nlink, true);
  if (ip.ufs2) encode2(ip, dv);
  else encode1(ip, dv);
  if (ip.shortlink) {
    const [off, len] = ip.ptrArea;
    out.fill(0, off, off + len);
    out.set(ip.shortlink, off);
  }
  return out;
}

function encode1(ip: Dinode, dv: DataView): void {
  dv.setBigUint64(8, BigInt(ip.size), true);
  dv.setInt32(16, ip.atime.sec, true); dv.setInt32(20, ip.atime.nsec, true);
  dv.setInt32(24, ip.mtime.sec, true); dv.setInt32(28, ip.mtime.nsec, true);
  dv.setInt32(32, ip.ctime.sec, true); dv.setInt32(36, ip.ctime.nsec, true);
  for (let i = 0; i < NDADDR; i++) dv.setInt32(40 + 4 * i, ip.db[i], true);
  for (let i = 0; i < NIADDR; i++) dv.setInt32(88 + 4 * i, ip.ib[i], true);
  dv.setUint32(100, ip.flags, true);
  dv.setInt32(104, ip.blocks, true);
  dv.setInt32(108, ip.gen, true);
  dv.setUint32(112, ip.uid, true);
  dv.setUint32(116, ip.gid, true);
}

function encode2(ip: Dinode, dv: DataView): void {
  dv.setUint32(4, ip.uid, true);
  dv.setUint32(8, ip.gid, true);
  dv.setBigUint64(16, BigInt(ip.size), true);
  dv.setBigUint64(24, BigInt(ip.blocks), true);
  const t = (t: UfsTime, s: number, n: number) => {
    dv.setBigInt64(s, BigInt(t.sec), true);
    dv.setInt32(n, t.nsec, true);
  };
  t(ip.atime, 32, 68);
  t(ip.mtime, 40, 64);
  t(ip.ctime, 48, 72);
  t(ip.birthtime, 56, 76);
  dv.setInt32(80, ip.gen, true);
  dv.setUint32(88, ip.flags, true);
  for (let i = 0; i < NDADDR; i++) dv.setBigInt64(112 + 8 * i, BigInt(ip.db[i]), true);
  for (let i = 0; i < NIADDR; i++) dv.setBigInt64(208 + 8 * i, BigInt(ip.ib[i]), true);
}
