/*
 * The live CD (issue [boot]: "CD boot (-c live.iso with the world on
 * ISO9660)"): bin/vkernel -c public/images/live.iso boots the world from
 * vcd0 read-only, with a tmpfs on /tmp, to the login prompt on a pty; root
 * logs in, the root refuses writes with EROFS and /tmp takes them; halt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';
import { noScript, shellLine, terminal } from './pty.ts';

const ISO = join(REPO, 'public', 'images', 'live.iso');

test('-c live.iso: the world from a CD, read-only root, tmpfs /tmp, login and halt', {
  skip: noScript ? 'needs script(1) for a pty' : !existsSync(ISO) && 'needs the world image: npm run buildworld',
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vk-live-'));
  const t = terminal(['-m', '128m', '-i', join(dir, 'memimg'), '-c', ISO], dir);
  try {
    const boot = await t.until(/login: $/);
    /* The real vcd driver prints nothing at attach: the root line is what shows it. */
    assert.doesNotMatch(boot, /\nvkd\d/);
    assert.match(boot, /\nMounting root from cd9660:vcd0\n/);
    t.type('root\r');
    await t.until(/root@\S+:~ # $/);
    const mounts = await shellLine(t, 'mount');
    assert.match(mounts, /\n\/dev\/vcd0 on \/ \(cd9660, local, read-only\)\n/);
    assert.match(mounts, /\ntmpfs on \/tmp \(tmpfs, local\)\n/);
    assert.match(await shellLine(t, 'touch /etc/x'), /touch: \/etc\/x: Read-only file system\n/);
    assert.match(await shellLine(t, 'echo kept > /tmp/x && cat /tmp/x'), /\nkept\n/);
    assert.match(await shellLine(t, 'ls /bin | wc -l'), /\n +\d{2,}\n/);
    const from = t.text().length;
    t.type('halt\r');
    await t.until(/The operating system has halted\.\n/, from, 120_000);
    assert.equal(await t.exited, 0);
  } finally {
    t.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
