/*
 * Block, fragment and inode allocation (ffs_alloc.c's job). Every change of
 * a map goes through setFrags/setInode, which keep the cylinder group header
 * (cg_cs, cg_frsum, cluster map and summary), the in-memory fs_cs array and
 * fs_cstotal in step with the bitmaps, so a check after any operation finds
 * them consistent.
 *
 * Policy, simplified from FFS: data goes to the inode's cylinder group, next
 * to the file's previous block when that is free; new directories go to a
 * group with few directories and enough free inodes; when a group is full
 * the search moves on to the following groups.
 */
import { EIO, ENOSPC, SysError } from '../../kern/errno.ts';
import { Cg, cgValidate } from './ufs_cg.ts';
import { CS_NBFREE, CS_NDIR, CS_NFFREE, CS_NIFREE, type Superblock } from './ufs_fs.ts';
import type { UfsIo } from './ufs_txn.ts';

export class UfsAlloc {
  /** fs_cstotal: [ndir, nbfree, nifree, nffree]. */
  total: number[];

  constructor(readonly sb: Superblock, readonly io: UfsIo, readonly csum: Int32Array) {
    this.total = sb.getCstotal();
  }

  readCg(c: number): Cg {
    const cg = new Cg(this.sb, this.io.read(this.sb.cgtod(c) * this.sb.fsize, this.sb.cgsize));
    const why = cgValidate(cg, c);
    if (why) throw new SysError(EIO);
    return cg;
  }

  writeCg(cg: Cg): void {
    this.io.write(this.sb.cgtod(cg.cgx) * this.sb.fsize, cg.raw);
  }

  private count(cg: Cg, field: number, d: number): void {
    cg.addCs(field, d);
    this.csum[cg.cgx * 4 + field] += d;
    this.total[field] += d;
  }

  /* Take block b's free state out of (cnt -1) or into (cnt 1) the counters. */
  private account(cg: Cg, b: number, cnt: number): void {
    if (b * this.sb.frag + this.sb.frag <= cg.ndblk && cg.blockFree(b)) {
      this.count(cg, CS_NBFREE, cnt);
      cg.clusteracct(b, cnt);
      return;
    }
    const pat = cg.blockPattern(b);
    cg.fragacct(pat, cnt);
    let n = 0;
    for (let p = pat; p; p &= p - 1) n++;
    this.count(cg, CS_NFFREE, cnt * n);
  }

  /** Mark n fragments from cg-relative f free or in use, with all the accounting. */
  setFrags(cg: Cg, f: number, n: number, free: boolean): void {
    const frag = this.sb.frag;
    for (let b = Math.floor(f / frag); b * frag < f + n; b++) {
      this.account(cg, b, -1);
      const s = Math.max(f, b * frag), e = Math.min(f + n, (b + 1) * frag);
      for (let i = s; i < e; i++) {
        if (cg.fragFree(i) === free) throw new SysError(EIO); /* double free / double use */
        cg.setFragFree(i, free);
      }
      this.account(cg, b, 1);
    }
  }

  /** True if fragment address a may hold file data (not the boot area, a cg header, inodes or fs_cs). */
  isDataFrag(a: number): boolean {
    const sb = this.sb;
    if (a <= 0 || a >= sb.size) return false;
    const c = sb.dtog(a);
    if (a >= sb.cgsblock(c) && a < sb.cgdmin(c)) return false;
    if (c === 0 && a < sb.cgsblock(0)) return false;
    const cs = sb.csaddr;
    return !(a >= cs && a < cs + sb.numfrags(sb.cssize));
  }

  /* The groups to try, pref first. */
  private *cgOrder(pref: number): Generator<number> {
    const n = this.sb.ncg;
    for (let i = 0; i < n; i++) yield (pref + i) % n;
  }

  /** A full block, near pref (a fragment address) or in group prefCg. Returns its address. */
  allocBlock(pref: number, prefCg: number): number {
    const sb = this.sb;
    const start = pref > 0 && pref < sb.size ? sb.dtog(pref) : prefCg;
    for (const c of this.cgOrder(start)) {
      if (this.csum[c * 4 + CS_NBFREE] <= 0) continue;
      const cg = this.readCg(c);
      const b = this.findBlock(cg, c === sb.dtog(pref) ? Math.floor(sb.dtogd(pref) / sb.frag) : -1);
      if (b < 0) continue;
      this.setFrags(cg, b * sb.frag, sb.frag, false);
      cg.rotor = b * sb.frag;
      this.writeCg(cg);
      return sb.cgbase(c) + b * sb.frag;
    }
    throw new SysError(ENOSPC);
  }

  private findBlock(cg: Cg, want: number): number {
    const nblk = Math.floor(cg.ndblk / this.sb.frag);
    if (want >= 0 && want < nblk && cg.blockFree(want)) return want;
    const from = Math.floor(Math.max(0, cg.rotor) / this.sb.frag) % Math.max(1, nblk);
    for (let i = 0; i < nblk; i++) {
      const b = (from + i) % nblk;
      if (cg.blockFree(b)) return b;
    }
    return -1;
  }

  /** n (< fs_frag) contiguous fragments inside one block; prefers partly used blocks. */
  allocFrags(n: number, pref: number, prefCg: number): number {
    const sb = this.sb;
    if (n >= sb.frag) return this.allocBlock(pref, prefCg);
    const start = pref > 0 && pref < sb.size ? sb.dtog(pref) : prefCg;
    for (const c of this.cgOrder(start)) {
      const hasRun = this.csum[c * 4 + CS_NFFREE] >= n;
      if (!hasRun && this.csum[c * 4 + CS_NBFREE] <= 0) continue;
      const cg = this.readCg(c);
      let f = hasRun ? this.findRun(cg, n) : -1;
      if (f < 0) {
        const b = this.findBlock(cg, -1);
        if (b < 0) continue;
        f = b * sb.frag;
      }
      this.setFrags(cg, f, n, false);
      cg.frotor = f;
      this.writeCg(cg);
      return sb.cgbase(c) + f;
    }
    throw new SysError(ENOSPC);
  }

  /* A run of n free fragments in a partly used block (ffs_mapsearch). */
  private findRun(cg: Cg, n: number): number {
    const frag = this.sb.frag;
    let ok = false;
    for (let i = n; i < frag; i++) if (cg.frsum(i) > 0) ok = true;
    if (!ok) return -1;
    const nblk = Math.ceil(cg.ndblk / frag);
    const from = Math.floor(Math.max(0, cg.frotor) / frag) % nblk;
    for (let i = 0; i < nblk; i++) {
      const b = (from + i) % nblk;
      const pat = cg.blockPattern(b);
      if (pat === (1 << frag) - 1 && (b + 1) * frag <= cg.ndblk) continue;
      let run = 0;
      for (let j = 0; j < frag; j++) {
        run = pat & (1 << j) ? run + 1 : 0;
        if (run === n) return b * frag + j - n + 1;
      }
    }
    return -1;
  }

  /** ffs_fragextend: grow the fragment run at a from oldn to newn in place, if free. */
  extendFrags(a: number, oldn: number, newn: number): boolean {
    const sb = this.sb;
    const c = sb.dtog(a), f = sb.dtogd(a);
    if (Math.floor(f / sb.frag) !== Math.floor((f + newn - 1) / sb.frag)) return false;
    const cg = this.readCg(c);
    if (f + newn > cg.ndblk) return false;
    for (let i = f + oldn; i < f + newn; i++) if (!cg.fragFree(i)) return false;
    this.setFrags(cg, f + oldn, newn - oldn, false);
    this.writeCg(cg);
    return true;
  }

  /** ffs_blkfree: give back n fragments at a. */
  free(a: number, n: number): void {
    const sb = this.sb;
    if (!this.isDataFrag(a) || !this.isDataFrag(a + n - 1) || sb.dtog(a) !== sb.dtog(a + n - 1)) {
      throw new SysError(EIO);
    }
    const cg = this.readCg(sb.dtog(a));
    this.setFrags(cg, sb.dtogd(a), n, true);
    this.writeCg(cg);
  }

  /** ffs_valloc: a free inode, in prefCg or, for directories, a lightly used group. */
  allocInode(prefCg: number, isDir: boolean): number {
    const sb = this.sb;
    const start = isDir ? this.dirpref(prefCg) : prefCg;
    for (const c of this.cgOrder(start)) {
      if (this.csum[c * 4 + CS_NIFREE] <= 0) continue;
      const cg = this.readCg(c);
      const i = this.findInode(cg);
      if (i < 0) continue;
      this.initInodes(cg, i);
      cg.setInoUsed(i, true);
      cg.irotor = i;
      this.count(cg, CS_NIFREE, -1);
      if (isDir) this.count(cg, CS_NDIR, 1);
      this.writeCg(cg);
      return c * sb.ipg + i;
    }
    throw new SysError(ENOSPC);
  }

  private findInode(cg: Cg): number {
    const ipg = this.sb.ipg;
    const from = Math.max(0, cg.irotor) % ipg;
    for (let k = 0; k < ipg; k++) {
      const i = (from + k) % ipg;
      if (cg.cgx === 0 && i < 2) continue;
      if (!cg.inoUsed(i)) return i;
    }
    return -1;
  }

  /* UFS2 leaves inode blocks past cg_initediblk unwritten: zero them before use. */
  private initInodes(cg: Cg, i: number): void {
    const sb = this.sb;
    while (sb.ufs2 && i >= cg.initediblk - sb.inopb && cg.initediblk < sb.ipg) {
      const first = cg.cgx * sb.ipg + cg.initediblk;
      this.io.write(sb.inoOffset(first), new Uint8Array(sb.inopb * sb.dinodeSize));
      cg.initediblk = cg.initediblk + sb.inopb;
    }
  }

  /* ffs_dirpref, simplified: the group with the fewest directories among those with at least average free inodes. */
  private dirpref(prefCg: number): number {
    const n = this.sb.ncg;
    const avg = this.total[CS_NIFREE] / n;
    let best = prefCg, bestDirs = Infinity;
    for (const c of this.cgOrder(prefCg)) {
      const nif = this.csum[c * 4 + CS_NIFREE], nd = this.csum[c * 4 + CS_NDIR];
      if (nif >= avg && nif > 0 && nd < bestDirs) {
        best = c;
        bestDirs = nd;
      }
    }
    return best;
  }

  /** ffs_vfree. */
  freeInode(ino: number, isDir: boolean): void {
    const sb = this.sb;
    const c = sb.inoToCg(ino);
    const cg = this.readCg(c);
    const i = ino % sb.ipg;
    if (!cg.inoUsed(i)) throw new SysError(EIO);
    cg.setInoUsed(i, false);
    this.count(cg, CS_NIFREE, 1);
    if (isDir) this.count(cg, CS_NDIR, -1);
    this.writeCg(cg);
  }
}
