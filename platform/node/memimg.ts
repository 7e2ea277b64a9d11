/*
 * `-i file`: the memory image. The real vkernel mmaps it as its physical
 * memory; Node cannot map a file into a SharedArrayBuffer, so here the file
 * is where physical memory is saved when the machine stops (halt, reboot,
 * panic), for inspection afterwards. Without -i the names memimg.000000,
 * memimg.000001, ... are tried in the current directory (the real one uses
 * /var/vkernel) and the first one no running vkernel has locked is used.
 * Messages and exit statuses are the real kernel's (err(1)/errx(1)).
 */
import * as fs from 'node:fs';
import { FlockHolder } from './flock.ts';

export const MEMIMG_BASE = 'memimg';
const MAX_TRIES = 1000;
const CHUNK = 64 * 1024;

export class MemImageError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

export class MemImage {
  private constructor(readonly path: string, private readonly fd: number, private readonly lock: FlockHolder,
    readonly size: number) {}

  /**
   * Open and lock the image; returns it and the memory size to use (the file's
   * own size when -m was not given). Prints "Using memory file: %s" like the real one.
   */
  static async open(name: string | undefined, memSize: number, memSizeGiven: boolean,
    log: (s: string) => void): Promise<MemImage> {
    const { path, fd, lock, created } = await (name === undefined ? pickFree() : openNamed(name));
    log(`Using memory file: ${path}`);
    let size = memSize;
    if (!memSizeGiven) {
      size = fs.fstatSync(fd).size;
      if (size === 0) {
        lock.release();
        fs.closeSync(fd);
        if (created) fs.rmSync(path, { force: true });
        throw new MemImageError(`Cannot create new memory file ${path} unless system memory size is specified with -m`);
      }
    }
    /* Full of holes: nothing of an old run's memory is kept or read back. */
    fs.ftruncateSync(fd, 0);
    fs.ftruncateSync(fd, size);
    return new MemImage(path, fd, lock, size);
  }

  /** Save physical memory: zero chunks stay holes, so a mostly idle machine costs little disk. */
  save(mem: SharedArrayBuffer): void {
    fs.ftruncateSync(this.fd, 0);
    fs.ftruncateSync(this.fd, this.size);
    const words = new Int32Array(mem);
    const n = Math.min(mem.byteLength, this.size);
    for (let off = 0; off < n; off += CHUNK) {
      const len = Math.min(CHUNK, n - off);
      if (isZero(words, off >> 2, len >> 2)) continue;
      fs.writeSync(this.fd, new Uint8Array(mem, off, len), 0, len, off);
    }
  }

  release(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* closed already */
    }
    this.lock.release();
  }
}

function isZero(w: Int32Array, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (w[i] !== 0) return false;
  return true;
}

interface Opened { path: string; fd: number; lock: FlockHolder; created: boolean }

async function openNamed(path: string): Promise<Opened> {
  const created = !fs.existsSync(path);
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  } catch (e) {
    throw new MemImageError(`vkernel: Unable to open/create ${path}: ${errText(e)}`);
  }
  const lock = await FlockHolder.acquire(path);
  if (lock === 'busy' || lock === null) {
    fs.closeSync(fd);
    throw new MemImageError(`vkernel: Unable to open/create ${path}: Resource temporarily unavailable`);
  }
  return { path, fd, lock, created };
}

/** memimg.000000, memimg.000001, ...: the first one not locked by a running vkernel. */
async function pickFree(): Promise<Opened> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const path = `${MEMIMG_BASE}.${String(i).padStart(6, '0')}`;
    try {
      return await openNamed(path);
    } catch (e) {
      if (!(e instanceof MemImageError) || !fs.existsSync(path)) throw e;
    }
  }
  throw new MemImageError(`vkernel: Unable to open/create ${MEMIMG_BASE}.${String(MAX_TRIES).padStart(6, '0')}`);
}

function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EISDIR') return 'Is a directory';
  return e instanceof Error ? e.message : String(e);
}
