import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRelay, TestClient, BCAST, GW_MAC, arpRequest, cksum, eth, icmpEcho, ipStr, ipv4, isIpProto, macStr, ethType, udp } from './helpers.ts';

const G = '02:00:00:00:30:01';
const H = '02:00:00:00:30:02';

test('gateway: answers ARP for 10.2.0.1 with its fixed locally administered MAC', async () => {
  const r = await testRelay();
  const c = await TestClient.connect(r.url());
  const peer = await TestClient.connect(r.url());
  try {
    c.send(arpRequest(G, '10.2.0.2', '10.2.0.1'));
    const f = await c.next((x) => ethType(x) === 0x0806);
    assert.equal(macStr(f, 0), G);
    assert.equal(macStr(f, 6), GW_MAC);
    assert.ok(f[0 + 6] & 0x02 && !(f[6] & 0x01), 'gateway MAC is locally administered unicast');
    const a = f.subarray(14);
    assert.deepEqual([...a.subarray(0, 8)], [0, 1, 8, 0, 6, 4, 0, 2], 'Ethernet/IPv4 ARP reply');
    assert.equal(macStr(a, 8), GW_MAC);
    assert.equal(ipStr(a, 14), '10.2.0.1');
    assert.equal(macStr(a, 18), G);
    assert.equal(ipStr(a, 24), '10.2.0.2');
    assert.ok(f.length >= 60, 'padded to the Ethernet minimum');
    /* The request itself is still a broadcast for everyone else. */
    assert.equal(ethType(await peer.next()), 0x0806);
    /* ARP for someone else gets no answer from the gateway */
    c.send(arpRequest(G, '10.2.0.2', '10.2.0.77'));
    assert.deepEqual(await c.drain(100), []);
  } finally {
    c.close();
    peer.close();
    await r.close();
  }
});

test('gateway: ping 10.2.0.1 gets an echo reply with valid checksums; bad checksums are ignored', async () => {
  const r = await testRelay();
  const c = await TestClient.connect(r.url());
  try {
    for (let seq = 1; seq <= 3; seq++) {
      const data = Buffer.from(`ping payload ${seq} `.repeat(4));
      c.send(eth(GW_MAC, G, 0x0800, ipv4('10.2.0.2', '10.2.0.1', 1, icmpEcho(0x4242, seq, data))));
      const f = await c.next((x) => isIpProto(x, 1));
      assert.equal(macStr(f, 0), G);
      assert.equal(macStr(f, 6), GW_MAC);
      const ihl = (f[14] & 15) * 4;
      const total = f.readUInt16BE(16);
      assert.equal(cksum(f.subarray(14, 14 + ihl)), 0, 'IPv4 header checksum');
      assert.equal(ipStr(f, 26), '10.2.0.1');
      assert.equal(ipStr(f, 30), '10.2.0.2');
      const icmp = f.subarray(14 + ihl, 14 + total);
      assert.equal(cksum(icmp), 0, 'ICMP checksum');
      assert.equal(icmp[0], 0, 'echo reply');
      assert.equal(icmp.readUInt16BE(4), 0x4242);
      assert.equal(icmp.readUInt16BE(6), seq);
      assert.deepEqual(icmp.subarray(8), data);
    }
    const bad = icmpEcho(1, 1, Buffer.from('corrupt'));
    bad[9] ^= 0xff;
    c.send(eth(GW_MAC, G, 0x0800, ipv4('10.2.0.2', '10.2.0.1', 1, bad)));
    const badIp = ipv4('10.2.0.2', '10.2.0.1', 1, icmpEcho(1, 2, Buffer.from('x')));
    badIp[10] ^= 0x55;
    c.send(eth(GW_MAC, G, 0x0800, badIp));
    assert.deepEqual(await c.drain(100), []);
  } finally {
    c.close();
    await r.close();
  }
});

test('gateway: nothing leaves the relay: outside destinations get ICMP prohibited and are counted', async () => {
  const r = await testRelay();
  const c = await TestClient.connect(r.url());
  try {
    c.send(eth(GW_MAC, G, 0x0800, ipv4('10.2.0.2', '8.8.8.8', 1, icmpEcho(7, 1, Buffer.from('out')))));
    const f = await c.next((x) => isIpProto(x, 1));
    const icmp = f.subarray(34, 14 + f.readUInt16BE(16));
    assert.equal(cksum(icmp), 0);
    assert.deepEqual([icmp[0], icmp[1]], [3, 13], 'destination unreachable, administratively prohibited');
    assert.equal(ipStr(icmp, 8 + 16), '8.8.8.8', 'quotes the original header');
    c.send(eth(GW_MAC, G, 0x0800, ipv4('10.2.0.2', '1.1.1.1', 17, udp('10.2.0.2', '1.1.1.1', 5000, 53, Buffer.from('q')))));
    await c.next((x) => isIpProto(x, 1));
    const st = await r.status();
    assert.equal(st.totals.drops['no-route'], 2);
    assert.match(st.network.outbound, /no traffic leaves/);
    assert.ok(r.logs.some((l) => l.event === 'no-route'));
  } finally {
    c.close();
    await r.close();
  }
});

test('gateway: guests may not claim the gateway address', async () => {
  const r = await testRelay();
  const a = await TestClient.connect(r.url());
  const b = await TestClient.connect(r.url());
  try {
    /* gratuitous ARP for 10.2.0.1 from a guest */
    a.send(arpRequest(H, '10.2.0.1', '10.2.0.1'));
    a.send(eth(BCAST, H, 0x0800, ipv4('10.2.0.1', '10.2.255.255', 17, udp('10.2.0.1', '10.2.255.255', 9, 9, Buffer.from('x')))));
    assert.deepEqual(await b.drain(100), []);
    assert.equal((await r.status()).totals.drops['gateway-spoof'], 2);
  } finally {
    a.close();
    b.close();
    await r.close();
  }
});
