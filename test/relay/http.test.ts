import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { testRelay, TestClient, BCAST, eth, until } from './helpers.ts';
import { lease } from './dhcp-client.ts';
import { originAllowed } from '../../relay/origin.ts';

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
};

function assertIsolation(headers: Record<string, string | string[] | undefined>, what: string): void {
  for (const [k, v] of Object.entries(ISOLATION)) assert.equal(headers[k], v, `${what}: ${k}`);
}

/** The HTTP status and headers of a WebSocket handshake. */
function handshake(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('upgrade', (res) => {
      resolve({ status: 101, headers: res.headers });
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
    });
    ws.once('error', reject);
  });
}

test('http: /status and /healthz carry COOP/COEP/CORP; so do handshakes, accepted or refused', async () => {
  const r = await testRelay();
  try {
    const base = `http://127.0.0.1:${r.relay.port}`;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    assertIsolation(Object.fromEntries(health.headers), '/healthz');
    const st = await fetch(`${base}/status`);
    assertIsolation(Object.fromEntries(st.headers), '/status');
    assert.match(st.headers.get('content-type') ?? '', /application\/json/);
    const other = await fetch(`${base}/nothing-here`);
    assert.equal(other.status, 426);
    assertIsolation(Object.fromEntries(other.headers), '426');
    const ok = await handshake(r.url('x'), {});
    assert.equal(ok.status, 101);
    assertIsolation(ok.headers, '101');
    const refused = await handshake(r.url('x'), { Origin: 'https://evil.example' });
    assert.equal(refused.status, 403);
    assertIsolation(refused.headers, '403');
  } finally {
    await r.close();
  }
});

test('http: the default origin policy allows no-Origin clients, localhost and the same host only', async () => {
  const r = await testRelay();
  try {
    const u = r.url('o');
    assert.equal((await handshake(u, {})).status, 101);
    assert.equal((await handshake(u, { Origin: 'http://localhost:5173' })).status, 101);
    assert.equal((await handshake(u, { Origin: 'http://127.0.0.1:8080' })).status, 101);
    /* On loopback, Origin == Host can only be DNS rebinding: refused. */
    assert.equal((await handshake(u, { Origin: 'https://relay.example', Host: `relay.example:${r.relay.port}` })).status, 403);
    assert.equal((await handshake(u, { Origin: 'https://evil.example', Host: `relay.example:${r.relay.port}` })).status, 403);
    assert.equal((await handshake(u, { Origin: 'null' })).status, 403);
    const res = await fetch(`http://127.0.0.1:${r.relay.port}/status`, { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal((await r.status()).totals.rejected['origin not allowed'], 3);
    /* A relay on a public address accepts pages from its own host name, on any port. */
    assert.equal(originAllowed('https://relay.example', 'relay.example:8086', undefined, true), true);
    assert.equal(originAllowed('https://evil.example', 'relay.example:8086', undefined, true), false);
    assert.equal(originAllowed('http://app.localhost:5173', 'relay.example:8086', undefined, true), true);
    assert.equal(originAllowed('not a url', 'relay.example:8086', undefined, true), false);
  } finally {
    await r.close();
  }
});

test('http: --allow-origin replaces the default list; * allows any', async () => {
  const r = await testRelay({ allowOrigins: ['https://app.example'] });
  const any = await testRelay({ allowOrigins: ['*'] });
  try {
    assert.equal((await handshake(r.url(), { Origin: 'https://app.example' })).status, 101);
    assert.equal((await handshake(r.url(), { Origin: 'http://localhost:5173' })).status, 403);
    assert.equal((await handshake(r.url(), {})).status, 101, 'non-browser clients send no Origin');
    assert.equal((await handshake(any.url(), { Origin: 'https://anything.example' })).status, 101);
  } finally {
    await r.close();
    await any.close();
  }
});

test('http: /status lists rooms, clients, traffic, drops, MACs and leases', async () => {
  const r = await testRelay();
  const a = await TestClient.connect(r.url('bridge0'));
  const b = await TestClient.connect(r.url('bridge0'));
  try {
    const M = '02:00:00:00:50:01';
    const got = await lease(a, M, 4242);
    a.send(Buffer.alloc(3)); // a runt, to see a drop
    b.send(eth(BCAST, '02:00:00:00:50:02', 0x88b5));
    await a.next((f) => f.readUInt16BE(12) === 0x88b5);
    await until(async () => (await r.status()).totals.drops.runt === 1, 'runt counted');
    const st = await r.status();
    assert.equal(st.totals.rooms, 1);
    assert.equal(st.totals.clients, 2);
    assert.equal(st.network.cidr, '10.2.0.0/16');
    assert.equal(st.network.gateway, '10.2.0.1');
    const room = st.rooms[0];
    assert.equal(room.name, 'bridge0');
    const ca = room.clients.find((c) => c.macs.includes(M))!;
    assert.match(ca.id, /^c\d+$/);
    assert.match(ca.remote, /^127\.0\.0\.1:\d+$/);
    assert.ok(!Number.isNaN(Date.parse(ca.connectedSince)));
    assert.equal(ca.framesIn, 3);
    assert.ok(ca.framesOut >= 3, 'offer, ack and b\'s frame');
    assert.ok(ca.bytesIn > 500 && ca.bytesOut > 600, `bytes ${ca.bytesIn}/${ca.bytesOut}`);
    assert.deepEqual(ca.drops, { runt: 1 });
    assert.deepEqual(room.leases, [{ ...room.leases[0], mac: M, ip: got.ip, state: 'bound' }]);
    assert.ok(room.macTable.some((e) => e.mac === M && e.port === ca.id));
    assert.equal(room.lossy, null);
  } finally {
    a.close();
    b.close();
    await r.close();
  }
});

test('http: non-GET methods are refused', async () => {
  const r = await testRelay();
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: r.relay.port, path: '/status', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(code, 405);
  } finally {
    await r.close();
  }
});
