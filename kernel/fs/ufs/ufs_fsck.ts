/*
 * A read-only consistency check in the manner of fsck_ffs:
 *   pass 1  every inode: type, size, block pointers in range, no block
 *           claimed twice or overlapping metadata, di_blocks right, no
 *           blocks past EOF;
 *   pass 2  every directory: well-formed chunks, "." and "..", entries
 *           naming allocated inodes with the right d_type;
 *   pass 3/4 every inode reachable from the root, link counts right;
 *   pass 5  cylinder groups: inode and fragment maps, cluster map and
 *           summary, cg_frsum, cg_cs, the fs_cs area and fs_cstotal all
 *           match what passes 1–4 found.
 * It reports; it does not repair.
 */
import type { BlockDev } from './ufs_blockdev.ts';
import { Cg, cgValidate, G } from './ufs_cg.ts';
import { bmap, ptrGet } from './ufs_bmap.ts';
import { Dinode, dinodeDecode, dinodeEncode, IFBLK, IFCHR, IFDIR, IFIFO, IFLNK, IFMT, IFREG, IFSOCK } from './ufs_dinode.ts';
import { chunkCheck, chunkInit, chunkRemove, DIRBLKSIZ, dirTemplate, DT_DIR, readRec, writeRec } from './ufs_dir.ts';
import { CS_NBFREE, CS_NDIR, CS_NFFREE, CS_NIFREE, DEV_BSIZE, NDADDR, NIADDR, ROOTINO, sbFind, type Superblock } from './ufs_fs.ts';
import { UfsIo } from './ufs_txn.ts';
import { UfsAlloc } from './ufs_alloc.ts';
import { modeToDt } from './ufs_volume.ts';

export interface FsckReport {
  ok: boolean;
  errors: string[];
  /** Summary mismatches on a file system not marked clean (the kernel rewrites them at unmount). */
  warnings: string[];
  /** With repair: what was fixed. */
  repaired: string[];
  clean: boolean;
  ufs2: boolean;
  files: number;
  dirs: number;
  usedFrags: number;
}

const MAX_ERRORS = 200;

interface EntryAt {
  dir: number;
  addr: number;   // fragment address of the directory block
  base: number;   // chunk offset in the block
  off: number;    // record offset in the block
  index: number;  // position among the directory's live entries
}

class Checker {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly io: UfsIo;
  readonly alloc: UfsAlloc;
  cgs: Cg[] = [];
  /** Owner of each fragment: 0 free, -1 metadata, else the inode number. */
  owner: Int32Array;
  inodes = new Map<number, Dinode>();
  refs = new Map<number, number>();
  parent = new Map<number, number>();
  /** Repair mode: what to change once the scan is over (fsck -y), and what was changed. */
  repair = false;
  fixes: Array<() => void> = [];
  bad = new Set<number>();
  aborted = false;

  constructor(readonly sb: Superblock, dev: BlockDev) {
    this.io = new UfsIo(dev, sb.fsize);
    this.alloc = new UfsAlloc(sb, this.io, new Int32Array(sb.ncg * 4));
    this.owner = new Int32Array(sb.size);
  }

  err(msg: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(msg);
  }

  /* Report a problem and, in repair mode, queue its fix. */
  fix(msg: string, fn: () => void): void {
    this.err(msg);
    if (this.repair) this.fixes.push(fn);
  }

  /* An inode too damaged to keep: it is cleared, and later rounds drop the names of it. */
  badInode(ino: number, msg: string): void {
    this.err(msg);
    if (!this.repair || this.bad.has(ino) || ino === ROOTINO) return;
    this.bad.add(ino);
    this.fixes.push(() => this.io.write(this.sb.inoOffset(ino), new Uint8Array(this.sb.dinodeSize)));
  }

  editInode(ino: number, edit: (ip: Dinode) => void): void {
    const sb = this.sb;
    const ip = dinodeDecode(this.io.read(sb.inoOffset(ino), sb.dinodeSize), sb.ufs2, sb.maxsymlinklen);
    edit(ip);
    this.io.write(sb.inoOffset(ino), dinodeEncode(ip));
  }

  editBlock(addr: number, len: number, edit: (buf: Uint8Array) => void): void {
    const buf = this.io.read(addr * this.sb.fsize, len);
    edit(buf);
    this.io.write(addr * this.sb.fsize, buf);
  }

  run(): void {
    this.readCgs();
    if (this.errors.length) return;
    this.markMeta();
    this.pass1();
    this.pass2();
    this.pass34();
    this.pass5();
  }

  readCgs(): void {
    for (let c = 0; c < this.sb.ncg; c++) {
      const cg = new Cg(this.sb, this.io.read(this.sb.cgtod(c) * this.sb.fsize, this.sb.cgsize));
      const why = cgValidate(cg, c);
      if (why) this.err(why);
      this.cgs.push(cg);
    }
  }

  markMeta(): void {
    const sb = this.sb;
    for (let a = 0; a < sb.size; a++) if (!this.alloc.isDataFrag(a)) this.owner[a] = -1;
  }

  claim(ino: number, a: number, n: number, what: string): number {
    const sb = this.sb;
    if (a <= 0 || a + n > sb.size || sb.dtog(a) !== sb.dtog(a + n - 1)) {
      this.badInode(ino, `ino ${ino}: ${what} block ${a} out of range`);
      return 0;
    }
    for (let i = a; i < a + n; i++) {
      if (this.owner[i] === -1) this.badInode(ino, `ino ${ino}: ${what} block ${i} overlaps metadata`);
      else if (this.owner[i] !== 0) this.badInode(ino, `ino ${ino}: ${what} block ${i} also claimed by ino ${this.owner[i]}`);
      else this.owner[i] = ino;
    }
    return n;
  }

  pass1(): void {
    const sb = this.sb;
    for (let c = 0; c < sb.ncg; c++) {
      const cg = this.cgs[c];
      const table = this.io.read(sb.cgimin(c) * sb.fsize, sb.ipg * sb.dinodeSize);
      for (let i = 0; i < sb.ipg; i++) {
        const ino = c * sb.ipg + i;
        const inited = i < cg.initediblk;
        const ip = inited ? dinodeDecode(table.subarray(i * sb.dinodeSize), sb.ufs2, sb.maxsymlinklen) : null;
        const used = cg.inoUsed(i);
        if (ino < ROOTINO) {
          if (!used) this.err(`ino ${ino}: reserved inode not marked used`);
          continue;
        }
        const alloc = ip !== null && ip.mode !== 0;
        if (alloc !== used) this.err(`ino ${ino}: map says ${used ? 'used' : 'free'}, inode says ${alloc ? 'allocated' : 'free'}`);
        if (alloc && ip) this.checkInode(ino, ip);
      }
    }
    if (!this.inodes.has(ROOTINO) || !this.inodes.get(ROOTINO)?.isDir) this.err('root inode is not a directory');
  }

  checkInode(ino: number, ip: Dinode): void {
    const sb = this.sb;
    const t = ip.mode & IFMT;
    if (![IFREG, IFDIR, IFLNK, IFCHR, IFBLK, IFIFO, IFSOCK].includes(t)) {
      this.badInode(ino, `ino ${ino}: bad mode ${ip.mode.toString(8)}`);
      return;
    }
    this.inodes.set(ino, ip);
    if (ip.nlink <= 0) this.err(`ino ${ino}: allocated with link count ${ip.nlink}`);
    if (ip.size < 0 || ip.size > sb.maxFileSize) this.badInode(ino, `ino ${ino}: bad size ${ip.size}`);
    if (t === IFDIR && ip.size % DIRBLKSIZ) this.badInode(ino, `ino ${ino}: directory size ${ip.size} not a multiple of ${DIRBLKSIZ}`);
    if (ip.shortlink || t === IFCHR || t === IFBLK || t === IFIFO || t === IFSOCK) {
      if (ip.blocks !== 0) this.fix(`ino ${ino}: special file or fast symlink holds blocks`, () => this.editInode(ino, (d) => { d.blocks = 0; }));
      return;
    }
    let frags = 0;
    const lastLbn = ip.size === 0 ? -1 : sb.lblkno(ip.size - 1);
    for (let lbn = 0; lbn < NDADDR; lbn++) {
      const a = ip.db[lbn];
      if (a === 0) continue;
      if (lbn > lastLbn) this.badInode(ino, `ino ${ino}: block ${lbn} past EOF`);
      frags += this.claim(ino, a, sb.numfrags(sb.blksize(ip.size, lbn)), 'data');
    }
    let base = NDADDR, span = 1;
    for (let level = 0; level < NIADDR; level++) {
      span *= sb.nindir;
      if (ip.ib[level] !== 0) frags += this.walkIndir(ino, ip.ib[level], level, base, lastLbn);
      base += span;
    }
    const counted = (frags * sb.fsize) / DEV_BSIZE;
    if (counted !== ip.blocks) {
      this.fix(`ino ${ino}: di_blocks ${ip.blocks}, counted ${counted}`, () => this.editInode(ino, (d) => { d.blocks = counted; }));
    }
  }

  walkIndir(ino: number, a: number, level: number, base: number, lastLbn: number): number {
    const sb = this.sb;
    if (base > lastLbn) this.badInode(ino, `ino ${ino}: indirect block for lbn ${base} past EOF`);
    let frags = this.claim(ino, a, sb.frag, 'indirect');
    if (frags === 0) return 0;
    const blk = this.io.read(a * sb.fsize, sb.bsize);
    const childSpan = sb.nindir ** level;
    for (let i = 0; i < sb.nindir; i++) {
      const child = ptrGet(sb, blk, i);
      if (child === 0) continue;
      const cbase = base + i * childSpan;
      if (level === 0) {
        if (cbase > lastLbn) this.badInode(ino, `ino ${ino}: block ${cbase} past EOF`);
        frags += this.claim(ino, child, sb.frag, 'data');
      } else {
        frags += this.walkIndir(ino, child, level - 1, cbase, lastLbn);
      }
    }
    return frags;
  }

  ref(ino: number): void {
    this.refs.set(ino, (this.refs.get(ino) ?? 0) + 1);
  }

  pass2(): void {
    for (const [ino, ip] of this.inodes) if (ip.isDir) this.checkDir(ino, ip);
  }

  checkDir(ino: number, ip: Dinode): void {
    const sb = this.sb;
    let index = 0;
    for (let lbn = 0; lbn * sb.bsize < ip.size; lbn++) {
      const a = bmap(this, ip, lbn);
      if (a === 0) {
        this.badInode(ino, `dir ${ino}: hole at block ${lbn}`);
        return;
      }
      const buf = this.io.read(a * sb.fsize, Math.min(sb.bsize, ip.size - lbn * sb.bsize));
      for (let base = 0; base < buf.length; base += DIRBLKSIZ) {
        const why = chunkCheck(buf, base);
        if (why) {
          this.badChunk(ino, a, base, lbn === 0 && base === 0, `dir ${ino}: ${why}`);
          if (lbn === 0 && base === 0) index = 2;
          continue;
        }
        for (let off = base; off < base + DIRBLKSIZ;) {
          const r = readRec(buf, off);
          if (r.ino !== 0) this.checkEntry({ dir: ino, addr: a, base, off, index: index++ }, r.name, r.ino, r.type);
          off += r.reclen;
        }
      }
    }
    if (index < 2) this.badInode(ino, `dir ${ino}: missing "." or ".."`);
  }

  /* A malformed chunk is emptied; the first chunk of a directory gets fresh "." and "..". */
  badChunk(dir: number, addr: number, base: number, first: boolean, msg: string): void {
    this.fix(msg, () => this.editBlock(addr, base + DIRBLKSIZ, (buf) => {
      if (first) buf.set(dirTemplate(dir, dir === ROOTINO ? ROOTINO : (this.parent.get(dir) ?? ROOTINO)), base);
      else chunkInit(buf, base);
    }));
    if (first) {
      this.ref(dir);
      this.ref(dir === ROOTINO ? ROOTINO : (this.parent.get(dir) ?? ROOTINO));
    }
  }

  /* Drop one name from a directory block. */
  dropEntry(at: EntryAt, msg: string): void {
    this.fix(msg, () => this.editBlock(at.addr, at.base + DIRBLKSIZ, (buf) => chunkRemove(buf, at.base, at.off)));
  }

  checkEntry(at: EntryAt, name: string, ino: number, type: number): void {
    const { dir, index } = at;
    if ((index === 0 && (name !== '.' || ino !== dir)) || (index === 1 && name !== '..')) {
      this.badInode(dir, `dir ${dir}: ${index === 0 ? 'first entry is not "."' : 'second entry is not ".."'}`);
      return;
    }
    if (index > 1 && (name === '.' || name === '..')) return this.dropEntry(at, `dir ${dir}: extra "${name}"`);
    const target = this.inodes.get(ino);
    if (!target || this.bad.has(ino)) return this.dropEntry(at, `dir ${dir}: entry "${name}" names unallocated inode ${ino}`);
    if (type !== modeToDt(target.mode)) {
      const dt = modeToDt(target.mode);
      this.fix(`dir ${dir}: entry "${name}" has d_type ${type}`, () => this.editBlock(at.addr, at.base + DIRBLKSIZ, (buf) => { buf[at.off + 6] = dt; }));
    }
    if (index > 1 && target.isDir && this.parent.has(ino)) return this.dropEntry(at, `dir ${ino}: linked from two directories`);
    this.ref(ino);
    if (index > 1 && target.isDir) this.parent.set(ino, dir);
  }

  pass34(): void {
    const seen = new Set<number>([ROOTINO]);
    const queue = [ROOTINO];
    const children = new Map<number, number[]>();
    for (const [child, dir] of this.parent) children.set(dir, [...(children.get(dir) ?? []), child]);
    while (queue.length) {
      const d = queue.pop() as number;
      for (const c of children.get(d) ?? []) if (!seen.has(c)) { seen.add(c); queue.push(c); }
    }
    for (const [ino, ip] of this.inodes) {
      if (this.bad.has(ino)) continue;
      if (ip.isDir && !seen.has(ino)) {
        this.badInode(ino, `dir ${ino}: unreachable from the root`);
        continue;
      }
      const refs = this.refs.get(ino) ?? 0;
      if (refs === 0) this.badInode(ino, `ino ${ino}: unreferenced`);
      else if (refs !== ip.nlink) this.fix(`ino ${ino}: link count ${ip.nlink}, references ${refs}`, () => this.editInode(ino, (d) => { d.nlink = refs; }));
    }
    this.checkDotDot();
  }

  checkDotDot(): void {
    for (const [ino, ip] of this.inodes) {
      if (!ip.isDir || this.bad.has(ino)) continue;
      const want = ino === ROOTINO ? ROOTINO : this.parent.get(ino);
      const a = ip.db[0];
      if (!a || want === undefined) continue;
      const buf = this.io.read(a * this.sb.fsize, DIRBLKSIZ);
      if (chunkCheck(buf, 0) !== null) continue;
      const dot = readRec(buf, 0);
      if (dot.reclen >= DIRBLKSIZ) continue;
      const dd = readRec(buf, dot.reclen);
      if (dd.name === '..' && dd.ino !== want) {
        this.fix(`dir ${ino}: ".." is ${dd.ino}, parent is ${want}`, () => this.editBlock(a, DIRBLKSIZ, (b) => {
          writeRec(b, dot.reclen, want, dd.reclen, DT_DIR, '..');
        }));
      }
    }
  }

  pass5(): void {
    const sb = this.sb;
    const total = [0, 0, 0, 0];
    const disk = this.io.read(sb.csaddr * sb.fsize, sb.fragroundup(sb.cssize));
    const ddv = new DataView(disk.buffer);
    const report = (m: string) => (sb.isClean ? this.err(m) : this.warnings.push(m));
    for (let c = 0; c < sb.ncg; c++) {
      const want = this.expectedCg(c);
      const got = this.cgs[c];
      this.compareMaps(c, want, got);
      for (let i = 0; i < 4; i++) {
        total[i] += want.cs(i);
        if (got.cs(i) !== want.cs(i)) this.err(`cg ${c}: cs[${i}] ${got.cs(i)}, counted ${want.cs(i)}`);
        if (ddv.getInt32(16 * c + 4 * i, true) !== want.cs(i)) report(`cg ${c}: fs_cs[${i}] ${ddv.getInt32(16 * c + 4 * i, true)}, counted ${want.cs(i)}`);
      }
    }
    const st = sb.getCstotal();
    for (let i = 0; i < 4; i++) if (st[i] !== total[i]) report(`fs_cstotal[${i}] ${st[i]}, counted ${total[i]}`);
  }

  /* A copy of cg c with maps and counts rebuilt from what the passes found. */
  expectedCg(c: number): Cg {
    const sb = this.sb;
    const got = this.cgs[c];
    const cg = new Cg(sb, got.raw.slice());
    const base = sb.cgbase(c);
    const ndblk = got.ndblk;
    if (cg.rotor < 0 || cg.rotor >= ndblk) cg.rotor = 0;
    if (cg.frotor < 0 || cg.frotor >= ndblk) cg.frotor = 0;
    if (cg.irotor < 0 || cg.irotor >= sb.ipg) cg.irotor = 0;
    cg.raw.fill(0, cg.i32(G.freeoff), cg.i32(G.freeoff) + Math.ceil(sb.fpg / 8));
    for (let i = 0; i < 4; i++) cg.set32(G.cs + 4 * i, 0);
    for (let i = 1; i < 8; i++) cg.set32(G.frsum + 4 * i, 0);
    if (sb.contigsumsize > 0) {
      cg.raw.fill(0, cg.i32(G.clusteroff), cg.i32(G.clusteroff) + Math.ceil(cg.nclusterblks / 8));
      for (let i = 1; i <= sb.contigsumsize; i++) cg.set32(cg.i32(G.clustersumoff) + 4 * i, 0);
    }
    let nifree = 0, ndir = 0;
    for (let i = 0; i < sb.ipg; i++) {
      const ino = c * sb.ipg + i;
      const used = ino < ROOTINO || this.inodes.has(ino);
      cg.setInoUsed(i, used);
      if (!used) nifree++;
      if (this.inodes.get(ino)?.isDir) ndir++;
    }
    cg.set32(G.cs + 4 * CS_NDIR, ndir);
    cg.set32(G.cs + 4 * CS_NIFREE, nifree);
    for (let f = 0; f < ndblk; f++) if (this.owner[base + f] === 0) cg.setFragFree(f, true);
    const frag = sb.frag;
    for (let b = 0; b * frag < ndblk; b++) {
      if ((b + 1) * frag <= ndblk && cg.blockFree(b)) {
        cg.addCs(CS_NBFREE, 1);
        if (sb.contigsumsize > 0) cg.clusteracct(b, 1);
      } else {
        const pat = cg.blockPattern(b);
        cg.fragacct(pat, 1);
        let n = 0;
        for (let p = pat; p; p &= p - 1) n++;
        cg.addCs(CS_NFFREE, n);
      }
    }
    return cg;
  }

  compareMaps(c: number, want: Cg, got: Cg): void {
    const sb = this.sb;
    let bad = 0;
    for (let f = 0; f < got.ndblk; f++) {
      if (want.fragFree(f) === got.fragFree(f)) continue;
      if (bad++ < 5) this.err(`cg ${c}: fragment ${sb.cgbase(c) + f} is ${got.fragFree(f) ? 'free' : 'used'} in the map but ${want.fragFree(f) ? 'free' : 'used'}`);
    }
    if (bad > 5) this.err(`cg ${c}: ${bad} fragment map errors in all`);
    for (let i = 1; i < sb.frag; i++) if (want.frsum(i) !== got.frsum(i)) this.err(`cg ${c}: frsum[${i}] ${got.frsum(i)}, counted ${want.frsum(i)}`);
    if (sb.contigsumsize <= 0) return;
    for (let b = 0; b < got.nclusterblks; b++) {
      if (want.clusterFree(b) !== got.clusterFree(b)) {
        this.err(`cg ${c}: cluster map wrong at block ${b}`);
        break;
      }
    }
    for (let i = 1; i <= sb.contigsumsize; i++) {
      if (want.clusterSum(i) !== got.clusterSum(i)) this.err(`cg ${c}: cluster sum[${i}] ${got.clusterSum(i)}, counted ${want.clusterSum(i)}`);
    }
  }
}

export interface FsckOptions {
  /** fsck -y: fix what can be fixed (clear damaged or unreferenced inodes, drop bad names, fix link counts, rebuild the maps and summaries) and mark the file system clean. */
  repair?: boolean;
}

function scan(sb: Superblock, dev: BlockDev, repair: boolean): Checker {
  const ck = new Checker(sb, dev);
  ck.repair = repair;
  try {
    ck.run();
  } catch (e) {
    ck.err(`check aborted: ${e instanceof Error ? e.message : String(e)}`);
    ck.fixes = [];
    ck.aborted = true;
  }
  return ck;
}

function report(ck: Checker, sb: Superblock, repaired: string[]): FsckReport {
  let dirs = 0, used = 0;
  for (const ip of ck.inodes.values()) if (ip.isDir) dirs++;
  for (const o of ck.owner) if (o > 0) used++;
  return {
    ok: ck.errors.length === 0, errors: ck.errors, warnings: ck.warnings, repaired, clean: sb.isClean,
    ufs2: sb.ufs2, files: ck.inodes.size, dirs, usedFrags: used,
  };
}

/** Check (and with repair, fix) the file system on dev. Never throws for a damaged file system: it reports. */
export function fsck(dev: BlockDev, opts: FsckOptions = {}): FsckReport {
  const sb = sbFind(dev);
  if (!sb) {
    return { ok: false, errors: ['no valid superblock'], warnings: [], repaired: [], clean: false, ufs2: false, files: 0, dirs: 0, usedFrags: 0 };
  }
  if (!opts.repair) return report(scan(sb, dev, false), sb, []);
  const repaired: string[] = [];
  let ck = scan(sb, dev, true);
  for (let round = 0; round < 64 && ck.fixes.length > 0; round++) {
    repaired.push(...ck.errors.filter((e) => !e.startsWith('cg ') && !e.startsWith('fs_cs')));
    for (const f of ck.fixes) f();
    ck.io.commit();
    ck = scan(sb, dev, true);
  }
  if (!ck.aborted && ck.fixes.length === 0 && ck.cgs.length === sb.ncg) {
    if (rewriteSummaries(ck, dev)) repaired.push('cylinder group maps and summaries rebuilt');
  }
  return report(scan(sb, dev, false), sb, repaired);
}

/* fsck pass 5's fix: write the cgs, fs_cs and fs_cstotal as counted, and mark the file system clean. */
function rewriteSummaries(ck: Checker, dev: BlockDev): boolean {
  const sb = ck.sb;
  const total = [0, 0, 0, 0];
  const cs = new Uint8Array(sb.fragroundup(sb.cssize));
  const dv = new DataView(cs.buffer);
  let changed = !sb.isClean;
  for (let c = 0; c < sb.ncg; c++) {
    const want = ck.expectedCg(c);
    if (!want.raw.every((b, i) => b === ck.cgs[c].raw[i])) {
      dev.write(sb.cgtod(c) * sb.fsize, want.raw);
      changed = true;
    }
    for (let i = 0; i < 4; i++) {
      dv.setInt32(16 * c + 4 * i, want.cs(i), true);
      total[i] += want.cs(i);
    }
  }
  const old = ck.io.read(sb.csaddr * sb.fsize, cs.length);
  if (!old.every((b, i) => b === cs[i])) changed = true;
  if (sb.getCstotal().some((v, i) => v !== total[i])) changed = true;
  dev.write(sb.csaddr * sb.fsize, cs);
  sb.setCstotal(total);
  sb.clean = 1;
  dev.write(sb.location, sb.raw);
  return changed;
}
