/*
 * bin/vkernel on a real terminal for the tests: a pty made by script(1), so
 * the host side goes raw as it would for a user, and the console is driven
 * by keystrokes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';

const VKERNEL = join(REPO, 'bin', 'vkernel');
export const noScript = spawnSync('script', ['--version']).status !== 0;

export interface Term {
  /** Everything the terminal showed, "\r\n" folded to "\n". */
  text(): string;
  /** Type bytes at the keyboard. */
  type(s: string): void;
  /** Wait until the text after `from` matches re; returns the text from `from` on. */
  until(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  kill(): void;
}

export function terminal(args: string[], cwd: string): Term {
  const cmd = [process.execPath, VKERNEL, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let raw = '';
  child.stdout.on('data', (d: Buffer) => { raw += d.toString('utf8'); });
  const text = (): string => raw.replace(/\r+\n/g, '\n');
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return {
    text,
    type: (s) => { child.stdin.write(s); },
    async until(re, from = 0, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while (!re.test(text().slice(from)) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      assert.match(text().slice(from), re, `waiting for ${re}`);
      return text().slice(from);
    },
    exited,
    kill: () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } },
  };
}

/** At a root shell prompt: type a command line, wait for the next prompt, return what came between. */
export async function shellLine(t: Term, line: string, timeoutMs?: number): Promise<string> {
  const from = t.text().length;
  t.type(`${line}\r`);
  return t.until(/\n\S+@\S+:\S+ # $/, from, timeoutMs);
}
