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
