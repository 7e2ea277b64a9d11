/*
 * The default system: with the world's root image served (public/images/
 * root.img, from `npm run buildworld`), a fresh profile boots it with one
 * click through a copy-on-write overlay, logs in, runs commands; a synced
 * file survives a reload; "Reset disk" takes it away. Skipped until the
 * world build has written the image.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launch, ROOT, screen, startServer, typeCmdline, waitScreen, waitState } from './helpers.ts';
import { MemBlockDev } from '../kernel/fs/ufs/ufs_blockdev.ts';
import { dsOpen } from '../kernel/dev/disk/diskslice.ts';
import { UfsVolume } from '../kernel/fs/ufs/ufs_volume.ts';
import { fsck } from '../kernel/fs/ufs/ufs_fsck.ts';

const haveWorld = existsSync(join(ROOT, 'public', 'images', 'root.img'));
let server: ViteDevServer;
let browser: Browser;
let url: string;
let scratch: string;

before(async () => {
  if (!haveWorld) return;
  scratch = mkdtempSync(join(tmpdir(), 'vk-e2e-world-'));
  /* No HMR: engineers editing sources would otherwise reload the page mid-boot. */
  ({ server, url } = await startServer({ server: { hmr: false } }));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Count of a string on the screen (prompts repeat: wait for one more). */
async function count(page: Page, s: string): Promise<number> {
  return (await screen(page)).split(s).length - 1;
}

async function run(page: Page, cmd: string, expect: string): Promise<void> {
  await page.evaluate((c) => window.vkernel.type(`${c}\r`), cmd);
  await waitScreen(page, expect);
}

function row(page: Page, name: string) {
  return page.locator(`[data-testid="image-row"][data-name="${name}"]`);
}

async function login(page: Page): Promise<void> {
  await waitScreen(page, 'login: ', 60000);
  const prompts = await count(page, ':~ # ');
  await page.evaluate(() => window.vkernel.type('root\r'));
  try {
    await page.waitForFunction((n) => window.vkernel.screen().split(':~ # ').length - 1 > n, prompts, { timeout: 30000 });
  } catch (e) {
    throw new Error(`no shell prompt after login (${String(e).split('\n')[0]}); the terminal shows:\n${await screen(page)}`);
  }
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

const haveXorriso = existsSync('/usr/bin/xorriso');

test('an ISO made by xorriso, uploaded with progress, is vcd0 beside the world root; the guest mounts it and reads a file',
  { skip: (!haveWorld && 'no public/images/root.img (npm run buildworld)') || (!haveXorriso && 'no xorriso') }, async () => {
    const dir = join(scratch, 'isotree');
    mkdirSync(join(dir, 'docs'), { recursive: true });
    const word = `cd9660-${Date.now()}`;
    writeFileSync(join(dir, 'docs', 'readme.txt'), `${word}\n`);
    /* Big enough that the upload reports progress more than once (16 chunks per transaction). */
    writeFileSync(join(dir, 'filler.bin'), Uint8Array.from({ length: 6 << 20 }, (_, i) => (i * 31) & 0xff));
    const iso = join(scratch, 'lesson.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-R', '-J', '-o', iso, dir], { stdio: 'ignore' });

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(url);
    /* Record every progress bar the upload shows. */
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenProgress: string[] }).seenProgress = seen;
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid="progress"]');
        if (p) seen.push(p.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('upload').setInputFiles(iso);
    await page.getByTestId('library-message').getByText(/Uploaded lesson\.iso/).waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);
    assert.ok(seen.some((t) => /Uploading lesson\.iso/.test(t) && /MiB \/ /.test(t)), `progress shown: ${seen.join(' | ')}`);
    assert.equal(await row(page, 'lesson.iso').locator('td').nth(2).innerText(), 'iso');

    /* The first -r is the root (vkd0); the -c after it is vcd0, not the boot disk. */
    await typeCmdline(page, '-m 128m -r /images/root.img -c lesson.iso');
    await page.getByTestId('boot').click();
    await login(page);
    assert.match(await screen(page), /Mounting root from ufs:vkd0/);
    await run(page, 'mount_cd9660 /dev/vcd0 /mnt && echo mounted-$((2+3))', 'mounted-5');
    await run(page, 'cat /mnt/docs/readme.txt; umount /mnt && echo unmounted-$((3+3))', 'unmounted-6');
    assert.ok((await screen(page)).includes(word), 'the file read from the ISO');
    await run(page, 'halt', 'The operating system has halted.');
    await waitState(page, 'halted', 30000);
    await ctx.close();
  });

/** Download an image through the library's button; its bytes. */
async function download(page: Page, name: string): Promise<Uint8Array> {
  const dl = page.waitForEvent('download', { timeout: 120000 });
  await row(page, name).getByRole('button', { name: 'Download' }).click();
  return new Uint8Array(readFileSync(await (await dl).path()));
}

/** The downloaded file system checks clean and holds the file the guest wrote. */
function checkUfs(dev: ReturnType<typeof dsOpen>, file: string, text: string): void {
  assert.ok(dev, 'the partition is there');
  const r = fsck(dev);
  assert.ok(r.ok && r.clean, `checks clean: ${r.errors.join('; ')} ${r.clean ? '' : '(not marked clean)'}`);
  const vol = UfsVolume.mount(dev, { readonly: true });
  const ino = vol.lookup(vol.lookup(vol.root, 'lesson'), file);
  assert.equal(new TextDecoder().decode(vol.read(ino, 0, 1000)), text);
}

async function newDisk(page: Page, name: string, format: boolean): Promise<void> {
  await page.getByRole('button', { name: 'New disk…' }).click();
  await page.getByLabel('new disk name').fill(name);
  await page.getByLabel('new disk size').fill('16m');
  if (!format) await page.getByLabel('UFS1 (MBR + disklabel)').uncheck();
  await page.getByRole('button', { name: 'Create' }).click();
  await row(page, name).waitFor();
}

test('New disks from the UI are vkd1 beside the world root: mounted (and newfs\'d) in the guest, written, downloaded, checked',
  { skip: !haveWorld && 'no public/images/root.img (npm run buildworld)' }, async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(url);
    await newDisk(page, 'data.img', true);

    /* Pre-formatted: UFS1 in slice 1, partition a. */
    await typeCmdline(page, '-m 128m -r /images/root.img -r data.img');
    await page.getByTestId('boot').click();
    await login(page);
    await run(page, 'ls /dev | tr "\\n" " "; echo; echo listed-$((1+1))', 'listed-2');
    assert.match(await screen(page), /vkd1s1a/);
    await run(page, 'mount /dev/vkd1s1a /mnt && mkdir /mnt/lesson && echo written in the guest > /mnt/lesson/note.txt && sync && umount /mnt && echo stored-$((2+2))', 'stored-4');
    await run(page, 'halt', 'The operating system has halted.');
    await waitState(page, 'halted', 30000);
    let bytes = await download(page, 'data.img');
    assert.equal(bytes.length, 16 << 20);
    checkUfs(dsOpen(new MemBlockDev(bytes), 's1a'), 'note.txt', 'written in the guest\n');

    /* Blank ("UFS1" unchecked): the guest's newfs makes the file system on the whole disk. A fresh page: a clean screen. */
    await page.reload();
    await newDisk(page, 'blank.img', false);
    await typeCmdline(page, '-m 128m -r /images/root.img -r blank.img');
    await page.getByTestId('boot').click();
    await login(page);
    await run(page, 'newfs /dev/vkd1 && mount /dev/vkd1 /mnt && mkdir /mnt/lesson && echo made by newfs > /mnt/lesson/n.txt && sync && umount /mnt && echo stored-$((3+2))', 'stored-5');
    await run(page, 'halt', 'The operating system has halted.');
    await waitState(page, 'halted', 30000);
    bytes = await download(page, 'blank.img');
    assert.equal(bytes.length, 16 << 20);
    checkUfs(new MemBlockDev(bytes), 'n.txt', 'made by newfs\n');
    await ctx.close();
  });
