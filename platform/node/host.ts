/*
 * The Node host: bin/vkernel's implementation of the kernel's Platform.
 * The console is the terminal; kernel messages can be silenced with
 * VKERNEL_QUIET=1 (scripts that want only the guest's output; dmesg still
 * has them).
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BlockStore, NetBackend, Platform, HostFs } from '../../kernel/platform.ts';
import { hostfsExportedRw, NodeHostFs } from './hostfs.ts';

export interface NodeHostOptions {
  quiet: boolean;
  onHalt: (status: number) => void;
  /** Disk images opened for -r/-c (platform/node/blockstore.ts). */
  blockStores?: readonly BlockStore[];
  /** Relay connections for -I (platform/node/netws.ts). */
  netBackends?: readonly NetBackend[];
}

export function makeNodePlatform(opts: NodeHostOptions): Platform {
  const out = process.stdout;
  return {
    console: {
      write(bytes: Uint8Array, fromKernel?: boolean): void {
        if (fromKernel && opts.quiet) return;
        writeAll(out.fd, bytes);
      },
      size() {
        return { rows: out.rows || 24, cols: out.columns || 80 };
      },
    },
    monotonicMs: () => performance.now(),
    wallclockMs: () => Date.now(),
    randomBytes: (into: Uint8Array) => {
      randomFillSync(into);
    },
    schedule(fn: () => void, ms: number): () => void {
      if (ms <= 0) {
        const h = setImmediate(fn);
        return () => clearImmediate(h);
      }
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    halt: (status: number) => opts.onHalt(status),
    hostfs(root: string, writable = false): HostFs | null {
      try {
        if (!fs.statSync(root).isDirectory()) return null;
      } catch {
        return null;
      }
      if (writable && !hostfsExportedRw(root)) return null;
      return new NodeHostFs(root, writable);
    },
    hostCpus: () => os.cpus().length,
    blockStores: opts.blockStores ?? [],
    netBackends: opts.netBackends ?? [],
  };
}

/* Synchronous so output ordering survives a halt right after a write. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}
