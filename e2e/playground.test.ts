/*
 * The page boots the riscv64 demo programs (public/demo, built from demo/)
 * in the kernel worker and shows them in xterm; typing reaches the guest;
 * the controls act; the boot form and the command line fill each other and
 * flag bad values with the vkernel's own messages.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { buildDemo, launch, startServer, typeCmdline, waitScreen, waitState, screen } from './helpers.ts';

let server: ViteDevServer;
let browser: Browser;
let url: string;

before(async () => {
  buildDemo();
  ({ server, url } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function bootPage(cmdline: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await typeCmdline(page, cmdline);
  await page.getByTestId('boot').click();
  return page;
}

test('the hello demo boots and halts, its output in the terminal', async () => {
  const page = await bootPage('-m 64m -e init_path=/bin/hello');
  await waitScreen(page, 'Hello from riscv64 userland on the vkernel!');
  await waitState(page, 'halted');
  const text = await screen(page);
  assert.match(text, /Mounting root from hostfs:\/demo/);
  assert.match(text, /uname: Linux \S+ riscv64/);
  assert.match(text, /The operating system has halted\./);
  assert.match(await page.getByTestId('state').innerText(), /halted \(status 0\)/);
  await page.close();
});

test('typing reaches an interactive program; Break enters ddb; Reboot; Shutdown halts', async () => {
  const page = await bootPage('-m 64m -e init_path=/bin/echo');
  await waitScreen(page, 'echo> ');
  await page.getByTestId('console').click();
  await page.keyboard.type('hello kernel');
  await page.keyboard.press('Enter');
  await waitScreen(page, 'HELLO KERNEL');
  await page.getByRole('button', { name: 'Break' }).click();
  await waitScreen(page, 'db> ');
  /* ddb has the console: c(ontinue) gives the machine back. */
  await page.evaluate(() => window.vkernel.type('c\r'));
  await page.evaluate(() => window.vkernel.type('again\r'));
  await waitScreen(page, 'AGAIN');
  /* Reboot: the kernel goes down and comes back up in the same worker. */
  await page.getByRole('button', { name: 'Reboot' }).click();
  await page.waitForFunction(() => window.vkernel.screen().split('Mounting root from').length === 3, null, { timeout: 30000 });
  await page.waitForFunction(() => window.vkernel.screen().trimEnd().endsWith('echo>'), null, { timeout: 30000 });
  await waitState(page, 'running');
  await page.getByRole('button', { name: 'Shutdown' }).click();
  await waitState(page, 'halted');
  assert.match(await screen(page), /Caught SIGTERM from host system\. Shutting down\.\.\./);
  await page.close();
});

test('the guessing game answers through the tty', async () => {
  const page = await bootPage('-m 64m -e init_path=/bin/guess');
  await waitScreen(page, 'guess> ');
  await page.evaluate(() => window.vkernel.type('abc\r'));
  await waitScreen(page, 'That is not a number.');
  /* Binary search: the game says low or high until it says Correct. */
  const answers = async (): Promise<string[]> => (await screen(page)).match(/too low|too high|Correct/g) ?? [];
  let lo = 1, hi = 100;
  for (let i = 0; i < 8; i++) {
    const g = Math.floor((lo + hi) / 2);
    const before = (await answers()).length;
    await page.evaluate((t) => window.vkernel.type(t), `${g}\r`);
    let got: string[] = [];
    for (let t = 0; t < 200 && got.length <= before; t++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await answers();
    }
    const last = got[got.length - 1];
    if (last === 'Correct') break;
    if (last === 'too low') lo = g + 1;
    else hi = g - 1;
  }
  await waitScreen(page, 'Correct!');
  await waitState(page, 'halted');
  await page.close();
});

test('Power off stops the machine at once, after a warning', async () => {
  const page = await bootPage('-m 64m -e init_path=/bin/echo');
  await waitScreen(page, 'echo> ');
  await page.getByTestId('poweroff').click();
  await page.getByText('Data the guest has not synced is lost').waitFor();
  await page.getByTestId('poweroff-confirm').click();
  await waitState(page, 'off');
  await page.close();
});

test('command line and form fill each other; bad values carry the vkernel’s messages', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await typeCmdline(page, 'vkernel -sv -m 256m -n 4:1:1 -l map,0 -r disk.img:SER1 -c cd.iso -I auto:bridge3=52:54:00:12:34:56 -e init_path=/bin/sh -e a=b');
  assert.equal(await page.getByTestId('mem').inputValue(), '256m');
  assert.equal(await page.getByTestId('ncpus').inputValue(), '4');
  assert.equal(await page.getByTestId('disk-0').inputValue(), 'disk.img');
  assert.equal(await page.getByTestId('disk-1').inputValue(), 'cd.iso');
  assert.equal(await page.getByTestId('net-0-iface').inputValue(), 'auto');
  assert.equal(await page.getByTestId('env-0').inputValue(), 'init_path=/bin/sh');
  /* Back out: the live command line is formatCmdline of what the form holds. */
  assert.equal(await page.getByTestId('cmdline').inputValue(),
    'vkernel -sv -m 256m -n 4:1:1 -l map -r disk.img:SER1 -c cd.iso -I auto:bridge3=52:54:00:12:34:56 -e init_path=/bin/sh -e a=b');
  await page.getByTestId('mem').fill('65m');
  await page.getByTestId('mem-error').waitFor();
  assert.equal(await page.getByTestId('mem-error').innerText(), 'Bad maxmem specification: 64MB minimum, multiples of 2MB only');
  assert.equal(await page.getByTestId('boot').isDisabled(), true);
  await page.getByTestId('mem').fill('512m');
  assert.match(await page.getByTestId('cmdline').inputValue(), / -m 512m /);
  await page.getByTestId('ncpus').fill('17');
  assert.equal(await page.getByTestId('ncpus-error').innerText(), 'Bad ncpus, valid range is 1-16');
  await page.getByTestId('ncpus').fill('2');
  await typeCmdline(page, '-m 64m -x');
  assert.equal(await page.getByTestId('cmdline-error').innerText(), 'vkernel: illegal option -- x');
  await typeCmdline(page, '-m 64m -I auto:1.2.3.999');
  assert.equal(await page.getByTestId('cmdline-error').innerText(), 'Invalid pseudo netif address: 1.2.3.999');
  /* The share link carries the line; opening it fills the form the same way. */
  await typeCmdline(page, '-m 96m -e init_path=/bin/hello');
  const link = await page.getByTestId('share-link').getAttribute('href');
  assert.ok(link);
  await page.goto(link);
  await waitScreen(page, 'Hello from riscv64');
  assert.equal(await page.getByTestId('mem').inputValue(), '96m');
  await page.close();
});

test('resizing the page resizes the guest tty: TIOCGWINSZ and SIGWINCH', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.goto(url);
  await typeCmdline(page, '-m 64m -e init_path=/bin/echo');
  await page.getByTestId('boot').click();
  await waitScreen(page, 'echo> ');
  const size = async (): Promise<{ rows: number; cols: number }> => page.evaluate(() => window.vkernel.termSize());
  let s = await size();
  await page.evaluate(() => window.vkernel.type('size\r'));
  await waitScreen(page, `rows ${s.rows} cols ${s.cols}`);
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.waitForFunction((c) => window.vkernel.termSize().cols !== c, s.cols);
  await waitScreen(page, '[SIGWINCH]');
  s = await size();
  await page.evaluate(() => window.vkernel.type('size\r'));
  await waitScreen(page, `rows ${s.rows} cols ${s.cols}`);
  await page.close();
});
