/*
 * The default system: with the world's root image served (public/images/
 * root.img, from `npm run buildworld`), a fresh profile boots it with one
 * click through a copy-on-write overlay, logs in, runs commands; a synced
 * file survives a reload; "Reset disk" takes it away. Skipped until the
 * world build has written the image.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launch, ROOT, screen, startServer, waitScreen, waitState } from './helpers.ts';

const haveWorld = existsSync(join(ROOT, 'public', 'images', 'root.img'));
let server: ViteDevServer;
let browser: Browser;
let url: string;

before(async () => {
  if (!haveWorld) return;
  ({ server, url } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Count of a string on the screen (prompts repeat: wait for one more). */
async function count(page: Page, s: string): Promise<number> {
  return (await screen(page)).split(s).length - 1;
}

async function run(page: Page, cmd: string, expect: string): Promise<void> {
  await page.evaluate((c) => window.vkernel.type(`${c}\r`), cmd);
  await waitScreen(page, expect);
}

async function login(page: Page): Promise<void> {
  await waitScreen(page, 'login: ', 60000);
  const prompts = await count(page, ':~ # ');
  await page.evaluate(() => window.vkernel.type('root\r'));
  await page.waitForFunction((n) => window.vkernel.screen().split(':~ # ').length - 1 > n, prompts, { timeout: 30000 });
}

test('one click boots the world from a fresh profile; a synced file survives a reload; Reset disk drops it', { skip: !haveWorld && 'no public/images/root.img (npm run buildworld)' }, async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  /* The form settles on the served root image (a HEAD request decides). */
  await page.waitForFunction(() => /-r \/images\/root\.img/.test((document.querySelector('[data-testid="cmdline"]') as HTMLInputElement).value));
  await page.getByTestId('boot').click();
  await login(page);
  /* Outputs the typed line does not contain, so the wait is for the shell's answer. */
  await run(page, 'uname -sm; echo kept-$((6*7)) > /root/note; sync; echo synced-$((1+1))', 'synced-2');
  assert.match(await screen(page), /Linux riscv64/);
  await page.getByRole('button', { name: 'Shutdown' }).click();
  await waitState(page, 'halted', 30000);

  /* Reload, boot again: the overlay kept the changed chunks. */
  await page.reload();
  await page.getByTestId('boot').click();
  await login(page);
  await run(page, 'cat /root/note', 'kept-42');
  await run(page, 'halt', 'The operating system has halted.');
  await waitState(page, 'halted', 30000);

  /* Reset disk: the overlay's chunks go, the base image comes back. */
  const row = page.locator('[data-testid="image-row"][data-name="root.img"]');
  await row.getByRole('button', { name: 'Reset disk' }).click();
  await page.getByTestId('library-message').getByText('Reset root.img to its base image').waitFor();
  await page.reload();
  await page.getByTestId('boot').click();
  await login(page);
  await run(page, 'cat /root/note || echo gone-$((1+1))', 'gone-2');
  assert.doesNotMatch(await screen(page), /kept-42/);
  await ctx.close();
});

const haveIso = existsSync(join(ROOT, 'public', 'images', 'live.iso'));

test('an ISO uploaded through the file chooser boots as vcd0 (cd9660 root)', { skip: !haveIso && 'no public/images/live.iso' }, async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload…' }).click();
  await (await chooser).setFiles(join(ROOT, 'public', 'images', 'live.iso'));
  await page.getByTestId('library-message').getByText(/Uploaded live\.iso/).waitFor();
  const row = page.locator('[data-testid="image-row"][data-name="live.iso"]');
  assert.equal(await row.locator('td').nth(2).innerText(), 'iso');
  await row.getByRole('button', { name: '+ -c' }).click();
  await page.getByTestId('cmdline').fill('-m 128m -c live.iso');
  await page.getByTestId('cmdline').press('Enter');
  await page.getByTestId('boot').click();
  await waitScreen(page, 'Mounting root from cd9660:vcd0', 60000);
  await login(page);
  await run(page, 'test -x /bin/sh && echo found-$((1+1))', 'found-2');
  await ctx.close();
});
