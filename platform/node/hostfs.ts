/*
 * A read-only host directory for the kernel's hostfs (Node only): how tests and
 * scripts boot a tree of riscv64 programs and glibc without building a disk.
 * Every path is confined to the exported directory: `..` and symlinks are
 * resolved by the guest's namei, never by the host, so nothing outside leaks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostFs, HostStat } from '../../kernel/platform.ts';

export class NodeHostFs implements HostFs {
  constructor(private readonly root: string) {}

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
