/*
 * vke's relay backend (workers/netws.ts over `ws`, platform/node/netws.ts)
 * against an in-process relay: -I forms to URLs, frames both ways, keepalive
 * frames, link state and reconnect after the relay restarts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRelay, until, sleep } from '../relay/helpers.ts';
import { startRelay } from '../../relay/index.ts';
import { parseNetif } from '../../kernel/kern/cmdline.ts';
import { keepaliveFrame, relayUrlFor, RelayNetBackend } from '../../workers/netws.ts';
import { defaultRelay, nodeWsFactory, openNetBackends, NetOpenError } from '../../platform/node/netws.ts';

const BASE = 'ws://127.0.0.1:8086/';
const url = (arg: string): string => relayUrlFor(parseNetif(arg, 0), BASE);

test('-I interfaces name relay URLs and rooms', () => {
  assert.equal(url('auto'), 'ws://127.0.0.1:8086/');
  assert.equal(url('auto:bridge3'), 'ws://127.0.0.1:8086/bridge3');
  assert.equal(url('auto:bridge0:10.2.0.9/16'), 'ws://127.0.0.1:8086/bridge0');
  assert.equal(url('bridge7'), 'ws://127.0.0.1:8086/bridge7');
  assert.equal(url('bridge7:0.0.0.0:10.2.0.2/16'), 'ws://127.0.0.1:8086/bridge7');
  assert.equal(url('ws://relay.example:9000/lab'), 'ws://relay.example:9000/lab');
  assert.equal(url('ws://relay.example:9000/:bridge2'), 'ws://relay.example:9000/bridge2');
  assert.equal(url('wss://relay.example/lab:0.0.0.0:10.2.0.4/16=02:00:00:00:00:04'), 'wss://relay.example/lab');
  assert.throws(() => url('tap0'), /Unable to open tap0/);
  assert.throws(() => url('/var/run/vknet:0.0.0.0:10.2.0.2/16'), /Unable to open \/var\/run\/vknet/);
  assert.equal(defaultRelay({}), 'ws://127.0.0.1:8086/');
  assert.equal(defaultRelay({ VKERNEL_RELAY: 'ws://10.0.0.1:1/' }), 'ws://10.0.0.1:1/');
  assert.throws(() => openNetBackends([parseNetif('tap0', 0)], {}, {}), NetOpenError);
});

test('keepalive frame is 14 bytes to the gateway MAC, ethertype 0x88b5', () => {
  const f = keepaliveFrame(Uint8Array.of(2, 1, 2, 3, 4, 5));
  assert.deepEqual([...f], [0x02, 0x76, 0x6b, 0x6e, 0x65, 0x74, 2, 1, 2, 3, 4, 5, 0x88, 0xb5]);
});

interface Peer {
  be: RelayNetBackend;
  frames: Uint8Array[];
  links: boolean[];
}

function peer(u: string, mac: Uint8Array, keepaliveMs = 60_000): Peer {
  const p: Peer = { be: new RelayNetBackend(u, nodeWsFactory, { keepaliveMs, backoffMinMs: 50, backoffMaxMs: 400 }), frames: [], links: [] };
  p.be.attach({ receive: (f) => p.frames.push(f), link: (up) => p.links.push(up) }, mac);
  return p;
}

function frame(dst: Uint8Array, src: Uint8Array, payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const f = new Uint8Array(14 + body.length);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = 0x08; f[13] = 0x00;
  f.set(body, 14);
  return f;
}

const MAC_A = Uint8Array.of(0x02, 0xaa, 0, 0, 0, 1);
const MAC_B = Uint8Array.of(0x02, 0xbb, 0, 0, 0, 2);
const hex = (m: Uint8Array): string => [...m].map((b) => b.toString(16).padStart(2, '0')).join(':');

test('frames pass both ways between two backends in one room', async () => {
  const r = await testRelay();
  const a = peer(r.url('bridge0'), MAC_A);
  const b = peer(r.url('bridge0'), MAC_B);
  try {
    await until(() => a.be.linkUp && b.be.linkUp, 'both links up', 10_000);
    assert.deepEqual(a.links, [true]);
    /* The keepalive sent at attach taught the switch both MACs. */
    await until(async () => {
      const room = (await r.status()).rooms.find((x) => x.name === 'bridge0');
      const macs = room?.macTable.map((e) => e.mac) ?? [];
      return macs.includes(hex(MAC_A)) && macs.includes(hex(MAC_B));
    }, 'MACs learned', 10_000);
    assert.ok(a.be.send(frame(MAC_B, MAC_A, 'hello from a')));
    assert.ok(b.be.send(frame(MAC_A, MAC_B, 'hello from b')));
    await until(() => a.frames.length > 0 && b.frames.length > 0, 'frames delivered', 10_000);
    assert.equal(new TextDecoder().decode(b.frames[0].subarray(14)), 'hello from a');
    assert.equal(new TextDecoder().decode(a.frames[0].subarray(14)), 'hello from b');
    /* Keepalives are absorbed by the gateway, never flooded to the other guest. */
    assert.ok(b.frames.every((f) => f[12] !== 0x88 || f[13] !== 0xb5));
  } finally {
    a.be.close(); b.be.close();
    await r.close();
  }
});

test('a quiet backend sends keepalives', async () => {
  const r = await testRelay();
  const a = peer(r.url('ka'), MAC_A, 100);
  try {
    await until(() => a.be.stats.keepalives >= 4, 'keepalives', 10_000);
    const st = await r.status();
    const cl = st.rooms.find((x) => x.name === 'ka')?.clients[0];
    assert.ok(cl && cl.framesIn >= 4, 'relay saw the keepalive frames');
  } finally {
    a.be.close();
    await r.close();
  }
});

test('the link goes down when the relay stops and up again after it restarts', async () => {
  let relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  const port = relay.port;
  const u = `ws://127.0.0.1:${port}/bridge1`;
  const a = peer(u, MAC_A);
  const b = peer(u, MAC_B);
  try {
    await until(() => a.be.linkUp && b.be.linkUp, 'links up', 10_000);
    await relay.close();
    await until(() => !a.be.linkUp && !b.be.linkUp, 'links down', 10_000);
    assert.deepEqual(a.links, [true, false]);
    assert.equal(a.be.send(frame(MAC_B, MAC_A, 'lost')), false);
    await sleep(300); /* a few failed reconnects first */
    relay = await startRelay({ port, host: '127.0.0.1', logSink: () => {} });
    await until(() => a.be.linkUp && b.be.linkUp, 'links back up', 15_000);
    assert.deepEqual(a.links, [true, false, true]);
    assert.ok(a.be.stats.connects >= 2);
    await sleep(100);
    assert.ok(a.be.send(frame(MAC_B, MAC_A, 'again')));
    await until(() => b.frames.some((f) => new TextDecoder().decode(f.subarray(14)) === 'again'), 'frame after reconnect', 10_000);
  } finally {
    a.be.close(); b.be.close();
    await relay.close();
  }
});
