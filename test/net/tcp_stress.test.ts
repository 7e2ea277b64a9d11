import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SOCK_STREAM } from '../../kernel/kern/socketvar.ts';
import { tcp_pcbs } from '../../kernel/netinet/tcp_subr.ts';
import { intotcpcb } from '../../kernel/netinet/tcp_var.ts';
import { accept, bind, close, connect, FakeClock, listen, makeHost, read, socket, Wire, write, type WireOpts } from './harness.ts';

function transfer(size: number, opts: WireOpts) {
  const clock = new FakeClock();
  const wire = new Wire(clock, opts);
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 5001);
  listen(l, 4);
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 5001);
  assert.ok(clock.run(() => c.isConnected() && l.so_comp.length > 0, 120_000), 'connected');
  const s = accept(l)!;
  const data = new Uint8Array(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    data[i] = x & 255;
  }
  const want = createHash('sha256').update(data).digest('hex');
  const h = createHash('sha256');
  let off = 0;
  let got = 0;
  let closed = false;
  const ok = clock.run(() => {
    off += write(c, data.subarray(off));
    if (off === size && !closed) {
      c.so_proto.usrreqs.shutdown(c, 1);
      closed = true;
    }
    const d = read(s);
    if (d.length) {
      h.update(d);
      got += d.length;
    }
    return got === size && (s.so_state & 0x20) !== 0;
  }, 3_600_000);
  assert.ok(ok, `transfer finished (got ${got} of ${size})`);
  assert.equal(h.digest('hex'), want);
  return { clock, a, b, c, s, wire };
}

test('4 MiB over a clean wire', () => {
  const { a } = transfer(4 << 20, {});
  assert.equal(a.vn.getStat('tcp', 'RetransSegs'), 0);
});

test('4 MiB under 10% loss, duplication and reordering: bytes intact', () => {
  const { a, b, wire } = transfer(4 << 20, { loss: 0.1, dup: 0.05, reorder: 0.1, seed: 99 });
  assert.ok(a.vn.getStat('tcp', 'RetransSegs') > 0, 'retransmitted');
  assert.ok(a.vn.getStat('tcp', 'FastRetrans') > 0, 'fast retransmit happened');
  assert.ok(b.vn.getStat('tcp', 'OfoQueued') > 0, 'out-of-order queue used');
  assert.ok(wire.frames > 2000);
});

test('corrupted frames are caught by checksums', () => {
  const { a, b } = transfer(1 << 20, { corrupt: 0.05, seed: 7 });
  const bad = a.vn.getStat('tcp', 'InCsumErrors') + b.vn.getStat('tcp', 'InCsumErrors') +
    a.vn.getStat('ip', 'InHdrErrors') + b.vn.getStat('ip', 'InHdrErrors');
  assert.ok(bad > 0);
});

test('a slow reader closes the window; persist probes reopen it', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 7);
  listen(l, 1);
  l.so_rcv.hiwat = 8192; /* inherited by the accepted socket */
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 7);
  clock.run(() => l.so_comp.length > 0, 10_000);
  const s = accept(l)!;
  const data = new Uint8Array(100_000).fill(5);
  let off = 0;
  clock.run(() => {
    off += write(c, data.subarray(off));
    return false;
  }, 20_000);
  assert.ok(s.so_rcv.cc <= 8192 && s.so_rcv.cc > 0, `receiver full (${s.so_rcv.cc})`);
  const tp = intotcpcb(c.so_pcb as never)!;
  assert.equal(tp.snd_wnd, 0);
  assert.ok(a.vn.getStat('tcp', 'PersistProbes') > 0);
  let got = 0;
  clock.run(() => {
    off += write(c, data.subarray(off));
    got += read(s).length;
    return got === data.length;
  }, 600_000);
  assert.equal(got, data.length);
  close(c);
  close(s);
});

test('keepalive drops a dead peer; delayed ACKs are used', () => {
  const clock = new FakeClock();
  const opts: WireOpts = {};
  const wire = new Wire(clock, opts);
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 9);
  listen(l, 1);
  const c = socket(a, SOCK_STREAM);
  c.so_options |= 0x0008; /* SO_KEEPALIVE */
  connect(c, b.addr, 9);
  clock.run(() => l.so_comp.length > 0, 10_000);
  const s = accept(l)!;
  write(c, new Uint8Array(10));
  clock.advance(1000);
  assert.ok(b.vn.getStat('tcp', 'DelayedACKs') >= 1);
  const tp = intotcpcb(c.so_pcb as never)!;
  tp.t_keepidle = 10_000;
  tp.t_keepintvl = 1_000;
  tp.t_keepcnt = 3;
  tp.t_timer[2] = clock.t + 10_000;
  clock.advance(12_000);
  assert.ok(a.vn.getStat('tcp', 'KeepProbes') >= 1, 'probe sent');
  assert.ok(c.isConnected(), 'a live peer answers probes');
  opts.loss = 1; /* the peer vanishes */
  clock.advance(60_000);
  assert.equal(c.so_error, 110);
  assert.ok(!c.isConnected());
  void s;
});

test('simultaneous open', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, { delay: 5 });
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  /* Resolve ARP first so both SYNs cross on the wire. */
  const ca = socket(a, SOCK_STREAM);
  const cb = socket(b, SOCK_STREAM);
  bind(ca, 0, 1000);
  bind(cb, 0, 2000);
  connect(ca, b.addr, 2000);
  connect(cb, a.addr, 1000);
  assert.ok(clock.run(() => ca.isConnected() && cb.isConnected(), 60_000));
  write(ca, new Uint8Array([1, 2, 3]));
  clock.run(() => cb.so_rcv.cc === 3, 10_000);
  assert.deepEqual([...read(cb)], [1, 2, 3]);
  assert.equal(tcp_pcbs(a.vn).length, 1);
});

test('Nagle holds small segments while data is unacknowledged; TCP_NODELAY does not', () => {
  for (const nodelay of [false, true]) {
    const clock = new FakeClock();
    const wire = new Wire(clock, { delay: 50 });
    const a = makeHost(clock, wire, 1);
    const b = makeHost(clock, wire, 2);
    const l = socket(b, SOCK_STREAM);
    bind(l, 0, 23);
    listen(l, 1);
    const c = socket(a, SOCK_STREAM);
    connect(c, b.addr, 23);
    clock.run(() => l.so_comp.length > 0, 10_000);
    const s = accept(l)!;
    if (nodelay) intotcpcb(c.so_pcb as never)!.t_flags |= 0x0004;
    const before = a.vn.getStat('tcp', 'OutSegs');
    for (let i = 0; i < 5; i++) write(c, new Uint8Array([i]));
    const sentNow = a.vn.getStat('tcp', 'OutSegs') - before;
    if (nodelay) assert.equal(sentNow, 5, 'every small write goes at once');
    else assert.equal(sentNow, 1, 'only the first small segment goes before an ACK');
    clock.run(() => s.so_rcv.cc === 5, 10_000);
    assert.deepEqual([...read(s)], [0, 1, 2, 3, 4]);
  }
});
