/*
 * Rock Ridge entry decoding on hand-made SUSP entries: the cases writers
 * rarely produce (continued NM and SL, root and parent components, long-form
 * TF, PX with a serial number, time zone offsets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rripAnalyze } from '../../kernel/fs/cd9660/cd9660_rrip.ts';
import type { SuspEntry } from '../../kernel/fs/cd9660/cd9660_susp.ts';
import { isoTime17, isoTime7 } from '../../kernel/fs/cd9660/cd9660_time.ts';
import { Cd9660Error } from '../../kernel/fs/cd9660/cd9660_error.ts';

const ent = (sig: string, ...body: (number | string)[]): SuspEntry => ({
  sig, version: 1,
  body: Uint8Array.from(body.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x]))),
});
const both = (v: number): number[] => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24, v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255];

test('NM continued over several entries; "." and ".." flags name nothing', () => {
  assert.equal(rripAnalyze([ent('NM', 1, 'abc'), ent('NM', 1, 'def'), ent('NM', 0, 'g')]).name, 'abcdefg');
  assert.equal(rripAnalyze([ent('NM', 2)]).name, null);
  assert.equal(rripAnalyze([ent('NM', 0, 'a'), ent('NM', 0, 'b')]).name, 'a', 'a finished name stays finished');
});

test('SL components: root, parent, current, continued components and entries', () => {
  const sl = rripAnalyze([
    ent('SL', 1, 8, 0, 0, 3, 'usr', 1, 2, 'lo'),   // "/usr/lo" + continued component…
    ent('SL', 0, 0, 3, 'cal', 4, 0, 2, 0, 0, 3, 'bin'), // …"cal", "..", ".", "bin"
  ]).symlink;
  assert.equal(sl, '/usr/local/.././bin');
  assert.equal(rripAnalyze([ent('SL', 0, 0, 1, 'x')]).symlink, 'x');
  assert.throws(() => rripAnalyze([ent('SL', 0, 0, 9, 'x')]), Cd9660Error);
});

test('PX with and without a serial number; PN; CL/PL/RE', () => {
  const a = rripAnalyze([ent('PX', ...both(0o100644), ...both(3), ...both(1000), ...both(100), ...both(77))]);
  assert.deepEqual([a.mode, a.nlink, a.uid, a.gid, a.serial], [0o100644, 3, 1000, 100, 77]);
  assert.equal(rripAnalyze([ent('PX', ...both(0o40755), ...both(2), ...both(0), ...both(0))]).serial, null);
  assert.equal(rripAnalyze([ent('PN', ...both(0), ...both(0x0103))]).rdev, 0x0103);
  assert.equal(rripAnalyze([ent('PN', ...both(8), ...both(300))]).rdev, 44 | (8 << 8) | (256 << 12));
  const r = rripAnalyze([ent('CL', ...both(40)), ent('PL', ...both(41)), ent('RE')]);
  assert.deepEqual([r.childLink, r.parentLink, r.relocated], [40, 41, true]);
  assert.equal(rripAnalyze([ent('XY', 1, 2)]).present, false);
});

test('TF short and long forms, in flag order', () => {
  const short = rripAnalyze([ent('TF', 0x06, 120, 1, 2, 3, 4, 5, 0, 121, 6, 7, 8, 9, 10, 0)]).times;
  assert.equal(short.mtime?.sec, Date.UTC(2020, 0, 2, 3, 4, 5) / 1000);
  assert.equal(short.atime?.sec, Date.UTC(2021, 5, 7, 8, 9, 10) / 1000);
  assert.equal(short.btime, undefined);
  const long = rripAnalyze([ent('TF', 0x81, '2001020304050607', 0)]).times;
  assert.deepEqual(long.btime, { sec: Date.UTC(2001, 1, 3, 4, 5, 6) / 1000, nsec: 70_000_000 });
});

test('timestamps honour the GMT offset; zero dates are the epoch', () => {
  // 12:00 at GMT+2 (8 quarter hours) is 10:00 GMT.
  assert.equal(isoTime7(Uint8Array.of(100, 6, 1, 12, 0, 0, 8), 0).sec, Date.UTC(2000, 5, 1, 10) / 1000);
  assert.equal(isoTime7(Uint8Array.of(100, 6, 1, 12, 0, 0, 0xf8), 0).sec, Date.UTC(2000, 5, 1, 14) / 1000);
  assert.equal(isoTime7(new Uint8Array(7), 0).sec, 0);
  assert.equal(isoTime17(Uint8Array.from([...'0000000000000000'].map((c) => c.charCodeAt(0)).concat([0])), 0).sec, 0);
});
