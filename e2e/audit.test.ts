/*
 * The clauses of the browser issue that the other e2e files leave unshown:
 * keyboard-only use and the console's focus at boot; the console's 256
 * colours, copy and paste, window size (stty size) and SIGWINCH in the world's
 * shell; ddb's ps from Break; Reboot and Shutdown through the world's init
 * and Power off; the form's flags (-s -v -U -d -p -e) reaching the kernel;
 * the status bar following the guest (uptime, memory, load, disk and
 * network); a synced file surviving a closed tab; phone and laptop layouts; the library's drag-and-drop upload, cancel, delete
 * confirmation, rename clashes, storage estimate and persistence request; a
 * share link naming served images by path and by URL; the automation API's
 * errors; and the production build, isolated by `vite preview`'s headers and,
 * on a plain static server, by the service worker.
 *
 * Most tests boot the world (public/images/root.img, `npm run buildworld`)
 * and are skipped without it.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { buildDemo, launch, ROOT, screen, startServer, typeCmdline, waitScreen, waitState } from './helpers.ts';
import { startRelay, type Relay } from '../relay/index.ts';
import { formatBytes } from '../src/components/format.ts';

const haveWorld = existsSync(join(ROOT, 'public', 'images', 'root.img'));
const haveIso = existsSync(join(ROOT, 'public', 'images', 'live.iso'));
const noWorld = !haveWorld && 'no public/images/root.img (npm run buildworld)';
const PROMPT = 'root@vkernel:~ # ';

let server: ViteDevServer;
let browser: Browser;
let url: string;
const contexts: BrowserContext[] = [];

before(async () => {
  buildDemo();
  /* No HMR: engineers editing sources would otherwise reload the pages mid-boot. */
  ({ server, url } = await startServer({ server: { hmr: false } }));
  browser = await launch();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

/** A fresh profile (its own IndexedDB and Web Locks) and a page in it. */
async function fresh(opts: BrowserContextOptions = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1300, height: 900 }, ...opts });
  contexts.push(ctx);
  return { ctx, page: await ctx.newPage() };
}

async function formReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.formReady === '1', null, { timeout: 60_000, polling: 50 });
}

function count(text: string, s: string): number {
  return text.split(s).length - 1;
}

/** Log in as root at the next login prompt (after the `seen` ones already on screen); resolves at the shell's prompt. */
async function login(page: Page, seen = 0): Promise<void> {
  try {
    await page.waitForFunction((n) => window.vkernel.screen().split('login: ').length - 1 > n, seen, { timeout: 120_000, polling: 100 });
  } catch (e) {
    throw new Error(`no login prompt (${String(e).split('\n')[0]}); the terminal shows:\n${await screen(page)}`);
  }
  const prompts = count(await screen(page), PROMPT.trimEnd());
  await page.evaluate(() => window.vkernel.type('root\r'));
  await page.waitForFunction(([p, n]) => window.vkernel.screen().split(p).length - 1 > n, [PROMPT.trimEnd(), prompts] as const,
    { timeout: 60_000, polling: 100 });
}

/** Type a command line and wait for text only its output has (the typed line must not contain it). */
async function run(page: Page, cmd: string, expect: string, timeout = 60_000): Promise<void> {
  await page.evaluate((c) => window.vkernel.type(`${c}\r`), cmd);
  await waitScreen(page, expect, timeout);
}

/** Boot the page's default (the world root, a copy-on-write overlay) with the Boot button and log in. */
async function bootWorld(page: Page): Promise<void> {
  await page.goto(url);
  await formReady(page);
  await page.getByTestId('boot').click();
  await login(page);
}

function row(page: Page, name: string) {
  return page.locator(`[data-testid="image-row"][data-name="${name}"]`);
}

test('keyboard only: Tab reaches Boot, Enter boots, and typing right after boot reaches the guest', { skip: noWorld }, async () => {
  const { page } = await fresh();
  await page.goto(url);
  await formReady(page);
  await page.waitForFunction(() => !(document.querySelector('[data-testid="boot"]') as HTMLButtonElement).disabled);
  let onBoot = false;
  for (let i = 0; i < 6 && !onBoot; i++) {
    await page.keyboard.press('Tab');
    onBoot = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'boot');
  }
  assert.ok(onBoot, 'Tab from the top of the page reaches Boot');
  await page.keyboard.press('Enter');
  await waitScreen(page, 'login: ', 120_000);
  /* Focus on boot: the terminal has the keyboard, no click needed. */
  await page.waitForFunction(() => document.activeElement?.classList.contains('xterm-helper-textarea') === true, null, { timeout: 30_000 });
  await page.keyboard.type('root');
  await page.keyboard.press('Enter');
  await waitScreen(page, PROMPT, 60_000);
  await page.keyboard.type('echo typed-$((6*7))');
  await page.keyboard.press('Enter');
  await waitScreen(page, 'typed-42');
});

test('the console: 256 colours, copy and paste, stty size and SIGWINCH follow the window, Break → ddb ps → c', { skip: noWorld }, async () => {
  const { page } = await fresh({ permissions: ['clipboard-read', 'clipboard-write'] });
  await bootWorld(page);

  /* 256 colours: palette indices past the 16 ANSI ones reach xterm's renderer as such. */
  await run(page, `printf '\\033[38;5;196mfgcube\\033[0m \\033[38;5;244mfggray\\033[0m \\033[48;5;21mbgblue\\033[0m done-%d\\n' $((2+3))`, 'done-5');
  /* The renderer draws on its next frame: wait for the spans, then check their colours. */
  const spans = (): Promise<Record<string, string[]>> => page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const s of document.querySelectorAll('[data-testid="console"] .xterm-rows span')) {
      const t = s.textContent ?? '';
      if (/^(fgcube|fggray|bgblue)$/.test(t)) (out[t] ??= []).push(s.className);
    }
    return out;
  });
  await page.waitForFunction(() => {
    const seen = new Set([...document.querySelectorAll('[data-testid="console"] .xterm-rows span')].map((s) => s.textContent));
    return seen.has('fgcube') && seen.has('fggray') && seen.has('bgblue');
  }, null, { timeout: 10_000, polling: 100 });
  const classes = await spans();
  assert.ok(classes.fgcube?.some((c) => c.split(' ').includes('xterm-fg-196')), JSON.stringify(classes));
  assert.ok(classes.fggray?.some((c) => c.split(' ').includes('xterm-fg-244')), JSON.stringify(classes));
  assert.ok(classes.bgblue?.some((c) => c.split(' ').includes('xterm-bg-21')), JSON.stringify(classes));

  /* Copy: a double-click selects a word the guest printed; Ctrl+Shift+C puts it on the clipboard. */
  await run(page, 'echo copy$((40+2))word', 'copy42word');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console"] .xterm-rows span')]
    .some((s) => s.textContent?.includes('copy42word')), null, { timeout: 10_000, polling: 100 });
  const box = await page.evaluate(() => {
    for (const s of document.querySelectorAll('[data-testid="console"] .xterm-rows span')) {
      const text = s.firstChild;
      const at = s.textContent?.indexOf('copy42word') ?? -1;
      if (!text || at < 0) continue;
      const r = document.createRange();
      r.setStart(text, at);
      r.setEnd(text, at + 'copy42word'.length);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    return null;
  });
  assert.ok(box, 'the printed word is on screen');
  await page.mouse.dblclick(box.x, box.y);
  await page.keyboard.press('Control+Shift+C');
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) === 'copy42word', null, { timeout: 10_000, polling: 100 });

  /* Paste: Ctrl+Shift+V types the clipboard into the guest. */
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((5*5))'));
  await page.keyboard.press('Control+Shift+V');
  await waitScreen(page, 'echo pasted-$((5*5))');
  await page.keyboard.press('Enter');
  await waitScreen(page, 'pasted-25');

  /* The window's size is the guest tty's (TIOCGWINSZ), and a resize is SIGWINCH to the foreground job. */
  const size = (): Promise<{ rows: number; cols: number }> => page.evaluate(() => window.vkernel.termSize());
  let s = await size();
  await run(page, `stty size | sed 's/^/size=/'`, `size=${s.rows} ${s.cols}`);
  await run(page, `sh -c 'trap "echo winch-\\$((40+2)); exit 0" WINCH; echo ready-$((3+4)); while :; do sleep 1; done'`, 'ready-7');
  await page.setViewportSize({ width: 1000, height: 650 });
  await page.waitForFunction((c) => window.vkernel.termSize().cols !== c, s.cols);
  await waitScreen(page, 'winch-42', 30_000);
  s = await size();
  await run(page, `stty size | sed 's/^/size=/'`, `size=${s.rows} ${s.cols}`);

  /* Break is ^\ from the host: ddb takes the console; ps lists the processes; c gives the machine back. */
  await page.getByRole('button', { name: 'Break' }).click();
  await waitScreen(page, 'db> ');
  await page.evaluate(() => window.vkernel.type('ps\r'));
  await waitScreen(page, 'pid  ppid  pgrp   uid  state  wchan     cmd');
  await page.waitForFunction(() => /^\D*1\s+0\s+1\s+0\s+\S+\s+\S+\s+init$/m.test(window.vkernel.screen()) && /\ssh$/m.test(window.vkernel.screen()),
    null, { timeout: 30_000, polling: 100 });
  await page.evaluate(() => window.vkernel.type('c\r'));
  await run(page, 'echo back-$((1+1))', 'back-2');
  /* ^\ typed in the console is the same break. */
  const dbs = count(await screen(page), 'db> ');
  await page.getByTestId('console').click();
  await page.keyboard.press('Control+Backslash');
  await page.waitForFunction(([s, n]) => window.vkernel.screen().split(s).length - 1 > n, ['db> ', dbs] as const, { timeout: 30_000, polling: 100 });
  await page.keyboard.type('c');
  await page.keyboard.press('Enter');
  await run(page, 'echo again-$((2+2))', 'again-4');
  assert.equal(await page.evaluate(() => window.vkernel.state), 'running');
});

test('the world\'s controls: Reboot and Shutdown go through init (a clean halt writes back what was not synced), Power off stops at once', { skip: noWorld }, async () => {
  const { page } = await fresh();
  await bootWorld(page);
  /* Reboot: init's reboot path, the machine comes back to a second login prompt. */
  await page.getByRole('button', { name: 'Reboot' }).click();
  await page.waitForFunction(() => window.vkernel.screen().split('\nlogin: ').length - 1 === 2, null, { timeout: 120_000, polling: 100 });
  assert.equal(count(await screen(page), 'Copyright (c) 2003-2024 The DragonFly Project.'), 2, 'booted twice');
  assert.match(await screen(page), /Shutting down daemon processes:[^]*syncing disks\.\.\. done[^]*Copyright/, 'through rc.shutdown');
  await page.evaluate(() => window.vkernel.type('root\r'));
  await page.waitForFunction((p) => window.vkernel.screen().trimEnd().endsWith(p), PROMPT.trimEnd(), { timeout: 60_000, polling: 100 });
  /* Written, not synced: Shutdown (SIGTERM → init → rc.shutdown → halt) must still write it back. */
  await run(page, 'echo unsynced-$((8*8)) > /root/unsynced; echo wrote-$((9*9))', 'wrote-81');
  await page.getByRole('button', { name: 'Shutdown' }).click();
  await waitState(page, 'halted', 120_000);
  assert.match(await page.getByTestId('state').innerText(), /halted \(status 0\)/);
  /* init ran rc.shutdown, then the kernel synced and halted. */
  assert.match((await screen(page)).split('wrote-81').pop() ?? '',
    /Caught SIGTERM from host system\. Shutting down\.\.\.\nShutting down daemon processes:[^]*syncing disks\.\.\. done\n[^]*The operating system has halted\./);
  const logins = count(await screen(page), 'login: ');
  await page.getByTestId('boot').click();
  await login(page, logins);
  await run(page, 'cat /root/unsynced', 'unsynced-64');
  /* Power off asks first, then the machine is off at once (no init, no halt messages). */
  const halts = count(await screen(page), 'The operating system has halted.');
  await page.getByTestId('poweroff').click();
  await page.getByText('Data the guest has not synced is lost').waitFor();
  await page.getByTestId('poweroff-confirm').click();
  await waitState(page, 'off', 30_000);
  assert.equal(count(await screen(page), 'The operating system has halted.'), halts, 'no clean halt on Power off');
  assert.equal(count(await screen(page), 'syncing disks'), 2, 'no sync on Power off');
  assert.equal(await page.getByTestId('boot').isEnabled(), true);
});

test('the form\'s flags and fields reach the kernel: -s boots to a shell without login, -v -U -d show in the boot log, -e and -p apply', { skip: noWorld }, async () => {
  const { page } = await fresh();
  await page.goto(url);
  await formReady(page);
  for (const label of ['single-user (-s)', 'verbose (-v)', 'writable kmem (-U)', 'software page tables (-d)']) await page.getByLabel(label).check();
  await page.getByTestId('pidfile').fill('audit.pid');
  await page.getByRole('button', { name: '+ variable' }).click();
  await page.getByTestId('env-0').fill('audit.note=from-the-form');
  assert.equal(await page.getByTestId('cmdline').inputValue(), 'vkernel -sUvd -m 128m -n 1 -p audit.pid -r /images/root.img -e audit.note=from-the-form');
  await page.getByTestId('boot').click();
  /* Single-user: init starts the shell on the console, no login. */
  await page.waitForFunction(() => window.vkernel.screen().trimEnd().endsWith('root@vkernel:/ #'), null, { timeout: 120_000, polling: 100 });
  const log = await screen(page);
  assert.doesNotMatch(log, /login: /);
  assert.match(log, /Physical memory chunk\(s\):/, '-v: the verbose boot log');
  assert.match(log, /kern: kernel memory writable, module loading allowed \(-U\)/);
  assert.match(log, /software fill through the kernel \(-d\)/);
  assert.doesNotMatch(log, /Hardware pagetable enabled/);
  await run(page, 'kenv audit.note; echo env-$((2+9))', 'env-11');
  assert.match(await screen(page), /\nfrom-the-form\n/);
  /* -p holds the pidfile's Web Lock while the machine runs. */
  assert.ok(await page.evaluate(async () => ((await navigator.locks.query()).held ?? []).some((l) => l.name === 'vkernel-pidfile:audit.pid')));
  await run(page, 'halt', 'The operating system has halted.');
  await waitState(page, 'halted', 60_000);
  await page.waitForFunction(async () => !((await navigator.locks.query()).held ?? []).some((l) => l.name === 'vkernel-pidfile:audit.pid'),
    null, { timeout: 30_000, polling: 100 });
});

/** The status bar's fields, read off the page. */
async function status(page: Page): Promise<{ text: string; up: number; mem: string; memTotal: string; diskW: string; rx: number; tx: number; load: number[] }> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="status"]') as HTMLElement;
    const text = el.innerText;
    const up = /up (?:(\d+)h)?(?:(\d+)m)?(\d+)s/.exec(text);
    const mem = /mem (\S+ \S+) \/ (\S+ \S+)/.exec(text);
    const net = /net rx (\d+) tx (\d+)/.exec(text);
    const load = [...el.querySelectorAll('.cpubar > span')].map((s) => parseFloat((s as HTMLElement).style.width) || 0);
    return {
      text,
      up: up ? Number(up[1] ?? 0) * 3600 + Number(up[2] ?? 0) * 60 + Number(up[3]) : -1,
      mem: mem?.[1] ?? '', memTotal: mem?.[2] ?? '',
      diskW: /disk r \S+ \S+ w (\S+ \S+)/.exec(text)?.[1] ?? '',
      rx: Number(net?.[1] ?? -1), tx: Number(net?.[2] ?? -1), load,
    };
  });
}

/** "1.5 MiB" → bytes. */
function bytesOf(s: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB)$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * { B: 1, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 }[m[2] as 'B'];
}

test('the status bar follows the guest: uptime, memory in use, per-vCPU load, disk and network activity', { skip: noWorld }, async () => {
  const relay: Relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  try {
    const { page } = await fresh();
    await page.goto(url);
    await typeCmdline(page, `-m 128m -n 2 -r /images/root.img -I ws://127.0.0.1:${relay.port}/bridge5`);
    await page.getByTestId('boot').click();
    /* rc's dhclient: frames both ways through the relay. */
    await waitScreen(page, 'bound to 10.2.', 120_000);
    await login(page);
    await page.waitForFunction(() => /net rx [1-9]\d* tx [1-9]/.test((document.querySelector('[data-testid="status"]') as HTMLElement).innerText),
      null, { timeout: 30_000, polling: 200 });
    const s0 = await status(page);
    assert.equal(s0.memTotal, '128 MiB', s0.text);
    assert.equal(s0.load.length, 2, `one load bar per vCPU: ${s0.text}`);
    assert.ok(s0.up >= 0, s0.text);

    /* Uptime moves. */
    await page.waitForFunction((u) => {
      const m = /up (?:(\d+)h)?(?:(\d+)m)?(\d+)s/.exec((document.querySelector('[data-testid="status"]') as HTMLElement).innerText);
      return m !== null && Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]) > u;
    }, s0.up, { timeout: 30_000, polling: 200 });

    /* Disk: 2 MiB written and synced shows up as written bytes (the bar rounds: at least 1.5 MiB more). */
    await run(page, 'dd if=/dev/zero of=/root/z bs=64k count=32 2>/dev/null; sync; echo written-$((1+1))', 'written-2');
    await page.waitForFunction((w) => {
      const m = /disk r \S+ \S+ w ([\d.]+) (B|KiB|MiB|GiB)/.exec((document.querySelector('[data-testid="status"]') as HTMLElement).innerText);
      if (!m) return false;
      return Number(m[1]) * ({ B: 1, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 } as Record<string, number>)[m[2]] >= w + (3 << 19);
    }, bytesOf(s0.diskW), { timeout: 30_000, polling: 200 });
    await run(page, 'rm /root/z; echo removed-$((2+2))', 'removed-4');

    /* Memory in use: 16 MiB in a tmpfs is guest memory. */
    const before = bytesOf((await status(page)).mem);
    await run(page, 'mount_tmpfs tmpfs /mnt && dd if=/dev/zero of=/mnt/f bs=1m count=16 2>/dev/null; echo filled-$((3+3))', 'filled-6');
    await page.waitForFunction((b) => {
      const m = /mem ([\d.]+) (B|KiB|MiB|GiB) \//.exec((document.querySelector('[data-testid="status"]') as HTMLElement).innerText);
      return m !== null && Number(m[1]) * ({ B: 1, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 } as Record<string, number>)[m[2]] >= b + (12 << 20);
    }, before, { timeout: 30_000, polling: 200 });
    await run(page, 'rm /mnt/f; umount /mnt; echo freed-$((4+4))', 'freed-8');

    /* Load: a busy loop fills a vCPU's bar, and it drains when the loop is killed. */
    await run(page, `sh -c 'while :; do :; done' & echo spinning-$((5+5))`, 'spinning-10');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="status"] .cpubar > span')]
      .some((s) => parseFloat((s as HTMLElement).style.width) >= 50), null, { timeout: 30_000, polling: 200 });
    await run(page, 'kill $! && wait; echo stopped-$((6+6))', 'stopped-12');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="status"] .cpubar > span')]
      .every((s) => parseFloat((s as HTMLElement).style.width) < 50), null, { timeout: 30_000, polling: 200 });

    /* Network: a ping to the relay's gateway is more frames each way. */
    const n0 = await status(page);
    await run(page, 'ping -c 3 10.2.0.1 | tail -2; echo pinged-$((7+7))', 'pinged-14', 60_000);
    await page.waitForFunction(([rx, tx]) => {
      const m = /net rx (\d+) tx (\d+)/.exec((document.querySelector('[data-testid="status"]') as HTMLElement).innerText);
      return m !== null && Number(m[1]) >= rx + 3 && Number(m[2]) >= tx + 3;
    }, [n0.rx, n0.tx] as const, { timeout: 30_000, polling: 200 });
  } finally {
    await relay.close();
  }
});

test('a synced file survives closing the tab without a shutdown', { skip: noWorld }, async () => {
  const { ctx, page } = await fresh();
  await bootWorld(page);
  await run(page, 'echo closed-$((3*3)) > /root/closed; sync; echo synced-$((2*2))', 'synced-4');
  await page.close();
  /* The next tab of the profile: once the closed tab's Web Lock on the disk is gone, the disk boots. */
  const next = await ctx.newPage();
  await next.goto(url);
  await formReady(next);
  await next.waitForFunction(async () => ((await navigator.locks.query()).held ?? []).length === 0, null, { timeout: 30_000, polling: 200 });
  await next.getByTestId('boot').click();
  await login(next);
  await run(next, 'cat /root/closed', 'closed-9');
  await run(next, 'halt', 'The operating system has halted.');
  await waitState(next, 'halted', 60_000);
});

/** The page scrolls sideways? */
async function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('layout: side by side on a laptop; stacked on a phone with no sideways scrolling, console and Boot usable', { skip: noWorld }, async () => {
  /* Laptop: the console and the configuration side by side, Boot and the console above the fold. */
  const laptop = await fresh({ viewport: { width: 1366, height: 768 } });
  await laptop.page.goto(url);
  await formReady(laptop.page);
  assert.equal(await overflowX(laptop.page), 0);
  const con = (await laptop.page.getByTestId('console').boundingBox())!;
  const form = (await laptop.page.getByTestId('bootform').boundingBox())!;
  assert.ok(con.x + con.width <= form.x, `console ${JSON.stringify(con)} left of the form ${JSON.stringify(form)}`);
  assert.ok(con.y + con.height <= 768, 'the console fits the first screen');
  assert.ok(await laptop.page.getByTestId('boot').isVisible());

  /* Phone: stacked, nothing wider than the screen, Boot tapped, the console a usable terminal. */
  const { page } = await fresh({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  await page.goto(url);
  await formReady(page);
  assert.equal(await overflowX(page), 0, 'no sideways scrolling');
  const boot = (await page.getByTestId('boot').boundingBox())!;
  assert.ok(boot.x >= 0 && boot.x + boot.width <= 390 && boot.y + boot.height <= 844, `Boot on the first screen: ${JSON.stringify(boot)}`);
  const box = (await page.getByTestId('console').boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.width >= 300, `console within the screen: ${JSON.stringify(box)}`);
  const f2 = (await page.getByTestId('bootform').boundingBox())!;
  assert.ok(f2.y >= box.y + box.height, 'the form comes below the console');
  await page.getByTestId('boot').tap();
  await login(page);
  const size = await page.evaluate(() => window.vkernel.termSize());
  assert.ok(size.cols >= 30 && size.rows >= 10, `a usable terminal: ${JSON.stringify(size)}`);
  await run(page, `stty size | sed 's/^/size=/'`, `size=${size.rows} ${size.cols}`);
  assert.equal(await overflowX(page), 0, 'still no sideways scrolling with the machine running');
});

/** Drop files made in the page onto the library, as a drag from the desktop would. */
async function drop(page: Page, files: Array<{ name: string; size: number; seed: number }>): Promise<void> {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      /* Byte i of file f is (i * 31 + seed) & 0xff, written a MiB at a time. */
      const parts: BlobPart[] = [];
      for (let off = 0; off < f.size; off += 1 << 20) {
        const p = new Uint8Array(Math.min(1 << 20, f.size - off));
        for (let i = 0; i < p.length; i++) p[i] = ((off + i) * 31 + f.seed) & 0xff;
        parts.push(p);
      }
      dt.items.add(new File(parts, f.name, { type: 'application/octet-stream' }));
    }
    const target = document.querySelector('[data-testid="library"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, files);
}

test('library: drag-and-drop upload, cancelled upload, delete asks first, rename clashes, quota shown, persistence requested', async () => {
  const { page } = await fresh({ acceptDownloads: true });
  /* Record navigator.storage.persist() calls made by the page. */
  await page.addInitScript(() => {
    const w = window as unknown as { persistCalls: number };
    w.persistCalls = 0;
    const real = navigator.storage.persist.bind(navigator.storage);
    navigator.storage.persist = () => {
      w.persistCalls++;
      return real();
    };
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { persistCalls: number }).persistCalls > 0, null, { timeout: 10_000 });
  const quota = await page.evaluate(async () => (await navigator.storage.estimate()).quota ?? 0);
  await page.getByTestId('quota').waitFor();
  assert.match(await page.getByTestId('quota').innerText(), new RegExp(`^Storage: \\S+ \\S+ used of ${formatBytes(quota).replace('.', '\\.')}\\.$`));

  /* Drag and drop: the file lands in the library with its bytes. */
  const size = 700_000;
  await drop(page, [{ name: 'dropped.img', size, seed: 9 }]);
  await page.getByTestId('library-message').getByText(`Uploaded dropped.img (${formatBytes(size)})`).waitFor({ timeout: 60_000 });
  await row(page, 'dropped.img').waitFor();
  assert.equal(await row(page, 'dropped.img').locator('td').nth(2).innerText(), 'disk');
  const meta = await page.evaluate(async () => (await window.vkernel.images()).find((m) => m.name === 'dropped.img'));
  assert.ok(meta);
  assert.equal(meta.size, size);
  assert.equal(await row(page, 'dropped.img').locator('td').nth(3).innerText(),
    await page.evaluate((ms) => new Date(ms).toLocaleString(), meta.modified), 'modified time shown');
  const dl = page.waitForEvent('download', { timeout: 60_000 });
  await row(page, 'dropped.img').getByRole('button', { name: 'Download' }).click();
  const got = readFileSync(await (await dl).path());
  assert.equal(got.length, size);
  for (let i = 0; i < size; i += 4099) assert.equal(got[i], (i * 31 + 9) & 0xff, `byte ${i}`);

  /* Cancel: clicked as soon as the progress bar shows; nothing of the upload stays. */
  await page.evaluate(() => {
    const obs = new MutationObserver(() => {
      const b = document.querySelector('[data-testid="progress"] button') as HTMLButtonElement | null;
      /* Once some bytes are in: the bar then shows a speed. */
      if (b && /Uploading big\.img:\s+[1-9]/.test(b.parentElement?.textContent ?? '')) {
        obs.disconnect();
        (window as unknown as { cancelledAt: string }).cancelledAt = b.parentElement?.textContent ?? '';
        b.click();
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await drop(page, [{ name: 'big.img', size: 96 << 20, seed: 1 }]);
  await page.getByTestId('library-message').getByText('Upload of big.img cancelled').waitFor({ timeout: 120_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached' });
  /* The bar showed bytes done of the total and the speed. */
  assert.match(await page.evaluate(() => (window as unknown as { cancelledAt: string }).cancelledAt),
    /^Uploading big\.img:\s+\d+(\.\d+)? (KiB|MiB) \/ 96 MiB at [1-9]\d*(\.\d+)? (B|KiB|MiB|GiB)\/s Cancel$/);
  assert.equal(await row(page, 'big.img').count(), 0);
  const chunks = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('vkernel-images');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const n = await new Promise<number>((res, rej) => {
      const r = db.transaction('chunks').objectStore('chunks').count();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return n;
  });
  assert.equal(chunks, Math.ceil(size / (256 * 1024)), 'only dropped.img\'s chunks are stored');
  assert.deepEqual(await page.evaluate(async () => (await window.vkernel.images()).map((m) => m.name)), ['dropped.img']);

  /* Rename: to a name the library has is refused; to nothing is refused. */
  await drop(page, [{ name: 'other.img', size: 1000, seed: 2 }]);
  await row(page, 'other.img').waitFor({ timeout: 60_000 });
  await row(page, 'other.img').getByRole('button', { name: 'Rename' }).click();
  await page.getByTestId('rename-input').fill('dropped.img');
  await page.getByTestId('rename-input').press('Enter');
  await page.getByTestId('library-message').getByText('An image named dropped.img already exists').waitFor();
  /* Refused: the field stays open with what was typed. */
  assert.equal(await page.getByTestId('rename-input').inputValue(), 'dropped.img');
  await page.getByTestId('rename-input').fill('  ');
  await page.getByTestId('rename-input').press('Enter');
  await page.getByTestId('library-message').getByText('An image needs a name').waitFor();
  await page.getByTestId('rename-input').press('Escape');
  await page.getByTestId('rename-input').waitFor({ state: 'detached' });
  assert.deepEqual((await page.evaluate(async () => (await window.vkernel.images()).map((m) => m.name))).sort(), ['dropped.img', 'other.img']);

  /* Delete asks first: Cancel keeps the image; a held image cannot be deleted; confirming deletes. */
  await row(page, 'other.img').getByRole('button', { name: 'Delete' }).click();
  await row(page, 'other.img').getByText('Delete other.img?').waitFor();
  await row(page, 'other.img').getByRole('button', { name: 'Cancel' }).click();
  await row(page, 'other.img').getByRole('button', { name: 'Delete' }).waitFor();
  assert.equal(await row(page, 'other.img').count(), 1);
  await typeCmdline(page, '-m 64m -r other.img -e vfs.root.mountfrom=hostfs:/demo -e init_path=/bin/echo');
  await page.getByTestId('boot').click();
  await waitScreen(page, 'echo> ');
  await row(page, 'other.img').getByText('in use').waitFor();
  assert.equal(await row(page, 'other.img').getByRole('button', { name: 'Delete' }).isDisabled(), true);
  await page.evaluate(() => window.vkernel.type('exit\r'));
  await waitState(page, 'halted');
  await row(page, 'other.img').getByText('in use').waitFor({ state: 'detached' });
  await row(page, 'other.img').getByRole('button', { name: 'Delete' }).click();
  await row(page, 'other.img').getByTestId('delete-confirm').click();
  await row(page, 'other.img').waitFor({ state: 'detached' });
  assert.deepEqual(await page.evaluate(async () => (await window.vkernel.images()).map((m) => m.name)), ['dropped.img']);
});

test('a share link names served images by path and by URL; opened in a fresh profile it boots them', { skip: (noWorld || (!haveIso && 'no public/images/live.iso')) }, async () => {
  const { page } = await fresh();
  await page.goto(url);
  const iso = new URL('images/live.iso', url).href;
  await typeCmdline(page, `-m 128m -r /images/root.img -c ${iso}`);
  const link = await page.getByTestId('share-link').getAttribute('href');
  assert.ok(link);
  const u = new URL(link);
  assert.equal(u.searchParams.get('cmdline'), `-m 128m -r /images/root.img -c ${iso}`);
  assert.ok(u.searchParams.has('autoboot'));

  const other = await fresh();
  await other.page.goto(link);
  await login(other.page);
  assert.match(await screen(other.page), /Mounting root from ufs:vkd0/);
  await run(other.page, 'mount_cd9660 /dev/vcd0 /mnt && test -x /mnt/bin/sh && umount /mnt && echo cd-$((2*4))', 'cd-8');
  /* Both became copy-on-write overlays in the new profile's library, over their URLs. */
  const metas = await other.page.evaluate(async () => (await window.vkernel.images()).map((m) => ({ name: m.name, kind: m.kind, base: m.baseUrl })));
  assert.deepEqual(metas.sort((a, b) => a.name.localeCompare(b.name)), [
    { name: 'live.iso', kind: 'iso', base: iso },
    { name: 'root.img', kind: 'disk', base: new URL('images/root.img', url).href },
  ]);
  await run(other.page, 'halt', 'The operating system has halted.');
  await waitState(other.page, 'halted', 60_000);
});

test('window.vkernel: boot() rejects with the vkernel\'s message, waitFor() times out, state and images() answer; console bytes come in batches', async () => {
  const { page } = await fresh();
  /* Count the worker's console messages (its event port is the page's only onmessage MessagePort; Comlink listens with addEventListener). */
  await page.addInitScript(() => {
    const out = { msgs: 0, bytes: 0 };
    (window as unknown as { consoleMsgs: typeof out }).consoleMsgs = out;
    const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!;
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      get() {
        return d.get!.call(this);
      },
      set(fn: ((e: MessageEvent) => void) | null) {
        d.set!.call(this, fn && ((e: MessageEvent) => {
          const m = e.data as { type?: string; bytes?: Uint8Array };
          if (m?.type === 'output' && m.bytes) {
            out.msgs++;
            out.bytes += m.bytes.length;
          }
          fn.call(this, e);
        }));
      },
    });
  });
  await page.goto(url);
  await formReady(page);
  assert.equal(await page.evaluate(() => window.vkernel.boot('-m 65m').then(() => 'booted', (e: Error) => e.message)),
    'Bad maxmem specification: 64MB minimum, multiples of 2MB only');
  assert.equal(await page.evaluate(() => window.vkernel.state), 'off');
  assert.equal(await page.evaluate(() => window.vkernel.boot('-m 64m -r nosuch.img').then(() => 'booted', (e: Error) => e.message)),
    'vkernel: Unable to open disk image nosuch.img: no such image in the library');
  await page.evaluate(() => window.vkernel.boot('-m 64m -e init_path=/bin/hello'));
  await page.evaluate(() => window.vkernel.waitFor(/Hello from riscv64 userland/, 30_000));
  assert.equal(await page.evaluate(() => window.vkernel.waitFor('never printed', 300).then(() => 'seen', (e: Error) => e.message)),
    'waitFor(never printed): timed out');
  await waitState(page, 'halted');
  assert.deepEqual(await page.evaluate(() => window.vkernel.images()), []);
  const out = await page.evaluate(() => (window as unknown as { consoleMsgs: { msgs: number; bytes: number } }).consoleMsgs);
  assert.ok(out.bytes >= 500 && out.msgs > 0 && out.msgs * 16 <= out.bytes, `console output batched, not a message per byte: ${JSON.stringify(out)}`);
});

/* ---- the production build: vite preview, and plain static hosting ---- */

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
};

/** A static file server that sends no COOP/COEP, as plain hosting does. */
function staticServer(dir: string): Promise<{ srv: Server; url: string }> {
  const srv = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (range) {
      const start = Number(range[1]), end = Math.min(body.length - 1, range[2] ? Number(range[2]) : body.length - 1);
      res.writeHead(206, { 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': end - start + 1 });
      res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => {
    const a = srv.address();
    resolve({ srv, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

test('the production build is cross-origin isolated behind vite preview (headers) and on a plain static server (service worker)', async () => {
  const { build, preview } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'vk-e2e-audit-web-'));
  try {
    /* The world images are not needed here: leave public/images out of the copy. */
    await build({ root: ROOT, logLevel: 'silent', build: { outDir: out, emptyOutDir: true, copyPublicDir: false } });
    const { cpSync } = await import('node:fs');
    cpSync(join(ROOT, 'public', 'coi-sw.js'), join(out, 'coi-sw.js'));
    cpSync(join(ROOT, 'public', 'demo'), join(out, 'demo'), { recursive: true });

    const prev = await preview({ root: ROOT, logLevel: 'silent', build: { outDir: out }, preview: { host: '127.0.0.1', port: 0 } });
    try {
      const a = prev.httpServer.address();
      const prevUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`;
      const res = await fetch(prevUrl);
      assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
      assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
      const { page } = await fresh({ serviceWorkers: 'block' });
      await page.goto(`${prevUrl}?cmdline=${encodeURIComponent('-m 64m -e init_path=/bin/hello')}&autoboot`);
      await page.waitForFunction(() => window.vkernel !== undefined, null, { timeout: 30_000 });
      await waitScreen(page, 'Hello from riscv64 userland on the vkernel!', 60_000);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    } finally {
      await prev.close();
    }

    const st = await staticServer(out);
    try {
      const res = await fetch(st.url);
      assert.equal(res.headers.get('cross-origin-embedder-policy'), null);
      const { page } = await fresh();
      await page.goto(`${st.url}?cmdline=${encodeURIComponent('-m 64m -e init_path=/bin/hello')}&autoboot`);
      /* The service worker installs, the page reloads once isolated, and ?autoboot boots. */
      await page.waitForFunction(() => crossOriginIsolated && window.vkernel !== undefined, null, { timeout: 30_000 });
      await waitScreen(page, 'Hello from riscv64 userland on the vkernel!', 60_000);
      assert.equal(await page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null), true);
    } finally {
      await new Promise<void>((r) => st.srv.close(() => r()));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
