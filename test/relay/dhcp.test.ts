import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRelay, TestClient, BCAST, GW_MAC, eth, ipv4, udp, until } from './helpers.ts';
import { ACK, DISCOVER, INFORM, NAK, OFFER, RELEASE, REQUEST, dhcpFrame, lease, nextReply, optIp } from './dhcp-client.ts';

const M1 = '02:00:00:00:10:01';
const M2 = '02:00:00:00:10:02';

test('dhcp: full DISCOVER/OFFER/REQUEST/ACK handshake with the man page\'s defaults', async () => {
  const r = await testRelay();
  const c = await TestClient.connect(r.url());
  const other = await TestClient.connect(r.url());
  try {
    c.send(dhcpFrame(M1, { xid: 0x1234, type: DISCOVER, broadcast: true }));
    const offer = await nextReply(c, 0x1234);
    assert.equal(offer.type, OFFER);
    assert.equal(offer.op, 2);
    assert.equal(offer.chaddr, M1);
    assert.equal(offer.yiaddr, '10.2.0.2', 'pool starts at 10.2.0.2');
    assert.equal(offer.ethDst, BCAST, 'broadcast flag honoured');
    assert.equal(offer.ipDst, '255.255.255.255');
    assert.equal(offer.ipSrc, '10.2.0.1');
    assert.equal(optIp(offer, 1), '255.255.0.0', 'subnet mask');
    assert.equal(optIp(offer, 3), '10.2.0.1', 'router');
    assert.equal(optIp(offer, 54), '10.2.0.1', 'server id');
    assert.equal(offer.options.get(51)!.readUInt32BE(0), 3600, 'lease time');
    assert.equal(offer.options.has(6), false, 'no DNS unless configured');
    c.send(dhcpFrame(M1, { xid: 0x1234, type: REQUEST, broadcast: true, requested: offer.yiaddr, server: '10.2.0.1' }));
    const ack = await nextReply(c, 0x1234);
    assert.equal(ack.type, ACK);
    assert.equal(ack.yiaddr, '10.2.0.2');
    assert.equal(ack.options.get(58)!.readUInt32BE(0), 1800, 'T1');
    /* A second client gets the next address; a second handshake by M1 keeps its lease. */
    const second = await lease(other, M2, 77);
    assert.equal(second.ip, '10.2.0.3');
    assert.equal((await lease(c, M1, 78)).ip, '10.2.0.2');
    const st = await r.status();
    assert.deepEqual(st.rooms[0].leases.map((l) => [l.mac, l.ip, l.state]).sort(), [[M1, '10.2.0.2', 'bound'], [M2, '10.2.0.3', 'bound']]);
    assert.ok(r.logs.some((l) => l.event === 'lease' && l.ip === '10.2.0.2'));
  } finally {
    c.close();
    other.close();
    await r.close();
  }
});

test('dhcp: unicast replies without the broadcast flag, renew, NAK, RELEASE and INFORM', async () => {
  const r = await testRelay({ network: '192.168.7.0/24', dns: ['192.168.7.53'], leaseSeconds: 120 });
  const c = await TestClient.connect(r.url('n'));
  try {
    c.send(dhcpFrame(M1, { xid: 1, type: DISCOVER }));
    const offer = await nextReply(c, 1);
    assert.equal(offer.ethDst, M1, 'no broadcast flag: unicast to chaddr');
    assert.equal(offer.ipDst, offer.yiaddr);
    assert.equal(offer.yiaddr, '192.168.7.2');
    assert.equal(optIp(offer, 3), '192.168.7.1', 'gateway defaults to the first host');
    assert.equal(optIp(offer, 6), '192.168.7.53');
    assert.equal(offer.options.get(51)!.readUInt32BE(0), 120);
    c.send(dhcpFrame(M1, { xid: 1, type: REQUEST, requested: offer.yiaddr, server: '192.168.7.1' }));
    assert.equal((await nextReply(c, 1)).type, ACK);
    /* RENEWING: unicast to the server with ciaddr set */
    c.send(dhcpFrame(M1, { xid: 2, type: REQUEST, ciaddr: '192.168.7.2', srcIp: '192.168.7.2', dstIp: '192.168.7.1', dstMac: GW_MAC }));
    const renew = await nextReply(c, 2);
    assert.equal(renew.type, ACK);
    assert.equal(renew.ipDst, '192.168.7.2');
    assert.equal(renew.ciaddr, '192.168.7.2');
    /* INIT-REBOOT for an address that is not ours: NAK, broadcast */
    c.send(dhcpFrame(M1, { xid: 3, type: REQUEST, requested: '192.168.7.99' }));
    const nak = await nextReply(c, 3);
    assert.equal(nak.type, NAK);
    assert.equal(nak.ethDst, BCAST);
    assert.equal(nak.yiaddr, '0.0.0.0');
    /* INFORM: parameters only, no lease */
    c.send(dhcpFrame(M1, { xid: 4, type: INFORM, ciaddr: '192.168.7.2', srcIp: '192.168.7.2', dstIp: '192.168.7.1', dstMac: GW_MAC }));
    const inform = await nextReply(c, 4);
    assert.equal(inform.type, ACK);
    assert.equal(inform.yiaddr, '0.0.0.0');
    assert.equal(inform.options.has(51), false);
    assert.equal(optIp(inform, 1), '255.255.255.0');
    /* RELEASE frees the lease */
    c.send(dhcpFrame(M1, { xid: 5, type: RELEASE, ciaddr: '192.168.7.2', srcIp: '192.168.7.2', dstIp: '192.168.7.1', dstMac: GW_MAC, server: '192.168.7.1' }));
    await until(async () => (await r.status()).rooms[0].leases.length === 0, 'lease released');
  } finally {
    c.close();
    await r.close();
  }
});

test('dhcp: --no-dhcp answers nothing; rogue servers and chaddr spoofing are refused', async () => {
  const off = await testRelay({ dhcp: false });
  const c = await TestClient.connect(off.url());
  try {
    c.send(dhcpFrame(M1, { xid: 9, type: DISCOVER, broadcast: true }));
    assert.deepEqual(await c.drain(150), []);
  } finally {
    c.close();
    await off.close();
  }
  const r = await testRelay();
  const a = await TestClient.connect(r.url());
  const b = await TestClient.connect(r.url());
  try {
    /* b pretends to be a DHCP server */
    const fake = Buffer.alloc(300);
    b.send(eth(BCAST, M2, 0x0800, ipv4('10.2.0.66', '255.255.255.255', 17, udp('10.2.0.66', '255.255.255.255', 67, 68, fake))));
    /* b asks for an address on behalf of a's MAC (chaddr != source MAC) */
    const asA = dhcpFrame(M1, { xid: 10, type: DISCOVER, broadcast: true });
    Buffer.from(M2.split(':').map((h) => parseInt(h, 16))).copy(asA, 6);
    b.send(asA);
    const seen = await a.drain(150);
    assert.ok(seen.every((f) => f.readUInt16BE(12) !== 0x0800 || f.readUInt16BE(14 + 20) !== 67), 'no DHCP server frames reach a');
    const st = await r.status();
    assert.equal(st.totals.drops['rogue-dhcp'], 1);
    assert.equal(st.rooms[0].leases.length, 0);
  } finally {
    a.close();
    b.close();
    await r.close();
  }
});

test('dhcp: a small pool is reclaimed from absent clients, never from present ones', async () => {
  const r = await testRelay({ network: '10.3.0.0/24', poolStart: '10.3.0.10', poolEnd: '10.3.0.11' });
  const cs = await Promise.all([1, 2, 3].map(() => TestClient.connect(r.url('p'))));
  try {
    const macs = ['02:00:00:00:20:01', '02:00:00:00:20:02', '02:00:00:00:20:03'];
    assert.equal((await lease(cs[0], macs[0], 100)).ip, '10.3.0.10');
    assert.equal((await lease(cs[1], macs[1], 101)).ip, '10.3.0.11');
    cs[2].send(dhcpFrame(macs[2], { xid: 102, type: DISCOVER, broadcast: true }));
    await assert.rejects(nextReply(cs[2], 102, 200), 'pool exhausted while both holders are present');
    cs[0].close();
    await until(async () => (await r.status()).totals.clients === 2, 'first client to leave');
    assert.equal((await lease(cs[2], macs[2], 103)).ip, '10.3.0.10');
  } finally {
    cs.forEach((c) => c.close());
    await r.close();
  }
});
