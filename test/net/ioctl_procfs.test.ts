import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SO_BROADCAST, SOCK_DGRAM, SOCK_STREAM } from '../../kernel/kern/socketvar.ts';
import { procNetDev, procNetRoute, procNetSnmp, procNetTcp } from '../../kernel/fs/procfs/procfs_net.ts';
import { if_attach, IFF_UP } from '../../kernel/net/if.ts';
import { rtalloc } from '../../kernel/net/route.ts';
import { arp_set } from '../../kernel/netinet/if_ether.ts';
import {
  ifreq, in_ioctl, putSin, rtioctl, SIOCADDRT, SIOCDELRT, SIOCGIFADDR, SIOCGIFFLAGS, SIOCGIFHWADDR, SIOCGIFINDEX,
  SIOCGIFMTU, SIOCGIFNAME, SIOCGIFNETMASK, SIOCSIFADDR, SIOCSIFFLAGS, SIOCSIFNETMASK, RTENTRY_SIZE,
} from '../../kernel/netinet/in_ioctl.ts';
import { get32 } from '../../kernel/netinet/in.ts';
import type { IoCtx } from '../../kernel/vfs/ioctx.ts';
import { accept, bind, connect, FakeClock, ip, listen, makeHost, recvfrom, sendto, socket, Wire } from './harness.ts';

const root = { cred: { euid: 0 } };

function req(name: string): Uint8Array {
  const r = new Uint8Array(40);
  for (let i = 0; i < name.length; i++) r[i] = name.charCodeAt(i);
  return r;
}

test('interface ioctls in the Linux ifreq layout', () => {
  const clock = new FakeClock();
  const h = makeHost(clock, null, 1);
  let r = req('vke0');
  ifreq(h.vn, SIOCGIFADDR, r, root);
  assert.equal(r[16], 2);
  assert.equal(get32(r, 20), ip('10.0.0.1'));
  r = req('vke0');
  ifreq(h.vn, SIOCGIFNETMASK, r, root);
  assert.equal(get32(r, 20), 0xffffff00);
  r = req('lo0');
  ifreq(h.vn, SIOCGIFFLAGS, r, root);
  assert.equal(r[16] | (r[17] << 8), 0x1 | 0x8 | 0x40 | 0x1000);
  r = req('vke0');
  ifreq(h.vn, SIOCGIFHWADDR, r, root);
  assert.deepEqual([...r.subarray(16, 24)], [1, 0, 2, 0, 0, 0, 0, 1]);
  r = req('vke0');
  ifreq(h.vn, SIOCGIFMTU, r, root);
  assert.equal(r[16] | (r[17] << 8), 1500);
  r = req('vke0');
  ifreq(h.vn, SIOCGIFINDEX, r, root);
  const idx = r[16];
  r = new Uint8Array(40);
  r[16] = idx;
  ifreq(h.vn, SIOCGIFNAME, r, root);
  assert.equal(String.fromCharCode(...r.subarray(0, 4)), 'vke0');
  assert.throws(() => ifreq(h.vn, SIOCGIFFLAGS, req('nope0'), root), { errno: 19 });
  assert.throws(() => ifreq(h.vn, SIOCSIFFLAGS, req('vke0'), { cred: { euid: 5 } }), { errno: 1 });
  /* A new address and mask move the connected route. */
  r = req('vke0');
  putSin(r, 16, ip('192.168.7.9'));
  ifreq(h.vn, SIOCSIFADDR, r, root);
  r = req('vke0');
  putSin(r, 16, 0xffff0000);
  ifreq(h.vn, SIOCSIFNETMASK, r, root);
  assert.equal(rtalloc(h.vn, ip('192.168.200.1'))?.ifp, h.ifp);
  assert.equal(rtalloc(h.vn, ip('10.0.0.5')), null);
  /* Down: no route through it. */
  r = req('vke0');
  ifreq(h.vn, SIOCGIFFLAGS, r, root);
  r[16] &= ~IFF_UP;
  ifreq(h.vn, SIOCSIFFLAGS, r, root);
  assert.equal(rtalloc(h.vn, ip('192.168.200.1')), null);
});

test('SIOCADDRT/SIOCDELRT with struct rtentry; /proc/net/route', () => {
  const clock = new FakeClock();
  const h = makeHost(clock, null, 1);
  const rt = new Uint8Array(RTENTRY_SIZE);
  putSin(rt, 8, 0); /* default */
  putSin(rt, 24, ip('10.0.0.254'));
  putSin(rt, 40, 0);
  rt[56] = 0x1 | 0x2; /* RTF_UP|RTF_GATEWAY */
  rtioctl(h.vn, SIOCADDRT, rt, null);
  assert.equal(rtalloc(h.vn, ip('8.8.8.8'))?.gateway, ip('10.0.0.254'));
  assert.throws(() => rtioctl(h.vn, SIOCADDRT, rt, null), { errno: 17 });
  const text = procNetRoute(h.vn);
  const lines = text.split('\n');
  assert.match(lines[0], /^Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\s+$/);
  assert.ok(lines.some((l) => /^vke0\t0000000A\t00000000\t0001\t/.test(l)), text);
  assert.ok(lines.some((l) => /^vke0\t00000000\tFE00000A\t0003\t0\t\d+\t0\t00000000\t/.test(l)), text);
  assert.ok(lines.every((l) => l === '' || l.length === 127));
  /* A gateway off every connected net is unreachable. */
  putSin(rt, 24, ip('172.16.0.1'));
  putSin(rt, 8, ip('172.20.0.0'));
  putSin(rt, 40, 0xffff0000);
  assert.throws(() => rtioctl(h.vn, SIOCADDRT, rt, null), { errno: 101 });
  putSin(rt, 8, 0);
  putSin(rt, 40, 0);
  putSin(rt, 24, ip('10.0.0.254'));
  rtioctl(h.vn, SIOCDELRT, rt, null);
  assert.equal(rtalloc(h.vn, ip('8.8.8.8')), null);
  assert.throws(() => rtioctl(h.vn, SIOCDELRT, rt, null), { errno: 3 });
});

test('/proc/net/dev, tcp and snmp', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const a = makeHost(clock, wire, 1);
  const b = makeHost(clock, wire, 2);
  const l = socket(b, SOCK_STREAM);
  bind(l, 0, 22);
  listen(l, 2);
  const c = socket(a, SOCK_STREAM);
  connect(c, b.addr, 22);
  clock.run(() => l.so_comp.length > 0, 5000);
  accept(l);
  const dev = procNetDev(b.vn);
  assert.match(dev, /^Inter-\|/);
  assert.match(dev, /\n  vke0: +\d+ +\d+ +0 +0 /);
  assert.match(dev, /\n   lo0: /);
  const tcp = procNetTcp(b.vn).split('\n');
  assert.match(tcp[0], /^ {2}sl {2}local_address rem_address {3}st tx_queue/);
  assert.ok(tcp.some((x) => / 0: 00000000:0016 00000000:0000 0A /.test(x)), 'listener in state 0A');
  assert.ok(tcp.some((x) => /: 0200000A:0016 0100000A:[0-9A-F]{4} 01 /.test(x)), 'established in state 01');
  const snmp = procNetSnmp(b.vn).split('\n');
  const tcpNames = snmp.find((x) => x.startsWith('Tcp: Rto'))!.split(' ');
  const tcpVals = snmp.filter((x) => x.startsWith('Tcp: '))[1].split(' ');
  assert.equal(tcpVals[tcpNames.indexOf('PassiveOpens')], '1');
  assert.equal(tcpVals[tcpNames.indexOf('CurrEstab')], '1');
  assert.ok(Number(tcpVals[tcpNames.indexOf('InSegs')]) >= 2);
  assert.ok(snmp.some((x) => x.startsWith('Ip: 2 64 ')));
});

test('dhclient: broadcast from 0.0.0.0 before an address, reply to port 68', () => {
  const clock = new FakeClock();
  const wire = new Wire(clock, {});
  const server = makeHost(clock, wire, 1);
  /* The client: an interface with no address yet. */
  const client = makeHost(clock, wire, 2);
  client.ifp.addrs.length = 0;
  client.vn.routes.entries.length = 0;
  const extra = if_attach(client.vn, { name: 'vke', unit: 1, hwaddr: new Uint8Array([2, 0, 0, 0, 1, 1]) });
  extra.flags |= IFF_UP; /* two candidate interfaces: SO_BINDTODEVICE picks */
  wire.attach(extra);
  const srv = socket(server, SOCK_DGRAM);
  bind(srv, 0, 67);
  srv.so_options |= SO_BROADCAST;
  const cli = socket(client, SOCK_DGRAM);
  cli.so_options |= SO_BROADCAST | 0x4;
  cli.so_bindtodevice = 'vke0';
  bind(cli, 0, 68);
  assert.throws(() => {
    const s2 = socket(client, SOCK_DGRAM);
    s2.so_options |= SO_BROADCAST;
    sendto(s2, new Uint8Array(1), 0xffffffff, 67);
  }, { errno: 101 }, 'ambiguous without a device');
  sendto(cli, new TextEncoder().encode('DISCOVER'), 0xffffffff, 67);
  clock.run(() => srv.so_rcv.cc > 0, 5000);
  const d = recvfrom(srv)!;
  assert.equal(new TextDecoder().decode(d.data), 'DISCOVER');
  assert.equal(d.addr, 0, 'from 0.0.0.0');
  assert.equal(d.port, 68);
  sendto(srv, new TextEncoder().encode('OFFER'), 0xffffffff, 68);
  clock.run(() => cli.so_rcv.cc > 0, 5000);
  assert.equal(new TextDecoder().decode(recvfrom(cli)!.data), 'OFFER');
  /* A unicast reply to the offered address also reaches the unconfigured client (BOOTP). */
  arp_set(server.ifp, ip('10.0.0.50'), client.ifp.hwaddr, 0);
  sendto(srv, new TextEncoder().encode('ACK'), ip('10.0.0.50'), 68);
  clock.run(() => cli.so_rcv.cc > 0, 5000);
  assert.equal(new TextDecoder().decode(recvfrom(cli)!.data), 'ACK');
});

/** A user address space of one buffer: pointers are offsets into mem. */
function fakeIo(mem: Uint8Array, euid = 0): IoCtx {
  return {
    cred: { euid },
    copyin: (va: number, len: number) => {
      if (va < 0 || va + len > mem.length) throw Object.assign(new Error('EFAULT'), { errno: 14 });
      return mem.slice(va, va + len);
    },
    copyout: (va: number, d: Uint8Array) => {
      if (va < 0 || va + d.length > mem.length) throw Object.assign(new Error('EFAULT'), { errno: 14 });
      mem.set(d, va);
    },
  } as unknown as IoCtx;
}

test('SIOCGIFCONF, SIOCSARP/SIOCGARP/SIOCDARP through user memory', () => {
  const clock = new FakeClock();
  const h = makeHost(clock, null, 1);
  const mem = new Uint8Array(4096);
  const io = fakeIo(mem);
  const dv = new DataView(mem.buffer);
  /* struct ifconf at 0: ifc_len, then the buffer pointer at 8; NULL asks for the size. */
  dv.setInt32(0, 0, true);
  in_ioctl(h.vn, 0x8912, 0, io);
  assert.equal(dv.getInt32(0, true), 80, 'two addresses: lo0 and vke0');
  dv.setInt32(0, 80, true);
  dv.setUint32(8, 1024, true);
  in_ioctl(h.vn, 0x8912, 0, io);
  assert.equal(String.fromCharCode(...mem.subarray(1024, 1027)), 'lo0');
  assert.equal(String.fromCharCode(...mem.subarray(1064, 1068)), 'vke0');
  assert.equal(get32(mem, 1064 + 20), ip('10.0.0.1'));
  /* struct arpreq at 2048: pa@0 ha@16 flags@32 netmask@36 dev@52. */
  const ar = 2048;
  putSin(mem, ar, ip('10.0.0.77'));
  mem.set([1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff], ar + 16);
  dv.setInt32(ar + 32, 0x04, true); /* ATF_PERM */
  in_ioctl(h.vn, 0x8955, ar, io);
  mem.fill(0, ar + 16, ar + 68);
  in_ioctl(h.vn, 0x8954, ar, io);
  assert.deepEqual([...mem.subarray(ar + 18, ar + 24)], [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  assert.equal(dv.getInt32(ar + 32, true), 0x06, 'ATF_COM|ATF_PERM');
  assert.equal(String.fromCharCode(...mem.subarray(ar + 52, ar + 56)), 'vke0');
  assert.throws(() => in_ioctl(h.vn, 0x8953, ar, fakeIo(mem, 1000)), { errno: 1 });
  in_ioctl(h.vn, 0x8953, ar, io);
  assert.throws(() => in_ioctl(h.vn, 0x8954, ar, io), { errno: 6 });
  assert.throws(() => in_ioctl(h.vn, 0x1234, ar, io), { errno: 25 });
  assert.throws(() => in_ioctl(h.vn, 0x8913, 5000, io), { errno: 14 });
});
