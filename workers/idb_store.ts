/*
 * The image library: disk images and ISOs kept in IndexedDB, cut into
 * 256 KiB chunks so a multi-GB image is never held in memory at once, and
 * the BlockStore (kernel/platform.ts) the kernel's vkd/vcd drivers read and
 * write through.
 *
 * Layout: database "vkernel-images", store "images" (ImageMeta by id) and
 * store "chunks" ([id, index] → Uint8Array). An absent chunk reads as zeros,
 * or, for an image with a base URL, as that chunk of the base: the image is
 * then a copy-on-write overlay holding only the chunks the guest changed,
 * and "Reset disk" deletes them.
 *
 * Both the page (upload, rename, delete) and the kernel worker (BlockStore)
 * use this module; IndexedDB and Web Locks exist in both. public/coi-sw.js
 * (plain JS) reads the same database for streamed downloads: keep DB_NAME,
 * DB_VERSION and the store names in sync with it.
 */

export const CHUNK_SIZE = 256 * 1024;
/** Base chunks fetched ahead of a base chunk read (see IdbBlockStore.readAhead). */
const READ_AHEAD = 3;
const DB_NAME = 'vkernel-images';
const DB_VERSION = 1;
const IMAGES = 'images';
const CHUNKS = 'chunks';

/** memimg: physical memory saved at halt (-i), for download and inspection. */
export type ImageKind = 'disk' | 'iso' | 'memimg';

export interface ImageMeta {
  id: string;
  name: string;
  size: number;
  kind: ImageKind;
  modified: number;       // ms since the epoch
  chunkSize: number;
  baseUrl?: string;       // copy-on-write overlay over this read-only image
}

/** The message the real vkernel prints when a writable disk is taken. */
export class DiskInUseError extends Error {
  constructor(readonly image: string) {
    super(`Disk image ${image} is already in use`);
  }
}

/* ---- IndexedDB plumbing ---- */

let dbPromise: Promise<IDBDatabase> | null = null;

export function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(IMAGES)) db.createObjectStore(IMAGES, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

function reqP<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction has committed (the data is durable), not merely when requests succeed. */
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function chunkRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, 0], [id, Infinity]);
}

/* ---- the library ---- */

export async function listImages(): Promise<ImageMeta[]> {
  const db = await openDb();
  const all = await reqP(db.transaction(IMAGES).objectStore(IMAGES).getAll() as IDBRequest<ImageMeta[]>);
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

export async function findImage(name: string): Promise<ImageMeta | null> {
  return (await listImages()).find((m) => m.name === name) ?? null;
}

export async function findByBase(url: string): Promise<ImageMeta | null> {
  return (await listImages()).find((m) => m.baseUrl === url) ?? null;
}

export async function getImage(id: string): Promise<ImageMeta | null> {
  const db = await openDb();
  const m = await reqP(db.transaction(IMAGES).objectStore(IMAGES).get(id) as IDBRequest<ImageMeta | undefined>);
  return m ?? null;
}

function newId(): string {
  return crypto.randomUUID();
}

/** Guess the kind from the name: ISO images go to vcd. */
export function kindOf(name: string): ImageKind {
  return /\.iso$/i.test(name) ? 'iso' : 'disk';
}

export async function createImage(name: string, size: number, kind: ImageKind, baseUrl?: string): Promise<ImageMeta> {
  if (await findImage(name)) throw new Error(`An image named ${name} already exists`);
  const meta: ImageMeta = { id: newId(), name, size, kind, modified: Date.now(), chunkSize: CHUNK_SIZE, baseUrl };
  const db = await openDb();
  const tx = db.transaction(IMAGES, 'readwrite');
  tx.objectStore(IMAGES).put(meta);
  await done(tx);
  return meta;
}

export async function renameImage(id: string, name: string): Promise<void> {
  if (name.trim() === '') throw new Error('An image needs a name');
  const clash = await findImage(name);
  if (clash && clash.id !== id) throw new Error(`An image named ${name} already exists`);
  const db = await openDb();
  const tx = db.transaction(IMAGES, 'readwrite');
  const store = tx.objectStore(IMAGES);
  const m = await reqP(store.get(id) as IDBRequest<ImageMeta | undefined>);
  if (m) store.put({ ...m, name, modified: Date.now() });
  await done(tx);
}

export async function deleteImage(id: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction([IMAGES, CHUNKS], 'readwrite');
  tx.objectStore(IMAGES).delete(id);
  tx.objectStore(CHUNKS).delete(chunkRange(id));
  await done(tx);
}

/** "Reset disk": drop an overlay's changed chunks, so the image reads as its base again. */
export async function resetOverlay(id: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction([IMAGES, CHUNKS], 'readwrite');
  tx.objectStore(CHUNKS).delete(chunkRange(id));
  const store = tx.objectStore(IMAGES);
  const m = await reqP(store.get(id) as IDBRequest<ImageMeta | undefined>);
  if (m) store.put({ ...m, modified: Date.now() });
  await done(tx);
}

/** Drop all of an image's chunks and give it a new size (-i: a memory image about to be rewritten). */
export async function clearImage(id: string, size: number): Promise<void> {
  const db = await openDb();
  const tx = db.transaction([IMAGES, CHUNKS], 'readwrite');
  tx.objectStore(CHUNKS).delete(chunkRange(id));
  const store = tx.objectStore(IMAGES);
  const m = await reqP(store.get(id) as IDBRequest<ImageMeta | undefined>);
  if (m) store.put({ ...m, size, modified: Date.now() });
  await done(tx);
}

/** How many chunks an image stores (an overlay: how much the guest changed). */
export async function storedChunks(id: string): Promise<number> {
  const db = await openDb();
  return reqP(db.transaction(CHUNKS).objectStore(CHUNKS).count(chunkRange(id)));
}

/** Write whole chunks (upload, new disk) in one transaction; resolves after commit. */
export async function putChunks(id: string, chunks: Array<[number, Uint8Array]>): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(CHUNKS, 'readwrite');
  const store = tx.objectStore(CHUNKS);
  for (const [index, data] of chunks) store.put(data, [id, index]);
  await done(tx);
}

export async function getChunk(id: string, index: number): Promise<Uint8Array | null> {
  const db = await openDb();
  const v = await reqP(db.transaction(CHUNKS).objectStore(CHUNKS).get([id, index]) as IDBRequest<Uint8Array | undefined>);
  return v ?? null;
}

export async function touchImage(id: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(IMAGES, 'readwrite');
  const store = tx.objectStore(IMAGES);
  const m = await reqP(store.get(id) as IDBRequest<ImageMeta | undefined>);
  if (m) store.put({ ...m, modified: Date.now() });
  await done(tx);
}

/* ---- read-only base images fetched from a URL ---- */

/**
 * The base of an overlay. Range requests fetch one chunk at a time; a server
 * that ignores Range gets the whole image once, kept in memory.
 */
export class RemoteBase {
  private whole: Uint8Array | null = null;
  private pending = new Map<number, Promise<Uint8Array>>();

  private constructor(readonly url: string, readonly size: number) {}

  static async open(url: string): Promise<RemoteBase> {
    const res = await fetch(url, { headers: { Range: 'bytes=0-0' } });
    if (!res.ok) throw new Error(`Unable to open disk image ${url} (HTTP ${res.status})`);
    const range = res.headers.get('content-range');
    const total = range ? Number(/\/(\d+)$/.exec(range)?.[1]) : NaN;
    if (res.status === 206 && Number.isFinite(total)) {
      await res.body?.cancel();
      return new RemoteBase(url, total);
    }
    const base = new RemoteBase(url, 0);
    base.whole = new Uint8Array(await res.arrayBuffer());
    (base as { size: number }).size = base.whole.length;
    return base;
  }

  chunk(index: number): Promise<Uint8Array> {
    const start = index * CHUNK_SIZE;
    const end = Math.min(this.size, start + CHUNK_SIZE);
    if (this.whole) return Promise.resolve(padChunk(this.whole.subarray(start, end)));
    let p = this.pending.get(index);
    if (!p) {
      p = fetch(this.url, { headers: { Range: `bytes=${start}-${end - 1}` } })
        .then(async (res) => {
          if (res.status !== 206 && res.status !== 200) throw new Error(`${this.url}: HTTP ${res.status}`);
          const bytes = new Uint8Array(await res.arrayBuffer());
          return padChunk(res.status === 200 ? bytes.subarray(start, end) : bytes);
        })
        .finally(() => this.pending.delete(index));
      this.pending.set(index, p);
    }
    return p;
  }
}

function padChunk(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_SIZE);
  out.set(b.subarray(0, CHUNK_SIZE));
  return out;
}

/* ---- Web Locks: one writer per image, one vkernel per pidfile ---- */

export interface HeldLock {
  release(): void;
}

/** Take an exclusive lock now or return null; held until release() (or the tab/worker dies). */
export async function tryLock(name: string): Promise<HeldLock | null> {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  const got = await new Promise<boolean>((resolve, reject) => {
    navigator.locks
      .request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : held;
      })
      .catch(reject);
  });
  return got ? { release } : null;
}

export const diskLockName = (id: string): string => `vkernel-disk:${id}`;
export const pidfileLockName = (path: string): string => `vkernel-pidfile:${path}`;

/** Ids of the images some kernel (this tab or another) holds right now. */
export async function heldImageIds(): Promise<Set<string>> {
  const q = await navigator.locks.query();
  const ids = new Set<string>();
  for (const l of q.held ?? []) if (l.name?.startsWith('vkernel-disk:')) ids.add(l.name.slice(13));
  return ids;
}

/* ---- the BlockStore ---- */

export interface StoreStats {
  readBytes: number;
  writeBytes: number;
}

/**
 * A BlockStore over one library image. Writes land in a dirty-chunk map
 * (write-back) and reach IndexedDB in one transaction per flush; flush()
 * resolves only after that transaction commits, so once the guest's sync
 * returns, closing the tab loses nothing. A timer also flushes shortly after
 * writes stop, which bounds what a hard power-off can lose.
 */
export class IdbBlockStore {
  readonly size: number;
  readonly readOnly: boolean;
  readonly stats: StoreStats = { readBytes: 0, writeBytes: 0 };
  private readonly dirty = new Map<number, Uint8Array>();
  private readonly clean = new Map<number, Uint8Array>();  // a small LRU of chunks read
  private readonly inflight = new Set<Uint8Array>();       // dirty chunks a flush is committing
  private readonly ahead = new Set<number>();              // chunks being read ahead
  private flushing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  private constructor(readonly meta: ImageMeta, readOnly: boolean, private readonly base: RemoteBase | null,
    private readonly lock: HeldLock | null) {
    this.size = meta.size;
    this.readOnly = readOnly;
  }

  /**
   * Open an image; a writable one takes its Web Lock first (DiskInUseError
   * if another tab or kernel holds it).
   */
  static async open(meta: ImageMeta, readOnly: boolean): Promise<IdbBlockStore> {
    let lock: HeldLock | null = null;
    if (!readOnly) {
      lock = await tryLock(diskLockName(meta.id));
      if (!lock) throw new DiskInUseError(meta.name);
    }
    try {
      const base = meta.baseUrl ? await RemoteBase.open(meta.baseUrl) : null;
      return new IdbBlockStore(meta, readOnly, base, lock);
    } catch (e) {
      lock?.release();
      throw e;
    }
  }

  /** Chunk index; a demand read (not a read-ahead) also starts reading ahead of it. */
  private async chunk(index: number, demand = true): Promise<Uint8Array> {
    const d = this.dirty.get(index);
    if (d) return d;
    const c = this.clean.get(index);
    if (c) {
      this.clean.delete(index);
      this.clean.set(index, c);
      return c;
    }
    let data = await getChunk(this.meta.id, index);
    if (!data && this.base) {
      if (demand) this.readAhead(index);
      data = await this.base.chunk(index);
    } else if (!data) data = new Uint8Array(CHUNK_SIZE);
    else if (data.length < CHUNK_SIZE) data = padChunk(data);
    /* A write may have dirtied it while we waited: that copy wins. */
    const raced = this.dirty.get(index);
    if (raced) return raced;
    this.clean.set(index, data);
    if (this.clean.size > 64) this.clean.delete(this.clean.keys().next().value as number);
    return data;
  }

  /*
   * A base chunk costs an HTTP round trip, and file systems lay files out
   * forwards: while the guest waits for chunk i, ask for the next few too, so a
   * boot's scattered reads overlap instead of queueing one after another.
   */
  private readAhead(index: number): void {
    const last = Math.min(index + READ_AHEAD, Math.ceil(this.size / CHUNK_SIZE) - 1);
    for (let i = index + 1; i <= last; i++) {
      if (this.dirty.has(i) || this.clean.has(i) || this.ahead.has(i)) continue;
      this.ahead.add(i);
      void this.chunk(i, false).catch(() => { /* a real read of it will report the error */ }).finally(() => this.ahead.delete(i));
    }
  }

  async read(offset: number, into: Uint8Array): Promise<void> {
    if (offset < 0 || offset + into.length > this.size) throw new RangeError('read past end of image');
    this.stats.readBytes += into.length;
    let done = 0;
    while (done < into.length) {
      const pos = offset + done;
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(CHUNK_SIZE - within, into.length - done);
      const c = await this.chunk(index);
      into.set(c.subarray(within, within + n), done);
      done += n;
    }
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (this.readOnly) throw new Error(`${this.meta.name}: read-only image`);
    if (offset < 0 || offset + data.length > this.size) throw new RangeError('write past end of image');
    this.stats.writeBytes += data.length;
    let done = 0;
    while (done < data.length) {
      const pos = offset + done;
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(CHUNK_SIZE - within, data.length - done);
      const loaded = await this.chunk(index);
      /*
       * From here to dirty.set nothing awaits, so concurrent writes to one
       * chunk cannot lose each other's bytes: each starts from the latest
       * dirty copy. A chunk a flush is committing is copied, never changed
       * under it (the flush recognises what it committed by identity).
       */
      let c = this.dirty.get(index) ?? loaded;
      if (c === loaded || this.inflight.has(c)) c = c.slice();
      c.set(data.subarray(done, done + n), within);
      this.clean.delete(index);
      this.dirty.set(index, c);
      done += n;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => { /* the next flush retries; sync reports errors */ });
    }, 1000);
  }

  /** Write every dirty chunk in one transaction; resolves after it commits. */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.dirty.size === 0) return;
      const batch = [...this.dirty];
      for (const [, c] of batch) this.inflight.add(c);
      try {
        await putChunks(this.meta.id, batch);
        /* Keep chunks re-dirtied during the commit. */
        for (const [i, c] of batch) {
          if (this.dirty.get(i) === c) {
            this.dirty.delete(i);
            this.clean.set(i, c);
          }
        }
      } finally {
        for (const [, c] of batch) this.inflight.delete(c);
      }
      await touchImage(this.meta.id);
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      if (!this.readOnly) await this.flush();
    } finally {
      this.closed = true;
      this.lock?.release();
    }
  }
}
