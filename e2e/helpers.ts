/*
 * Shared e2e setup: the demo programs built, a vite dev server on a free
 * port (cross-origin isolated, as vite.config.ts serves it), and Debian's
 * chromium driven headless by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function buildDemo(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-demo.mjs')], { stdio: 'ignore' });
}

export async function startServer(extra: InlineConfig = {}): Promise<{ server: ViteDevServer; url: string }> {
  /* No HMR: a source edited while tests run would otherwise reload the page under them. */
  const server = await createServer({ root: ROOT, logLevel: 'silent', ...extra, server: { host: '127.0.0.1', port: 0, hmr: false, ...extra.server } });
  await server.listen();
  const addr = server.httpServer!.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The terminal's text, through the page's automation API. */
export function screen(page: Page): Promise<string> {
  return page.evaluate(() => window.vkernel.screen());
}

export async function waitScreen(page: Page, text: string, timeout = 30000): Promise<void> {
  try {
    await page.waitForFunction((t) => window.vkernel.screen().includes(t), text, { timeout, polling: 100 });
  } catch (e) {
    throw new Error(`terminal never showed ${JSON.stringify(text)} (${String(e).split("\n")[0]}); it shows:\n${await screen(page)}`);
  }
}

export async function waitState(page: Page, state: string, timeout = 30000): Promise<void> {
  await page.waitForFunction((s) => window.vkernel.state === s, state, { timeout, polling: 100 });
}

/** Replace the form through the command line field (the typed-line path). */
export async function typeCmdline(page: Page, line: string): Promise<void> {
  /* Wait for the page's own defaults (the world root arrives late) so they cannot replace the line. */
  await page.waitForFunction(() => document.documentElement.dataset.formReady === '1', null, { timeout: 30_000, polling: 50 });
  const input = page.getByTestId('cmdline');
  await input.fill(line);
  await input.press('Enter');
  /* Settled: the form took the line (Apply goes disabled) or the vkernel's message is shown. */
  await page.waitForFunction(() => {
    const apply = document.querySelector('[data-testid="cmdline"]')?.parentElement?.querySelector('button');
    return (apply as HTMLButtonElement | null)?.disabled === true || document.querySelector('[data-testid="cmdline-error"]') !== null;
  }, null, { timeout: 10_000, polling: 50 });
}
