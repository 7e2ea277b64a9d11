/*
 * Disk images as host files: the Node BlockStore behind vkd (-r) and vcd
 * (-c). I/O goes through fs.promises on libuv's thread pool, in chunks, so
 * a big transfer never stalls the kernel's event loop. A writable image is
 * locked for one vkernel at a time, as the real vkernel does with flock(2).
 */
import * as fs from 'node:fs';
import type { BlockStore } from '../../kernel/platform.ts';
import type { DiskSpec } from '../../kernel/kern/bootconfig.ts';
import { FlockHolder } from './flock.ts';

/* Largest single host read/write. */
const CHUNK = 1 << 20;

export class DiskOpenError extends Error {}

export class HostBlockStore implements BlockStore {
  private closed = false;

  constructor(
    private readonly fh: fs.promises.FileHandle,
    readonly size: number,
    readonly readOnly: boolean,
    private readonly lock: FlockHolder | null,
  ) {}

  async read(offset: number, into: Uint8Array): Promise<void> {
    this.check(offset, into.length);
    for (let done = 0; done < into.length;) {
      const n = Math.min(CHUNK, into.length - done);
      const r = await this.fh.read(into, done, n, offset + done);
      if (r.bytesRead <= 0) {
        into.fill(0, done); // a file shorter than it was at open reads as zeros
        return;
      }
      done += r.bytesRead;
    }
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (this.readOnly) throw new Error('write to a read-only block store');
    this.check(offset, data.length);
    for (let done = 0; done < data.length;) {
      const n = Math.min(CHUNK, data.length - done);
      const r = await this.fh.write(data, done, n, offset + done);
      done += r.bytesWritten;
    }
  }

  async flush(): Promise<void> {
    if (!this.readOnly && !this.closed) await this.fh.datasync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
    this.lock?.release();
  }

  private check(offset: number, len: number): void {
    if (this.closed) throw new Error('block store is closed');
    if (offset < 0 || offset + len > this.size) throw new RangeError(`I/O past the end of the image (${offset}+${len})`);
  }
}

/** Open one -r/-c image: vkd images read-write and locked, vcd images read-only. */
export async function openHostBlockStore(spec: DiskSpec): Promise<HostBlockStore> {
  const ro = spec.kind === 'vcd';
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(spec.path, ro ? 'r' : 'r+');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DiskOpenError(`Unable to open/create ${spec.path}: ${hostErrorText(err.code)}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() && !st.isBlockDevice()) throw new DiskOpenError(`Unable to open/create ${spec.path}: Not a regular file`);
    const lock = ro ? null : await lockImage(spec.path);
    return new HostBlockStore(fh, st.size, ro, lock);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

async function lockImage(path: string): Promise<FlockHolder> {
  const r = await FlockHolder.acquire(path);
  if (r instanceof FlockHolder) return r;
  if (r === 'busy') throw new DiskOpenError(`Disk image ${path} is already in use`);
  throw new DiskOpenError(`Unable to lock ${path}`);
}

function hostErrorText(code: string | undefined): string {
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    case 'EROFS': return 'Read-only file system';
    default: return code ?? 'I/O error';
  }
}

/** Open every disk of the boot configuration, in order; on failure close what was opened. */
export async function openHostDisks(disks: DiskSpec[]): Promise<HostBlockStore[]> {
  const out: HostBlockStore[] = [];
  try {
    for (const d of disks) out.push(await openHostBlockStore(d));
  } catch (e) {
    for (const s of out) await s.close();
    throw e;
  }
  return out;
}
