import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCmdline, parseMemSize, parseKenv, parseNetif, parseCpulock, formatCmdline, CmdlineError, EX_USAGE,
} from '../../kernel/kern/cmdline.ts';

function boot(args: string[]) {
  const r = parseCmdline(args);
  assert.equal(r.kind, 'boot');
  if (r.kind !== 'boot') throw new Error('unreachable');
  return r.config;
}

function fails(fn: () => unknown, message: string | RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CmdlineError);
    assert.equal(e.status, EX_USAGE);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('no arguments and -h show the usage', () => {
  fails(() => parseCmdline([]), '');
  assert.deepEqual(parseCmdline(['-h']), { kind: 'help' });
  fails(() => parseCmdline(['-x']), 'vkernel: illegal option -- x');
  fails(() => parseCmdline(['-m']), 'vkernel: option requires an argument -- m');
});

test('-m takes bytes and k/m/g suffixes with the real limits', () => {
  assert.equal(parseMemSize('64m'), 64 << 20);
  assert.equal(parseMemSize('128M'), 128 << 20);
  assert.equal(parseMemSize('1g'), 1 << 30);
  assert.equal(parseMemSize('1G'), 1 << 30);
  assert.equal(parseMemSize('65536k'), 64 << 20);
  assert.equal(parseMemSize(String(96 << 20)), 96 << 20);
  fails(() => parseMemSize('lots'), 'Bad maxmem option');
  fails(() => parseMemSize('12q'), 'Bad maxmem option');
  fails(() => parseMemSize('32m'), 'Bad maxmem specification: 64MB minimum, multiples of 2MB only');
  fails(() => parseMemSize('65m'), 'Bad maxmem specification: 64MB minimum, multiples of 2MB only');
});

test('-n is 1..16 with optional topology bits, default 2', () => {
  assert.equal(boot(['-m', '64m']).ncpus, 2);
  const c = boot(['-n', '4:1:1']);
  assert.deepEqual([c.ncpus, c.lbits, c.cbits], [4, 1, 1]);
  fails(() => boot(['-n', '0']), 'Bad ncpus, valid range is 1-16');
  fails(() => boot(['-n', '17']), 'Bad ncpus, valid range is 1-16');
  fails(() => boot(['-n', 'two']), 'Bad ncpus, valid range is 1-16');
});

test('-l any|map[,N]|N is checked against the host CPUs', () => {
  assert.deepEqual(parseCpulock('any', 2), { mode: 'any' });
  assert.deepEqual(parseCpulock('map', 2), { mode: 'map', start: 0 });
  assert.deepEqual(parseCpulock('map,1', 2), { mode: 'map', start: 1 });
  assert.deepEqual(parseCpulock('1', 2), { mode: 'cpu', cpu: 1 });
  fails(() => parseCpulock('x', 2), "Bad target CPU number at 'x'");
  fails(() => parseCpulock('2', 2), 'Bad target CPU, valid range is 0-1');
});

test('-e repeats, splits on colons, quotes protect colons', () => {
  assert.deepEqual(parseKenv('a=1:b=2'), [['a', '1'], ['b', '2']]);
  assert.deepEqual(parseKenv(`x="1:2":y='a:b'`), [['x', '1:2'], ['y', 'a:b']]);
  const c = boot(['-e', 'init_path=/bin/sh', '-e', 'vfs.root.mountfrom=ufs:vkd0s1a:hw.x=3']);
  assert.equal(c.kenv.get('init_path'), '/bin/sh');
  assert.equal(c.kenv.get('vfs.root.mountfrom'), 'ufs:vkd0s1a');
  assert.equal(c.kenv.get('hw.x'), '3');
  assert.deepEqual(parseKenv('a=ufs:vkd0s0a'), [['a', 'ufs:vkd0s0a']]);
  fails(() => parseKenv('novalue'), /Bad environment variable/);
  fails(() => parseKenv('=x'), /Bad environment variable/);
});

test('-r and -c: command-line order, serial numbers, 16 at most', () => {
  const c = boot(['-c', 'live.iso', '-r', 'root.img:SER123', '-r', 'data.img']);
  assert.deepEqual(c.disks.map((d) => [d.kind, d.unit, d.path, d.serno]), [
    ['vcd', 0, 'live.iso', undefined], ['vkd', 0, 'root.img', 'SER123'], ['vkd', 1, 'data.img', undefined],
  ]);
  const many = Array.from({ length: 17 }, (_, i) => ['-r', `d${i}.img`]).flat();
  fails(() => boot(many), /Too many disk devices/);
});

test('-I accepts the seven address forms, MACs and ws:// URLs', () => {
  assert.deepEqual(parseNetif('auto', 0), { unit: 0, iface: 'auto', mac: undefined });
  assert.equal(parseNetif('tap0:10.0.0.1', 0).hostAddr, '10.0.0.1');
  assert.equal(parseNetif('tap0:10.0.0.1/24', 0).netmaskLen, 24);
  const ab = parseNetif('tap0:10.0.0.1:10.0.0.2', 0);
  assert.deepEqual([ab.hostAddr, ab.guestAddr], ['10.0.0.1', '10.0.0.2']);
  const man = parseNetif('/var/run/vknet:0.0.0.0:10.2.0.2/16', 1);
  assert.deepEqual([man.iface, man.hostAddr, man.guestAddr, man.netmaskLen], ['/var/run/vknet', '0.0.0.0', '10.2.0.2', 16]);
  assert.equal(parseNetif('auto:bridge0', 0).bridge, 'bridge0');
  const bz = parseNetif('auto:bridge1:10.2.0.5/16=02:00:00:00:00:01', 0);
  assert.deepEqual([bz.bridge, bz.guestAddr, bz.netmaskLen, bz.mac], ['bridge1', '10.2.0.5', 16, '02:00:00:00:00:01']);
  const ws = parseNetif('ws://localhost:8080/room:bridge0', 0);
  assert.deepEqual([ws.iface, ws.bridge], ['ws://localhost:8080/room', 'bridge0']);
  /* Without a path the port ends the URL: the room follows as address1. */
  const np = parseNetif('ws://127.0.0.1:8086:bridge3:10.2.0.9/16', 0);
  assert.deepEqual([np.iface, np.bridge, np.guestAddr, np.netmaskLen], ['ws://127.0.0.1:8086', 'bridge3', '10.2.0.9', 16]);
  assert.deepEqual([parseNetif('wss://relay.example:bridge1', 0).iface, parseNetif('wss://relay.example:bridge1', 0).bridge],
    ['wss://relay.example', 'bridge1']);
  assert.equal(parseNetif('ws://[::1]:8086/lab:bridge2', 0).iface, 'ws://[::1]:8086/lab');
  fails(() => parseNetif('ws://:8086/', 0), 'Invalid relay URL: ws://:8086/');
  fails(() => parseNetif('tap0:300.1.1.1', 0), 'Invalid pseudo netif address: 300.1.1.1');
  fails(() => parseNetif('tap0:10.0.0.1/32', 0), 'Invalid netmask len: 32');
  fails(() => parseNetif('', 0), "Invalid argument to '-I'");
});

test('-I: each of the seven address forms of vkernel(7), and their errors', () => {
  const f = (arg: string) => {
    const n = parseNetif(arg, 0);
    return [n.iface, n.bridge ?? n.hostAddr, n.guestAddr, n.netmaskLen];
  };
  assert.deepEqual(f('tap0:10.0.0.1'), ['tap0', '10.0.0.1', undefined, undefined]);          // a
  assert.deepEqual(f('tap0:10.0.0.1/24'), ['tap0', '10.0.0.1', undefined, 24]);              // a/z
  assert.deepEqual(f('tap0:10.0.0.1:10.0.0.2'), ['tap0', '10.0.0.1', '10.0.0.2', undefined]); // a:b
  assert.deepEqual(f('tap0:10.0.0.1:10.0.0.2/30'), ['tap0', '10.0.0.1', '10.0.0.2', 30]);    // a:b/z
  assert.deepEqual(f('auto:bridge0'), ['auto', 'bridge0', undefined, undefined]);            // bridgeX
  assert.deepEqual(f('auto:bridge12:10.2.0.7'), ['auto', 'bridge12', '10.2.0.7', undefined]); // bridgeX:b
  assert.deepEqual(f('auto:bridge1:10.2.0.7/16'), ['auto', 'bridge1', '10.2.0.7', 16]);      // bridgeX:b/z
  assert.deepEqual(f('ws://127.0.0.1:8086/lab:bridge2:10.2.0.3/16'), ['ws://127.0.0.1:8086/lab', 'bridge2', '10.2.0.3', 16]);
  assert.deepEqual(f('bridge3'), ['bridge3', undefined, undefined, undefined]);
  assert.equal(parseNetif('auto=02:AA:bb:00:00:01', 0).mac, '02:aa:bb:00:00:01');
  fails(() => parseNetif('tap0:10.0.0.1/0', 0), 'Invalid netmask len: 0');
  fails(() => parseNetif('tap0:10.0.0.1/x', 0), 'Invalid netmask len: x');
  fails(() => parseNetif('tap0:bridgeX', 0), 'Invalid pseudo netif address: bridgeX');
  fails(() => parseNetif('tap0:10.0.0.1:bridge0', 0), 'Invalid pseudo netif address: bridge0');
  fails(() => parseNetif('tap0:1.2.3.4:5.6.7.8:9.9.9.9', 0), "Invalid argument to '-I'");
  fails(() => parseNetif('tap0:', 0), "Invalid argument to '-I'");
  fails(() => parseNetif('ws://h:1/rxx:', 0), /Invalid/);
  fails(() => parseNetif('auto=01:00:5e:00:00:01', 0), 'Invalid MAC address: 01:00:5e:00:00:01');
  fails(() => parseNetif('auto=00:00:00:00:00:00', 0), 'Invalid MAC address: 00:00:00:00:00:00');
  fails(() => parseNetif('auto=02:00:00:00:00', 0), 'Invalid MAC address: 02:00:00:00:00');
  const many = Array.from({ length: 17 }, () => ['-I', 'auto']).flat();
  fails(() => boot(many), /Too many network interfaces/);
  assert.equal(boot(['-I', 'auto', '-I', 'bridge1']).nets[1].unit, 1);
});

test('formatCmdline round-trips', () => {
  const args = ['-sv', '-m', '256m', '-n', '4', '-r', 'root.img:S1', '-c', 'x.iso', '-I', 'auto:bridge0', '-e', 'a=1:b=2'];
  const c = boot(args);
  const again = boot(formatCmdline(c));
  assert.deepEqual(again, c);
});
