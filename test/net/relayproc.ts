/*
 * bin/vknetd as a child process, for end-to-end tests that want the real
 * relay program (its CLI, its own event loop) rather than startRelay() in
 * the test's process: start it on a free port, read /status, and check that
 * it is still alive (it must never crash on what the tests throw at it).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';
import type { TrafficDoc } from '../relay/helpers.ts';

export const VKNETD = join(REPO, 'bin', 'vknetd');

export interface LossyDoc {
  drop: number;
  dup: number;
  reorder: number;
  seed: number;
  seen: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}


export interface RelayStatus {
  totals: TrafficDoc & { rooms: number; clients: number; connections: number };
  rooms: Array<{ name: string; clients: Array<TrafficDoc & { id: string; macs: string[] }>; lossy: LossyDoc | null }>;
}

export class RelayProc {
  readonly child: ChildProcess;
  /** Its log (JSON lines on stderr). */
  log = '';
  port = 0;

  private constructor(args: string[]) {
    this.child = spawn(process.execPath, [VKNETD, '-p', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => (this.log += b.toString()));
    this.child.stderr!.on('data', (b: Buffer) => (this.log += b.toString()));
  }

  /** Start bin/vknetd with `args` (after -p 0); resolves once it listens. */
  static async start(args: string[] = []): Promise<RelayProc> {
    const r = new RelayProc(args);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const m = /"event":"listening","url":"ws:\/\/[^"]*:(\d+)\//.exec(r.log);
      if (m) {
        r.port = Number(m[1]);
        return r;
      }
      if (r.child.exitCode !== null || Date.now() > deadline) {
        r.stop();
        assert.fail(`vknetd did not start:\n${r.log}`);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  url(room: string): string {
    return `ws://127.0.0.1:${this.port}/${room}`;
  }

  async status(): Promise<RelayStatus> {
    const res = await fetch(`http://127.0.0.1:${this.port}/status`);
    assert.equal(res.status, 200);
    return (await res.json()) as RelayStatus;
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Log records at level error (a parser that threw, say). */
  errors(): string[] {
    return this.log.split('\n').filter((l) => l.includes('"level":"error"'));
  }

  stop(): void {
    if (this.alive()) this.child.kill('SIGKILL');
  }
}
