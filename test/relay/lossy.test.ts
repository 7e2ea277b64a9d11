import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Impairment, Prng } from '../../relay/lossy.ts';
import { testRelay, TestClient, BCAST, eth, until } from './helpers.ts';

const A = '02:00:00:00:60:01';
const B = '02:00:00:00:60:02';
const SPEC = { drop: 0.1, dup: 0.05, reorder: 0.1, seed: 1 };

function run(seed: number, n: number): { out: number[]; stats: Impairment['stats'] } {
  const imp = new Impairment({ ...SPEC, seed });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = Buffer.alloc(14);
    f.writeUInt32BE(i, 0);
    imp.process(f, (x) => out.push(x.readUInt32BE(0)));
  }
  imp.release();
  return { out, stats: imp.stats };
}

test('lossy: the impairment is deterministic for a seed and close to its probabilities', () => {
  const a = run(1, 10000);
  const b = run(1, 10000);
  assert.deepEqual(a.out, b.out, 'same seed, same result');
  assert.notDeepEqual(run(2, 10000).out, a.out, 'another seed, another result');
  const s = a.stats;
  assert.equal(s.seen, 10000);
  assert.ok(Math.abs(s.dropped - 1000) < 150, `dropped ${s.dropped}`);
  assert.ok(Math.abs(s.duplicated - 450) < 120, `duplicated ${s.duplicated}`);
  assert.ok(s.reordered > 500 && s.reordered < 1000, `reordered ${s.reordered}`);
  assert.equal(a.out.length, s.seen - s.dropped + s.duplicated);
  let inversions = 0;
  for (let i = 1; i < a.out.length; i++) if (a.out[i] < a.out[i - 1]) inversions++;
  assert.equal(inversions, s.reordered, 'each held frame arrives after exactly the frame that overtook it');
  const p = new Prng(0);
  for (let i = 0; i < 1000; i++) {
    const x = p.next();
    assert.ok(x >= 0 && x < 1);
  }
});

async function throughRelay(): Promise<{ got: number[]; clean: number[]; lossy: NonNullable<Awaited<ReturnType<Awaited<ReturnType<typeof testRelay>>['status']>>['rooms'][number]['lossy']> }> {
  const r = await testRelay({ lossy: SPEC, lossyRooms: ['lossy0'] });
  const [a, b, c, d] = await Promise.all(['lossy0', 'lossy0', 'clean', 'clean'].map((room) => TestClient.connect(r.url(room))));
  try {
    const frame = (i: number, src: string): Buffer => {
      const p = Buffer.alloc(46);
      p.writeUInt32BE(i, 0);
      return eth(BCAST, src, 0x88b5, p);
    };
    for (let i = 0; i < 500; i++) {
      a.send(frame(i, A));
      c.send(frame(i, B));
    }
    await until(async () => {
      const st = await r.status();
      return st.rooms.find((x) => x.name === 'lossy0')!.lossy!.seen === 500 && st.totals.framesIn === 1000;
    }, 'frames through', 5000);
    await new Promise((res) => setTimeout(res, 60)); // let a held frame flush
    const st = await r.status();
    const got = b.frames.map((f) => f.readUInt32BE(14));
    const clean = d.frames.map((f) => f.readUInt32BE(14));
    return { got, clean, lossy: st.rooms.find((x) => x.name === 'lossy0')!.lossy! };
  } finally {
    [a, b, c, d].forEach((x) => x.close());
    await r.close();
  }
}

test('lossy: a lossy room drops, duplicates and reorders reproducibly; other rooms are clean', async () => {
  const one = await throughRelay();
  const s = one.lossy;
  assert.equal(s.seen, 500);
  assert.ok(s.dropped > 20 && s.duplicated > 5 && s.reordered > 20, JSON.stringify(s));
  assert.equal(one.got.length, s.seen - s.dropped + s.duplicated);
  assert.deepEqual(one.clean, [...Array(500).keys()], 'the clean room is untouched');
  const two = await throughRelay();
  assert.deepEqual(two.got, one.got, 'fixed seed: the same frames lost, doubled and reordered');
  assert.deepEqual(two.lossy, s);
});
