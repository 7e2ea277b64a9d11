/*
 * Crash safety: crashload.c runs a write workload as init (creates, appends,
 * renames, unlinks, mkdir/rmdir, sync, and fsync'ed files recorded in an
 * fsync'ed /journal); the test kills bin/vkernel with SIGKILL at seeded
 * random points. After each kill the image checks clean or is repaired by
 * the UFS library's fsck, and every file named by a complete journal line
 * is there with exactly its contents. The next boot continues the workload
 * on the repaired image.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import { compile, have, makeRoot, REPO, run, scratch } from './storage_helpers.ts';

const ready = have('riscv64-linux-gnu-gcc') && have('makefs');
const skip = ready ? false : 'needs riscv64-linux-gnu-gcc and makefs';

let tmp: { dir: string; done(): void };
let root = '';

before(() => {
  if (!ready) return;
  tmp = scratch();
  root = makeRoot(tmp.dir, [compile('crashload', tmp.dir)]);
});

after(() => tmp?.done());

/* mulberry32: the kill points are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/* What crashload.c's fill() writes. */
function fill(seed: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = 0x61 + ((seed + i * 7 + Math.floor(i / 13)) % 26);
  return b;
}

/** Boot, wait for "run N" and then delayMs more, SIGKILL. Resolves with the console output. */
function bootAndKill(img: string, delayMs: number): Promise<{ out: string; killed: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO, 'bin/vkernel'), ['-m', '64m', '-r', img, '-e', 'vfs.root.mountfrom=ufs:vkd0', '-e', 'init_path=/bin/crashload'], {
      cwd: tmp.dir, env: { ...process.env, VKERNEL_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', killed = false;
    const kill = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, delayMs);
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, 30000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    child.on('close', (status) => { clearTimeout(timer); clearTimeout(kill); resolve({ out: out.replace(/\r\n/g, '\n'), killed, status }); });
  });
}

/** Check (repair if needed) the image on the host, write the repair back, verify the journal. Returns the entries checked. */
function checkAfterCrash(img: string, round: number): Set<string> {
  const bytes = new Uint8Array(fs.readFileSync(img));
  const dev = new MemBlockDev(bytes);
  let r = fsck(dev, {});
  if (!(r.ok && r.clean)) {
    console.log(`round ${round}: fsck ${r.clean ? 'clean flag set' : 'dirty'}, ${r.errors.length} errors; repairing`);
    const fixed = fsck(dev, { repair: true });
    assert.deepEqual(fixed.errors, [], `round ${round}: fsck repair left errors (before: ${r.errors.slice(0, 5).join('; ')})`);
    r = fsck(dev, {});
    assert.ok(r.ok && r.clean, `round ${round}: clean after repair: ${r.errors.slice(0, 5).join('; ')}`);
    fs.writeFileSync(img, bytes);
  }
  const v = UfsVolume.mount(dev, { readonly: true });
  let jino = 0;
  try { jino = v.lookup(v.root, 'journal'); } catch { return new Set(); }
  const journal = Buffer.from(v.read(jino, 0, v.getattr(jino).size)).toString('latin1');
  const seen = new Set<string>();
  for (const line of journal.split('\n').slice(0, -1)) {
    const m = /^\/(r\d+)\/(k\d+) (\d+) (\d+)$/.exec(line);
    if (!m) continue; /* a torn, unsynced tail */
    const [, d, f, len, seed] = m;
    const ino = v.lookup(v.lookup(v.root, d), f);
    assert.equal(v.getattr(ino).size, Number(len), `round ${round}: size of /${d}/${f}`);
    const got = Buffer.from(v.read(ino, 0, Number(len)));
    assert.ok(got.equals(fill(Number(seed), Number(len))), `round ${round}: contents of /${d}/${f}`);
    seen.add(`/${d}/${f}`);
  }
  return seen;
}

test('SIGKILL at seeded random points of a write workload: fsck clean or repaired, every fsync\'ed file intact', { skip }, async () => {
  const img = path.join(tmp.dir, 'crash.img');
  run('makefs', ['-t', 'ffs', '-o', 'version=1', '-s', '64m', '-f', '8000', img, root]);
  const rand = rng(0xc0ffee);
  let verified = 0;
  for (let round = 0; round < 4; round++) {
    const delay = 1500 + Math.floor(rand() * 5000);
    const r = await bootAndKill(img, delay);
    assert.doesNotMatch(r.out, /panic:|FAIL/, r.out);
    console.log(`round ${round}: killed after ${delay} ms, ${r.out.split('\n').filter((l) => l.startsWith('progress')).length} progress lines seen`);
    assert.ok(r.killed, `round ${round}: killed ${delay} ms after boot: ${r.out}`);
    const entries = checkAfterCrash(img, round);
    const n = entries.size;
    /* crashload prints "progress I" after kI's fsync and journal fsync returned: those must be on disk. */
    const last = Math.max(-1, ...[...r.out.matchAll(/^progress (\d+)$/gm)].map((m) => Number(m[1])));
    const runNo = /^run (\d+)$/m.exec(r.out)?.[1];
    if (runNo !== undefined && last >= 0) {
      const k = last - (last % 3);
      assert.ok(entries.has(`/r${runNo}/k${k}`), `round ${round}: /r${runNo}/k${k} was fsync'ed before "progress ${last}" but is not in the journal`);
    }
    console.log(`round ${round}: ${n} fsync'ed files verified`);
    assert.ok(n >= verified, `round ${round}: journal entries lost (${n} < ${verified})`);
    verified = n;
  }
  assert.ok(verified > 4, `fsync'ed files verified: ${verified}`);
});
