/*
 * Cylinder group blocks (struct cg): the header, the inode-used map, the
 * fragment-free map and the cluster map with its summary, plus the fragment
 * and cluster accounting rules (ffs_fragacct, ffs_clusteracct) that keep
 * cg_frsum[] and the cluster summary true to the maps.
 *
 * Bitmaps: inode map bit set = inode in use; free map bit set = fragment
 * free; cluster map bit set = whole block free.
 */
import { CG_MAGIC, type Superblock } from './ufs_fs.ts';

export const enum G {
  magic = 4, old_time = 8, cgx = 12, old_ncyl = 16, old_niblk = 18, ndblk = 20, cs = 24,
  rotor = 40, frotor = 44, irotor = 48, frsum = 52, old_btotoff = 84, old_boff = 88,
  iusedoff = 92, freeoff = 96, nextfreeoff = 100, clustersumoff = 104, clusteroff = 108,
  nclusterblks = 112, niblk = 116, initediblk = 120, time = 136,
}

/* Offset of cg_space[]: where the variable-length maps start. */
export const CG_SPACE = 168;

export class Cg {
  readonly dv: DataView;

  constructor(readonly sb: Superblock, readonly raw: Uint8Array) {
    this.dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  i32(off: number): number { return this.dv.getInt32(off, true); }
  set32(off: number, v: number): void { this.dv.setInt32(off, v, true); }

  get magic(): number { return this.i32(G.magic); }
  get cgx(): number { return this.i32(G.cgx); }
  get ndblk(): number { return this.i32(G.ndblk); }
  /** cg_cs field i (CS_NDIR, CS_NBFREE, CS_NIFREE, CS_NFFREE). */
  cs(i: number): number { return this.i32(G.cs + 4 * i); }
  addCs(i: number, d: number): void { this.set32(G.cs + 4 * i, this.cs(i) + d); }
  frsum(i: number): number { return this.i32(G.frsum + 4 * i); }
  addFrsum(i: number, d: number): void { this.set32(G.frsum + 4 * i, this.frsum(i) + d); }
  get rotor(): number { return this.i32(G.rotor); }
  set rotor(v: number) { this.set32(G.rotor, v); }
  get frotor(): number { return this.i32(G.frotor); }
  set frotor(v: number) { this.set32(G.frotor, v); }
  get irotor(): number { return this.i32(G.irotor); }
  set irotor(v: number) { this.set32(G.irotor, v); }
  /** Inodes in this group (UFS1 keeps the count in a 16-bit "old" field). */
  get niblk(): number { return this.sb.ufs2 ? this.i32(G.niblk) : this.dv.getUint16(G.old_niblk, true); }
  /** UFS2 only: inodes of this group that have been zeroed on disk. */
  get initediblk(): number { return this.sb.ufs2 ? this.i32(G.initediblk) : this.niblk; }
  set initediblk(v: number) { if (this.sb.ufs2) this.set32(G.initediblk, v); }
  get nclusterblks(): number { return this.i32(G.nclusterblks); }
  set time(t: number) {
    if (this.sb.ufs2) this.dv.setBigInt64(G.time, BigInt(t), true);
    else this.set32(G.old_time, t);
  }

  /* The maps. */
  private bit(off: number, n: number): boolean { return (this.raw[off + (n >> 3)] & (1 << (n & 7))) !== 0; }
  private setBit(off: number, n: number, v: boolean): void {
    if (v) this.raw[off + (n >> 3)] |= 1 << (n & 7);
    else this.raw[off + (n >> 3)] &= ~(1 << (n & 7));
  }
  inoUsed(i: number): boolean { return this.bit(this.i32(G.iusedoff), i); }
  setInoUsed(i: number, v: boolean): void { this.setBit(this.i32(G.iusedoff), i, v); }
  fragFree(f: number): boolean { return this.bit(this.i32(G.freeoff), f); }
  setFragFree(f: number, v: boolean): void { this.setBit(this.i32(G.freeoff), f, v); }
  clusterFree(b: number): boolean { return this.bit(this.i32(G.clusteroff), b); }
  setClusterFree(b: number, v: boolean): void { this.setBit(this.i32(G.clusteroff), b, v); }
  clusterSum(n: number): number { return this.i32(this.i32(G.clustersumoff) + 4 * n); }
  addClusterSum(n: number, d: number): void {
    const off = this.i32(G.clustersumoff) + 4 * n;
    this.set32(off, this.i32(off) + d);
  }

  /** isblock: every fragment of block b (cg-relative block number) free. */
  blockFree(b: number): boolean {
    const frag = this.sb.frag, f0 = b * frag;
    for (let i = 0; i < frag; i++) if (!this.fragFree(f0 + i)) return false;
    return true;
  }

  /** Free fragments of block b as a bit pattern (bit i = fragment i free). */
  blockPattern(b: number): number {
    let m = 0;
    for (let i = 0; i < this.sb.frag; i++) if (this.fragFree(b * this.sb.frag + i)) m |= 1 << i;
    return m;
  }

  /** ffs_fragacct: count the free runs shorter than a block in pattern into cg_frsum. */
  fragacct(pattern: number, cnt: number): void {
    const frag = this.sb.frag;
    let run = 0;
    for (let i = 0; i <= frag; i++) {
      if (i < frag && pattern & (1 << i)) {
        run++;
        continue;
      }
      if (run > 0 && run < frag) this.addFrsum(run, cnt);
      run = 0;
    }
  }

  /** ffs_clusteracct: block b became free (cnt 1) or used (cnt -1). */
  clusteracct(b: number, cnt: number): void {
    const max = this.sb.contigsumsize;
    if (max <= 0) return;
    this.setClusterFree(b, cnt > 0);
    const n = this.nclusterblks;
    let forw = 0, back = 0;
    for (let i = b + 1; i < n && forw < max && this.clusterFree(i); i++) forw++;
    for (let i = b - 1; i >= 0 && back < max && this.clusterFree(i); i--) back++;
    this.addClusterSum(Math.min(back + forw + 1, max), cnt);
    if (back > 0) this.addClusterSum(back, -cnt);
    if (forw > 0) this.addClusterSum(forw, -cnt);
  }
}

/** Byte layout of a cylinder group block as newfs lays it out (for mkfs and fsck). */
export interface CgLayout {
  btotoff: number; boff: number; iusedoff: number; freeoff: number;
  clustersumoff: number; clusteroff: number; nextfreeoff: number; nclusterblks: number;
}

export function cgLayout(sb: Superblock, ufs1cpg: number): CgLayout {
  let off = CG_SPACE;
  const btotoff = sb.ufs2 ? 0 : off;
  const boff = sb.ufs2 ? 0 : btotoff + 4 * ufs1cpg;
  if (!sb.ufs2) off = boff + 2 * ufs1cpg;
  const iusedoff = off;
  const freeoff = iusedoff + Math.ceil(sb.ipg / 8);
  let nextfreeoff = freeoff + Math.ceil(sb.fpg / 8);
  let clustersumoff = 0, clusteroff = 0, nclusterblks = 0;
  if (sb.contigsumsize > 0) {
    /* cg_clustersum[0] is never used, so the array starts one word early. */
    clustersumoff = Math.ceil(nextfreeoff / 4) * 4 - 4;
    clusteroff = clustersumoff + (sb.contigsumsize + 1) * 4;
    nclusterblks = sb.fpg / sb.frag;
    nextfreeoff = clusteroff + Math.ceil(nclusterblks / 8);
  }
  return { btotoff, boff, iusedoff, freeoff, clustersumoff, clusteroff, nextfreeoff, nclusterblks };
}

/** Structural checks a cg block must pass before we trust its offsets. */
export function cgValidate(cg: Cg, c: number): string | null {
  const sb = cg.sb;
  if (cg.magic !== CG_MAGIC) return `cg ${c}: bad magic`;
  if (cg.cgx !== c) return `cg ${c}: bad cgx ${cg.cgx}`;
  const limit = sb.cgsize;
  const iused = cg.i32(G.iusedoff), free = cg.i32(G.freeoff);
  if (iused < CG_SPACE || iused + Math.ceil(sb.ipg / 8) > limit) return `cg ${c}: bad inode map offset`;
  if (free < CG_SPACE || free + Math.ceil(sb.fpg / 8) > limit) return `cg ${c}: bad free map offset`;
  if (sb.contigsumsize > 0) {
    const cso = cg.i32(G.clustersumoff), co = cg.i32(G.clusteroff);
    if (cso < CG_SPACE - 4 || cso + 4 * (sb.contigsumsize + 1) > limit) return `cg ${c}: bad cluster sum offset`;
    if (co < CG_SPACE || co + Math.ceil(cg.nclusterblks / 8) > limit) return `cg ${c}: bad cluster map offset`;
    if (cg.nclusterblks > sb.fpg / sb.frag) return `cg ${c}: bad cluster count`;
  }
  if (cg.ndblk < 0 || cg.ndblk > sb.fpg) return `cg ${c}: bad ndblk`;
  if (cg.niblk !== sb.ipg) return `cg ${c}: bad niblk`;
  if (cg.initediblk < 0 || cg.initediblk > sb.ipg) return `cg ${c}: bad initediblk`;
  return null;
}
