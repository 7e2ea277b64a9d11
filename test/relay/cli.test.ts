import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseCli, parseLossy, EX_USAGE } from '../../relay/cli.ts';
import { OptionError, resolveOptions } from '../../relay/options.ts';
import { TestClient } from './helpers.ts';

const VKNETD = join(import.meta.dirname, '..', '..', 'bin', 'vknetd');

test('cli: options map onto startRelay options', () => {
  const r = parseCli(['-p', '9000', '-a', '0.0.0.0', '--network', '10.5.0.0/16', '--gateway', '10.5.0.1', '--no-dhcp',
    '--allow-origin', 'https://a.example', '--allow-origin', 'https://b.example', '--max-frame', '1600', '--fps', '500',
    '--bps', '1000000', '--clients-per-room', '8', '--idle-timeout', '30', '--lossy', 'drop=0.1,dup=0.05,reorder=0.1,seed=1', '-v']);
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  const o = r.options;
  assert.equal(o.port, 9000);
  assert.equal(o.host, '0.0.0.0');
  assert.equal(o.network, '10.5.0.0/16');
  assert.equal(o.dhcp, false);
  assert.deepEqual(o.allowOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(o.maxFrame, 1600);
  assert.equal(o.fps, 500);
  assert.equal(o.bps, 1_000_000);
  assert.equal(o.clientsPerRoom, 8);
  assert.equal(o.idleTimeout, 30);
  assert.deepEqual(o.lossy, { drop: 0.1, dup: 0.05, reorder: 0.1, seed: 1 });
  assert.equal(o.logLevel, 'debug');
  assert.deepEqual(parseCli(['-h']), { kind: 'help' });
  assert.deepEqual(parseLossy('drop=0.5'), { drop: 0.5, dup: 0, reorder: 0, seed: 1 });
});

test('cli: bad options are OptionErrors', () => {
  for (const argv of [['--bogus'], ['-p'], ['-p', 'x'], ['--lossy', 'drop=lots'], ['extra']]) {
    assert.throws(() => parseCli(argv), OptionError, argv.join(' '));
  }
  for (const o of [{ network: '10.2.0.1/16' }, { network: '10.0.0.0/31' }, { gateway: '192.168.1.1' }, { port: 70000 },
    { maxFrame: 10 }, { lossy: { drop: 2, dup: 0, reorder: 0, seed: 1 } }, { poolStart: '10.2.9.9', poolEnd: '10.2.0.9' }]) {
    assert.throws(() => resolveOptions(o), OptionError, JSON.stringify(o));
  }
});

test('cli: bin/vknetd exits 64 with a usage line on bad options', () => {
  const r = spawnSync(process.execPath, [VKNETD, '--fps', 'many'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, EX_USAGE);
  assert.match(r.stderr, /^vknetd: --fps: not a number/m);
  assert.match(r.stderr, /^usage: vknetd /m);
});

test('cli: bin/vknetd serves, and SIGTERM closes clients with 1001 and exits 0', async () => {
  const p = spawn(process.execPath, [VKNETD, '-p', '0', '-a', '127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line: ${log}`)), 20000);
      p.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /"url":"(ws:\/\/[^"]+)"/.exec(log);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    const c = await TestClient.connect(`${url}bridge0`);
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    p.kill('SIGTERM');
    const closed = await c.waitClosed(5000);
    assert.equal(closed.code, 1001);
    assert.equal(await exited, 0);
    const events = log.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    assert.deepEqual(events.map((e) => e.event), ['listening', 'room-created', 'connect', 'disconnect', 'stopped']);
  } finally {
    p.kill('SIGKILL');
  }
});
