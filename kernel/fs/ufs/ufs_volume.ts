/*
 * A mounted UFS volume: the superblock, the summary area and the file
 * operations, addressed by inode number so the VFS glue (a Vnode subclass
 * holding an inode number) stays thin.
 *
 * Every public operation is one transaction (ufs_txn.ts): it either runs to
 * the end and its writes reach the device together, or it throws (SysError,
 * or a SleepRequest from the device) and nothing it did is visible, in
 * memory or on the device. A rerun of a slept operation therefore starts
 * clean.
 *
 * fs_clean: a read-write mount clears it on disk at once and sets it again
 * at unmount after writing the summaries, as the BSD kernels do. A dirty
 * file system is refused read-write unless the caller asks otherwise.
 */
import {
  EEXIST, EINVAL, EIO, EISDIR, EMLINK, ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM, EROFS, SysError,
} from '../../kern/errno.ts';
import { UfsAlloc } from './ufs_alloc.ts';
import type { BlockDev } from './ufs_blockdev.ts';
import { truncateBlocks, type UfsCtx } from './ufs_bmap.ts';
import {
  Dinode, dinodeDecode, dinodeEncode, IFBLK, IFCHR, IFDIR, IFIFO, IFLNK, IFMT, IFREG, IFSOCK, type UfsTime,
} from './ufs_dinode.ts';
import {
  dirTemplate, DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN, nameCheck,
} from './ufs_dir.ts';
import { CS_NBFREE, CS_NFFREE, CS_NIFREE, DEV_BSIZE, NDADDR, ROOTINO, sbFind, Superblock, UFS_MAXNAMLEN } from './ufs_fs.ts';
import { dirEmpty, dirEnter, dirFind, dirList, dirRemove, dirRewrite, type UfsDirent } from './ufs_lookup.ts';
import { readData, writeData, type WriteProgress } from './ufs_readwrite.ts';
import { UfsIo } from './ufs_txn.ts';

export type { UfsDirent } from './ufs_lookup.ts';
export type { UfsTime } from './ufs_dinode.ts';

export interface UfsMountOptions {
  readonly?: boolean;
  /** A dirty (unclean) file system: refuse a read-write mount (default), mount it read-only, or mount anyway. */
  dirty?: 'refuse' | 'readonly' | 'force';
  /** Wall clock in ms since the epoch for timestamps (default Date.now). */
  clock?: () => number;
  /** Is an unlinked inode still open? Then its blocks are freed later, by inactive(). */
  busy?: (ino: number) => boolean;
}

export interface UfsAttr {
  ino: number;
  mode: number;       // type and permission bits (st_mode)
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  blocks: number;     // 512-byte units
  rdev: number;
  gen: number;
  flags: number;
  atime: UfsTime;
  mtime: UfsTime;
  ctime: UfsTime;
  birthtime: UfsTime;
}

export interface UfsSetattr {
  mode?: number;      // permission bits (07777)
  uid?: number;
  gid?: number;
  size?: number;
  atime?: UfsTime;
  mtime?: UfsTime;
  ctime?: UfsTime;
}

export interface UfsStatfs {
  bsize: number;      // block size
  fsize: number;      // fragment size: the unit of the counts below
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namemax: number;
  ufs2: boolean;
  volname: string;
}

const LINK_MAX = 32767;
const MAXPATHLEN = 4096;

export function modeToDt(mode: number): number {
  switch (mode & IFMT) {
    case IFREG: return DT_REG;
    case IFDIR: return DT_DIR;
    case IFLNK: return DT_LNK;
    case IFCHR: return DT_CHR;
    case IFBLK: return DT_BLK;
    case IFIFO: return DT_FIFO;
    case IFSOCK: return DT_SOCK;
    default: return DT_UNKNOWN;
  }
}

export class UfsVolume implements UfsCtx {
  readonly io: UfsIo;
  readonly alloc: UfsAlloc;
  readonly csum: Int32Array;
  readonly readonly: boolean;
  readonly root = ROOTINO;
  private depth = 0;
  private mounted = true;
  private genSeq: number;
  private readonly clock: () => number;
  private readonly busy: (ino: number) => boolean;

  private constructor(readonly dev: BlockDev, readonly sb: Superblock, ro: boolean, opts: UfsMountOptions) {
    this.io = new UfsIo(dev, sb.fsize);
    const cs = this.io.read(sb.csaddr * sb.fsize, sb.fragroundup(sb.cssize));
    this.csum = new Int32Array(sb.ncg * 4);
    const dv = new DataView(cs.buffer);
    for (let i = 0; i < this.csum.length; i++) this.csum[i] = dv.getInt32(4 * i, true);
    this.alloc = new UfsAlloc(sb, this.io, this.csum);
    if (!sb.isClean) this.recount();
    this.readonly = ro;
    this.clock = opts.clock ?? (() => Date.now());
    this.busy = opts.busy ?? (() => false);
    this.genSeq = (sb.id[0] ^ sb.id[1]) >>> 0;
  }

  /* An unclean file system's fs_cs and fs_cstotal may be stale: take them from the cg headers. */
  private recount(): void {
    const total = [0, 0, 0, 0];
    for (let c = 0; c < this.sb.ncg; c++) {
      const cg = this.alloc.readCg(c);
      for (let i = 0; i < 4; i++) {
        this.csum[c * 4 + i] = cg.cs(i);
        total[i] += cg.cs(i);
      }
    }
    this.alloc.total = total;
  }

  /** Find, check and mount the file system on dev. */
  static mount(dev: BlockDev, opts: UfsMountOptions = {}): UfsVolume {
    const sb = sbFind(dev);
    if (!sb) throw new SysError(EINVAL);
    let ro = opts.readonly ?? false;
    if (!ro && !sb.isClean) {
      const policy = opts.dirty ?? 'refuse';
      if (policy === 'refuse') throw new SysError(EPERM);
      if (policy === 'readonly') ro = true;
    }
    const vol = new UfsVolume(dev, sb, ro, opts);
    if (!ro) {
      sb.clean = 0;
      vol.writeSuper();
    }
    return vol;
  }

  get ufs2(): boolean {
    return this.sb.ufs2;
  }

  /* ---- transactions ---- */

  private op<T>(write: boolean, fn: () => T): T {
    if (!this.mounted) throw new SysError(EINVAL);
    if (write && this.readonly) throw new SysError(EROFS);
    if (this.depth > 0) return fn();
    if (!write) return this.readOp(fn);
    const csum = this.csum.slice(), total = this.alloc.total.slice(), gen = this.genSeq;
    this.depth++;
    try {
      const r = fn();
      this.io.commit();
      return r;
    } catch (e) {
      this.io.abort();
      this.csum.set(csum);
      this.alloc.total = total;
      this.genSeq = gen;
      throw e;
    } finally {
      this.depth--;
    }
  }

  /* A read-only operation changes nothing, so there is nothing to roll back. */
  private readOp<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private writeSuper(): void {
    this.sb.setCstotal(this.alloc.total);
    this.sb.time = Math.floor(this.clock() / 1000);
    this.dev.write(this.sb.location, this.sb.raw);
    this.dev.barrier?.();
  }

  /** Write the summary area and the superblock (fs_clean stays as it is). */
  sync(): void {
    if (this.readonly || !this.mounted) return;
    const cs = new Uint8Array(this.sb.fragroundup(this.sb.cssize));
    const dv = new DataView(cs.buffer);
    for (let i = 0; i < this.csum.length; i++) dv.setInt32(4 * i, this.csum[i], true);
    this.dev.write(this.sb.csaddr * this.sb.fsize, cs);
    this.writeSuper();
  }

  /** Flush, mark clean, and forget the device. */
  unmount(): void {
    if (!this.mounted) return;
    if (!this.readonly) {
      this.sb.clean = 1;
      this.sync();
    }
    this.mounted = false;
  }

  /* ---- inodes ---- */

  private checkIno(ino: number): void {
    if (!Number.isInteger(ino) || ino < ROOTINO || ino >= this.sb.ncg * this.sb.ipg) throw new SysError(EINVAL);
  }

  /** Read an allocated inode (ESTALE-like EINVAL for a bad number, ENOENT for a free one). */
  iget(ino: number): Dinode {
    this.checkIno(ino);
    const sb = this.sb;
    const buf = this.io.read(sb.inoOffset(ino), sb.dinodeSize);
    const ip = dinodeDecode(buf, sb.ufs2, sb.maxsymlinklen);
    if (ip.mode === 0 || ip.nlink < 0) throw new SysError(ENOENT);
    if (ip.size < 0 || ip.size > sb.maxFileSize) throw new SysError(EIO);
    return ip;
  }

  private iput(ino: number, ip: Dinode): void {
    this.io.write(this.sb.inoOffset(ino), dinodeEncode(ip));
  }

  private now(): UfsTime {
    const ms = this.clock();
    const sec = Math.floor(ms / 1000);
    return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
  }

  private nextGen(): number {
    /* A deterministic sequence (images must be reproducible), never 0. */
    this.genSeq = (Math.imul(this.genSeq, 1103515245) + 12345) >>> 0;
    return (this.genSeq & 0x7fffffff) || 1;
  }

  getattr(ino: number): UfsAttr {
    return this.op(false, () => {
      const ip = this.iget(ino);
      const isDev = ip.type === IFCHR || ip.type === IFBLK;
      return {
        ino, mode: ip.mode, nlink: ip.nlink, uid: ip.uid, gid: ip.gid, size: ip.size, blocks: ip.blocks,
        rdev: isDev ? ip.rdev >>> 0 : 0, gen: ip.gen, flags: ip.flags,
        atime: { ...ip.atime }, mtime: { ...ip.mtime }, ctime: { ...ip.ctime }, birthtime: { ...ip.birthtime },
      };
    });
  }

  /* ---- reading ---- */

  private dir(ino: number): Dinode {
    const ip = this.iget(ino);
    if (!ip.isDir) throw new SysError(ENOTDIR);
    return ip;
  }

  /** The inode number name refers to in directory dirIno ("." and ".." included). */
  lookup(dirIno: number, name: string): number {
    return this.op(false, () => {
      if (name.length > UFS_MAXNAMLEN) throw new SysError(ENAMETOOLONG);
      const hit = dirFind(this, this.dir(dirIno), name);
      if (!hit) throw new SysError(ENOENT);
      return hit.rec.ino;
    });
  }

  readdir(dirIno: number, cookie = 0, max = Infinity): UfsDirent[] {
    return this.op(false, () => dirList(this, this.dir(dirIno), cookie, max));
  }

  read(ino: number, off: number, len: number): Uint8Array {
    return this.op(false, () => {
      const ip = this.iget(ino);
      if (ip.isDir) throw new SysError(EISDIR);
      if (off < 0 || len < 0) throw new SysError(EINVAL);
      return readData(this, ip, off, len);
    });
  }

  readlink(ino: number): string {
    return this.op(false, () => {
      const ip = this.iget(ino);
      if (ip.type !== IFLNK) throw new SysError(EINVAL);
      if (ip.size > MAXPATHLEN) throw new SysError(EIO);
      const bytes = ip.shortlink ?? readData(this, ip, 0, ip.size);
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return s;
    });
  }

  statfs(): UfsStatfs {
    const sb = this.sb, t = this.alloc.total;
    const bfree = t[CS_NBFREE] * sb.frag + t[CS_NFFREE];
    const reserve = Math.floor((sb.dsize * sb.minfree) / 100);
    return {
      bsize: sb.bsize, fsize: sb.fsize, blocks: sb.dsize, bfree, bavail: Math.max(0, bfree - reserve),
      files: sb.ncg * sb.ipg - ROOTINO, ffree: t[CS_NIFREE], namemax: UFS_MAXNAMLEN, ufs2: sb.ufs2,
      volname: sb.volname,
    };
  }

  /* ---- writing ---- */

  /**
   * Write data at off. Running out of space part way gives a short write (the
   * blocks that fitted), as write(2) does; ENOSPC only when nothing fitted.
   */
  write(ino: number, off: number, data: Uint8Array): number {
    const progress: WriteProgress = { done: 0 };
    try {
      return this.op(true, () => this.writeOp(ino, off, data, progress));
    } catch (e) {
      if (!(e instanceof SysError && e.errno === ENOSPC) || progress.done === 0) throw e;
    }
    /* Rerun the write for the part that fitted: no half-allocated block is left behind. */
    return this.op(true, () => this.writeOp(ino, off, data.subarray(0, progress.done), { done: 0 }));
  }

  private writeOp(ino: number, off: number, data: Uint8Array, progress: WriteProgress): number {
    const ip = this.iget(ino);
    if (ip.isDir) throw new SysError(EISDIR);
    if (off < 0) throw new SysError(EINVAL);
    writeData(this, ino, ip, off, data, progress);
    ip.mtime = ip.ctime = this.now();
    this.iput(ino, ip);
    return data.length;
  }

  setattr(ino: number, ch: UfsSetattr): void {
    this.op(true, () => {
      const ip = this.iget(ino);
      if (ch.size !== undefined) this.resize(ino, ip, ch.size);
      if (ch.mode !== undefined) ip.mode = (ip.mode & IFMT) | (ch.mode & 0o7777);
      if (ch.uid !== undefined) ip.uid = ch.uid >>> 0;
      if (ch.gid !== undefined) ip.gid = ch.gid >>> 0;
      if (ch.atime) ip.atime = { ...ch.atime };
      if (ch.mtime) ip.mtime = { ...ch.mtime };
      ip.ctime = ch.ctime ? { ...ch.ctime } : this.now();
      this.iput(ino, ip);
    });
  }

  private resize(ino: number, ip: Dinode, size: number): void {
    if (ip.isDir) throw new SysError(EISDIR);
    if (size < 0 || !Number.isInteger(size)) throw new SysError(EINVAL);
    if (ip.type === IFLNK && ip.shortlink) throw new SysError(EINVAL);
    if (size < ip.size) {
      truncateBlocks(this, ip, size);
      ip.size = size;
    } else if (size > ip.size) {
      /* Like ffs_truncate: the last byte's block is allocated (zeroed); earlier ones stay holes. */
      writeData(this, ino, ip, size - 1, new Uint8Array(1));
    }
    ip.mtime = this.now();
  }

  truncate(ino: number, size: number): void {
    this.setattr(ino, { size });
  }

  /* A fresh inode near dirIno (or in a lightly used group for directories). */
  private ialloc(dirIno: number, mode: number, uid: number, gid: number): [number, Dinode] {
    const ino = this.alloc.allocInode(this.sb.inoToCg(dirIno), (mode & IFMT) === IFDIR);
    const old = dinodeDecode(this.io.read(this.sb.inoOffset(ino), this.sb.dinodeSize), this.sb.ufs2, 0);
    if (old.mode !== 0) throw new SysError(EIO); /* the map said free, the inode says otherwise */
    const ip = new Dinode(this.sb.ufs2);
    const t = this.now();
    ip.mode = mode;
    ip.uid = uid >>> 0;
    ip.gid = gid >>> 0;
    ip.atime = { ...t };
    ip.mtime = { ...t };
    ip.ctime = { ...t };
    if (this.sb.ufs2) ip.birthtime = { ...t };
    ip.gen = this.nextGen();
    ip.nlink = 1;
    return [ino, ip];
  }

  private newName(dirIno: number, name: string): Dinode {
    if (!nameCheck(name)) throw new SysError(name.length > UFS_MAXNAMLEN ? ENAMETOOLONG : EINVAL);
    const dp = this.dir(dirIno);
    if (dp.nlink <= 0) throw new SysError(ENOENT); /* removed directory */
    if (dirFind(this, dp, name)) throw new SysError(EEXIST);
    return dp;
  }

  private touchDir(dirIno: number, dp: Dinode): void {
    dp.mtime = dp.ctime = this.now();
    this.iput(dirIno, dp);
  }

  /** Create a regular file, FIFO, socket or device node (mode has the type bits; rdev for devices). */
  create(dirIno: number, name: string, mode: number, uid = 0, gid = 0, rdev = 0): number {
    return this.op(true, () => {
      const t = mode & IFMT || IFREG;
      if (t === IFDIR || t === IFLNK) throw new SysError(EINVAL);
      const dp = this.newName(dirIno, name);
      const [ino, ip] = this.ialloc(dirIno, t | (mode & 0o7777), uid, gid);
      if (t === IFCHR || t === IFBLK) ip.rdev = rdev | 0;
      this.iput(ino, ip);
      dirEnter(this, dirIno, dp, name, ino, modeToDt(ip.mode));
      this.touchDir(dirIno, dp);
      return ino;
    });
  }

  mkdir(dirIno: number, name: string, perm: number, uid = 0, gid = 0): number {
    return this.op(true, () => {
      const dp = this.newName(dirIno, name);
      if (dp.nlink >= LINK_MAX) throw new SysError(EMLINK);
      const [ino, ip] = this.ialloc(dirIno, IFDIR | (perm & 0o7777), uid, gid);
      ip.nlink = 2;
      writeData(this, ino, ip, 0, dirTemplate(ino, dirIno));
      this.iput(ino, ip);
      dirEnter(this, dirIno, dp, name, ino, DT_DIR);
      dp.nlink++;
      this.touchDir(dirIno, dp);
      return ino;
    });
  }

  symlink(dirIno: number, name: string, target: string, uid = 0, gid = 0): number {
    return this.op(true, () => {
      if (target.length === 0 || target.length >= MAXPATHLEN) throw new SysError(target.length ? ENAMETOOLONG : ENOENT);
      const dp = this.newName(dirIno, name);
      const [ino, ip] = this.ialloc(dirIno, IFLNK | 0o755, uid, gid);
      const bytes = new Uint8Array(target.length);
      for (let i = 0; i < target.length; i++) bytes[i] = target.charCodeAt(i) & 0xff;
      if (bytes.length < this.sb.maxsymlinklen) {
        ip.shortlink = bytes;
        ip.size = bytes.length;
      } else {
        writeData(this, ino, ip, 0, bytes);
      }
      this.iput(ino, ip);
      dirEnter(this, dirIno, dp, name, ino, DT_LNK);
      this.touchDir(dirIno, dp);
      return ino;
    });
  }

  link(dirIno: number, name: string, ino: number): void {
    this.op(true, () => {
      const ip = this.iget(ino);
      if (ip.isDir) throw new SysError(EPERM);
      if (ip.nlink >= LINK_MAX) throw new SysError(EMLINK);
      const dp = this.newName(dirIno, name);
      ip.nlink++;
      ip.ctime = this.now();
      this.iput(ino, ip);
      dirEnter(this, dirIno, dp, name, ino, modeToDt(ip.mode));
      this.touchDir(dirIno, dp);
    });
  }

  /* Drop one link; free the inode when none is left and nobody holds it open. */
  private dropLink(ino: number, ip: Dinode): void {
    ip.nlink--;
    ip.ctime = this.now();
    if (ip.nlink <= 0 && !this.busy(ino)) this.ifree(ino, ip);
    else this.iput(ino, ip);
  }

  private ifree(ino: number, ip: Dinode): void {
    if (!ip.shortlink) truncateBlocks(this, ip, 0);
    const isDir = ip.isDir;
    const dead = new Dinode(this.sb.ufs2);
    dead.gen = ip.gen;
    this.iput(ino, dead);
    this.alloc.freeInode(ino, isDir);
  }

  /** The last user of an unlinked inode let go: free it now. */
  inactive(ino: number): void {
    this.op(true, () => {
      const ip = this.iget(ino);
      if (ip.nlink <= 0) this.ifree(ino, ip);
    });
  }

  unlink(dirIno: number, name: string): void {
    this.op(true, () => {
      const dp = this.dir(dirIno);
      const hit = dirFind(this, dp, name);
      if (!hit || name === '.' || name === '..') throw new SysError(hit ? EINVAL : ENOENT);
      const ip = this.iget(hit.rec.ino);
      if (ip.isDir) throw new SysError(EISDIR);
      dirRemove(this, hit);
      this.touchDir(dirIno, dp);
      this.dropLink(hit.rec.ino, ip);
    });
  }

  rmdir(dirIno: number, name: string): void {
    this.op(true, () => {
      if (name === '.' || name === '..') throw new SysError(name === '.' ? EINVAL : ENOTEMPTY);
      const dp = this.dir(dirIno);
      const hit = dirFind(this, dp, name);
      if (!hit) throw new SysError(ENOENT);
      const ino = hit.rec.ino;
      const ip = this.dir(ino);
      if (!dirEmpty(this, ip)) throw new SysError(ENOTEMPTY);
      dirRemove(this, hit);
      dp.nlink--;
      this.touchDir(dirIno, dp);
      ip.nlink = 0;
      if (this.busy(ino)) {
        truncateBlocks(this, ip, 0);
        ip.size = 0;
        this.iput(ino, ip);
      } else {
        this.ifree(ino, ip);
      }
    });
  }

  /** Is dir `anc` an ancestor of (or the same as) dir ino? Walks ".." up to the root. */
  private isAncestor(anc: number, ino: number): boolean {
    for (let cur = ino, n = 0; n < 100000; n++) {
      if (cur === anc) return true;
      if (cur === ROOTINO) return false;
      const hit = dirFind(this, this.dir(cur), '..');
      if (!hit) throw new SysError(EIO);
      cur = hit.rec.ino;
    }
    throw new SysError(EIO);
  }

  /** rename(2): replaces an existing target (an empty directory for a directory). */
  rename(fdir: number, fname: string, tdir: number, tname: string): void {
    this.op(true, () => {
      if (fname === '.' || fname === '..' || tname === '.' || tname === '..') throw new SysError(EINVAL);
      if (!nameCheck(tname)) throw new SysError(tname.length > UFS_MAXNAMLEN ? ENAMETOOLONG : EINVAL);
      const src = dirFind(this, this.dir(fdir), fname);
      if (!src) throw new SysError(ENOENT);
      const ino = src.rec.ino;
      const ip = this.iget(ino);
      if (ip.isDir && fdir !== tdir && this.isAncestor(ino, tdir)) throw new SysError(EINVAL);
      const dst = dirFind(this, this.dir(tdir), tname);
      if (dst && dst.rec.ino === ino) return; /* same file: nothing to do */
      if (dst) this.renameReplace(ip, ino, dst.rec.ino, tdir, tname);
      else this.renameEnter(ip, ino, tdir, tname);
      this.renameFinish(ip, ino, fdir, fname, tdir);
    });
  }

  private renameReplace(ip: Dinode, ino: number, tIno: number, tdir: number, tname: string): void {
    const tip = this.iget(tIno);
    if (ip.isDir !== tip.isDir) throw new SysError(ip.isDir ? ENOTDIR : EISDIR);
    if (tip.isDir && !dirEmpty(this, tip)) throw new SysError(ENOTEMPTY);
    const hit = dirFind(this, this.dir(tdir), tname);
    if (!hit) throw new SysError(EIO);
    dirRewrite(this, hit, ino, modeToDt(ip.mode));
    const tdp = this.dir(tdir);
    if (tip.isDir) {
      tdp.nlink--;
      tip.nlink = 1; /* its "." link goes with it */
    }
    this.touchDir(tdir, tdp);
    this.dropLink(tIno, tip);
  }

  private renameEnter(ip: Dinode, ino: number, tdir: number, tname: string): void {
    const tdp = this.dir(tdir);
    if (ip.isDir && tdp.nlink >= LINK_MAX) throw new SysError(EMLINK);
    dirEnter(this, tdir, tdp, tname, ino, modeToDt(ip.mode));
    this.touchDir(tdir, tdp);
  }

  private renameFinish(ip: Dinode, ino: number, fdir: number, fname: string, tdir: number): void {
    const src = dirFind(this, this.dir(fdir), fname);
    if (!src || src.rec.ino !== ino) throw new SysError(EIO);
    dirRemove(this, src);
    const fdp = this.dir(fdir);
    if (ip.isDir && fdir !== tdir) {
      const dotdot = dirFind(this, this.dir(ino), '..');
      if (!dotdot) throw new SysError(EIO);
      dirRewrite(this, dotdot, tdir, DT_DIR);
      fdp.nlink--;
      const tdp = this.dir(tdir);
      tdp.nlink++;
      this.iput(tdir, tdp);
    }
    this.touchDir(fdir, fdp);
    const cur = this.iget(ino);
    cur.ctime = this.now();
    this.iput(ino, cur);
  }
}

export { IFBLK, IFCHR, IFDIR, IFIFO, IFLNK, IFMT, IFREG, IFSOCK, NDADDR, DEV_BSIZE };
