/*
 * Cross-origin isolation for static hosting: a service worker that adds
 * COOP/COEP (and CORP) to every response of this origin, so the page gets
 * SharedArrayBuffer where the server cannot send those headers itself.
 * src/main.tsx registers it only when the page is not already isolated.
 *
 * It also serves streamed downloads of library images:
 * <scope>__download/<image id>/<name> is read from IndexedDB one chunk at a
 * time into a ReadableStream response (src/library.ts downloadImage), so an
 * image of any size is saved without the page or this worker holding it.
 * Everything else passes through unchanged, headers added.
 *
 * Plain JS, served as is (no bundler), so the IndexedDB layout is repeated
 * here: keep DB_NAME, DB_VERSION and the store names in sync with
 * workers/idb_store.ts.
 */
const DB_NAME = 'vkernel-images';
const DB_VERSION = 1;
const IMAGES = 'images';
const CHUNKS = 'chunks';
const CHUNK_SIZE = 256 * 1024;  /* images record their own chunkSize; this is idb_store.ts's */
const DOWNLOAD = '__download/';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  /* A Chrome quirk: only-if-cached outside same-origin mode throws. */
  if (req.cache === 'only-if-cached' && req.mode !== 'same-origin') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const dl = new URL(DOWNLOAD, self.registration.scope).pathname;
  if (url.pathname.startsWith(dl) && (req.method === 'GET' || req.method === 'HEAD')) {
    event.respondWith(download(url, url.pathname.slice(dl.length), req.method === 'HEAD', event.clientId));
    return;
  }
  event.respondWith(
    fetch(req).then((res) => {
      if (res.status === 0) return res;
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers: isolated(res.headers) });
    }),
  );
});

function isolated(h) {
  const headers = new Headers(h);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return headers;
}

/* ---- IndexedDB, as workers/idb_store.ts lays it out ---- */

let dbPromise = null;

function openDb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    /* Whoever opens first creates the stores: the same as idb_store.ts does. */
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(IMAGES)) db.createObjectStore(IMAGES, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }).catch((e) => {
    dbPromise = null;
    throw e;
  });
  return dbPromise;
}

async function get(store, key) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const r = db.transaction(store).objectStore(store).get(key);
    r.onsuccess = () => resolve(r.result ?? null);
    r.onerror = () => reject(r.error);
  });
}

/* ---- the download ---- */

/** Where progress goes: the page that asked (by clientId), else every window of ours; the page matches the token. */
async function progressTargets(clientId) {
  const c = clientId ? await self.clients.get(clientId) : null;
  return c ? [c] : self.clients.matchAll({ type: 'window' });
}

async function download(url, rest, head, clientId) {
  const id = decodeURIComponent(rest.split('/')[0] ?? '');
  const meta = id ? await get(IMAGES, id).catch(() => null) : null;
  if (!meta) return new Response('No such image in the library\n', { status: 404, headers: isolated({ 'Content-Type': 'text/plain' }) });
  const headers = isolated({
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(meta.size),
    'Content-Disposition': `attachment; filename="${meta.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    'Cache-Control': 'no-store',
    /* The page checks for this (HEAD) before relying on the stream: an older worker would not answer. */
    'X-Vkernel-Download': '1',
  });
  if (head) return new Response(null, { headers });
  const token = url.searchParams.get('token') ?? '';
  const targets = await progressTargets(clientId);
  const tell = (msg) => {
    for (const c of targets) c.postMessage({ type: 'vkernel-download', token, ...msg });
  };
  return new Response(chunkStream(meta, tell), { headers });
}

/** The image's bytes, one stored chunk per pull: absent chunks are zeros, or the base image's for an overlay. */
function chunkStream(meta, tell) {
  const size = meta.chunkSize || CHUNK_SIZE;
  const n = Math.ceil(meta.size / size);
  let i = 0, lastTold = 0;
  return new ReadableStream({
    async pull(controller) {
      if (i >= n) {
        tell({ state: 'done', done: meta.size, total: meta.size });
        controller.close();
        return;
      }
      const len = Math.min(size, meta.size - i * size);
      try {
        let c = await get(CHUNKS, [meta.id, i]);
        if (!c && meta.baseUrl) c = await baseChunk(meta.baseUrl, i * size, len);
        const out = new Uint8Array(len);
        if (c) out.set(c.subarray(0, len));
        controller.enqueue(out);
      } catch (e) {
        tell({ state: 'error', message: String(e) });
        controller.error(e);
        return;
      }
      i++;
      const done = Math.min(meta.size, i * size);
      /* A message every 4 MiB (and the last) is plenty for a progress bar. */
      if (done - lastTold >= 4 << 20 || i === n) {
        lastTold = done;
        tell({ state: 'progress', done, total: meta.size });
      }
    },
    cancel() {
      tell({ state: 'cancelled' });
    },
  }, { highWaterMark: 2 });
}

/** A chunk of an overlay's read-only base: a Range request; a server without Range sends it all. */
async function baseChunk(url, start, len) {
  const r = await fetch(url, { headers: { Range: `bytes=${start}-${start + len - 1}` } });
  if (r.status !== 206 && r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  const b = new Uint8Array(await r.arrayBuffer());
  return r.status === 200 ? b.subarray(start, start + len) : b;
}
