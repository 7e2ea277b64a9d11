import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../relay/lossy.ts';
import { testRelay, TestClient, BCAST, GW_MAC, eth, icmpEcho, ipv4, isIpProto, udp, cksum } from './helpers.ts';
import { DISCOVER, REQUEST, dhcpFrame } from './dhcp-client.ts';

const M = '02:00:00:00:70:01';

/* Malformed variations of frames the gateway parses, so the fuzzing reaches the parsers. */
function mutant(rng: Prng, i: number): Buffer | string {
  const byte = (): number => Math.floor(rng.next() * 256);
  const rand = (n: number): Buffer => Buffer.from(Array.from({ length: n }, byte));
  const flip = (b: Buffer, from: number, count: number): Buffer => {
    for (let k = 0; k < count && b.length > from; k++) b[from + Math.floor(rng.next() * (b.length - from))] = byte();
    return b;
  };
  switch (i % 8) {
    case 0: return rand(Math.floor(rng.next() * 2100)); // pure noise, any size
    case 1: { // DHCP with mangled BOOTP and options; UDP checksum 0 so it reaches the parser
      const f = dhcpFrame(M, { xid: i, type: rng.next() < 0.5 ? DISCOVER : REQUEST, requested: '10.2.0.5', server: '10.2.0.1' });
      flip(f, 42, 1 + Math.floor(rng.next() * 20));
      f.writeUInt16BE(0, 40);
      return rng.next() < 0.25 ? f.subarray(0, 42 + Math.floor(rng.next() * (f.length - 42 + 1))) : f;
    }
    case 2: { // DHCP with an options field of random TLVs, including overload (52)
      const f = dhcpFrame(M, { xid: i, type: DISCOVER });
      const opts = Buffer.concat([Buffer.from([53, 1, 1, 52, 1, 3]), rand(Math.floor(rng.next() * 60))]);
      const data = Buffer.concat([f.subarray(42, 42 + 240), opts]);
      return eth(BCAST, M, 0x0800, ipv4('0.0.0.0', '255.255.255.255', 17, udp('0.0.0.0', '255.255.255.255', 68, 67, data)));
    }
    case 3: { // IPv4 header fields mangled (IHL, total length, fragments), checksum recomputed
      const p = ipv4('10.2.0.9', '10.2.0.1', 1, icmpEcho(1, i, rand(20)));
      flip(p, 0, 3);
      p.writeUInt16BE(0, 10);
      p.writeUInt16BE(cksum(p.subarray(0, Math.min(p.length, (p[0] & 15) * 4))), 10);
      return eth(GW_MAC, M, 0x0800, p);
    }
    case 4: return eth(rng.next() < 0.5 ? BCAST : GW_MAC, M, 0x0806, rand(Math.floor(rng.next() * 40))); // short/odd ARP
    case 5: return eth(GW_MAC, M, Math.floor(rng.next() * 0x10000), rand(Math.floor(rng.next() * 100))); // unknown ethertypes
    case 6: return eth(GW_MAC, M, 0x0800, ipv4('10.2.0.9', '10.2.0.1', 17, rand(Math.floor(rng.next() * 30)))); // bad UDP
    default: return rng.next() < 0.5 ? rand(Math.floor(rng.next() * 14)) : 'text frame ' + i; // runts and text
  }
}

test('fuzz: thousands of malformed frames never crash the relay', async () => {
  const r = await testRelay({ logLevel: 'info' });
  const c = await TestClient.connect(r.url());
  const peer = await TestClient.connect(r.url());
  try {
    const rng = new Prng(7);
    for (let i = 0; i < 4000; i++) {
      const m = mutant(rng, i);
      c.ws.send(m);
    }
    /* Still alive and correct: a ping to the gateway is answered. */
    c.send(eth(GW_MAC, M, 0x0800, ipv4('10.2.0.9', '10.2.0.1', 1, icmpEcho(9, 9, Buffer.from('alive')))));
    const reply = await c.next((f) => isIpProto(f, 1) && f[34] === 0 && f.readUInt16BE(38) === 9 && f.readUInt16BE(40) === 9, 5000);
    assert.ok(reply);
    const st = await r.status();
    assert.equal(st.totals.clients, 2);
    assert.ok(st.totals.framesIn >= 4001);
    assert.ok(!r.logs.some((l) => l.level === 'error'));
  } finally {
    c.close();
    peer.close();
    await r.close();
  }
});
