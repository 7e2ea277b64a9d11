/*
 * Mounting an ISO 9660 volume (BSD's cd9660_vfsops.c: iso_mountfs and
 * cd9660_vget): read the volume descriptors, pick the directory tree —
 * Rock Ridge on the primary tree if its root carries SUSP with Rock Ridge
 * entries, else Joliet if there is a Joliet descriptor, else the plain
 * primary tree — and hand out in-core nodes by inode number.
 *
 * This is the platform-free file system; the VFS glue (a Mount subclass
 * and Vnode subclasses) wraps IsoMnt and its nodes.
 */
import { ISO_BSIZE, type BlockDev } from './blockdev.ts';
import { bread } from './cd9660_bio.ts';
import { Cd9660Error, corrupt, guard } from './cd9660_error.ts';
import { EINVAL, EISDIR, ENOENT, ENOTDIR } from '../../kern/errno.ts';
import { bmap, readData } from './cd9660_read.ts';
import { parseDirRecord, isDotRecord, type IsoDirRecord } from './cd9660_dirrec.ts';
import { dataStart, recordRrip, scanDir, type DirContext, type IsoDirent } from './cd9660_dir.ts';
import { ISO_FLAG_DIRECTORY, VD_ROOT } from './iso.ts';
import type { IsoNode } from './cd9660_node.ts';
import { suspEntries } from './cd9660_susp.ts';
import { rripAnalyze, type RrInfo } from './cd9660_rrip.ts';
import { foldPlainName, type NameTrans } from './cd9660_util.ts';
import { readVolumeDescriptors, type IsoVolumeDesc } from './cd9660_vd.ts';
import { nodeAttrs, type AttrDefaults } from './cd9660_attr.ts';
import { VDIR, VLNK, type DirEntry, type Timespec, type Vattr } from '../../vfs/vnode.ts';

export interface IsoMountOptions {
  norrip?: boolean;     // ignore Rock Ridge (BSD -r)
  nojoliet?: boolean;   // ignore Joliet (BSD -j)
  gens?: boolean;       // keep ";N" version numbers (BSD -g)
  original?: boolean;   // names exactly as recorded
  uid?: number;         // owner of files without Rock Ridge
  gid?: number;
  fileMode?: number;    // permissions of files without Rock Ridge (BSD: 0555)
  dirMode?: number;     // and of directories
}

export type IsoTree = 'rockridge' | 'joliet' | 'iso9660';

const RR_ER_IDS = ['RRIP_1991A', 'IEEE_P1282', 'IEEE_1282'];

export class IsoMnt implements DirContext {
  readonly lbs: number;
  readonly rrip: boolean;
  readonly rrSkip: number;
  readonly trans: NameTrans;
  readonly tree: IsoTree;
  readonly jolietLevel: number;
  readonly volume: IsoVolumeDesc;
  readonly root: IsoNode;
  private readonly defaults: AttrDefaults;
  private readonly nodes = new Map<number, IsoNode>();

  private constructor(readonly dev: BlockDev, opts: IsoMountOptions) {
    const vds = readVolumeDescriptors(dev);
    const rr = opts.norrip ? null : detectRockRidge(dev, vds.primary);
    const useJoliet = !rr && !opts.nojoliet && vds.joliet !== null;
    this.volume = useJoliet && vds.joliet ? vds.joliet : vds.primary;
    this.lbs = this.volume.lbs;
    this.rrip = rr !== null;
    this.rrSkip = rr?.skip ?? 0;
    this.tree = rr ? 'rockridge' : useJoliet ? 'joliet' : 'iso9660';
    this.jolietLevel = useJoliet ? vds.jolietLevel : 0;
    this.trans = { joliet: useJoliet, gens: !!opts.gens, original: !!opts.original };
    this.defaults = {
      uid: opts.uid ?? 0, gid: opts.gid ?? 0,
      fmode: opts.fileMode ?? 0o555, dmode: opts.dirMode ?? 0o555,
    };
    const rootRec = parseDirRecord(this.volume.root, 0, this.volume.block * ISO_BSIZE + VD_ROOT);
    if (!(rootRec.flags & ISO_FLAG_DIRECTORY)) corrupt('root directory record is not a directory');
    this.root = this.dirNode(dataStart(this, rootRec));
  }

  /** Mount the volume on dev; throws Cd9660Error (EINVAL: not ISO 9660, EIO: damaged). */
  static mount(dev: BlockDev, opts: IsoMountOptions = {}): IsoMnt {
    return guard(() => new IsoMnt(dev, opts));
  }

  /** Size of the volume in logical blocks, as its descriptor says. */
  get volumeBlocks(): number {
    return this.volume.volumeBlocks;
  }

  /** The directory's entries ("." and ".." first), parsed on first use. */
  entries(dir: IsoNode): IsoDirent[] {
    if (!dir.entries) {
      const list = guard(() => scanDir(this, dir));
      const byName = new Map<string, IsoDirent>();
      for (const e of list) if (!byName.has(e.name)) byName.set(e.name, e);
      dir.entries = list;
      dir.byName = byName;
    }
    return dir.entries;
  }

  /** The node of a directory entry. */
  node(e: IsoDirent): IsoNode {
    return guard(() => (e.type === VDIR ? this.dirNode(e.ino, e.rr) : this.fileNode(e)));
  }

  /** Find name in dir ('.' and '..' included); ENOENT if it is not there, ENOTDIR if dir is not one. */
  lookup(dir: IsoNode, name: string): IsoNode {
    if (dir.type !== VDIR) throw new Cd9660Error(ENOTDIR, 'lookup in a non-directory');
    this.entries(dir);
    let e = dir.byName?.get(name);
    // Plain ISO names match in any case and with any version, as BSD's isofncmp allows.
    if (!e && this.tree === 'iso9660' && !this.trans.original) e = dir.byName?.get(foldPlainName(name));
    if (!e) throw new Cd9660Error(ENOENT, `no such entry`);
    return this.node(e);
  }

  /** Entries from cookie on (0 = start), at most max; each entry's cookie resumes after it. */
  readdir(dir: IsoNode, cookie: number, max: number): DirEntry[] {
    if (dir.type !== VDIR) throw new Cd9660Error(ENOTDIR, 'readdir of a non-directory');
    const out: DirEntry[] = [];
    for (const e of this.entries(dir)) {
      if (out.length >= max) break;
      if (e.off >= cookie) out.push({ name: e.name, ino: e.ino, type: e.type, cookie: e.cookie });
    }
    return out;
  }

  /** Up to len bytes of a file at off, shorter at end of file. */
  read(node: IsoNode, off: number, len: number): Uint8Array {
    if (node.type === VDIR) throw new Cd9660Error(EISDIR, 'read of a directory');
    return guard(() => readData(this.dev, node, off, len));
  }

  /** Where file offset off lives on the volume (for a page cache reading blocks itself). */
  bmap(node: IsoNode, off: number): { offset: number; run: number } | null {
    return bmap(node, off);
  }

  readlink(node: IsoNode): string {
    if (node.type !== VLNK) throw new Cd9660Error(EINVAL, 'not a symlink');
    if (node.symlink === null) corrupt(`symlink ${node.ino} has no Rock Ridge SL entry`);
    return node.symlink;
  }

  /** stat's view of node; fsid is the glue's to fill in. */
  getattr(node: IsoNode): Vattr {
    const t = (ts: Timespec): Timespec => ({ sec: ts.sec, nsec: ts.nsec });
    return {
      type: node.type, mode: node.mode, nlink: node.nlink, uid: node.uid, gid: node.gid,
      size: node.size, blocks: Math.ceil(node.size / 512), blksize: ISO_BSIZE, ino: node.ino,
      fsid: 0, rdev: node.rdev,
      atime: t(node.atime), mtime: t(node.mtime), ctime: t(node.ctime), btime: t(node.btime),
    };
  }

  /**
   * Forget a node (BSD's VOP_RECLAIM): the glue calls this when it drops
   * the vnode, so a big volume's nodes and parsed directories need not all
   * stay in memory. A later lookup builds the node again, identically.
   */
  reclaim(node: IsoNode): void {
    if (node !== this.root) this.nodes.delete(node.ino);
  }

  /*
   * A directory, by the volume offset of its "." record, whose Rock Ridge
   * attributes it carries (as BSD reads them); a writer that put them only
   * on the parent's record for it still gets them honoured through `named`.
   */
  private dirNode(ino: number, named: RrInfo | null = null): IsoNode {
    const cached = this.nodes.get(ino);
    if (cached) return cached;
    const dot = this.readRecord(ino);
    if (!isDotRecord(dot)) corrupt(`directory at ${ino} does not start with a "." record`);
    const own = recordRrip(this, dot);
    const rr = own?.mode == null && named?.mode != null ? named : own;
    const node = nodeAttrs(dot, rr, VDIR, ino, this.defaults);
    node.extents = [{ start: ino, len: dot.size }];
    node.size = dot.size;
    this.nodes.set(ino, node);
    return node;
  }

  private fileNode(e: IsoDirent): IsoNode {
    const cached = this.nodes.get(e.ino);
    if (cached) return cached;
    const node = nodeAttrs(e.recs[0], e.rr, e.type, e.ino, this.defaults);
    node.extents = e.recs.map((r) => ({ start: dataStart(this, r), len: r.size }));
    node.size = node.extents.reduce((n, x) => n + x.len, 0);
    node.interleaved = e.recs.some((r) => r.interleaved);
    this.nodes.set(e.ino, node);
    return node;
  }

  private readRecord(offset: number): IsoDirRecord {
    const len = ISO_BSIZE - (offset % ISO_BSIZE);
    return parseDirRecord(bread(this.dev, offset, len), 0, offset);
  }
}

interface RockRidge {
  skip: number;
}

/*
 * Rock Ridge is in use when the root's "." record starts with SUSP's SP
 * entry and either an ER names a Rock Ridge extension or Rock Ridge
 * entries are there (old mkisofs wrote no ER).
 */
function detectRockRidge(dev: BlockDev, vd: IsoVolumeDesc): RockRidge | null {
  const rootRec = parseDirRecord(vd.root, 0, 0);
  const start = (rootRec.extent + rootRec.xarLen) * vd.lbs;
  const dot = parseDirRecord(bread(dev, start, ISO_BSIZE - (start % ISO_BSIZE)), 0, start);
  const su = dot.raw.subarray(dot.suOffset);
  if (su.length < 7 || su[0] !== 0x53 || su[1] !== 0x50 || su[4] !== 0xbe || su[5] !== 0xef) return null;
  const skip = su[6];
  const entries = suspEntries(dev, vd.lbs, dot, 0);
  const named = entries.some((e) => e.sig === 'ER' && RR_ER_IDS.includes(erId(e.body)));
  return named || rripAnalyze(entries).present ? { skip } : null;
}

function erId(body: Uint8Array): string {
  const len = body[0] ?? 0;
  let s = '';
  for (let i = 0; i < len && 4 + i < body.length; i++) s += String.fromCharCode(body[4 + i]);
  return s;
}
