import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOCK_DGRAM, SOCK_STREAM } from '../../kernel/kern/socketvar.ts';
import { in_cksum, in_pseudo_cksum } from '../../kernel/netinet/in_cksum.ts';
import { pcbtable } from '../../kernel/netinet/in_pcb.ts';
import { intotcpcb } from '../../kernel/netinet/tcp_var.ts';
import { put16, put32 } from '../../kernel/netinet/in.ts';
import { reass_queues, reassParams } from '../../kernel/netinet/ip_reass.ts';
import { ip_fillhdr } from '../../kernel/netinet/ip.ts';
import { accept, bind, connect, FakeClock, inject, listen, makeHost, recvfrom, Rng, sendto, socket, Wire } from './harness.ts';

function frame(dstMac: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(dstMac, 0);
  f.set([2, 0, 0, 0, 0, 9], 6);
  f[12] = type >> 8;
  f[13] = type & 255;
  f.set(payload, 14);
  return f;
}

function ipDgram(src: number, dst: number, proto: number, body: Uint8Array, id = 1, off = 0): Uint8Array {
  const d = new Uint8Array(20 + body.length);
  d.set(body, 20);
  ip_fillhdr(d, { tos: 0, len: d.length, id, off, ttl: 64, p: proto, src, dst });
  return d;
}

function udpBody(src: number, dst: number, sport: number, dport: number, data: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + data.length);
  put16(u, 0, sport);
  put16(u, 2, dport);
  put16(u, 4, u.length);
  u.set(data, 8);
  put16(u, 6, in_pseudo_cksum(src, dst, 17, u, 0, u.length));
  return u;
}

test('malformed frames are counted and dropped, never thrown', () => {
  const clock = new FakeClock();
  const h = makeHost(clock, null, 2);
  const mac = h.ifp.hwaddr;
  const src = 0x0a000009;
  const good = ipDgram(src, h.addr, 17, udpBody(src, h.addr, 1, 2, new Uint8Array(4)));
  const cases: Uint8Array[] = [
    new Uint8Array(5), /* shorter than an Ethernet header */
    frame(mac, 0x88b5, new Uint8Array(30)), /* unknown ethertype */
    frame(mac, 0x0800, good.subarray(0, 12)), /* truncated IP header */
    frame(mac, 0x0800, (() => { const d = good.slice(); d[0] = 0x43; return d; })()), /* IHL 3 */
    frame(mac, 0x0800, (() => { const d = good.slice(); d[0] = 0x4f; return d; })()), /* IHL beyond data */
    frame(mac, 0x0800, (() => { const d = good.slice(); d[10] ^= 0xff; return d; })()), /* bad IP checksum */
    frame(mac, 0x0800, (() => { const d = good.slice(); put16(d, 2, 2000); put16(d, 10, 0); put16(d, 10, in_cksum(d, 0, 20)); return d; })()), /* ip_len > frame */
    frame(mac, 0x0800, (() => { const d = good.slice(); d[27] ^= 0x55; return d; })()), /* bad UDP checksum */
    frame(mac, 0x0806, new Uint8Array(10)), /* short ARP */
    frame(mac, 0x0800, ipDgram(src, h.addr, 6, new Uint8Array(7))), /* short TCP header */
    frame(mac, 0x0800, ipDgram(src, h.addr, 1, new Uint8Array(3))), /* short ICMP */
    frame(mac, 0x0800, ipDgram(src, h.addr, 17, new Uint8Array(200), 9, 0x2000 | 8190)), /* fragment past 64 KiB */
    new Uint8Array(3000), /* bigger than the MTU */
  ];
  const rng = new Rng(5);
  for (let i = 0; i < 2000; i++) {
    /* Random garbage behind a valid header, with every ethertype we parse. */
    const body = new Uint8Array(Math.floor(rng.next() * 120));
    rng.bytes(body);
    if (body.length > 0 && i % 2 === 0) body[0] = 0x45;
    cases.push(frame(mac, i % 3 === 0 ? 0x0806 : 0x0800, body));
  }
  for (const f of cases) assert.doesNotThrow(() => inject(h.ifp, f));
  clock.advance(100_000);
  assert.equal(h.vn.lastInputError, '', 'no protocol threw');
  assert.ok(h.ifp.noproto >= 1);
  assert.ok(h.ifp.ierrors >= 2);
  assert.ok(h.vn.getStat('ip', 'InHdrErrors') >= 4);
  assert.ok(h.vn.getStat('ip', 'InCsumErrors') >= 1);
  assert.ok(h.vn.getStat('udp', 'InCsumErrors') >= 1);
  assert.ok(h.vn.getStat('tcp', 'InErrs') >= 1);
  assert.ok(h.vn.getStat('icmp', 'InErrors') >= 1);
  assert.ok(h.vn.getStat('ip', 'ReasmFails') >= 1);
  assert.equal(reass_queues(h.vn).queues, 0);
});

test('fragmented UDP datagrams are sent and reassembled, out of order too', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, { reorder: 0.5, dup: 0.2, seed: 3 });
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const srv = socket(b, SOCK_DGRAM);
  bind(srv, 0, 4000);
  const cli = socket(a, SOCK_DGRAM);
  const big = new Uint8Array(20000).map((_, i) => (i * 13) & 255);
  sendto(cli, big, b.addr, 4000);
  clock.run(() => srv.so_rcv.cc > 0, 10_000);
  const r = recvfrom(srv);
  assert.ok(r);
  assert.deepEqual(Buffer.from(r.data), Buffer.from(big));
  assert.ok(a.vn.getStat('ip', 'FragCreates') >= 14);
  assert.ok(b.vn.getStat('ip', 'ReasmOKs') >= 1);
  assert.equal(reass_queues(b.vn).queues, 0);
});

test('incomplete fragments time out with ICMP time exceeded; a fragment flood stays bounded', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const raw = socket(a, 3, 1); /* a raw ICMP socket sees the time exceeded */
  const body = udpBody(a.addr, b.addr, 1, 4000, new Uint8Array(64));
  const first = ipDgram(a.addr, b.addr, 17, body.subarray(0, 40), 77, 0x2000);
  inject(b.ifp, frame(b.ifp.hwaddr, 0x0800, first));
  assert.equal(reass_queues(b.vn).queues, 1);
  clock.advance(reassParams.ttlMs + 2000);
  assert.equal(reass_queues(b.vn).queues, 0);
  assert.equal(b.vn.getStat('ip', 'ReasmTimeout'), 1);
  assert.equal(b.vn.getStat('icmp', 'OutTimeExcds'), 1);
  assert.ok(raw.so_rcv.cc > 0);
  for (let id = 0; id < 5000; id++) {
    const frag = ipDgram(a.addr, b.addr, 17, new Uint8Array(1024), id, 0x2000);
    inject(b.ifp, frame(b.ifp.hwaddr, 0x0800, frag));
    const q = reass_queues(b.vn);
    assert.ok(q.queues <= reassParams.maxfragpackets);
    assert.ok(q.bytes <= reassParams.maxfragbytes);
  }
});

test('SYN flood from spoofed ports never grows past the backlog; real clients still get in', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 80);
  listen(l, 8);
  const spoof = 0x0a000063;
  for (let i = 0; i < 20000; i++) {
    const t = new Uint8Array(20);
    put16(t, 0, 1024 + (i % 60000));
    put16(t, 2, 80);
    put32(t, 4, i * 7919);
    t[12] = 5 << 4;
    t[13] = 0x02;
    put16(t, 14, 65535);
    put16(t, 16, in_pseudo_cksum(spoof, b.addr, 6, t, 0, 20));
    inject(b.ifp, frame(b.ifp.hwaddr, 0x0800, ipDgram(spoof, b.addr, 6, t, i)));
    if (i % 500 === 0) clock.advance(10);
    assert.ok(l.so_qlen <= 9, `queue ${l.so_qlen}`);
    assert.ok(pcbtable(b.vn, 6).list.length <= 10, `pcbs ${pcbtable(b.vn, 6).list.length}`);
  }
  assert.ok(b.vn.getStat('tcp', 'ListenDrops') > 0);
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 80);
  assert.ok(clock.run(() => l.so_comp.length > 0, 60_000));
  assert.ok(accept(l));
  /* The half-open entries die after their SYN-ACK retries. */
  clock.advance(200_000);
  assert.ok(pcbtable(b.vn, 6).list.length <= 2);
});

test('bind rules: EADDRINUSE, SO_REUSEADDR, privileged ports', async () => {
  const { userCaller } = await import('./harness.ts');
  const { sockaddrIn } = await import('../../kernel/kern/uipc_sockaddr.ts');
  const clock = new FakeClock();
  const h = makeHost(clock, null, 1);
  const s1 = socket(h, SOCK_STREAM);
  bind(s1, 0, 8080);
  const s2 = socket(h, SOCK_STREAM);
  assert.throws(() => bind(s2, 0, 8080), { errno: 98 });
  assert.throws(() => s2.so_proto.usrreqs.bind(s2, sockaddrIn(0, 80), userCaller), { errno: 13 });
  assert.throws(() => bind(s2, 0x0a0a0a0a, 9000), { errno: 99 });
  const u1 = socket(h, SOCK_DGRAM);
  const u2 = socket(h, SOCK_DGRAM);
  u1.so_options |= 0x4;
  u2.so_options |= 0x4;
  bind(u1, 0, 68);
  bind(u2, 0, 68);
});

test('random TCP segments with valid checksums never throw', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 80);
  listen(l, 4);
  const rng = new Rng(42);
  let resets = 0;
  for (let round = 0; round < 20; round++) {
    const c = socket(a, SOCK_STREAM);
    connect(c, b.addr, 80);
    clock.run(() => l.so_comp.length > 0, 10_000);
    const s = accept(l)!;
    const inp = c.so_pcb as { lport: number };
    for (let i = 0; i < 300; i++) {
      const dlen = Math.floor(rng.next() * 40);
      const t = new Uint8Array(20 + dlen);
      rng.bytes(t);
      put16(t, 0, inp.lport);
      put16(t, 2, 80);
      t[12] = 5 << 4;
      t[13] &= 0x3f;
      const tp = intotcpcb(s.so_pcb as never);
      if (tp && i % 2 === 0) {
        /* In the window, acking something plausible: the interesting paths. */
        put32(t, 4, (tp.rcv_nxt + Math.floor(rng.next() * 3000) - 100) >>> 0);
        put32(t, 8, (tp.snd_una + Math.floor(rng.next() * 10) - 5) >>> 0);
      }
      put16(t, 16, 0);
      put16(t, 16, in_pseudo_cksum(a.addr, b.addr, 6, t, 0, t.length));
      inject(b.ifp, frame(b.ifp.hwaddr, 0x0800, ipDgram(a.addr, b.addr, 6, t, i)));
      if (i % 50 === 0) clock.advance(300);
    }
    clock.advance(5000);
    assert.equal(b.vn.lastInputError, '', b.vn.lastInputError);
    assert.equal(a.vn.lastInputError, '', a.vn.lastInputError);
    resets += s.so_error === 104 ? 1 : 0;
  }
  assert.ok(resets > 0, 'in-window RSTs/SYNs reset some connections');
});
