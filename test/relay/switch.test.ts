import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRelay, TestClient, eth, macStr, BCAST, GW_MAC, until } from './helpers.ts';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const C = '02:00:00:00:00:0c';
const T = 0x88b5; // IEEE local experimental ethertype
const tagged = (dst: string, src: string, tag: string): Buffer => eth(dst, src, T, Buffer.from(tag.padEnd(46, '.')));
const tagOf = (f: Buffer): string => f.subarray(14).toString().replace(/\.+$/, '');

test('switch: floods broadcast and unknown unicast, learns, then delivers unicast to one port', async () => {
  const r = await testRelay();
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => TestClient.connect(r.url('lab'))));
  try {
    a.send(tagged(BCAST, A, 'hello-all'));
    assert.equal(tagOf(await b.next()), 'hello-all');
    assert.equal(tagOf(await c.next()), 'hello-all');
    b.send(tagged(A, B, 'b-to-a'));
    const got = await a.next();
    assert.equal(tagOf(got), 'b-to-a');
    assert.equal(macStr(got, 6), B);
    a.send(tagged(C, A, 'a-to-unknown-c')); // C not learned yet: flooded
    assert.equal(tagOf(await b.next()), 'a-to-unknown-c');
    assert.equal(tagOf(await c.next()), 'a-to-unknown-c');
    c.send(tagged(A, C, 'c-to-a'));
    await a.next();
    a.send(tagged(C, A, 'a-to-c'));
    assert.equal(tagOf(await c.next()), 'a-to-c');
    assert.deepEqual(await b.drain(100), [], 'b must not see unicast for c');
    assert.deepEqual(await a.drain(0), [], 'a never hears its own frames');
    const st = await r.status();
    const room = st.rooms.find((x) => x.name === 'lab')!;
    assert.deepEqual(room.macTable.map((e) => e.mac).sort(), [A, B, C, GW_MAC].sort());
  } finally {
    [a, b, c].forEach((x) => x.close());
    await r.close();
  }
});

test('switch: rooms are isolated, and the same MAC may live in two rooms', async () => {
  const r = await testRelay();
  const a = await TestClient.connect(r.url('bridge0'));
  const b = await TestClient.connect(r.url('bridge0'));
  const d = await TestClient.connect(r.url('bridge1'));
  const e = await TestClient.connect(r.url());
  try {
    d.send(tagged(BCAST, A, 'same-mac-other-room'));
    a.send(tagged(BCAST, A, 'room0'));
    assert.equal(tagOf(await b.next()), 'room0');
    assert.deepEqual(await d.drain(100), []);
    assert.deepEqual(await e.drain(0), []);
    assert.deepEqual(await b.drain(0), [], 'bridge1 traffic must not reach bridge0');
    const st = await r.status();
    assert.deepEqual(st.rooms.map((x) => x.name).sort(), ['bridge0', 'bridge1', 'default']);
    assert.equal(st.totals.drops.spoof ?? 0, 0);
  } finally {
    [a, b, d, e].forEach((x) => x.close());
    await r.close();
  }
});

test('switch: MAC entries age out, then the address floods and may move', async () => {
  const r = await testRelay({ macAging: 0.2 });
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => TestClient.connect(r.url('age'))));
  try {
    a.send(tagged(BCAST, A, 'learn-a'));
    await b.next();
    await c.next();
    b.send(tagged(A, B, 'fresh'));
    assert.equal(tagOf(await a.next()), 'fresh');
    assert.deepEqual(await c.drain(50), [], 'learned: unicast only');
    await new Promise((res) => setTimeout(res, 300));
    b.send(tagged(A, B, 'aged'));
    assert.equal(tagOf(await a.next()), 'aged');
    assert.equal(tagOf(await c.next()), 'aged', 'aged entry: flooded again');
    c.send(tagged(BCAST, A, 'c-takes-a')); // allowed now that a's entry is gone
    assert.equal(tagOf(await b.next()), 'c-takes-a');
    const st = await r.status();
    assert.equal(st.totals.drops.spoof ?? 0, 0);
  } finally {
    [a, b, c].forEach((x) => x.close());
    await r.close();
  }
});

test('switch: a port may not send with another port\'s MAC or the gateway\'s', async () => {
  const r = await testRelay();
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => TestClient.connect(r.url('spoof'))));
  try {
    a.send(tagged(BCAST, A, 'a-owns-A'));
    await b.next();
    await c.next();
    b.send(tagged(BCAST, A, 'b-pretends-A'));
    b.send(tagged(BCAST, GW_MAC, 'b-pretends-gw'));
    b.send(tagged(C, A, 'b-steals'));
    assert.deepEqual(await c.drain(100), []);
    assert.deepEqual(await a.drain(0), []);
    const st = await r.status();
    const bDoc = st.rooms[0].clients.find((x) => x.macs.length === 0)!;
    assert.equal(bDoc.drops.spoof, 3);
    assert.ok(r.logs.some((l) => l.event === 'spoof-drop' && l.mac === A));
    /* a still receives its own traffic */
    c.send(tagged(A, C, 'to-real-a'));
    assert.equal(tagOf(await a.next()), 'to-real-a');
  } finally {
    [a, b, c].forEach((x) => x.close());
    await r.close();
  }
});

test('switch: MACs per port are limited, group and zero sources refused, a leaver\'s MAC is freed', async () => {
  const r = await testRelay({ macsPerPort: 2 });
  const a = await TestClient.connect(r.url('lim'));
  const b = await TestClient.connect(r.url('lim'));
  try {
    a.send(tagged(BCAST, '02:00:00:00:01:01', 'm1'));
    a.send(tagged(BCAST, '02:00:00:00:01:02', 'm2'));
    a.send(tagged(BCAST, '02:00:00:00:01:03', 'm3'));
    a.send(tagged(BCAST, '01:00:5e:00:00:01', 'multicast-src'));
    a.send(tagged(BCAST, '00:00:00:00:00:00', 'zero-src'));
    assert.equal(tagOf(await b.next()), 'm1');
    assert.equal(tagOf(await b.next()), 'm2');
    assert.deepEqual(await b.drain(100), []);
    let st = await r.status();
    const aDoc = st.rooms[0].clients.find((x) => x.macs.length === 2)!;
    assert.equal(aDoc.drops['mac-limit'], 1);
    assert.equal(aDoc.drops['bad-src'], 2);
    a.close();
    await until(async () => (await r.status()).totals.clients === 1, 'a to leave');
    b.send(tagged(BCAST, '02:00:00:00:01:01', 'b-reuses'));
    await until(async () => {
      st = await r.status();
      return st.rooms[0].clients[0].macs.includes('02:00:00:00:01:01');
    }, 'b to own the freed MAC');
  } finally {
    b.close();
    await r.close();
  }
});
