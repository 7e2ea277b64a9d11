/*
 * The image library's page-side work: streamed upload (Blob.slice, one
 * chunk in memory at a time, a few chunks per IndexedDB transaction),
 * streamed download (by the service worker, else a Blob assembled from the
 * stored chunks), "New disk", formatted with the
 * project's mkfs: UFS1 inside an MBR slice and a disklabel64 (vkd0s1a), and
 * "Import files": such a disk holding files from the user's computer.
 * tools/makefs.ts itself reads host directories through node:fs, so the
 * page uses the platform-free pieces it is built from.
 */
import { mkfs } from '../kernel/fs/ufs/ufs_mkfs.ts';
import { UfsVolume } from '../kernel/fs/ufs/ufs_volume.ts';
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

/**
 * Download an image. With a service worker controlling the page
 * (public/coi-sw.js) it is streamed: the worker answers
 * <base>__download/<id>/<name> chunk by chunk from IndexedDB and reports
 * progress by postMessage. Otherwise (the dev server needs no worker) the
 * chunks become one Blob, which the browser may keep on disk, and a link to it.
 */
export async function downloadImage(meta: ImageMeta, onProgress: (p: Progress) => void): Promise<void> {
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker?.controller : null;
  if (sw && (await downloadViaWorker(meta, onProgress))) return;
  await downloadViaBlob(meta, onProgress);
}

function saveLink(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

interface DownloadMessage {
  type: 'vkernel-download';
  token: string;
  state: 'progress' | 'done' | 'cancelled' | 'error';
  done?: number;
  total?: number;
  message?: string;
}

/** The streamed path; false if the controlling worker does not serve downloads (an older one). */
async function downloadViaWorker(meta: ImageMeta, onProgress: (p: Progress) => void): Promise<boolean> {
  const token = crypto.randomUUID();
  const href = new URL(`__download/${encodeURIComponent(meta.id)}/${encodeURIComponent(meta.name)}?token=${token}`, document.baseURI).href;
  const probe = await fetch(href, { method: 'HEAD' }).catch(() => null);
  if (probe?.headers.get('x-vkernel-download') !== '1') return false;
  const t0 = performance.now();
  const frame = document.createElement('iframe');
  await new Promise<void>((resolve, reject) => {
    const onMessage = (e: MessageEvent<DownloadMessage>): void => {
      const m = e.data;
      if (m?.type !== 'vkernel-download' || m.token !== token) return;
      if (m.state === 'progress' || m.state === 'done') {
        const done = m.done ?? 0;
        onProgress({ done, total: m.total ?? meta.size, bytesPerSec: done / Math.max(0.001, (performance.now() - t0) / 1000) });
      }
      if (m.state === 'progress') return;
      navigator.serviceWorker.removeEventListener('message', onMessage);
      frame.remove();
      if (m.state === 'error') reject(new Error(`Download of ${meta.name} failed: ${m.message ?? ''}`));
      else resolve();
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    onProgress({ done: 0, total: meta.size, bytesPerSec: 0 });
    /*
     * A navigation, not <a download>: Chromium does not route download-attribute
     * requests through the service worker. The attachment response saves
     * the file and leaves the frame empty.
     */
    frame.hidden = true;
    frame.src = href;
    document.body.append(frame);
  });
  return true;
}

/** Its chunks (base chunks for an unchanged overlay) as one Blob, then a save link. */
async function downloadViaBlob(meta: ImageMeta, onProgress: (p: Progress) => void): Promise<void> {
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
  saveLink(url, meta.name);
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
    await storeChunks(meta.id, formattedDisk(bytes).dev);
    return meta;
  } catch (e) {
    await deleteImage(meta.id);
    throw e;
  }
}

/** MBR + disklabel64 + UFS1 in partition a (vkd0s1a) on a sparse in-memory disk. */
function formattedDisk(bytes: number): { dev: SparseDev; part: BlockDev } {
  const dev = new SparseDev(bytes);
  const lead = MIB;  /* the slice starts at 1 MiB, as makefs --mbr-disklabel lays it out */
  dev.write(0, mbrBuild(lead / SECTOR, (bytes - lead) / SECTOR, DOSPTYP_DFLYBSD));
  const l = disklabel64Build(bytes - lead);
  dev.write(lead, l.label);
  const part = new SubBlockDev(dev, lead + l.partOffset, l.partSize);
  mkfs(part, { ufs2: false, time: Math.floor(Date.now() / 1000) });
  return { dev, part };
}

async function storeChunks(id: string, dev: SparseDev): Promise<void> {
  const all = [...dev.chunks];
  for (let i = 0; i < all.length; i += CHUNKS_PER_TX) await putChunks(id, all.slice(i, i + CHUNKS_PER_TX));
}

/** A file to import and where it goes in the new disk ("dir/sub/name", '/'-separated). */
export interface ImportEntry {
  path: string;
  file: Blob & { lastModified?: number };
}

/* The image is built in memory before it is stored: keep imports to what a tab can hold. */
export const MAX_IMPORT = 1024 * MIB;
const IMPORT_CHUNK = MIB;

/** The disk size for files: their blocks, a quarter more for metadata and growth, 8 MiB spare. */
export function importDiskSize(entries: ImportEntry[]): number {
  const BLOCK = 16384;
  let data = 0;
  for (const e of entries) data += Math.ceil(e.file.size / BLOCK) * BLOCK + 4096;
  return Math.max(MIN_DISK, Math.ceil((data * 1.25 + 8 * MIB) / MIB) * MIB);
}

/** The path's components, or null for one that cannot be a UFS name ('', '.', '..', too long). */
function importComponents(path: string): string[] | null {
  const parts = path.split('/').filter((c) => c !== '');
  const enc = new TextEncoder();
  if (parts.length === 0) return null;
  for (const c of parts) if (c === '.' || c === '..' || enc.encode(c).length > 255 || c.includes('\0')) return null;
  return parts;
}

/**
 * "Import files": a new UFS1 disk (MBR + disklabel, vkd0s1a) holding the
 * given files in their directories, with their modification times; each file
 * is read a slice at a time. Cancelling (signal) stores nothing.
 */
export async function importFiles(name: string, entries: ImportEntry[], onProgress: (p: Progress) => void,
  signal: AbortSignal): Promise<ImageMeta> {
  const size = importDiskSize(entries);
  if (size > MAX_IMPORT) throw new Error(`Import too large: ${Math.round(size / MIB)} MiB (at most ${MAX_IMPORT / MIB} MiB)`);
  const total = entries.reduce((n, e) => n + e.file.size, 0);
  const t0 = performance.now();
  const progress = (done: number) => onProgress({ done, total, bytesPerSec: done / Math.max(0.001, (performance.now() - t0) / 1000) });
  const { dev, part } = formattedDisk(size);
  const vol = UfsVolume.mount(part);
  const dirs = new Map<string, number>([['', vol.root]]);
  const dirOf = (parts: string[]): number => {
    let key = '', ino = vol.root;
    for (const c of parts) {
      key = key ? `${key}/${c}` : c;
      let d = dirs.get(key);
      if (d === undefined) {
        try {
          d = vol.lookup(ino, c);
        } catch {
          d = vol.mkdir(ino, c, 0o755);
        }
        dirs.set(key, d);
      }
      ino = d;
    }
    return ino;
  };
  let done = 0;
  for (const e of entries) {
    const parts = importComponents(e.path);
    if (!parts) throw new Error(`Cannot import ${JSON.stringify(e.path)}: not a valid file name`);
    const ino = vol.create(dirOf(parts.slice(0, -1)), parts[parts.length - 1], 0o100644);
    for (let off = 0; off < e.file.size; off += IMPORT_CHUNK) {
      if (signal.aborted) throw new DOMException('Import cancelled', 'AbortError');
      const bytes = new Uint8Array(await e.file.slice(off, Math.min(e.file.size, off + IMPORT_CHUNK)).arrayBuffer());
      vol.write(ino, off, bytes);
      progress((done += bytes.length));
    }
    if (e.file.lastModified !== undefined) {
      const ms = e.file.lastModified;
      vol.setattr(ino, { mtime: { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 } });
    }
  }
  if (signal.aborted) throw new DOMException('Import cancelled', 'AbortError');
  vol.unmount();
  const meta = await createImage(await freeName(name), size, 'disk' satisfies ImageKind);
  try {
    await storeChunks(meta.id, dev);
  } catch (err) {
    await deleteImage(meta.id);
    throw err;
  }
  progress(total);
  return meta;
}
