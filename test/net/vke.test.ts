/*
 * The vke driver (kernel/dev/vke.ts) on a kernel stand-in: attach lines and
 * sysctls, MACs, the ring bound under a flood, link state, the -I address
 * assigned at the first IFF_UP, and frames both ways through a fake backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetif } from '../../kernel/kern/cmdline.ts';
import { defaultBootConfig } from '../../kernel/kern/bootconfig.ts';
import { Sysctl } from '../../kernel/kern/kern_sysctl.ts';
import type { Kernel } from '../../kernel/kern/init_main.ts';
import type { NetBackend, NetBackendHandlers } from '../../kernel/platform.ts';
import { vkeAttach, vkeRingsize, vkeUnits } from '../../kernel/dev/vke.ts';
import { IFF_RUNNING, IFF_UP, if_setflags } from '../../kernel/net/if.ts';

class FakeBackend implements NetBackend {
  readonly description = 'fake://';
  readonly tapUnit = -1;
  linkUp: boolean;
  h: NetBackendHandlers | null = null;
  mac: Uint8Array | null = null;
  sent: Uint8Array[] = [];
  constructor(up: boolean) { this.linkUp = up; }
  attach(h: NetBackendHandlers, mac: Uint8Array): void { this.h = h; this.mac = mac; }
  detach(): void { this.h = null; }
  send(f: Uint8Array): boolean { if (!this.linkUp) return false; this.sent.push(f); return true; }
  close(): void {}
}

function fakeKernel(args: string[], backends: NetBackend[], kenv: Record<string, string> = {}, verbose = false) {
  const config = defaultBootConfig();
  config.nets = args.map((a, i) => parseNetif(a, i));
  config.verbose = verbose;
  const logs: string[] = [];
  const pending: Array<() => void> = [];
  const k = {
    config,
    kenv: new Map(Object.entries(kenv)),
    sysctl: new Sysctl(),
    sched: { halted: false },
    log: (s: string) => logs.push(s),
    uptimeMs: () => performance.now(),
    platform: {
      netBackends: backends,
      randomBytes: (b: Uint8Array) => b.fill(0x5a),
      schedule: (fn: () => void) => { pending.push(fn); return () => {}; },
    },
  } as unknown as Kernel;
  const run = (): void => { while (pending.length) pending.shift()!(); };
  return { k, logs, run };
}

const sysctlInt = (k: Kernel, name: string): number => {
  return Number(k.sysctl.getByName(name));
};

test('attach: boot lines, MACs, sysctls, ring size', () => {
  const a = new FakeBackend(true), b = new FakeBackend(false);
  const { k, logs } = fakeKernel(['auto:bridge0:10.2.0.9/16=02:00:00:aa:bb:cc', 'bridge1'], [a, b], {}, true);
  vkeAttach(k);
  assert.ok(logs.includes('vke0: MAC address: 02:00:00:aa:bb:cc'), logs.join('\n'));
  assert.ok(logs.includes('vke1: MAC address: 02:5a:5a:5a:5a:01'), logs.join('\n'));
  assert.ok(logs.includes('vke0: pre-configured address 0x0a020009, netmask 0xffff0000, 256 mbuf clusters'));
  assert.equal(sysctlInt(k, 'hw.vke0.tap_unit'), -1);
  assert.equal(sysctlInt(k, 'hw.vke.max_ringsize'), 256);
  assert.deepEqual([...a.mac!], [2, 0, 0, 0xaa, 0xbb, 0xcc]);
  const [u0, u1] = vkeUnits(k);
  assert.equal(u0.ifp.name, 'vke0');
  assert.ok(u0.ifp.flags & IFF_RUNNING, 'connected backend: running');
  assert.equal(u1.ifp.flags & IFF_RUNNING, 0, 'disconnected backend: no carrier');
  assert.equal(u1.ifp.linkUp, false);
});

test('hw.vke.max_ringsize: tunable rounded down to a power of two, default within 8..256', () => {
  const { k } = fakeKernel(['auto'], [], { 'hw.vke.max_ringsize': '100' });
  assert.equal(vkeRingsize(k, 1), 64);
  const small = fakeKernel(['auto'], []);
  small.k.config.memSize = 4 * 1024 * 1024;
  assert.equal(vkeRingsize(small.k, 16), 8);
  assert.equal(vkeRingsize(fakeKernel(['auto'], []).k, 2), 256);
});

test('a flood from the host is bounded by the ring and counted in iqdrops', () => {
  const be = new FakeBackend(true);
  const { k, run } = fakeKernel(['auto'], [be], { 'hw.vke.max_ringsize': '16' });
  vkeAttach(k);
  const sc = vkeUnits(k)[0];
  if_setflags(sc.ifp, sc.ifp.flags | IFF_UP);
  /* 10000 unknown-ethertype frames arrive in one host turn: nothing runs until the soft interrupt. */
  const f = new Uint8Array(60);
  f.fill(0xff, 0, 6);
  f[12] = 0x88; f[13] = 0x99;
  for (let i = 0; i < 10000; i++) be.h!.receive(f.slice());
  assert.equal(sc.ring.length, 16);
  run();
  assert.equal(sc.ring.length, 0);
  assert.equal(sc.ifp.ipackets, 16);
  /* 9984 ring drops, plus the 16 delivered frames the stack dropped as unknown ethertypes. */
  assert.equal(sc.ifp.iqdrops, 9984 + 16);
});

test('link state follows the backend; frames go out only with a link', () => {
  const be = new FakeBackend(false);
  const { k, logs } = fakeKernel(['auto'], [be]);
  vkeAttach(k);
  const sc = vkeUnits(k)[0];
  const frame = new Uint8Array(60);
  sc.ifp.if_output!(sc.ifp, frame);
  assert.equal(sc.ifp.oerrors, 1);
  be.linkUp = true;
  be.h!.link(true);
  assert.ok(sc.ifp.flags & IFF_RUNNING);
  assert.ok(logs.includes('vke0: link state changed to UP'));
  sc.ifp.if_output!(sc.ifp, frame);
  assert.equal(be.sent.length, 1);
  be.linkUp = false;
  be.h!.link(false);
  assert.equal(sc.ifp.flags & IFF_RUNNING, 0);
  assert.ok(logs.includes('vke0: link state changed to DOWN'));
});

test('the -I guest address is assigned when the interface is brought up, not before', () => {
  const be = new FakeBackend(true);
  const { k } = fakeKernel(['auto:bridge0:10.2.0.9/16'], [be]);
  vkeAttach(k);
  const ifp = vkeUnits(k)[0].ifp;
  assert.equal(ifp.addrs.length, 0);
  if_setflags(ifp, ifp.flags | IFF_UP);
  assert.deepEqual(ifp.addrs.map((a) => [a.addr, a.mask, a.broadcast]), [[0x0a020009, 0xffff0000, 0x0a02ffff]]);
  /* An address the guest chose stays when the interface goes down and up again. */
  if_setflags(ifp, ifp.flags & ~IFF_UP);
  ifp.addrs[0].addr = 0x0a020063;
  if_setflags(ifp, ifp.flags | IFF_UP);
  assert.equal(ifp.addrs.length, 1);
  assert.equal(ifp.addrs[0].addr, 0x0a020063);
});

test('no backend (no host side): the interface attaches without carrier', () => {
  const { k } = fakeKernel(['auto'], []);
  vkeAttach(k);
  const sc = vkeUnits(k)[0];
  assert.equal(sc.ifp.linkUp, false);
  sc.ifp.if_output!(sc.ifp, new Uint8Array(60));
  assert.equal(sc.ifp.oerrors, 1);
});
