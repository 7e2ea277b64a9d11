/*
 * A read-only file tree held in memory, served to the kernel through the
 * HostFs interface (kernel/platform.ts): the browser's boot root until the
 * world's UFS root images exist. The worker fetches a small bundle (the
 * riscv64 demo programs in public/demo/, listed by manifest.json) and boots
 * with vfs.root.mountfrom=hostfs:/demo; the kernel puts devfs on /dev and a
 * writable tmpfs on /tmp as it does for a Node hostfs root.
 */
import type { HostFs, HostStat } from '../kernel/platform.ts';

interface MemNode {
  type: 'file' | 'dir';
  mode: number;
  data: Uint8Array;
  children: Map<string, MemNode>;
  ino: number;
}

export interface BundleManifest {
  files: Array<{ path: string; mode: number; size?: number }>;
  init?: string;
}

export class MemFs implements HostFs {
  private readonly root: MemNode;
  private nextIno = 2;
  private readonly mtimeMs = Date.now();

  constructor() {
    this.root = this.node('dir', 0o755);
  }

  private node(type: 'file' | 'dir', mode: number, data: Uint8Array = new Uint8Array(0)): MemNode {
    return { type, mode, data, children: new Map(), ino: this.nextIno++ };
  }

  /** Add a file, creating its parent directories. */
  addFile(path: string, data: Uint8Array, mode: number): void {
    const parts = path.split('/').filter((p) => p !== '');
    let dir = this.root;
    for (const p of parts.slice(0, -1)) {
      let next = dir.children.get(p);
      if (!next) {
        next = this.node('dir', 0o755);
        dir.children.set(p, next);
      }
      dir = next;
    }
    dir.children.set(parts[parts.length - 1], this.node('file', mode & 0o7777, data));
  }

  private lookup(path: string): MemNode | null {
    let n: MemNode | undefined = this.root;
    for (const p of path.split('/').filter((x) => x !== '')) {
      n = n.children.get(p);
      if (!n) return null;
    }
    return n;
  }

  stat(path: string): HostStat | null {
    const n = this.lookup(path);
    if (!n) return null;
    return {
      type: n.type, size: n.type === 'file' ? n.data.length : 512, mode: n.mode, ino: n.ino,
      mtimeMs: this.mtimeMs, nlink: n.type === 'dir' ? 2 + [...n.children.values()].filter((c) => c.type === 'dir').length : 1,
    };
  }

  readdir(path: string): string[] {
    return [...(this.lookup(path)?.children.keys() ?? [])].sort();
  }

  read(path: string, offset: number, into: Uint8Array): number {
    const n = this.lookup(path);
    if (!n || n.type !== 'file' || offset >= n.data.length) return 0;
    const part = n.data.subarray(offset, offset + into.length);
    into.set(part);
    return part.length;
  }

  readlink(): string {
    throw new Error('memfs has no symlinks');
  }
}

/** Fetch a bundle (manifest.json and its files, relative to baseUrl) into a MemFs. */
export async function loadBundle(baseUrl: string): Promise<{ fs: MemFs; manifest: BundleManifest }> {
  const res = await fetch(new URL('manifest.json', baseUrl));
  if (!res.ok) throw new Error(`cannot fetch ${baseUrl}manifest.json (HTTP ${res.status}); run node scripts/build-demo.mjs`);
  const manifest = (await res.json()) as BundleManifest;
  const fs = new MemFs();
  await Promise.all(manifest.files.map(async (f) => {
    const r = await fetch(new URL(f.path, baseUrl));
    if (!r.ok) throw new Error(`cannot fetch ${f.path} (HTTP ${r.status})`);
    fs.addFile(f.path, new Uint8Array(await r.arrayBuffer()), f.mode);
  }));
  return { fs, manifest };
}
