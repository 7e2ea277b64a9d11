/*
 * bin/vkernel's console over pipes, for tests that boot the world and talk
 * to it: wait for text, type, run shell command lines between markers, and
 * collect the exit status. (test/world/pty.ts is the same on a real terminal.)
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { VKERNEL } from './scriptboot.ts';

export interface ConsoleOptions {
  cwd: string;
  /** Extra environment for bin/vkernel (VKERNEL_QUIET is always dropped: the boot log is wanted). */
  env?: NodeJS.ProcessEnv;
  /** -m; 128m unless given. */
  mem?: string;
  /** How long expect() waits by default. */
  timeoutMs?: number;
}

/** The kenv that boots a host directory's world: root over hostfs, init as pid 1. */
export function hostfsWorld(root: string): string[] {
  return ['-e', `vfs.root.mountfrom=hostfs:${root}`, '-e', 'init_path=/sbin/init'];
}

export class VkConsole {
  readonly child: ChildProcess;
  /** Everything the console printed (latin1, \r\n as sent). */
  out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private mark = 0;
  private waiters: Array<() => void> = [];
  private readonly timeoutMs: number;

  constructor(args: string[], opts: ConsoleOptions) {
    const env = { ...process.env, ...opts.env };
    delete env.VKERNEL_QUIET;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.child = spawn(process.execPath, [VKERNEL, '-m', opts.mem ?? '128m', ...args],
      { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const take = (b: Buffer): void => {
      this.out += b.toString('latin1');
      this.wake();
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.child.stdin!.on('error', () => { /* the kernel is gone */ });
    this.exited = new Promise((res) => this.child.on('exit', (code, signal) => {
      res({ code, signal });
      this.wake();
    }));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Wait for text or a pattern after the cursor, which moves past it; what came before, and the match. */
  async match(want: string | RegExp, timeoutMs = this.timeoutMs): Promise<{ before: string; m: RegExpExecArray | null }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.out.slice(this.mark);
      let at = -1, len = 0, m: RegExpExecArray | null = null;
      if (typeof want === 'string') {
        at = rest.indexOf(want);
        len = want.length;
      } else if ((m = want.exec(rest)) !== null) {
        at = m.index;
        len = m[0].length;
      }
      if (at >= 0) {
        this.mark += at + len;
        return { before: rest.slice(0, at), m };
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null || this.child.signalCode !== null) {
        assert.fail(`console: no ${JSON.stringify(String(want))} within ${timeoutMs} ms; ` +
          `the console said:\n${this.out.slice(-3000)}`);
      }
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 500));
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  /** As match(); returns what came before. */
  async expect(want: string | RegExp, timeoutMs = this.timeoutMs): Promise<string> {
    return (await this.match(want, timeoutMs)).before;
  }

  type(s: string): void {
    this.child.stdin!.write(s);
  }

  /** Start a command line at a root prompt; finish() collects it. The quotes keep the echo from matching. */
  start(cmd: string): void {
    this.type(`echo @@""BEGIN; ${cmd}; echo @@END$?@@\n`);
  }

  async begun(): Promise<void> {
    await this.expect('@@BEGIN\r\n');
  }

  /** The started line's output (\n line ends) and its last command's status, once the prompt is back. */
  async finish(): Promise<{ out: string; status: number }> {
    const { before, m } = await this.match(/@@END(\d+)@@\r\n/);
    await this.expect(/root@[\w.-]+:~ # /);	// the prompt shows the hostname, which a test may change
    return { out: before.replace(/\r\n/g, '\n'), status: Number(m![1]) };
  }

  async sh(cmd: string): Promise<{ out: string; status: number }> {
    this.start(cmd);
    await this.begun();
    return this.finish();
  }

  /** Wait for bin/vkernel to exit; its status (a signal fails the test). */
  async exit(timeoutMs = 30_000): Promise<number | null> {
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const r = await this.exited;
    clearTimeout(t);
    assert.equal(r.signal, null, `vkernel killed by ${r.signal}; console:\n${this.out.slice(-2000)}`);
    return r.code;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
