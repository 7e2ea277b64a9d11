/*
 * The UFS superblock (struct fs) and the address arithmetic it defines.
 *
 * One layout serves UFS1 and UFS2: the FreeBSD 5 / NetBSD 2 struct fs, whose
 * UFS1 "old" fields sit where 4.4BSD (and DragonFly's newfs) put them. We keep
 * the raw superblock bytes and read/write fields in place, so fields we do not
 * interpret survive a mount/unmount unchanged.
 *
 * All block addresses are in fragments (fs_fsize units), as on disk.
 */
import type { BlockDev } from './ufs_blockdev.ts';

export const FS_UFS1_MAGIC = 0x011954;
export const FS_UFS2_MAGIC = 0x19540119;
export const CG_MAGIC = 0x090255;

export const SBLOCK_FLOPPY = 0;
export const SBLOCK_UFS1 = 8192;
export const SBLOCK_UFS2 = 65536;
export const SBLOCK_PIGGY = 262144;
export const SBLOCKSIZE = 8192;
/* Where superblocks are looked for, in order (SBLOCKSEARCH). */
export const SBLOCKSEARCH = [SBLOCK_UFS2, SBLOCK_UFS1, SBLOCK_FLOPPY, SBLOCK_PIGGY];

export const SIZEOF_FS = 1376;
export const DEV_BSIZE = 512;
export const MAXFRAG = 8;
export const MINBSIZE = 4096;
export const MAXBSIZE = 65536;
export const NDADDR = 12;
export const NIADDR = 3;
export const ROOTINO = 2;
export const UFS_MAXNAMLEN = 255;
export const FS_MAXCONTIG = 16;

export const FS_FLAGS_UPDATED = 0x80;
export const FS_42INODEFMT = -1;
export const FS_44INODEFMT = 2;
export const FS_DYNAMICPOSTBLFMT = 1;

/* Byte offsets of the fields of struct fs that we use. */
export const enum F {
  sblkno = 8, cblkno = 12, iblkno = 16, dblkno = 20, old_cgoffset = 24, old_cgmask = 28,
  old_time = 32, old_size = 36, old_dsize = 40, ncg = 44, bsize = 48, fsize = 52, frag = 56,
  minfree = 60, old_rotdelay = 64, old_rps = 68, bmask = 72, fmask = 76, bshift = 80, fshift = 84,
  maxcontig = 88, maxbpg = 92, fragshift = 96, fsbtodb = 100, sbsize = 104, nindir = 116,
  inopb = 120, old_nspf = 124, optim = 128, old_npsect = 132, old_interleave = 136,
  old_trackskew = 140, id0 = 144, id1 = 148, old_csaddr = 152, cssize = 156, cgsize = 160,
  old_nsect = 168, old_spc = 172, old_ncyl = 176, old_cpg = 180, ipg = 184, fpg = 188,
  old_cstotal = 192, fmod = 208, clean = 209, ronly = 210, old_flags = 211, fsmnt = 212,
  volname = 680, cgrotor = 724, old_cpc = 856, maxbsize = 860, sblockloc = 1000, cstotal = 1008,
  time = 1072, size = 1080, dsize = 1088, csaddr = 1096, avgfilesize = 1196, avgfpdir = 1200,
  flags = 1312, contigsumsize = 1316, maxsymlinklen = 1320, old_inodefmt = 1324,
  maxfilesize = 1328, qbmask = 1336, qfmask = 1344, old_postblformat = 1356, old_nrpos = 1360,
  magic = 1372,
}

/* struct csum: per-cylinder-group summary, 16 bytes each in the fs_cs area. */
export const CS_NDIR = 0, CS_NBFREE = 1, CS_NIFREE = 2, CS_NFFREE = 3;

export class Superblock {
  readonly raw: Uint8Array;
  readonly dv: DataView;

  constructor(raw: Uint8Array, readonly location: number) {
    this.raw = raw;
    this.dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  i32(off: number): number { return this.dv.getInt32(off, true); }
  setI32(off: number, v: number): void { this.dv.setInt32(off, v, true); }
  i64(off: number): number { return Number(this.dv.getBigInt64(off, true)); }
  setI64(off: number, v: number): void { this.dv.setBigInt64(off, BigInt(v), true); }

  get magic(): number { return this.i32(F.magic); }
  get ufs2(): boolean { return this.magic === FS_UFS2_MAGIC; }
  get sblkno(): number { return this.i32(F.sblkno); }
  get cblkno(): number { return this.i32(F.cblkno); }
  get iblkno(): number { return this.i32(F.iblkno); }
  get dblkno(): number { return this.i32(F.dblkno); }
  get ncg(): number { return this.i32(F.ncg); }
  get bsize(): number { return this.i32(F.bsize); }
  get fsize(): number { return this.i32(F.fsize); }
  get frag(): number { return this.i32(F.frag); }
  get minfree(): number { return this.i32(F.minfree); }
  get bshift(): number { return this.i32(F.bshift); }
  get fshift(): number { return this.i32(F.fshift); }
  get fragshift(): number { return this.i32(F.fragshift); }
  get maxbpg(): number { return this.i32(F.maxbpg); }
  get sbsize(): number { return this.i32(F.sbsize); }
  get nindir(): number { return this.i32(F.nindir); }
  get inopb(): number { return this.i32(F.inopb); }
  get cssize(): number { return this.i32(F.cssize); }
  get cgsize(): number { return this.i32(F.cgsize); }
  get ipg(): number { return this.i32(F.ipg); }
  get fpg(): number { return this.i32(F.fpg); }
  get contigsumsize(): number { return this.i32(F.contigsumsize); }
  get maxsymlinklen(): number { return this.i32(F.maxsymlinklen); }
  get clean(): number { return this.raw[F.clean]; }
  set clean(v: number) { this.raw[F.clean] = v; }
  /* FS_ISCLEAN; NetBSD also keeps FS_WASCLEAN (2) there, which alone means dirty. */
  get isClean(): boolean { return (this.raw[F.clean] & 1) !== 0; }
  get id(): [number, number] { return [this.i32(F.id0), this.i32(F.id1)]; }
  get volname(): string {
    let s = '';
    for (let i = 0; i < 32 && this.raw[F.volname + i]; i++) s += String.fromCharCode(this.raw[F.volname + i]);
    return s;
  }

  /* UFS1 keeps its authoritative size, summary and time in the "old" fields. */
  get size(): number { return this.ufs2 ? this.i64(F.size) : this.i32(F.old_size); }
  get dsize(): number { return this.ufs2 ? this.i64(F.dsize) : this.i32(F.old_dsize); }
  get csaddr(): number { return this.ufs2 ? this.i64(F.csaddr) : this.i32(F.old_csaddr); }
  get time(): number { return this.ufs2 ? this.i64(F.time) : this.i32(F.old_time); }
  set time(t: number) {
    if (this.ufs2 || this.newFieldsValid) this.setI64(F.time, t);
    if (!this.ufs2) this.setI32(F.old_time, t);
  }
  /* FS_FLAGS_UPDATED: a UFS1 superblock whose 64-bit copies are kept too. */
  get newFieldsValid(): boolean { return (this.raw[F.old_flags] & FS_FLAGS_UPDATED) !== 0; }

  /** fs_cstotal as [ndir, nbfree, nifree, nffree]. */
  getCstotal(): number[] {
    if (this.ufs2) return [0, 1, 2, 3].map((i) => this.i64(F.cstotal + 8 * i));
    return [0, 1, 2, 3].map((i) => this.i32(F.old_cstotal + 4 * i));
  }
  setCstotal(t: readonly number[]): void {
    for (let i = 0; i < 4; i++) {
      if (this.ufs2 || this.newFieldsValid) this.setI64(F.cstotal + 8 * i, t[i]);
      if (!this.ufs2) this.setI32(F.old_cstotal + 4 * i, t[i]);
    }
  }

  get dinodeSize(): number { return this.ufs2 ? 256 : 128; }
  /** Largest file size we handle: the format's limit, capped to a safe JS integer. */
  get maxFileSize(): number {
    let max = BigInt(this.bsize) * BigInt(NDADDR) - 1n;
    let sizepb = BigInt(this.bsize);
    for (let i = 0; i < NIADDR; i++) {
      sizepb *= BigInt(this.nindir);
      max += sizepb;
    }
    return max > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(max);
  }

  /* Cylinder group geometry (cgbase, cgstart, cgsblock, cgtod, cgimin, cgdmin). */
  cgbase(c: number): number { return this.fpg * c; }
  cgstart(c: number): number {
    if (this.ufs2) return this.cgbase(c);
    const mask = this.i32(F.old_cgmask);
    return this.cgbase(c) + this.i32(F.old_cgoffset) * (c & ~mask);
  }
  cgsblock(c: number): number { return this.cgstart(c) + this.sblkno; }
  cgtod(c: number): number { return this.cgstart(c) + this.cblkno; }
  cgimin(c: number): number { return this.cgstart(c) + this.iblkno; }
  cgdmin(c: number): number { return this.cgstart(c) + this.dblkno; }
  dtog(frag: number): number { return Math.floor(frag / this.fpg); }
  dtogd(frag: number): number { return frag % this.fpg; }
  inoToCg(ino: number): number { return Math.floor(ino / this.ipg); }
  /** Byte offset of inode ino on the device. */
  inoOffset(ino: number): number {
    const c = this.inoToCg(ino);
    return this.cgimin(c) * this.fsize + (ino % this.ipg) * this.dinodeSize;
  }

  /* Sizes (lblkno, blkoff, fragroundup, blkroundup, numfrags). */
  lblkno(off: number): number { return Math.floor(off / this.bsize); }
  blkoff(off: number): number { return off % this.bsize; }
  fragroundup(n: number): number { return Math.ceil(n / this.fsize) * this.fsize; }
  blkroundup(n: number): number { return Math.ceil(n / this.bsize) * this.bsize; }
  numfrags(bytes: number): number { return Math.ceil(bytes / this.fsize); }
  /** Bytes of logical block lbn in a file of the given size (blksize()). */
  blksize(fileSize: number, lbn: number): number {
    if (lbn >= NDADDR || fileSize >= (lbn + 1) * this.bsize) return this.bsize;
    return this.fragroundup(this.blkoff(fileSize));
  }
}

/** Sanity rules a superblock must pass before we trust its arithmetic. */
export function sbValidate(sb: Superblock, devSize: number): string | null {
  const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
  if (sb.magic !== FS_UFS1_MAGIC && sb.magic !== FS_UFS2_MAGIC) return 'bad magic';
  if (!pow2(sb.bsize) || sb.bsize < MINBSIZE || sb.bsize > MAXBSIZE) return 'bad block size';
  if (!pow2(sb.fsize) || sb.fsize < DEV_BSIZE || sb.fsize > sb.bsize) return 'bad fragment size';
  if (sb.frag !== sb.bsize / sb.fsize || sb.frag > MAXFRAG) return 'bad frag count';
  if (1 << sb.bshift !== sb.bsize || 1 << sb.fshift !== sb.fsize) return 'bad shifts';
  if (sb.ncg < 1 || sb.ipg < 1 || sb.fpg < sb.frag || sb.fpg % sb.frag) return 'bad cylinder groups';
  if (sb.ipg % sb.inopb || sb.inopb !== sb.bsize / sb.dinodeSize) return 'bad inodes per group';
  if (sb.nindir !== sb.bsize / (sb.ufs2 ? 8 : 4)) return 'bad NINDIR';
  if (sb.cgsize < 1 || sb.cgsize > sb.bsize) return 'bad cg size';
  if (sb.size < 1 || sb.size > sb.ncg * sb.fpg || sb.size * sb.fsize > devSize) return 'bad fs size';
  if ((sb.ncg - 1) * sb.fpg >= sb.size) return 'bad ncg';
  if (sb.dblkno <= sb.iblkno || sb.iblkno <= sb.cblkno || sb.cblkno <= sb.sblkno) return 'bad layout';
  if (sb.dblkno > sb.fpg) return 'bad layout';
  if ((sb.dblkno - sb.iblkno) * sb.fsize < sb.ipg * sb.dinodeSize) return 'inode area too small';
  if (sb.cssize < sb.ncg * 16 || sb.csaddr < 0 || sb.csaddr >= sb.size) return 'bad summary area';
  if (sb.contigsumsize < 0 || sb.contigsumsize > FS_MAXCONTIG) return 'bad contigsumsize';
  if (sb.sbsize < SIZEOF_FS || sb.sbsize > SBLOCKSIZE) return 'bad superblock size';
  if (sb.ncg > sb.size) return 'bad ncg';
  for (let c = 0; c < sb.ncg; c++) {
    /* Every group's metadata must lie inside the file system (UFS1 groups may be offset). */
    if (sb.cgdmin(c) > sb.size || sb.cgsblock(c) < sb.cgbase(c) || sb.cgdmin(c) > sb.cgbase(c) + sb.fpg) return 'bad cg layout';
  }
  if (sb.csaddr + Math.ceil(sb.cssize / sb.fsize) > sb.size) return 'bad summary area';
  return null;
}

/**
 * Find the superblock the way the BSD kernels do (SBLOCKSEARCH). A UFS2
 * superblock is taken at the UFS1 location only if it says it lives there
 * (fs_sblockloc), as NetBSD's makefs writes it; else it is a stale backup.
 */
export function sbFind(dev: BlockDev): Superblock | null {
  for (const loc of SBLOCKSEARCH) {
    if (loc + SBLOCKSIZE > dev.size) continue;
    const raw = new Uint8Array(SBLOCKSIZE);
    dev.read(loc, raw);
    const sb = new Superblock(raw, loc);
    if (sb.magic !== FS_UFS1_MAGIC && sb.magic !== FS_UFS2_MAGIC) continue;
    if (sb.ufs2 && sb.i64(F.sblockloc) !== loc) continue;
    if (!sb.ufs2 && loc > SBLOCK_UFS1) continue;
    if (sbValidate(sb, dev.size) !== null) continue;
    return new Superblock(raw.slice(0, sb.sbsize), loc);
  }
  return null;
}
