import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { testRelay, TestClient, BCAST, GW_MAC, eth, icmpEcho, ipv4, isIpProto, sleep, until } from './helpers.ts';

const A = '02:00:00:00:40:01';
const B = '02:00:00:00:40:02';
const ping = (src: string, seq: number): Buffer => eth(GW_MAC, src, 0x0800, ipv4('10.2.0.9', '10.2.0.1', 1, icmpEcho(1, seq, Buffer.from('p'))));

test('limits: a frame flood is rate-limited, the relay and other rooms keep working', async () => {
  const r = await testRelay({ fps: 100, bps: 100_000 });
  const a = await TestClient.connect(r.url('flood'));
  const b = await TestClient.connect(r.url('flood'));
  const other = await TestClient.connect(r.url('quiet'));
  try {
    const frame = eth(BCAST, A, 0x88b5, Buffer.alloc(100));
    for (let i = 0; i < 2000; i++) a.send(frame);
    other.send(ping(B, 1));
    await other.next((f) => isIpProto(f, 1), 2000);
    await until(async () => (await r.status()).totals.framesIn >= 2001, 'all frames counted', 5000);
    const got = await b.drain(50);
    const st = await r.status();
    const drops = st.totals.drops['rate-fps'] ?? 0;
    assert.ok(got.length >= 100 && drops > 0, `delivered ${got.length}, dropped ${drops}`);
    assert.equal(got.length + drops, 2000);
    assert.ok(r.logs.some((l) => l.event === 'limit' && l.limit === 'rate-fps'));
    /* bytes/s: 100 frames of 1500 bytes overrun a 64 KiB burst */
    const big = eth(BCAST, B, 0x88b5, Buffer.alloc(1486));
    for (let i = 0; i < 100; i++) b.send(big);
    await until(async () => ((await r.status()).totals.drops['rate-bps'] ?? 0) > 0, 'bps drops');
    assert.equal(a.closed, undefined, 'one burst is not abuse');
  } finally {
    [a, b, other].forEach((c) => c.close());
    await r.close();
  }
});

test('limits: sustained abuse closes the connection with 1008', async () => {
  const r = await testRelay({ fps: 50, abuseSeconds: 1 });
  const a = await TestClient.connect(r.url());
  try {
    const frame = eth(BCAST, A, 0x88b5);
    for (let round = 0; round < 40 && !a.closed; round++) {
      for (let i = 0; i < 100; i++) a.send(frame);
      await sleep(100);
    }
    const closed = await a.waitClosed();
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /abuse/);
    assert.ok(r.logs.some((l) => l.event === 'disconnect' && /abuse/.test(String(l.reason))));
  } finally {
    a.close();
    await r.close();
  }
});

test('limits: oversize, runt and text frames are dropped and counted; a huge message is refused', async () => {
  const r = await testRelay({ maxFrame: 256 });
  const a = await TestClient.connect(r.url());
  const b = await TestClient.connect(r.url());
  try {
    a.send(eth(BCAST, A, 0x88b5, Buffer.alloc(257 - 14)));
    a.send(Buffer.alloc(13));
    a.send(Buffer.alloc(0));
    a.ws.send('a text message');
    a.send(eth(BCAST, A, 0x88b5, Buffer.alloc(256 - 14)));
    assert.equal((await b.next()).length, 256, 'max-size frame passes');
    assert.deepEqual(await b.drain(50), []);
    const st = await r.status();
    assert.deepEqual(st.totals.drops, { oversize: 1, runt: 2, text: 1 });
    assert.equal(a.closed, undefined);
    a.send(Buffer.alloc(1 << 20)); // above maxPayload: ws refuses it without buffering
    assert.equal((await a.waitClosed()).code, 1009);
    b.send(eth(BCAST, B, 0x88b5));
    await sleep(20);
    assert.equal((await r.status()).totals.clients, 1);
  } finally {
    a.close();
    b.close();
    await r.close();
  }
});

test('limits: clients per room and rooms in total', async () => {
  const r = await testRelay({ clientsPerRoom: 2, maxRooms: 2 });
  const cs: TestClient[] = [];
  try {
    cs.push(await TestClient.connect(r.url('r1')), await TestClient.connect(r.url('r1')));
    await assert.rejects(TestClient.connect(r.url('r1')), /HTTP 503/);
    cs.push(await TestClient.connect(r.url('r2')));
    await assert.rejects(TestClient.connect(r.url('r3')), /HTTP 503/, 'third room while two are in use');
    cs[2].close();
    await until(async () => (await r.status()).totals.clients === 2, 'r2 to empty');
    cs.push(await TestClient.connect(r.url('r3'))); // the empty room r2 makes way
    const st = await r.status();
    assert.deepEqual(st.rooms.map((x) => x.name).sort(), ['r1', 'r3']);
    assert.equal(st.totals.rejected['room full'], 1);
    assert.equal(st.totals.rejected['too many rooms'], 1);
    await assert.rejects(TestClient.connect(r.url('bad%20name')), /HTTP 404/);
    await assert.rejects(TestClient.connect(r.url('a/b')), /HTTP 404/);
  } finally {
    cs.forEach((c) => c.close());
    await r.close();
  }
});

test('limits: idle clients are closed; pings keep a client alive', async () => {
  const r = await testRelay({ idleTimeout: 0.3 });
  const idle = await TestClient.connect(r.url());
  const pinger = await TestClient.connect(r.url());
  const talker = await TestClient.connect(r.url()); // a browser cannot ping: it sends keepalive frames
  const timer = setInterval(() => {
    pinger.ws.ping();
    talker.send(eth(GW_MAC, B, 0x88b5, Buffer.alloc(0)));
  }, 50);
  try {
    const closed = await idle.waitClosed(3000);
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, 'idle timeout');
    assert.equal(pinger.closed, undefined);
    assert.equal(talker.closed, undefined);
    assert.deepEqual(await pinger.drain(0), [], 'keepalive frames to the gateway are absorbed, not flooded');
    assert.ok(r.logs.some((l) => l.event === 'disconnect' && l.reason === 'idle timeout'));
  } finally {
    clearInterval(timer);
    idle.close();
    pinger.close();
    talker.close();
    await r.close();
  }
});

test('limits: a client that stops reading loses frames instead of making the relay buffer them', async () => {
  const r = await testRelay({ fps: 100_000, bps: 1_000_000_000 });
  const sender = await TestClient.connect(r.url('slow'));
  /* A hand-made WebSocket client that completes the handshake and then never reads. */
  const sock = connect(r.relay.port, '127.0.0.1');
  try {
    sock.write(`GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await new Promise<void>((res) => sock.once('data', () => res()));
    sock.pause();
    await until(async () => (await r.status()).totals.clients === 2, 'stalled client joined');
    const big = eth(BCAST, A, 0x88b5, Buffer.alloc(1486));
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 500; i++) sender.send(big);
      await sleep(20);
      const st = await r.status();
      if ((st.totals.drops.backpressure ?? 0) > 0) break;
    }
    const st = await r.status();
    const stalled = st.rooms[0].clients.find((c) => c.macs.length === 0)!;
    assert.ok((stalled.drops.backpressure ?? 0) > 0, 'backpressure drops counted');
    assert.ok(stalled.bytesOut < 40 * 500 * 1500, 'the relay stopped queueing');
  } finally {
    sock.destroy();
    sender.close();
    await r.close();
  }
});
