/* Unit tests of relay pieces that the socket tests reach only indirectly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDhcp, Opt } from '../../relay/dhcp-packet.ts';
import { MacTable } from '../../relay/switch.ts';
import { ClientLimiter } from '../../relay/limits.ts';
import { roomFromPath } from '../../relay/options.ts';
import { parseMac, formatMac, isGroupMac } from '../../relay/mac.ts';
import { dhcpFrame, DISCOVER } from './dhcp-client.ts';

test('dhcp-packet: option overload (52) reads options from file and sname; repeated options concatenate', () => {
  const f = dhcpFrame('02:00:00:00:80:01', { xid: 5, type: DISCOVER });
  const bootp = Buffer.from(f.subarray(42, 42 + 240));
  bootp.set([Opt.RequestedIp, 4, 10, 2, 0, 9, 255], 108); // file field
  bootp.set([12, 2, 0x68, 0x69, 255], 44); // sname field: host name "hi"
  const opts = Buffer.from([53, 1, 1, 52, 1, 3, 12, 1, 0x21, 255]);
  const m = parseDhcp(Buffer.concat([bootp, opts]))!;
  assert.ok(m);
  assert.deepEqual([...m.options.get(Opt.RequestedIp)!], [10, 2, 0, 9]);
  assert.equal(Buffer.from(m.options.get(12)!).toString(), '!hi', 'RFC 3396 concatenation in field order');
  assert.equal(parseDhcp(Buffer.concat([bootp, Buffer.from([53, 5, 1])])), undefined, 'option running past the end');
  assert.equal(parseDhcp(bootp.subarray(0, 200)), undefined);
});

test('switch: a full table still answers, refuses to learn, and recovers once entries age', () => {
  let now = 0;
  const t = new MacTable<{ id: string }>({ agingMs: 1000, limit: 2, perPort: 4, now: () => now });
  const p = { id: 'p' };
  const q = { id: 'q' };
  assert.equal(t.learn(1 * 2 ** 40 * 2 + 1, p), 'ok');
  assert.equal(t.learn(0x020000000002, p), 'ok');
  assert.equal(t.learn(0x020000000003, q), 'table-full');
  assert.equal(t.lookup(0x020000000003), undefined);
  now = 1500;
  assert.equal(t.learn(0x020000000003, q), 'ok');
  assert.equal(t.lookup(0x020000000003), q);
  assert.equal(t.size, 1);
});

test('limits: token buckets refill with time and abuse needs consecutive seconds', () => {
  const l = new ClientLimiter({ fps: 10, bps: 1e9, abuseSeconds: 2 }, 0);
  let dropped = 0;
  for (let i = 0; i < 20; i++) if (l.admit(60, 0)) dropped++;
  assert.equal(dropped, 10);
  assert.equal(l.admit(60, 500), undefined, 'half a second refills five frames');
  for (let s = 1; s <= 3; s++) for (let i = 0; i < 20; i++) l.admit(60, s * 1000 + i);
  assert.equal(l.abusive(), true);
  const calm = new ClientLimiter({ fps: 10, bps: 1e9, abuseSeconds: 2 }, 0);
  for (let i = 0; i < 20; i++) calm.admit(60, 0);
  calm.admit(60, 2500); // a quiet second in between forgives
  for (let i = 0; i < 20; i++) calm.admit(60, 2600);
  assert.equal(calm.abusive(), false);
});

test('rooms and MACs: names are validated, MACs round-trip', () => {
  assert.equal(roomFromPath('/'), 'default');
  assert.equal(roomFromPath('/bridge0'), 'bridge0');
  assert.equal(roomFromPath('/bridge0/'), 'bridge0');
  for (const bad of ['/a/b', '/..', '/-x', '/a b', `/${'x'.repeat(65)}`, '/é']) assert.equal(roomFromPath(bad), undefined, bad);
  assert.equal(formatMac(parseMac('02:76:6B:6E:65:74')!), '02:76:6b:6e:65:74');
  assert.equal(isGroupMac(parseMac('01:00:5e:00:00:01')!), true);
  assert.equal(isGroupMac(parseMac('ff:ff:ff:ff:ff:ff')!), true);
  assert.equal(isGroupMac(parseMac('02:00:00:00:00:01')!), false);
});
