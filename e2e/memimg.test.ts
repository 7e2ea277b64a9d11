/*
 * `-i file` in the browser: at halt the kernel worker saves physical memory
 * (its SharedArrayBuffer) into the library as a 'memimg' image of -m bytes,
 * which downloads with what the guest had in memory. A new name without -m
 * is refused with the vkernel's message; an existing one sets the size.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { buildDemo, launch, startServer, typeCmdline, waitScreen, waitState } from './helpers.ts';

let server: ViteDevServer;
let browser: Browser;
let url: string;

before(async () => {
  buildDemo();
  /* No HMR: engineers editing sources would otherwise reload the page mid-test. */
  ({ server, url } = await startServer({ server: { hmr: false } }));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function row(page: Page, name: string) {
  return page.locator(`[data-testid="image-row"][data-name="${name}"]`);
}

test('-i: memory is saved into the library at halt, downloadable, holding what the guest wrote', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(url);

  /* A new memory image needs -m, as under Node. */
  const err = await page.evaluate(() => window.vkernel.boot('-i fresh.img -e init_path=/bin/hello').then(() => 'booted', (e: Error) => e.message));
  assert.equal(err, 'Cannot create new memory file fresh.img unless system memory size is specified with -m');
  assert.equal(await page.evaluate(async () => (await window.vkernel.images()).length), 0, 'nothing created');

  /* The echo demo upper-cases a line: that text exists only in the guest's memory (its stdio buffer). */
  const marker = `memory marker ${Date.now()}`;
  await page.evaluate(() => window.vkernel.boot('-m 64m -i mem.img -e init_path=/bin/echo'));
  await waitScreen(page, 'echo> ');
  assert.match(await page.evaluate(() => window.vkernel.screen()), /Using memory file: mem\.img/);
  await page.evaluate((m) => window.vkernel.type(`${m}\r`), marker);
  await waitScreen(page, marker.toUpperCase());
  await page.getByRole('button', { name: 'Shutdown' }).click();
  await waitState(page, 'halted');

  const meta = await page.evaluate(async () => (await window.vkernel.images()).find((m) => m.name === 'mem.img'));
  assert.equal(meta?.size, 64 << 20);
  assert.equal(meta?.kind, 'memimg');
  await row(page, 'mem.img').waitFor();
  assert.equal(await row(page, 'mem.img').locator('td').nth(2).innerText(), 'memimg');
  const dl = page.waitForEvent('download', { timeout: 120000 });
  await row(page, 'mem.img').getByRole('button', { name: 'Download' }).click();
  const bytes = readFileSync(await (await dl).path());
  assert.equal(bytes.length, 64 << 20);
  assert.ok(bytes.includes(Buffer.from(marker.toUpperCase())), 'the guest\'s output is in its saved memory');

  /* An existing image without -m: its size is the memory size. */
  await page.reload();
  await page.evaluate(() => window.vkernel.boot('-i mem.img -e init_path=/bin/hello'));
  await waitState(page, 'halted');
  assert.match(await page.evaluate(() => window.vkernel.screen()), /real memory {2}= 67108864 /);
  await ctx.close();
});

test('-i: an image another tab\'s kernel holds is busy', async () => {
  const ctx = await browser.newContext();
  const a = await ctx.newPage();
  await a.goto(url);
  await a.evaluate(() => window.vkernel.boot('-m 64m -i held.img -e init_path=/bin/echo'));
  await waitScreen(a, 'echo> ');
  const b = await ctx.newPage();
  await b.goto(url);
  const err = await b.evaluate(() => window.vkernel.boot('-m 64m -i held.img -e init_path=/bin/hello').then(() => 'booted', (e: Error) => e.message));
  assert.equal(err, 'vkernel: Unable to open/create held.img: Resource temporarily unavailable');
  await a.evaluate(() => window.vkernel.powerOff());
  await ctx.close();
});

test('-i through the form: the typed command line keeps it and Boot saves memory', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  await typeCmdline(page, '-m 64m -i ui.img -e init_path=/bin/hello');
  await page.waitForFunction(() => (document.querySelector('[data-testid="memimage"]') as HTMLInputElement | null)?.value === 'ui.img',
    null, { timeout: 10000 }).catch(async () => {
    throw new Error(`the form's -i field: ${JSON.stringify(await page.getByTestId('memimage').inputValue())}, the line: ${await page.getByTestId('cmdline').inputValue()}`);
  });
  assert.match(await page.getByTestId('cmdline').inputValue(), /-i ui\.img/);
  await page.getByTestId('boot').click();
  await waitState(page, 'halted');
  await row(page, 'ui.img').waitFor();
  const meta = await page.evaluate(async () => (await window.vkernel.images()).find((m) => m.name === 'ui.img'));
  assert.equal(meta?.kind, 'memimg');
  assert.equal(meta?.size, 64 << 20);
  await ctx.close();
});

test('-i: a panic saves memory too (ddb `panic`, then `c`)', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(url);
  const marker = `panic marker ${Date.now()}`;
  await page.evaluate(() => window.vkernel.boot('-m 64m -i panic.img -e init_path=/bin/echo'));
  await waitScreen(page, 'echo> ');
  await page.evaluate((m) => window.vkernel.type(`${m}\r`), marker);
  await waitScreen(page, marker.toUpperCase());
  await page.getByRole('button', { name: 'Break' }).click();
  await waitScreen(page, 'db> ');
  await page.evaluate(() => window.vkernel.type('panic\r'));
  await waitScreen(page, 'panic: from debugger');
  await page.evaluate(() => window.vkernel.type('c\r'));
  await waitState(page, 'panic');
  await row(page, 'panic.img').waitFor();
  const dl = page.waitForEvent('download', { timeout: 120000 });
  await row(page, 'panic.img').getByRole('button', { name: 'Download' }).click();
  const bytes = readFileSync(await (await dl).path());
  assert.equal(bytes.length, 64 << 20);
  assert.ok(bytes.includes(Buffer.from(marker.toUpperCase())), 'the guest\'s output is in its saved memory');
  await ctx.close();
});
