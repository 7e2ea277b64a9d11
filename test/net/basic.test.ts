import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } from '../../kernel/kern/socketvar.ts';
import { arp_entries, arp_procfs } from '../../kernel/netinet/if_ether.ts';
import { in_cksum } from '../../kernel/netinet/in_cksum.ts';
import { IPPROTO_ICMP } from '../../kernel/netinet/in.ts';
import { tcp_pcbs } from '../../kernel/netinet/tcp_subr.ts';
import { intotcpcb, TCPS_ESTABLISHED, TCPS_TIME_WAIT, tcpParams } from '../../kernel/netinet/tcp_var.ts';
import {
  accept, bind, close, connect, FakeClock, ip, listen, makeHost, read, recvfrom, sendto, socket, Wire, write,
} from './harness.ts';

function pair(opts = {}) {
  const clock = new FakeClock();
  const wire = new Wire(clock, opts);
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  return { clock, wire, a, b };
}

function echoRequest(id: number, seq: number, payload = 'ping'): Uint8Array {
  const m = new Uint8Array(8 + payload.length);
  m[0] = 8;
  m[4] = id >> 8;
  m[5] = id & 255;
  m[6] = seq >> 8;
  m[7] = seq & 255;
  for (let i = 0; i < payload.length; i++) m[8 + i] = payload.charCodeAt(i);
  const c = in_cksum(m, 0, m.length);
  m[2] = c >> 8;
  m[3] = c & 255;
  return m;
}

test('gratuitous ARP at address set, then ARP resolution', () => {
  const { clock, a, b } = pair();
  clock.run(() => false, 100);
  /* Both announced; nobody caches an unsolicited announcement (RFC 826 merge rule). */
  assert.equal(a.vn.getStat('arp', 'txrequests'), 1);
  const so = socket(a, SOCK_DGRAM);
  sendto(so, new TextEncoder().encode('x'), b.addr, 9);
  clock.run(() => arp_entries(a.vn).some((e) => e.mac !== null), 5000);
  const e = arp_entries(a.vn).find((x) => x.ip === b.addr);
  assert.ok(e?.mac);
  assert.deepEqual([...e.mac], [2, 0, 0, 0, 0, 2]);
  assert.match(arp_procfs(a.vn), /10\.0\.0\.2\s+0x1\s+0x2\s+02:00:00:00:00:02\s+\*\s+vke0/);
  /* b learned a from the request aimed at it. */
  assert.ok(arp_entries(b.vn).some((x) => x.ip === a.addr && x.mac));
});

test('ARP entries expire and unanswered requests give up', () => {
  const { clock, a } = pair();
  const so = socket(a, SOCK_DGRAM);
  sendto(so, new Uint8Array(4), ip('10.0.0.99'), 9);
  clock.advance(10_000);
  assert.ok(a.vn.getStat('arp', 'dropped') >= 1);
  assert.ok(a.vn.getStat('arp', 'txrequests') >= 5);
  clock.advance(3_000_000);
  assert.equal(arp_entries(a.vn).length, 0);
  assert.equal(clock.pending(), 0, 'idle stack keeps no timers');
});

test('ping over a ping socket and a raw socket', () => {
  const { clock, a, b } = pair();
  const ps = socket(a, SOCK_DGRAM, IPPROTO_ICMP);
  sendto(ps, echoRequest(0, 1), b.addr, 0);
  clock.run(() => ps.so_rcv.cc > 0, 5000);
  const r = recvfrom(ps);
  assert.ok(r);
  assert.equal(r.data[0], 0, 'echo reply');
  assert.equal(r.addr, b.addr);
  assert.equal(new TextDecoder().decode(r.data.subarray(8)), 'ping');
  assert.equal(b.vn.getStat('icmp', 'InEchos'), 1);
  assert.equal(b.vn.getStat('icmp', 'OutEchoReps'), 1);
  const raw = socket(a, SOCK_RAW, IPPROTO_ICMP);
  sendto(raw, echoRequest(77, 2), b.addr, 0);
  clock.run(() => raw.so_rcv.cc > 0, 5000);
  const rr = recvfrom(raw);
  assert.ok(rr);
  assert.equal(rr.data[0] >> 4, 4, 'raw sockets see the IP header');
  assert.equal(rr.data[20], 0);
  assert.equal((rr.data[24] << 8) | rr.data[25], 77);
});

test('UDP exchange and port unreachable', () => {
  const { clock, a, b } = pair();
  const srv = socket(b, SOCK_DGRAM);
  bind(srv, 0, 5353);
  const cli = socket(a, SOCK_DGRAM);
  sendto(cli, new TextEncoder().encode('hello'), b.addr, 5353);
  clock.run(() => srv.so_rcv.cc > 0, 5000);
  const r = recvfrom(srv);
  assert.ok(r);
  assert.equal(new TextDecoder().decode(r.data), 'hello');
  assert.equal(r.addr, a.addr);
  sendto(srv, new TextEncoder().encode('world'), r.addr, r.port);
  clock.run(() => cli.so_rcv.cc > 0, 5000);
  assert.equal(new TextDecoder().decode(recvfrom(cli)!.data), 'world');
  /* A connected socket hears ECONNREFUSED for a closed port. */
  const c2 = socket(a, SOCK_DGRAM);
  connect(c2, b.addr, 7777);
  c2.so_proto.usrreqs.send(c2, 0, new Uint8Array(3), null, null, null as never);
  clock.run(() => c2.so_error !== 0, 5000);
  assert.equal(c2.so_error, 111);
  assert.equal(b.vn.getStat('udp', 'NoPorts'), 1);
});

test('UDP over lo0', () => {
  const { clock, a } = pair();
  const s1 = socket(a, SOCK_DGRAM);
  bind(s1, ip('127.0.0.1'), 0);
  const port = (s1.so_proto.usrreqs.sockaddr(s1) as { port: number }).port;
  assert.ok(port >= 49152);
  const s2 = socket(a, SOCK_DGRAM);
  sendto(s2, new Uint8Array([1, 2, 3]), ip('127.0.0.1'), port);
  clock.run(() => s1.so_rcv.cc > 0, 1000);
  const r = recvfrom(s1)!;
  assert.deepEqual([...r.data], [1, 2, 3]);
  assert.equal(r.addr, ip('127.0.0.1'));
});

test('TCP handshake, data both ways, orderly close, TIME_WAIT', () => {
  const { clock, a, b } = pair();
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 80);
  listen(l, 5);
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 80);
  clock.run(() => c.isConnected() && l.so_comp.length > 0, 10_000);
  assert.ok(c.isConnected());
  const s = accept(l)!;
  assert.ok(s);
  write(c, new TextEncoder().encode('GET /'));
  clock.run(() => s.so_rcv.cc === 5, 5000);
  assert.equal(new TextDecoder().decode(read(s)), 'GET /');
  write(s, new TextEncoder().encode('200 OK'));
  clock.run(() => c.so_rcv.cc === 6, 5000);
  assert.equal(new TextDecoder().decode(read(c)), '200 OK');
  /* Active close from the client: it ends in TIME_WAIT for 2*MSL. */
  close(c);
  clock.run(() => (s.so_state & 0x20) !== 0, 5000);
  close(s);
  clock.run(() => tcp_pcbs(b.vn).filter((p) => p.lport === 80 && p.fport !== 0).length === 0, 5000);
  const tw = tcp_pcbs(a.vn).find((p) => p.fport === 80);
  assert.ok(tw);
  assert.equal(intotcpcb(tw)!.state, TCPS_TIME_WAIT);
  clock.advance(2 * tcpParams.msl - 2000);
  assert.ok(tcp_pcbs(a.vn).includes(tw), 'still in TIME_WAIT');
  clock.advance(3000);
  assert.ok(!tcp_pcbs(a.vn).includes(tw), 'TIME_WAIT expired');
  close(l);
  /* Once ARP entries age out too, nothing keeps a timer armed. */
  clock.advance(1_300_000);
  assert.equal(clock.pending(), 0);
});

test('RST on a closed port gives ECONNREFUSED', () => {
  const { clock, a, b } = pair();
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 81);
  clock.run(() => c.so_error !== 0, 10_000);
  assert.equal(c.so_error, 111);
  assert.equal(c.isConnected(), false);
  assert.ok(b.vn.getStat('tcp', 'OutRsts') >= 1);
});

test('TCP over lo0 with an ephemeral port', () => {
  const { clock, a } = pair();
  const l = socket(a, SOCK_STREAM);
  bind(l, ip('127.0.0.1'), 0);
  listen(l, 1);
  const port = (l.so_proto.usrreqs.sockaddr(l) as { port: number }).port;
  const c = socket(a, SOCK_STREAM);
  connect(c, ip('127.0.0.1'), port);
  clock.run(() => c.isConnected() && l.so_comp.length > 0, 5000);
  const s = accept(l)!;
  const big = new Uint8Array(100_000).map((_, i) => i * 7);
  let off = 0;
  const got: Uint8Array[] = [];
  let n = 0;
  clock.run(() => {
    off += write(c, big.subarray(off));
    const d = read(s);
    if (d.length) {
      got.push(d);
      n += d.length;
    }
    return n === big.length;
  }, 60_000);
  assert.equal(n, big.length);
  assert.deepEqual(Buffer.concat(got), Buffer.from(big));
  assert.equal(intotcpcb(s.so_pcb as never)!.state, TCPS_ESTABLISHED);
});

test('RSTs outside the window are ignored, inside reset; a refused socket can connect again', async () => {
  const { inject } = await import('./harness.ts');
  const { put16, put32 } = await import('../../kernel/netinet/in.ts');
  const { in_pseudo_cksum } = await import('../../kernel/netinet/in_cksum.ts');
  const { ip_fillhdr } = await import('../../kernel/netinet/ip.ts');
  const { clock, a, b } = pair();
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 90);
  clock.run(() => c.so_error !== 0, 10_000);
  assert.equal(c.so_error, 111);
  c.so_error = 0;
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 90);
  listen(l, 1);
  connect(c, b.addr, 90);
  assert.ok(clock.run(() => c.isConnected() && l.so_comp.length > 0, 10_000), 'second connect works');
  const s = accept(l)!;
  write(c, new Uint8Array([7]));
  assert.ok(clock.run(() => s.so_rcv.cc === 1, 5000), 'data flows on the new connection');
  const tp = intotcpcb(s.so_pcb as never)!;
  const cport = (c.so_proto.usrreqs.sockaddr(c) as { port: number }).port;
  const rst = (seq: number) => {
    const t = new Uint8Array(20);
    put16(t, 0, cport);
    put16(t, 2, 90);
    put32(t, 4, seq >>> 0);
    t[12] = 5 << 4;
    t[13] = 0x04;
    put16(t, 16, in_pseudo_cksum(a.addr, b.addr, 6, t, 0, 20));
    const d = new Uint8Array(40);
    d.set(t, 20);
    ip_fillhdr(d, { tos: 0, len: 40, id: 1, off: 0, ttl: 64, p: 6, src: a.addr, dst: b.addr });
    const f = new Uint8Array(54);
    f.set(b.ifp.hwaddr, 0);
    f.set(a.ifp.hwaddr, 6);
    f[12] = 8;
    f.set(d, 14);
    inject(b.ifp, f);
  };
  rst(tp.rcv_nxt + 10_000_000);
  rst(tp.rcv_nxt - 5);
  assert.ok(s.isConnected(), 'blind RSTs ignored');
  rst(tp.rcv_nxt);
  assert.equal(s.so_error, 104);
  assert.ok(!s.isConnected());
});

test('UDP broadcast needs SO_BROADCAST and comes from the interface address', () => {
  const { clock, a, b } = pair();
  const srv = socket(b, SOCK_DGRAM);
  bind(srv, 0, 9999);
  const cli = socket(a, SOCK_DGRAM);
  assert.throws(() => sendto(cli, new Uint8Array(2), 0xffffffff, 9999), { errno: 13 });
  cli.so_options |= 0x0020; /* SO_BROADCAST */
  sendto(cli, new Uint8Array(2), 0xffffffff, 9999);
  sendto(cli, new Uint8Array(3), ip('10.0.0.255'), 9999);
  clock.run(() => srv.so_rcv.records.length === 2, 5000);
  const r1 = recvfrom(srv)!;
  const r2 = recvfrom(srv)!;
  assert.equal(r1.addr, a.addr);
  assert.equal(r1.data.length, 2);
  assert.equal(r2.addr, a.addr);
  assert.equal(r2.data.length, 3);
  assert.equal(b.vn.getStat('udp', 'InCsumErrors'), 0);
  assert.equal(b.vn.getStat('icmp', 'OutMsgs'), 0, 'no ICMP errors about broadcasts');
});

test('a neighbour that never answers ARP: EHOSTUNREACH for connect and connected UDP', () => {
  const { clock, a } = pair();
  const c = socket(a, SOCK_STREAM);
  connect(c, ip('10.0.0.99'), 80);
  clock.run(() => c.so_error !== 0, 60_000);
  assert.equal(c.so_error, 113);
  assert.ok(clock.t < 10_000, `failed after ${clock.t} ms, not the 75 s connection timeout`);
  assert.ok(!c.isConnected());
  const u = socket(a, SOCK_DGRAM);
  connect(u, ip('10.0.0.98'), 53);
  u.so_proto.usrreqs.send(u, 0, new Uint8Array(1), null, null, null as never);
  clock.run(() => u.so_error !== 0, 60_000);
  assert.equal(u.so_error, 113);
});
