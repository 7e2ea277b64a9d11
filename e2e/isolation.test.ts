/*
 * The page must be cross-origin isolated in every way we serve it, or the
 * kernel's SharedArrayBuffer memory is unavailable.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ViteDevServer } from 'vite';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

let server: ViteDevServer;
let browser: Browser;
let url: string;

before(async () => {
  server = await createServer({ logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  const addr = server.httpServer!.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${addr.port}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the dev server sends COOP/COEP and the page gets SharedArrayBuffer', async () => {
  const res = await fetch(url);
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const page = await browser.newPage();
  await page.goto(url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function');
  await page.getByTestId('isolation').waitFor();
  assert.match(await page.getByTestId('isolation').innerText(), /is cross-origin isolated/);
});

test('served without COOP/COEP and no service worker allowed: the page explains', async () => {
  const { startServer } = await import('./helpers.ts');
  /* The same config (and dependency cache), with the isolation headers dropped on the way out. */
  const plain = await startServer({
    plugins: [{
      name: 'no-isolation',
      configureServer(srv) {
        srv.middlewares.use((_req, res, next) => {
          const set = res.setHeader.bind(res);
          res.setHeader = (name, value) => (/^cross-origin-/i.test(name) ? res : set(name, value));
          next();
        });
      },
    }],
  });
  try {
    const res = await fetch(plain.url);
    assert.equal(res.headers.get('cross-origin-embedder-policy'), null);
    const ctx = await browser.newContext({ serviceWorkers: 'block' });
    const page = await ctx.newPage();
    await page.goto(plain.url);
    await page.getByTestId('isolation').waitFor();
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match(await page.getByTestId('isolation').innerText(), /did not grant cross-origin isolation/);
    assert.equal(await page.getByTestId('boot').count(), 0);
    await ctx.close();

    /* Static hosting: the service worker adds the headers and the page reloads isolated. */
    const ctx2 = await browser.newContext();
    const page2 = await ctx2.newPage();
    await page2.goto(plain.url);
    await page2.waitForFunction(() => crossOriginIsolated, null, { timeout: 20000 });
    await page2.getByTestId('isolation').waitFor();
    assert.match(await page2.getByTestId('isolation').innerText(), /is cross-origin isolated/);
    await ctx2.close();
  } finally {
    await plain.server.close();
  }
});

test('static hosting: the service worker streams a 64 MiB download from IndexedDB, and an overlay with its base', async () => {
  const { startServer, ROOT } = await import('./helpers.ts');
  const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(join(tmpdir(), 'vk-e2e-sw-'));
  /* A served base for the overlay: byte i is (i * 7) & 0xff. */
  const baseRel = 'build/e2e/sw-base.img';
  mkdirSync(join(ROOT, 'build', 'e2e'), { recursive: true });
  const base = Uint8Array.from({ length: 600_000 }, (_, i) => (i * 7) & 0xff);
  writeFileSync(join(ROOT, baseRel), base);
  /* Without COOP/COEP and HMR: the page isolates itself through the service worker, which then controls it. */
  const plain = await startServer({
    server: { hmr: false },
    plugins: [{
      name: 'no-isolation',
      configureServer(srv) {
        srv.middlewares.use((_req, res, next) => {
          const set = res.setHeader.bind(res);
          res.setHeader = (name, value) => (/^cross-origin-/i.test(name) ? res : set(name, value));
          next();
        });
      },
    }],
  });
  const ctx = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await ctx.newPage();
    await page.goto(plain.url);
    await page.waitForFunction(() => crossOriginIsolated && navigator.serviceWorker.controller !== null, null, { timeout: 20000 });

    /* 64 MiB, every byte known, uploaded through the page. */
    const size = 64 << 20;
    const big = new Uint8Array(size);
    for (let i = 0; i < size; i += 4) new DataView(big.buffer).setUint32(i, (i * 2654435761) >>> 0);
    big.fill(0, 8 << 20, 12 << 20);  /* a hole: all-zero chunks are not stored */
    writeFileSync(join(scratch, 'big.img'), big);
    await page.getByTestId('upload').setInputFiles(join(scratch, 'big.img'));
    await page.getByTestId('library-message').getByText('Uploaded big.img (64 MiB)').waitFor({ timeout: 120000 });

    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid="progress"]');
        if (p) seen.push(p.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const row = (name: string) => page.locator(`[data-testid="image-row"][data-name="${name}"]`);
    let dl = page.waitForEvent('download', { timeout: 120000 });
    await row('big.img').getByRole('button', { name: 'Download' }).click();
    let download = await dl;
    assert.match(download.url(), /\/__download\/[^/]+\/big\.img\?token=/);
    const got = readFileSync(await download.path());
    assert.equal(got.length, size, got.subarray(0, 400).toString());
    assert.ok(Buffer.from(big.buffer).equals(got), 'the downloaded bytes are the uploaded ones');
    await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 30000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    /* The service worker reports every 4 MiB; the bar may go before its last report is drawn. */
    assert.ok(seen.some((t) => /Downloading big\.img/.test(t) && /[1-9]\d* MiB \/ 64 MiB/.test(t)), `progress shown: ${seen.slice(-3).join(' | ')}`);

    /* An overlay: one changed chunk from IndexedDB, the rest Range-fetched from its base. */
    await page.evaluate(async ([mod, baseUrl]) => {
      const m: typeof import('../workers/idb_store.ts') = await import(/* @vite-ignore */ mod);
      const meta = await m.createImage('over.img', 600_000, 'disk', new URL(baseUrl, location.href).href);
      const store = await m.IdbBlockStore.open(meta, false);
      await store.write(300_000, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
      await store.close();
    }, ['/workers/idb_store.ts', `/${baseRel}`] as const);
    await row('over.img').waitFor({ timeout: 10000 });
    dl = page.waitForEvent('download', { timeout: 60000 });
    await row('over.img').getByRole('button', { name: 'Download' }).click();
    download = await dl;
    assert.match(download.url(), /\/__download\//);
    const want = base.slice();
    want.set([0xde, 0xad, 0xbe, 0xef], 300_000);
    assert.ok(Buffer.from(want).equals(readFileSync(await download.path())), 'overlay = base + the changed chunk');
  } finally {
    await ctx.close();
    await plain.server.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(ROOT, baseRel), { force: true });
  }
});
