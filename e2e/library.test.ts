/*
 * The image library: upload through the file chooser (progress shown), the
 * image listed with its size, rename, delete; a copy-on-write overlay over a
 * served base image keeps its changed chunks across a reload and "Reset"
 * drops them; a writable image (and a pidfile) held by one tab is refused
 * to a second with the vkernel's message; "Import folder"/"Import files"
 * make UFS disks holding the files.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildDemo, launch, ROOT, startServer, typeCmdline, waitScreen, waitState } from './helpers.ts';
import { buildImage } from '../tools/makefs.ts';
import { MemBlockDev } from '../kernel/fs/ufs/ufs_blockdev.ts';
import { dsOpen } from '../kernel/dev/disk/diskslice.ts';
import { UfsVolume } from '../kernel/fs/ufs/ufs_volume.ts';
import { fsck } from '../kernel/fs/ufs/ufs_fsck.ts';
import { cpSync, readFileSync } from 'node:fs';

let server: ViteDevServer;
let browser: Browser;
let url: string;
const BASE = 'build/e2e/base.img';
let rootImage: Uint8Array;

before(async () => {
  buildDemo();
  /* A 1 MiB "base image" served by the dev server: byte i is i & 0xff. */
  mkdirSync(join(ROOT, 'build', 'e2e'), { recursive: true });
  writeFileSync(join(ROOT, BASE), Uint8Array.from({ length: 1 << 20 }, (_, i) => i & 0xff));
  /* A UFS1 root (MBR + disklabel: vkd0s1a) holding the demo programs, made by the project's makefs. */
  const stage = join(ROOT, 'build', 'e2e', 'root');
  for (const d of ['dev', 'tmp']) mkdirSync(join(stage, d), { recursive: true });
  cpSync(join(ROOT, 'public', 'demo', 'bin'), join(stage, 'bin'), { recursive: true });
  rootImage = buildImage(stage, { wrap: 'mbr', size: 8 << 20, epoch: 0 });
  ({ server, url } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function row(page: Page, name: string) {
  return page.locator(`[data-testid="image-row"][data-name="${name}"]`);
}

test('upload by file chooser, listed with its size, rename, delete', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload…' }).click();
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 512, 7);
  await (await chooser).setFiles({ name: 'upload.img', mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('library-message').getByText('Uploaded upload.img (3.0 MiB)').waitFor();
  await row(page, 'upload.img').waitFor();
  assert.equal(await row(page, 'upload.img').getByTestId('image-size').innerText(), '3.0 MiB');
  const meta = await page.evaluate(async () => (await window.vkernel.images()).find((m) => m.name === 'upload.img'));
  assert.equal(meta?.size, bytes.length);

  await row(page, 'upload.img').getByRole('button', { name: 'Rename' }).click();
  await page.getByTestId('rename-input').fill('renamed.img');
  await page.getByTestId('rename-input').press('Enter');
  await row(page, 'renamed.img').waitFor();
  assert.equal(await row(page, 'upload.img').count(), 0);

  await row(page, 'renamed.img').getByRole('button', { name: 'Delete' }).click();
  await row(page, 'renamed.img').getByTestId('delete-confirm').click();
  await row(page, 'renamed.img').waitFor({ state: 'detached' });
  assert.deepEqual(await page.evaluate(async () => (await window.vkernel.images()).map((m) => m.name)), []);
  await ctx.close();
});

/* Drive the BlockStore straight from the page (vite serves the module), as the worker does. */
async function overlay(page: Page, op: 'write' | 'read' | 'reset'): Promise<{ changed: number; base: number; stored: number }> {
  return page.evaluate(async ([mod, base, op]) => {
    const m: typeof import('../workers/idb_store.ts') = await import(/* @vite-ignore */ mod);
    const url = new URL(base, location.href).href;
    const meta = (await m.findByBase(url)) ?? (await m.createImage('base.img', 1 << 20, 'disk', url));
    if (op === 'reset') await m.resetOverlay(meta.id);
    const store = await m.IdbBlockStore.open(meta, false);
    if (op === 'write') {
      await store.write(300000, new Uint8Array([0xde, 0xad]));
      await store.flush();
    }
    const a = new Uint8Array(2), b = new Uint8Array(1);
    await store.read(300000, a);
    await store.read(5, b);
    await store.close();
    return { changed: a[0], base: b[0], stored: await m.storedChunks(meta.id) };
  }, ['/workers/idb_store.ts', `/${BASE}`, op] as const);
}

test('a copy-on-write overlay keeps its changes across a reload; reset drops them', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  const w = await overlay(page, 'write');
  assert.deepEqual(w, { changed: 0xde, base: 5, stored: 1 });
  await page.reload();
  const r = await overlay(page, 'read');
  assert.deepEqual(r, { changed: 0xde, base: 5, stored: 1 });
  await row(page, 'base.img').getByRole('button', { name: 'Reset disk' }).click();
  await page.getByTestId('library-message').getByText('Reset base.img to its base image').waitFor();
  const after = await overlay(page, 'read');
  assert.deepEqual(after, { changed: 300000 & 0xff, base: 5, stored: 0 });
  await ctx.close();
});

async function bootIn(page: Page, line: string, load = true): Promise<void> {
  if (load) await page.goto(url);
  await typeCmdline(page, line);
  await page.getByTestId('boot').click();
}

test('a second tab cannot open a writable image, or a pidfile, another tab holds', async () => {
  const ctx: BrowserContext = await browser.newContext();
  const a = await ctx.newPage();
  await a.goto(url);
  await a.evaluate(async (mod) => {
    const m: typeof import('../workers/idb_store.ts') = await import(/* @vite-ignore */ mod);
    await m.createImage('shared.img', 1 << 20, 'disk');
  }, '/workers/idb_store.ts');
  const line = '-m 64m -p vk.pid -r shared.img -e vfs.root.mountfrom=hostfs:/demo -e init_path=/bin/echo';
  await bootIn(a, line);
  await waitScreen(a, 'echo> ');
  await row(a, 'shared.img').getByText('in use').waitFor();

  const b = await ctx.newPage();
  await bootIn(b, '-m 64m -r shared.img -e vfs.root.mountfrom=hostfs:/demo -e init_path=/bin/echo');
  await waitScreen(b, 'Disk image shared.img is already in use');
  assert.equal(await b.evaluate(() => window.vkernel.state), 'off');
  await bootIn(b, '-m 64m -p vk.pid -e init_path=/bin/echo', false);
  await waitScreen(b, 'vkernel: Failed to lock pidfile, vkernel already running');

  /* Once the first tab lets go, the second gets the disk. */
  await a.getByTestId('poweroff').click();
  await a.getByTestId('poweroff-confirm').click();
  await bootIn(b, line, false);
  await waitScreen(b, 'echo> ');
  await ctx.close();
});

test('a UFS root disk from the library: what a program syncs survives a reload', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload…' }).click();
  await (await chooser).setFiles({ name: 'root.img', mimeType: 'application/octet-stream', buffer: Buffer.from(rootImage) });
  await row(page, 'root.img').waitFor();
  await typeCmdline(page, '-m 64m -r root.img -e init_path=/bin/counter');
  await page.getByTestId('boot').click();
  await waitScreen(page, 'boot count: 1');
  assert.match(await page.evaluate(() => window.vkernel.screen()), /Mounting root from ufs:vkd0s1a/);
  await waitState(page, 'halted');
  await page.reload();
  await typeCmdline(page, '-m 64m -r root.img -e init_path=/bin/counter');
  await page.getByTestId('boot').click();
  await waitScreen(page, 'boot count: 2');
  await ctx.close();
});

test('New disk makes a UFS1 image (MBR + disklabel) that downloads intact', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'New disk…' }).click();
  await page.getByLabel('new disk name').fill('fresh.img');
  await page.getByLabel('new disk size').fill('16m');
  await page.getByRole('button', { name: 'Create' }).click();
  await row(page, 'fresh.img').waitFor();
  assert.equal(await row(page, 'fresh.img').getByTestId('image-size').innerText(), '16 MiB');
  const download = page.waitForEvent('download');
  await row(page, 'fresh.img').getByRole('button', { name: 'Download' }).click();
  const file = await (await download).path();
  const bytes = new Uint8Array(readFileSync(file));
  assert.equal(bytes.length, 16 << 20);
  const part = dsOpen(new MemBlockDev(bytes), 's1a');
  assert.ok(part, 'slice 1 partition a');
  const vol = UfsVolume.mount(part);
  assert.deepEqual(vol.readdir(vol.root).map((e) => e.name).sort(), ['.', '..']);
  await ctx.close();
});

test('Import folder and Import files make UFS disks holding the files (checked after download)', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(url);
  const src = join(ROOT, 'build', 'e2e', 'import', 'lesson');
  rmSync(join(ROOT, 'build', 'e2e', 'import'), { recursive: true, force: true });
  mkdirSync(join(src, 'sub', 'deep'), { recursive: true });
  const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) & 0xff);
  writeFileSync(join(src, 'a.txt'), 'hello from the host\n');
  writeFileSync(join(src, 'sub', 'deep', 'b.bin'), big);
  writeFileSync(join(src, 'empty'), '');
  await page.getByTestId('import-folder').setInputFiles(src);
  await row(page, 'lesson.img').waitFor();
  assert.match(await page.getByTestId('library-message').innerText(), /Imported 3 files into lesson\.img/);

  const fetchImage = async (name: string): Promise<UfsVolume> => {
    const download = page.waitForEvent('download');
    await row(page, name).getByRole('button', { name: 'Download' }).click();
    const part = dsOpen(new MemBlockDev(new Uint8Array(readFileSync(await (await download).path()))), 's1a');
    assert.ok(part, `${name}: slice 1 partition a`);
    const r = fsck(part);
    assert.ok(r.ok && r.clean, `${name} checks clean: ${r.errors.join('; ')}`);
    return UfsVolume.mount(part, { readonly: true });
  };
  const vol = await fetchImage('lesson.img');
  const at = (p: string) => p.split('/').reduce((ino, c) => vol.lookup(ino, c), vol.root);
  assert.deepEqual(vol.readdir(vol.root).map((e) => e.name).sort(), ['.', '..', 'a.txt', 'empty', 'sub']);
  assert.equal(new TextDecoder().decode(vol.read(at('a.txt'), 0, 100)), 'hello from the host\n');
  assert.deepEqual(vol.read(at('sub/deep/b.bin'), 0, 400_000), big);
  assert.equal(vol.getattr(at('empty')).size, 0);
  assert.equal(vol.getattr(at('a.txt')).mode & 0o7777, 0o644);

  await page.getByTestId('import-files').setInputFiles([
    { name: 'one.txt', mimeType: 'text/plain', buffer: Buffer.from('one\n') },
    { name: 'two.txt', mimeType: 'text/plain', buffer: Buffer.from('two\n') },
  ]);
  await row(page, 'files.img').waitFor();
  const vol2 = await fetchImage('files.img');
  assert.equal(new TextDecoder().decode(vol2.read(vol2.lookup(vol2.root, 'two.txt'), 0, 10)), 'two\n');
  await ctx.close();
});
