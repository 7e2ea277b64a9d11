/*
 * hostfs: a view of a host directory (Node's bin/vkernel): the root file
 * system when booted with -e vfs.root.mountfrom=hostfs:/abs/dir (read-only),
 * or mounted with mount -t hostfs, read-write where the host's operator
 * exported the directory (platform/node/hostfs.ts). A test directory rarely
 * carries /dev, /proc or /tmp, so a read-only root shows empty stand-in
 * directories for those names: something to mount devfs, procfs and a tmpfs on.
 */
import * as errno from '../../kern/errno.ts';
import { EIO, ENOENT, SysError } from '../../kern/errno.ts';
import type { HostFs, HostFsWriter } from '../../platform.ts';
import type { PageAllocator } from '../../vm/vm_page.ts';
import { HOSTFS_MAGIC, Mount, ST_RDONLY, type StatFs } from '../../vfs/vfs_mount.ts';
import { VDIR, Vnode, type DirEntry, type Vattr } from '../../vfs/vnode.ts';
import { nanotime } from '../../vfs/vfs_time.ts';
import { HostVnode } from './hostfs_vnops.ts';

/** The guest errno for a host error's code ('ENOENT' → 2); EIO for anything unknown. */
function hostErrno(e: unknown): number {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return EIO;
  const n = (errno as Record<string, unknown>)[code];
  return typeof n === 'number' && n > 0 && n < 512 ? n : EIO;
}

function hostCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SysError) throw e;
    throw new SysError(hostErrno(e));
  }
}

function guardedWriter(w: HostFsWriter): HostFsWriter {
  const g = {} as Record<string, unknown>;
  const names: Array<keyof HostFsWriter> = ['write', 'create', 'mkdir', 'symlink', 'link', 'unlink', 'rmdir',
    'rename', 'truncate', 'chmod', 'chown', 'utimes'];
  for (const name of names) {
    const f = w[name] as (...a: unknown[]) => unknown;
    g[name] = (...a: unknown[]) => hostCall(() => f.apply(w, a));
  }
  return g as unknown as HostFsWriter;
}

function guarded(h: HostFs): HostFs {
  return {
    stat: (p) => hostCall(() => h.stat(p)),
    readdir: (p) => hostCall(() => h.readdir(p)),
    read: (p, off, into) => hostCall(() => h.read(p, off, into)),
    readlink: (p) => hostCall(() => h.readlink(p)),
    writer: h.writer ? guardedWriter(h.writer) : undefined,
  };
}

export const HOSTFS_SYNTHETIC_DIRS = ['dev', 'proc', 'tmp'];

/** An empty directory in the root that the host tree does not have. */
class SyntheticDir extends Vnode {
  private readonly time = nanotime();
  constructor(mp: HostfsMount, readonly name: string, private readonly ino: number) {
    super(mp, VDIR);
  }
  getattr(): Vattr {
    const t = this.time;
    return {
      type: VDIR, mode: this.name === 'tmp' ? 0o1777 : 0o755, nlink: 2, uid: 0, gid: 0, size: 0,
      blocks: 0, blksize: 4096, ino: this.ino, fsid: this.mount.fsid, rdev: 0,
      atime: t, mtime: t, ctime: t, btime: t,
    };
  }
  override lookup(name: string): Vnode {
    if (name === '..') return this.mount.root();
    throw new SysError(ENOENT);
  }
  override readdir(cookie: number, max: number): DirEntry[] {
    const all: DirEntry[] = [
      { name: '.', ino: this.ino, type: VDIR, cookie: 1 },
      { name: '..', ino: 2, type: VDIR, cookie: 2 },
    ];
    return all.slice(cookie, cookie + max);
  }
}

export class HostfsMount extends Mount {
  readonly fsType = 'hostfs';
  readonly from: string;
  private readonly vnodes = new Map<string, HostVnode>();
  private readonly synth = new Map<string, SyntheticDir>();
  private readonly rootVp: HostVnode;

  /** The host tree, with host errors turned into the guest's errno (EIO if unknown), never a panic. */
  readonly host: HostFs;

  constructor(host: HostFs, hostDir: string, readonly pages: PageAllocator, syntheticDirs = HOSTFS_SYNTHETIC_DIRS) {
    super();
    this.host = guarded(host);
    if (!this.host.writer) this.flags |= ST_RDONLY;
    this.from = `hostfs:${hostDir}`;
    const st = this.host.stat('');
    if (!st || st.type !== 'dir') throw new SysError(ENOENT);
    this.rootVp = new HostVnode(this, '', st);
    this.vnodes.set('', this.rootVp);
    let ino = 0x7fff0000;
    for (const name of syntheticDirs) {
      if (!this.host.stat(name)) this.synth.set(name, new SyntheticDir(this, name, ino++));
    }
  }

  root(): Vnode {
    return this.rootVp;
  }

  /** The host's writer; EROFS on a read-only mount. */
  get writer(): HostFsWriter {
    const w = this.host.writer;
    if (!w || this.readonly) throw new SysError(errno.EROFS);
    return w;
  }

  /** A name went away on the host: forget its vnode (open files keep theirs). */
  forget(path: string): void {
    this.vnodes.delete(path);
  }

  /** A rename moved from → to: cached vnodes at and under from follow it. */
  moved(from: string, to: string): void {
    const victims = this.vnodes.get(to);
    if (victims) this.vnodes.delete(to);
    const moves: Array<[string, HostVnode]> = [];
    for (const [p, vp] of this.vnodes) {
      if (p === from || p.startsWith(`${from}/`)) moves.push([p, vp]);
    }
    for (const [p, vp] of moves) {
      this.vnodes.delete(p);
      const np = to + p.slice(from.length);
      vp.path = np;
      this.vnodes.set(np, vp);
    }
  }

  /** The vnode of a host path (Unicode, relative), or null if the host has nothing there. */
  vnodeAt(path: string): HostVnode | null {
    let vp = this.vnodes.get(path);
    if (vp) return vp;
    const st = this.host.stat(path);
    if (!st || st.type === 'other') return null;
    vp = new HostVnode(this, path, st);
    this.vnodes.set(path, vp);
    return vp;
  }

  synthetic(name: string): Vnode | null {
    return this.synth.get(name) ?? null;
  }

  syntheticNames(): string[] {
    return [...this.synth.keys()];
  }

  statfs(): StatFs {
    return {
      type: HOSTFS_MAGIC, bsize: 4096, frsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0,
      ffree: 0, namelen: 255, flags: this.flags,
    };
  }

  override unmount(): void {
    for (const vp of this.vnodes.values()) vp.inactive();
  }
}
