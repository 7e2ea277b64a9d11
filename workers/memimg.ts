/*
 * `-i file` in the browser: the memory image is a library image (kind
 * 'memimg'). The real vkernel mmaps the file as its physical memory; a tab
 * cannot map IndexedDB into a SharedArrayBuffer, so, as under Node
 * (platform/node/memimg.ts), it is where physical memory is saved when the
 * machine halts or panics, for download and inspection afterwards.
 *
 * Semantics and messages are Node's: an existing image without -m sets the
 * memory size; a new name without -m is refused; an image another kernel
 * holds (Web Lock, as for disks) is busy. Without -i nothing is saved: the
 * real default (memimg.NNNNNN in /var/vkernel) would put a machine-sized
 * image into the library at every halt.
 */
import type { BootConfig } from '../kernel/kern/bootconfig.ts';
import { parseMemSize } from '../kernel/kern/cmdline.ts';
import {
  CHUNK_SIZE, clearImage, createImage, deleteImage, diskLockName, findImage, putChunks, tryLock,
  type HeldLock, type ImageMeta,
} from './idb_store.ts';

const CHUNKS_PER_TX = 16;

export class LibraryMemImage {
  private constructor(readonly meta: ImageMeta, private readonly lock: HeldLock, readonly created: boolean) {}

  /**
   * Find or create the image named by -i and lock it; without -m its size
   * becomes config.memSize. Throws the vkernel's messages.
   */
  static async open(config: BootConfig, log: (s: string) => void): Promise<LibraryMemImage> {
    const name = config.memImage ?? '';
    let meta = await findImage(name);
    if (!meta && !config.memSizeGiven) {
      throw new Error(`Cannot create new memory file ${name} unless system memory size is specified with -m`);
    }
    if (meta && !config.memSizeGiven) config.memSize = parseMemSize(String(meta.size));
    const created = !meta;
    meta ??= await createImage(name, config.memSize, 'memimg');
    const lock = await tryLock(diskLockName(meta.id));
    if (!lock) throw new Error(`vkernel: Unable to open/create ${name}: Resource temporarily unavailable`);
    log(`Using memory file: ${name}`);
    return new LibraryMemImage(meta, lock, created);
  }

  /**
   * Save physical memory, a chunk at a time (never a copy of all of it);
   * all-zero chunks stay absent, as holes in the Node file do.
   */
  async save(mem: SharedArrayBuffer): Promise<void> {
    const size = mem.byteLength;
    await clearImage(this.meta.id, size);
    const words = new Int32Array(mem);
    let batch: Array<[number, Uint8Array]> = [];
    for (let off = 0, index = 0; off < size; off += CHUNK_SIZE, index++) {
      const len = Math.min(CHUNK_SIZE, size - off);
      if (isZero(words, off >> 2, len >> 2)) continue;
      batch.push([index, new Uint8Array(mem, off, len).slice()]);
      if (batch.length >= CHUNKS_PER_TX) {
        await putChunks(this.meta.id, batch);
        batch = [];
      }
    }
    if (batch.length) await putChunks(this.meta.id, batch);
  }

  /** A boot that failed after creating the image leaves no empty one behind. */
  async discard(): Promise<void> {
    this.lock.release();
    if (this.created) await deleteImage(this.meta.id);
  }

  release(): void {
    this.lock.release();
  }
}

function isZero(w: Int32Array, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (w[i] !== 0) return false;
  return true;
}
