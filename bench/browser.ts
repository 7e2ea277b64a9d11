/*
 * The playground in the tab: page load → demo prompt (cold, then warm), and
 * UFS throughput of a root disk from the IndexedDB library (demo/ddtest.c).
 *   node --import tsx bench/browser.ts
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemo, launch, ROOT, startServer, waitScreen } from '../e2e/helpers.ts';
import { buildImage } from '../tools/makefs.ts';

buildDemo();
const stage = join(ROOT, 'build', 'bench-root');
for (const d of ['dev', 'tmp']) mkdirSync(join(stage, d), { recursive: true });
cpSync(join(ROOT, 'public', 'demo', 'bin'), join(stage, 'bin'), { recursive: true });
const imagePath = join(ROOT, 'build', 'bench.img');
writeFileSync(imagePath, buildImage(stage, { wrap: 'mbr', size: 40 << 20, epoch: 0 }));

const { server, url } = await startServer();
const browser = await launch();
const page = await browser.newPage();
const link = `${url}?cmdline=${encodeURIComponent('-m 64m -e init_path=/bin/echo')}&autoboot`;
for (const label of ['cold', 'warm']) {
  const t0 = Date.now();
  await page.goto(link);
  await waitScreen(page, 'echo> ');
  console.log(`page load → prompt (${label}): ${Date.now() - t0} ms`);
}
if (existsSync(join(ROOT, 'public', 'images', 'root.img'))) {
  /* The world: page load → login prompt, first visit (overlay created) and a later one. */
  for (const label of ['first visit', 'warm']) {
    const t0 = Date.now();
    await page.goto(`${url}?autoboot`);
    await waitScreen(page, 'login: ', 60000);
    console.log(`page load → login prompt (${label}): ${Date.now() - t0} ms`);
    /* A clean halt (the SIGTERM path), so the next boot's rc does not run fsck. */
    await page.evaluate(() => window.vkernel.shutdown());
    await waitScreen(page, 'The operating system has halted.', 60000);
    await page.waitForFunction(() => window.vkernel.state === 'halted' || window.vkernel.state === 'off', null, { timeout: 60000 });
  }
}
await page.goto(url);
const chooser = page.waitForEvent('filechooser');
await page.getByRole('button', { name: 'Upload…' }).click();
await (await chooser).setFiles(imagePath);
await page.locator('[data-name="bench.img"]').waitFor();
await page.evaluate(() => window.vkernel.boot('-m 128m -r bench.img -e init_path=/bin/ddtest'));
await waitScreen(page, 'ufs read:', 120000);
for (const l of (await page.evaluate(() => window.vkernel.screen())).split('\n')) if (/^ufs /.test(l)) console.log(l);
await server.close();

/* What users of a deployment get: the production build (vite build) behind `vite preview`. */
if (existsSync(join(ROOT, 'public', 'images', 'root.img'))) {
  const { build, preview } = await import('vite');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir: join(ROOT, 'build', 'bench-web'), emptyOutDir: true } });
  const prod = await preview({ root: ROOT, logLevel: 'silent', build: { outDir: join(ROOT, 'build', 'bench-web') }, preview: { host: '127.0.0.1', port: 0 } });
  const addr = prod.httpServer.address();
  if (addr === null || typeof addr === 'string') throw new Error('preview: no address');
  const prodUrl = `http://127.0.0.1:${addr.port}/`;
  const tab = await (await browser.newContext()).newPage();
  for (const label of ['first visit', 'warm']) {
    const t0 = Date.now();
    await tab.goto(`${prodUrl}?autoboot`);
    await waitScreen(tab, 'login: ', 60000);
    console.log(`production build: page load → login prompt (${label}): ${Date.now() - t0} ms`);
    await tab.evaluate(() => window.vkernel.shutdown());
    await waitScreen(tab, 'The operating system has halted.', 60000);
    await tab.waitForFunction(() => window.vkernel.state === 'halted' || window.vkernel.state === 'off', null, { timeout: 60000 });
  }
  await prod.close();
}
await browser.close();
