/*
 * Demand paging from the image (issue [world]): bin/vkernel boots a copy of
 * the world's root image (public/images/root.img) on a pty and root logs in.
 * By the time the shell prompts, the disk has transferred far less than the
 * root file system holds: init, getty, login and sh are paged in as they
 * run, not read whole, and nothing else is read. iostat -xI gives the bytes
 * read from vkd0 since boot; df the bytes in use on /.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';
import { noScript, shellLine, terminal } from './pty.ts';

const IMAGE = join(REPO, 'public', 'images', 'root.img');
const WORLD = join(REPO, 'build', 'world', 'root');

test('login on the world image reads far less from vkd0 than / holds', {
  skip: noScript ? 'needs script(1) for a pty' : !existsSync(IMAGE) && 'needs the world image: npm run buildworld',
  timeout: 300_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vk-demand-'));
  const img = join(dir, 'root.img');
  copyFileSync(IMAGE, img);
  const term = terminal(['-m', '128m', '-i', join(dir, 'memimg'), '-r', img], dir);
  try {
    await term.until(/login: $/, 0, 120_000);
    term.type('root\r');
    await term.until(/root@\S+:~ # $/, 0, 120_000);

    /* First what the boot and login moved, before df or iostat themselves are paged in. */
    const io = await shellLine(term, 'iostat -xI vkd0');
    const m = /\ndevice +r\/i +w\/i +kr\/i +kw\/i\nvkd0 +(\d+) +(\d+) +([\d.]+) +([\d.]+)\n/.exec(io);
    assert.ok(m, `iostat -xI vkd0:\n${io}`);
    const [reads, readKB, writtenKB] = [Number(m[1]), Number(m[3]), Number(m[4])];
    const tot = await shellLine(term, 'iostat -dI vkd0');
    const mt = /\n +KB\/t +xfrs +MB *\n +[\d.]+ +(\d+) +([\d.]+) *\n/.exec(tot);
    assert.ok(mt, `iostat -dI vkd0:\n${tot}`);
    const df = await shellLine(term, 'df -k /');
    const d = /\n\S+ +(\d+) +(\d+) +(\d+) +\d+% +\/\n/.exec(df);
    assert.ok(d, `df -k /:\n${df}`);
    const usedKB = Number(d[2]);
    /* The files the boot and the login ran, had they been read whole. */
    const ran = ['sbin/init', 'bin/sh', 'sbin/fsck', 'sbin/fsck_ffs', 'usr/libexec/getty', 'usr/bin/login',
      'lib/riscv64-linux-gnu/libc.so.6', 'lib/ld-linux-riscv64-lp64d.so.1'];
    const ranKB = ran.reduce((n, f) => n + statSync(join(WORLD, f)).size, 0) / 1024;
    t.diagnostic(`vkd0 since boot: ${reads} reads, ${readKB} KB read, ${writtenKB} KB written ` +
      `(iostat -dI: ${mt[1]} transfers, ${mt[2]} MB); / in use: ${usedKB} KB; ` +
      `read ${((100 * readKB) / usedKB).toFixed(1)}% of it; init, sh, fsck, getty, login, libc and ld.so whole: ${ranKB.toFixed(0)} KB`);
    assert.ok(reads > 0 && readKB > 0, 'the boot read from vkd0');
    assert.ok(readKB < usedKB / 2, `read ${readKB} KB of ${usedKB} KB in use: not paged on demand`);
    /* iostat -dI's total is the same transfers, reads and writes together. */
    assert.ok(Math.abs(Number(mt[2]) * 1024 - (readKB + writtenKB)) < 64, `${tot}`);

    /*
     * libc has been mapped by every process so far; reading it whole now
     * still has to fetch from the disk the blocks no process touched
     * (pages come in a file system block at a time, so most were).
     */
    const libc = 'lib/riscv64-linux-gnu/libc.so.6';
    const libcKB = statSync(join(WORLD, libc)).size / 1024;
    const after = await shellLine(term, `cat /${libc} > /dev/null; iostat -xI vkd0`);
    const ma = /\nvkd0 +\d+ +\d+ +([\d.]+) +[\d.]+\n/.exec(after);
    assert.ok(ma, after);
    const libcReadKB = Number(ma[1]) - readKB;
    t.diagnostic(`cat libc.so.6 (${libcKB.toFixed(0)} KB) afterwards read ${libcReadKB.toFixed(0)} KB more from vkd0`);
    assert.ok(libcReadKB > 0, 'libc was read whole by the boot');

    const from = term.text().length;
    term.type('halt\r');
    await term.until(/The operating system has halted\.\n/, from, 120_000);
    assert.equal(await term.exited, 0);
  } finally {
    term.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
