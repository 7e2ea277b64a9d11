/*
 * A host directory for the kernel's hostfs (Node only): how tests and scripts
 * boot a tree of riscv64 programs and glibc without building a disk, and how
 * the world's tests share scratch directories with the guest.
 * Every path is confined to the exported directory: `..` and symlinks are
 * resolved by the guest's namei, never by the host, so nothing outside leaks.
 * Read-only unless the operator exported the directory read-write with
 * VKERNEL_HOSTFS_RW=/dir[:/dir...] (see hostfsExportedRw).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostFs, HostFsWriter, HostStat } from '../../kernel/platform.ts';

export class NodeHostFs implements HostFs {
  readonly writer?: HostFsWriter;

  constructor(private readonly root: string, writable = false) {
    if (writable) this.writer = new NodeHostFsWriter((p) => this.host(p));
  }

  private host(p: string): string {
    if (p.split('/').some((c) => c === '..')) throw new Error(`hostfs: bad path ${p}`);
    return path.join(this.root, p);
  }

  stat(p: string): HostStat | null {
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(this.host(p), { bigint: true });
    } catch {
      return null;
    }
    const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
    return {
      type,
      size: Number(st.size),
      mode: Number(st.mode & 0o7777n),
      ino: Number(st.ino & 0xffffffffn),
      mtimeMs: Number(st.mtimeMs),
      nlink: Number(st.nlink),
      uid: Number(st.uid),
      gid: Number(st.gid),
      atimeMs: Number(st.atimeMs),
      ctimeMs: Number(st.ctimeMs),
      blocks: Number(st.blocks),
    };
  }

  readdir(p: string): string[] {
    return fs.readdirSync(this.host(p)).sort();
  }

  read(p: string, offset: number, into: Uint8Array): number {
    const fd = fs.openSync(this.host(p), 'r');
    try {
      let done = 0;
      while (done < into.length) {
        const n = fs.readSync(fd, into, done, into.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    } finally {
      fs.closeSync(fd);
    }
  }

  readlink(p: string): string {
    return fs.readlinkSync(this.host(p));
  }
}

/* Node's errors carry the host errno's name in `code`; hostfs maps it to the guest's number. */
class NodeHostFsWriter implements HostFsWriter {
  constructor(private readonly host: (p: string) => string) {}

  write(p: string, offset: number, data: Uint8Array): number {
    const fd = fs.openSync(this.host(p), fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    try {
      let done = 0;
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, offset + done);
      return done;
    } finally {
      fs.closeSync(fd);
    }
  }

  create(p: string, mode: number): void {
    const c = fs.constants;
    fs.closeSync(fs.openSync(this.host(p), c.O_WRONLY | c.O_CREAT | c.O_EXCL | c.O_NOFOLLOW, mode));
    /* The host's umask must not decide the guest's modes: the guest applied its own. */
    fs.chmodSync(this.host(p), mode);
  }

  mkdir(p: string, mode: number): void {
    fs.mkdirSync(this.host(p), { mode });
    fs.chmodSync(this.host(p), mode);
  }

  symlink(target: string, p: string): void {
    fs.symlinkSync(target, this.host(p));
  }

  link(existing: string, p: string): void {
    fs.linkSync(this.host(existing), this.host(p));
  }

  unlink(p: string): void {
    fs.unlinkSync(this.host(p));
  }

  rmdir(p: string): void {
    fs.rmdirSync(this.host(p));
  }

  rename(from: string, to: string): void {
    fs.renameSync(this.host(from), this.host(to));
  }

  truncate(p: string, size: number): void {
    const fd = fs.openSync(this.host(p), fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    try {
      fs.ftruncateSync(fd, size);
    } finally {
      fs.closeSync(fd);
    }
  }

  chmod(p: string, mode: number): void {
    fs.chmodSync(this.host(p), mode);
  }

  chown(p: string, uid: number, gid: number): void {
    fs.lchownSync(this.host(p), uid, gid);
  }

  utimes(p: string, atimeMs: number, mtimeMs: number): void {
    fs.lutimesSync(this.host(p), atimeMs / 1000, mtimeMs / 1000);
  }
}

/**
 * Whether dir lies inside one of the directories the operator exported
 * read-write (VKERNEL_HOSTFS_RW, colon-separated absolute paths). The guest
 * is root inside the vkernel; without this it can only read the host.
 */
export function hostfsExportedRw(dir: string, exports = process.env.VKERNEL_HOSTFS_RW ?? ''): boolean {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return false;
  }
  for (const e of exports.split(':')) {
    if (!e) continue;
    let top: string;
    try {
      top = fs.realpathSync(e);
    } catch {
      continue;
    }
    if (real === top || real.startsWith(top.endsWith('/') ? top : `${top}/`)) return true;
  }
  return false;
}
