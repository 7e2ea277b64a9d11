/*
 * newfs: lay out an empty UFS1 or UFS2 file system on a device: the
 * superblock (with a backup in every cylinder group), the cylinder groups
 * with their maps, the summary area and the root directory.
 *
 * The layout follows FreeBSD/NetBSD newfs: UFS1 as "4.4BSD with the FreeBSD 5
 * compatibility fields" (one cylinder per group, no rotational tables, the
 * 64-bit copies flagged by FS_FLAGS_UPDATED), superblock at 8192; UFS2 with
 * its superblock at 65536. Nothing depends on the clock or randomness but
 * what the options give, so the same options give the same bytes.
 */
import { EINVAL, SysError } from '../../kern/errno.ts';
import type { BlockDev } from './ufs_blockdev.ts';
import { CG_SPACE, cgLayout, G } from './ufs_cg.ts';
import { Dinode, dinodeEncode, IFDIR } from './ufs_dinode.ts';
import { dirTemplate } from './ufs_dir.ts';
import {
  CG_MAGIC, DEV_BSIZE, F, FS_44INODEFMT, FS_DYNAMICPOSTBLFMT, FS_FLAGS_UPDATED, FS_MAXCONTIG, FS_UFS1_MAGIC,
  FS_UFS2_MAGIC, MAXFRAG, NDADDR, NIADDR, ROOTINO, SBLOCK_UFS1, SBLOCK_UFS2, SBLOCKSIZE, SIZEOF_FS, Superblock,
} from './ufs_fs.ts';

export interface MkfsOptions {
  ufs2?: boolean;
  bsize?: number;       // default 16384 (DragonFly's newfs)
  fsize?: number;       // default 2048
  density?: number;     // bytes of data space per inode, default 4 fragments
  minfree?: number;     // percent, default 8
  /** Creation time, seconds since the epoch (fs_time, cg times, root inode times). */
  time?: number;
  /** Seed for fs_id[1]; fs_id[0] is the time. */
  id?: number;
  volname?: string;
  /** Limit of the file system size in bytes (default: the whole device). */
  size?: number;
}

const log2 = (n: number) => Math.round(Math.log2(n));

export function mkfs(dev: BlockDev, o: MkfsOptions = {}): Superblock {
  const sb = buildSuper(dev, o);
  const t = o.time ?? 0;
  const cgLay = cgLayout(sb, 1);
  for (let c = 0; c < sb.ncg; c++) writeCg(dev, sb, c, cgLay, t);
  writeRoot(dev, sb, t);
  const cs = new Uint8Array(sb.fragroundup(sb.cssize));
  const dv = new DataView(cs.buffer);
  const tot = [0, 0, 0, 0];
  for (let c = 0; c < sb.ncg; c++) {
    const raw = new Uint8Array(sb.cgsize);
    dev.read(sb.cgtod(c) * sb.fsize, raw);
    const cdv = new DataView(raw.buffer);
    for (let i = 0; i < 4; i++) {
      const v = cdv.getInt32(G.cs + 4 * i, true);
      dv.setInt32(16 * c + 4 * i, v, true);
      tot[i] += v;
    }
  }
  dev.write(sb.csaddr * sb.fsize, cs);
  sb.setCstotal(tot);
  for (let c = 0; c < sb.ncg; c++) dev.write(sb.cgsblock(c) * sb.fsize, sb.raw);
  dev.write(sb.location, sb.raw);
  return sb;
}

function buildSuper(dev: BlockDev, o: MkfsOptions): Superblock {
  const ufs2 = o.ufs2 ?? false;
  const bsize = o.bsize ?? 16384, fsize = o.fsize ?? 2048;
  const frag = bsize / fsize;
  if (!Number.isInteger(frag) || frag < 1 || frag > MAXFRAG || bsize < 4096 || bsize > 65536 || fsize < DEV_BSIZE) {
    throw new SysError(EINVAL);
  }
  const loc = ufs2 ? SBLOCK_UFS2 : SBLOCK_UFS1;
  const raw = new Uint8Array(Math.ceil(SIZEOF_FS / fsize) * fsize);
  const sb = new Superblock(raw, loc);
  const S = (f: number, v: number) => sb.setI32(f, v);
  const inodesize = ufs2 ? 256 : 128;
  const bytes = Math.min(o.size ?? dev.size, dev.size);
  let size = Math.floor(bytes / fsize);
  S(F.magic, ufs2 ? FS_UFS2_MAGIC : FS_UFS1_MAGIC);
  S(F.bsize, bsize); S(F.fsize, fsize); S(F.frag, frag);
  S(F.bmask, ~(bsize - 1)); S(F.fmask, ~(fsize - 1));
  S(F.bshift, log2(bsize)); S(F.fshift, log2(fsize)); S(F.fragshift, log2(frag));
  S(F.fsbtodb, log2(fsize / DEV_BSIZE));
  S(F.sbsize, raw.length);
  S(F.nindir, bsize / (ufs2 ? 8 : 4));
  S(F.inopb, bsize / inodesize);
  S(F.minfree, o.minfree ?? 8);
  S(F.maxcontig, Math.max(1, Math.floor(131072 / bsize)));
  S(F.contigsumsize, Math.min(Math.max(1, Math.floor(131072 / bsize)), FS_MAXCONTIG));
  S(F.maxbpg, bsize / 4);
  S(F.maxsymlinklen, (NDADDR + NIADDR) * (ufs2 ? 8 : 4));
  S(F.old_inodefmt, FS_44INODEFMT);
  S(F.avgfilesize, 16384); S(F.avgfpdir, 64);
  S(F.maxbsize, bsize);
  sb.setI64(F.sblockloc, loc);
  const sblkno = Math.ceil(Math.ceil((loc + SBLOCKSIZE) / fsize) / frag) * frag;
  S(F.sblkno, sblkno);
  S(F.cblkno, sblkno + Math.ceil(Math.ceil(SBLOCKSIZE / fsize) / frag) * frag);
  S(F.iblkno, sb.cblkno + frag);
  chooseGroups(sb, size, o.density ?? 4 * fsize, inodesize);
  /* A last group too small for its own metadata and a block of data is dropped. */
  const ncg = Math.ceil(size / sb.fpg);
  if (size - (ncg - 1) * sb.fpg < sb.dblkno + frag && ncg > 1) size = (ncg - 1) * sb.fpg;
  S(F.ncg, Math.ceil(size / sb.fpg));
  if (size < sb.dblkno + 2 * frag) throw new SysError(EINVAL);
  S(F.cssize, Math.ceil((sb.ncg * 16) / fsize) * fsize);
  const csaddr = sb.cgdmin(0);
  const dsize = size - sb.sblkno - sb.ncg * (sb.dblkno - sb.sblkno) - Math.ceil(sb.cssize / fsize);
  sb.setI64(F.qbmask, bsize - 1); sb.setI64(F.qfmask, fsize - 1);
  sb.dv.setBigUint64(F.maxfilesize, maxFileSizeBig(bsize, sb.nindir), true);
  const t = o.time ?? 0;
  S(F.id0, t); S(F.id1, o.id ?? 0x564b524e);
  if (ufs2) {
    sb.setI64(F.size, size); sb.setI64(F.dsize, dsize); sb.setI64(F.csaddr, csaddr);
  } else {
    oldFields(sb, size, dsize, csaddr);
  }
  sb.time = t;
  sb.clean = 1;
  const vol = o.volname ?? '';
  for (let i = 0; i < Math.min(31, vol.length); i++) raw[F.volname + i] = vol.charCodeAt(i) & 0xff;
  return sb;
}

function maxFileSizeBig(bsize: number, nindir: number): bigint {
  let max = BigInt(bsize) * BigInt(NDADDR) - 1n, span = BigInt(bsize);
  for (let i = 0; i < NIADDR; i++) {
    span *= BigInt(nindir);
    max += span;
  }
  return max;
}

/* UFS1's authoritative copies, and the 4.4BSD geometry fields newfs fills in. */
function oldFields(sb: Superblock, size: number, dsize: number, csaddr: number): void {
  const S = (f: number, v: number) => sb.setI32(f, v);
  const nspf = sb.fsize / DEV_BSIZE;
  S(F.old_size, size); S(F.old_dsize, dsize); S(F.old_csaddr, csaddr);
  S(F.old_cgoffset, 0); S(F.old_cgmask, -1);
  S(F.old_rps, 60); S(F.old_nspf, nspf); S(F.old_interleave, 1);
  S(F.old_spc, sb.fpg * nspf); S(F.old_nsect, sb.fpg * nspf); S(F.old_npsect, sb.fpg * nspf);
  S(F.old_ncyl, sb.ncg); S(F.old_cpg, 1);
  S(F.old_postblformat, FS_DYNAMICPOSTBLFMT); S(F.old_nrpos, 1);
  sb.raw[F.old_flags] = FS_FLAGS_UPDATED;
  sb.setI64(F.size, size); sb.setI64(F.dsize, dsize); sb.setI64(F.csaddr, csaddr);
}

/* Pick fs_fpg and fs_ipg: the largest group whose cg block fits in one block. */
function chooseGroups(sb: Superblock, size: number, density: number, inodesize: number): void {
  const { bsize, fsize, frag, inopb } = sb;
  const S = (f: number, v: number) => sb.setI32(f, v);
  const roundFrag = (n: number) => Math.ceil(n / frag) * frag;
  let fpg = roundFrag(Math.floor(((bsize - CG_SPACE - 4 * (FS_MAXCONTIG + 2)) * 8 * frag) / (frag + 1)));
  fpg = Math.min(fpg, roundFrag(size));
  for (; fpg > frag; fpg -= 8 * frag) {
    const ipg = Math.min(Math.ceil(Math.ceil((fpg * fsize) / density) / inopb) * inopb, 0x7fffffff);
    S(F.fpg, fpg); S(F.ipg, ipg);
    S(F.dblkno, sb.iblkno + (ipg * inodesize) / fsize);
    const lay = cgLayout(sb, 1);
    if (lay.nextfreeoff <= bsize && sb.dblkno + frag <= fpg) {
      S(F.cgsize, Math.ceil(lay.nextfreeoff / fsize) * fsize);
      return;
    }
  }
  throw new SysError(EINVAL);
}

function writeCg(dev: BlockDev, sb: Superblock, c: number, lay: ReturnType<typeof cgLayout>, t: number): void {
  const raw = new Uint8Array(sb.cgsize);
  const dv = new DataView(raw.buffer);
  const S = (f: number, v: number) => dv.setInt32(f, v, true);
  const base = sb.cgbase(c);
  const ndblk = Math.min(sb.fpg, sb.size - base);
  S(G.magic, CG_MAGIC); S(G.cgx, c); S(G.ndblk, ndblk);
  S(G.iusedoff, lay.iusedoff); S(G.freeoff, lay.freeoff); S(G.nextfreeoff, lay.nextfreeoff);
  S(G.clustersumoff, lay.clustersumoff); S(G.clusteroff, lay.clusteroff); S(G.nclusterblks, Math.floor(ndblk / sb.frag));
  if (sb.ufs2) {
    S(G.niblk, sb.ipg); S(G.initediblk, sb.ipg);
    dv.setBigInt64(G.time, BigInt(t), true);
  } else {
    S(G.old_btotoff, lay.btotoff); S(G.old_boff, lay.boff);
    dv.setInt16(G.old_ncyl, 1, true); dv.setUint16(G.old_niblk, sb.ipg, true);
    S(G.old_time, t);
  }
  S(G.cs + 8, sb.ipg - (c === 0 ? ROOTINO : 0)); /* cs_nifree */
  for (let i = 0; i < (c === 0 ? ROOTINO : 0); i++) raw[lay.iusedoff] |= 1 << i;
  const lower = c === 0 ? sb.dblkno + Math.ceil(sb.cssize / sb.fsize) : sb.dblkno;
  const firstFree = c === 0 ? lower : 0;
  for (let f = firstFree; f < ndblk; f++) {
    if (f >= sb.sblkno && f < lower) continue;
    raw[lay.freeoff + (f >> 3)] |= 1 << (f & 7);
  }
  countFree(sb, raw, lay, ndblk);
  dev.write(sb.cgtod(c) * sb.fsize, raw);
  dev.write(sb.cgimin(c) * sb.fsize, new Uint8Array(sb.ipg * (sb.ufs2 ? 256 : 128)));
}

/* Derive cs_nbfree, cs_nffree, cg_frsum and the cluster map/summary from the free map. */
function countFree(sb: Superblock, raw: Uint8Array, lay: ReturnType<typeof cgLayout>, ndblk: number): void {
  const dv = new DataView(raw.buffer);
  const free = (f: number) => (raw[lay.freeoff + (f >> 3)] >> (f & 7)) & 1;
  let nbfree = 0, nffree = 0, run = 0;
  const frsum = new Array<number>(MAXFRAG).fill(0);
  const csum = new Array<number>(sb.contigsumsize + 1).fill(0);
  const nblk = Math.ceil(ndblk / sb.frag);
  for (let b = 0; b <= nblk; b++) {
    let n = 0, r = 0;
    const full = b < nblk && (b + 1) * sb.frag <= ndblk && (() => {
      for (let i = 0; i < sb.frag; i++) if (!free(b * sb.frag + i)) return false;
      return true;
    })();
    if (full) {
      nbfree++;
      raw[lay.clusteroff + (b >> 3)] |= 1 << (b & 7);
      run++;
      continue;
    }
    if (run > 0 && sb.contigsumsize > 0) csum[Math.min(run, sb.contigsumsize)]++;
    run = 0;
    if (b === nblk) break;
    for (let i = 0; i <= sb.frag; i++) {
      if (i < sb.frag && b * sb.frag + i < ndblk && free(b * sb.frag + i)) { n++; r++; continue; }
      if (r > 0) frsum[r]++;
      r = 0;
    }
    nffree += n;
  }
  dv.setInt32(G.cs + 4, nbfree, true);
  dv.setInt32(G.cs + 12, nffree, true);
  for (let i = 1; i < MAXFRAG; i++) dv.setInt32(G.frsum + 4 * i, frsum[i], true);
  if (sb.contigsumsize > 0) for (let i = 1; i <= sb.contigsumsize; i++) dv.setInt32(lay.clustersumoff + 4 * i, csum[i], true);
}

/* The root directory: inode 2, one fragment holding "." and "..". */
function writeRoot(dev: BlockDev, sb: Superblock, t: number): void {
  const lay = cgLayout(sb, 1);
  const raw = new Uint8Array(sb.cgsize);
  dev.read(sb.cgtod(0) * sb.fsize, raw);
  const dv = new DataView(raw.buffer);
  const f = firstFreeFrag(raw, lay.freeoff, sb);
  /* Allocate the root's fragment, then recount from the maps. */
  raw[lay.freeoff + (f >> 3)] &= ~(1 << (f & 7));
  raw[lay.iusedoff] |= 1 << ROOTINO;
  raw.fill(0, lay.clusteroff, lay.nextfreeoff);
  raw.fill(0, G.frsum, G.frsum + 4 * MAXFRAG);
  if (sb.contigsumsize > 0) raw.fill(0, lay.clustersumoff + 4, lay.clusteroff);
  countFree(sb, raw, lay, dv.getInt32(G.ndblk, true));
  dv.setInt32(G.cs, 1, true);
  dv.setInt32(G.cs + 8, dv.getInt32(G.cs + 8, true) - 1, true);
  dev.write(sb.cgtod(0) * sb.fsize, raw);
  const dir = new Uint8Array(sb.fsize);
  dir.set(dirTemplate(ROOTINO, ROOTINO));
  dev.write(f * sb.fsize, dir);
  const ip = new Dinode(sb.ufs2);
  ip.mode = IFDIR | 0o755;
  ip.nlink = 2;
  ip.size = 512;
  ip.blocks = sb.fsize / DEV_BSIZE;
  ip.db[0] = f;
  ip.atime = { sec: t, nsec: 0 };
  ip.mtime = { sec: t, nsec: 0 };
  ip.ctime = { sec: t, nsec: 0 };
  if (sb.ufs2) ip.birthtime = { sec: t, nsec: 0 };
  ip.gen = 1;
  /* Write the whole first inode fragment (the rest of it is zero): devices take aligned writes. */
  const first = new Uint8Array(sb.fsize);
  const at = sb.inoOffset(ROOTINO);
  const base = Math.floor(at / sb.fsize) * sb.fsize;
  first.set(dinodeEncode(ip), at - base);
  dev.write(base, first);
}

function firstFreeFrag(raw: Uint8Array, freeoff: number, sb: Superblock): number {
  for (let f = sb.dblkno; f < sb.fpg; f++) if ((raw[freeoff + (f >> 3)] >> (f & 7)) & 1) return f;
  throw new SysError(EINVAL);
}
