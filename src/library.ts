/*
 * The image library's page-side work: streamed upload (Blob.slice, one
 * chunk in memory at a time, a few chunks per IndexedDB transaction),
 * streamed download (a Blob assembled from the stored chunks, so the page
 * never holds the image as one buffer), and "New disk", formatted with the
 * project's mkfs: UFS1 inside an MBR slice and a disklabel64 (vkd0s1a).
 * tools/makefs.ts itself reads host directories through node:fs, so the
 * page uses the platform-free pieces it is built from.
 */
import { mkfs } from '../kernel/fs/ufs/ufs_mkfs.ts';
import { SubBlockDev, type BlockDev } from '../kernel/fs/ufs/ufs_blockdev.ts';
import { disklabel64Build, DOSPTYP_DFLYBSD, mbrBuild, SECTOR } from '../kernel/dev/disk/diskslice.ts';
import {
  CHUNK_SIZE, createImage, deleteImage, findImage, getChunk, kindOf, putChunks, type ImageKind, type ImageMeta,
} from '../workers/idb_store.ts';

const CHUNKS_PER_TX = 16;
const MIB = 1 << 20;

export interface Progress {
  done: number;
  total: number;
  bytesPerSec: number;
}

/** A name not yet in the library: "x.img", then "x (2).img", ... */
export async function freeName(name: string): Promise<string> {
  if (!(await findImage(name))) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name, ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 2; ; i++) {
    const n = `${stem} (${i})${ext}`;
    if (!(await findImage(n))) return n;
  }
}

/** Upload a File into the library; cancelling (signal) removes the partial image. */
export async function uploadFile(file: File, onProgress: (p: Progress) => void, signal: AbortSignal): Promise<ImageMeta> {
  const meta = await createImage(await freeName(file.name), file.size, kindOf(file.name));
  const t0 = performance.now();
  try {
    let batch: Array<[number, Uint8Array]> = [];
    for (let off = 0, index = 0; off < file.size; off += CHUNK_SIZE, index++) {
      if (signal.aborted) throw new DOMException('Upload cancelled', 'AbortError');
      const bytes = new Uint8Array(await file.slice(off, Math.min(file.size, off + CHUNK_SIZE)).arrayBuffer());
      /* All-zero chunks stay absent: they read as zeros anyway (sparse images cost nothing). */
      if (bytes.some((b) => b !== 0)) batch.push([index, bytes]);
      const last = off + CHUNK_SIZE >= file.size;
      if (batch.length >= CHUNKS_PER_TX || last) {
        await putChunks(meta.id, batch);
        batch = [];
        const done = Math.min(file.size, off + CHUNK_SIZE);
        onProgress({ done, total: file.size, bytesPerSec: done / Math.max(0.001, (performance.now() - t0) / 1000) });
      }
    }
    if (file.size === 0) onProgress({ done: 0, total: 0, bytesPerSec: 0 });
    return meta;
  } catch (e) {
    await deleteImage(meta.id);
    throw e;
  }
}

/** Download an image: its chunks (base chunks for an unchanged overlay) as one Blob, then a save link. */
export async function downloadImage(meta: ImageMeta, onProgress: (p: Progress) => void): Promise<void> {
  const parts: BlobPart[] = [];
  const zero = new Uint8Array(CHUNK_SIZE);
  const n = Math.ceil(meta.size / CHUNK_SIZE);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const len = Math.min(CHUNK_SIZE, meta.size - i * CHUNK_SIZE);
    let c = await getChunk(meta.id, i);
    if (!c && meta.baseUrl) {
      const r = await fetch(meta.baseUrl, { headers: { Range: `bytes=${i * CHUNK_SIZE}-${i * CHUNK_SIZE + len - 1}` } });
      c = new Uint8Array(await r.arrayBuffer());
      if (r.status === 200) c = c.subarray(i * CHUNK_SIZE, i * CHUNK_SIZE + len);
    }
    parts.push(new Blob([(c ?? zero).slice(0, len)]));
    const done = i * CHUNK_SIZE + len;
    onProgress({ done, total: meta.size, bytesPerSec: done / Math.max(0.001, (performance.now() - t0) / 1000) });
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = meta.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A device that keeps only the chunks written to it: mkfs touches a small part of a big disk. */
class SparseDev implements BlockDev {
  readonly chunks = new Map<number, Uint8Array>();
  constructor(readonly size: number) {}

  private each(offset: number, len: number, fn: (chunk: Uint8Array, within: number, at: number, n: number) => void, create: boolean): void {
    for (let done = 0; done < len;) {
      const pos = offset + done, index = Math.floor(pos / CHUNK_SIZE), within = pos % CHUNK_SIZE;
      const n = Math.min(CHUNK_SIZE - within, len - done);
      let c = this.chunks.get(index);
      if (!c) {
        c = new Uint8Array(CHUNK_SIZE);
        if (create) this.chunks.set(index, c);
      }
      fn(c, within, done, n);
      done += n;
    }
  }

  read(offset: number, into: Uint8Array): void {
    this.each(offset, into.length, (c, w, at, n) => into.set(c.subarray(w, w + n), at), false);
  }

  write(offset: number, data: Uint8Array): void {
    this.each(offset, data.length, (c, w, at, n) => c.set(data.subarray(at, at + n), w), true);
  }
}

export const MIN_DISK = 8 * MIB;

/** "New disk": an image of size bytes, UFS1 in slice 1's partition a (vkd0s1a), or blank. */
export async function newDisk(name: string, size: number, format: boolean): Promise<ImageMeta> {
  const bytes = Math.ceil(size / MIB) * MIB;
  if (!(bytes >= MIN_DISK)) throw new Error(`A disk needs at least ${MIN_DISK / MIB} MiB`);
  const meta = await createImage(await freeName(name), bytes, 'disk' satisfies ImageKind);
  if (!format) return meta;
  try {
    const dev = new SparseDev(bytes);
    const lead = MIB;  /* the slice starts at 1 MiB, as makefs --mbr-disklabel lays it out */
    dev.write(0, mbrBuild(lead / SECTOR, (bytes - lead) / SECTOR, DOSPTYP_DFLYBSD));
    const l = disklabel64Build(bytes - lead);
    dev.write(lead, l.label);
    mkfs(new SubBlockDev(dev, lead + l.partOffset, l.partSize), { ufs2: false, time: Math.floor(Date.now() / 1000) });
    const all = [...dev.chunks];
    for (let i = 0; i < all.length; i += CHUNKS_PER_TX) await putChunks(meta.id, all.slice(i, i + CHUNKS_PER_TX));
    return meta;
  } catch (e) {
    await deleteImage(meta.id);
    throw e;
  }
}
