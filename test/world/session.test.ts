/*
 * The teacher's session (issue [world]): bin/vkernel boots a copy of the
 * world's root image (public/images/root.img) on a real terminal (a pty via
 * script(1)), root logs in, and the commands a class looks at run one after
 * another: ls, cat, ps, a pipeline, df, mount, dmesg, sysctl, a vi edit
 * saved, top refreshing, ktrace ls; kdump | head, background jobs with ^Z
 * and fg, then halt. Afterwards the image checks clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { imageDev } from '../storage/storage_helpers.ts';
import { REPO } from '../../tools/buildworld.ts';
import { noScript, shellLine, terminal } from './pty.ts';

const IMAGE = join(REPO, 'public', 'images', 'root.img');

test('a teacher\'s session on the console: log in, look around, jobs, halt', {
  skip: noScript ? 'needs script(1) for a pty' : !existsSync(IMAGE) && 'needs the world image: npm run buildworld',
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vk-session-'));
  const img = join(dir, 'root.img');
  copyFileSync(IMAGE, img);
  const t = terminal(['-m', '128m', '-i', join(dir, 'memimg'), '-r', img], dir);
  try {
    await t.until(/login: $/);
    t.type('root\r');
    await t.until(/root@\S+:~ # $/);

    /* Each command: type it, wait for its output and the next prompt. */
    const sh = async (line: string, want: RegExp): Promise<string> => {
      const out = await shellLine(t, line);
      assert.match(out, want, `${line}:\n${out}`);
      return out;
    };
    await sh('ls -la /', /\ndrwxr-xr-x +\d+ root +wheel +\d+ \w{3} [ \d]\d [ \d:]{5} etc\n/);
    await sh('cat /etc/rc.conf', /hostname="/);
    const ps = await sh('ps aux', /\nUSER +PID +%CPU +%MEM +VSZ +RSS +TT +STAT +STARTED +TIME +COMMAND\n/);
    assert.match(ps, /\nroot +1 [^\n]*init/);
    assert.match(ps, /\nroot +\d+ [^\n]*ps aux\n/);
    await sh('printf "b\\na\\nb\\nc\\na\\n" | sort | uniq | wc -l', /\n +3\n/);
    await sh('df -h /', /\n\/dev\/vkd0s0a +[\d.]+M +[\d.]+[KM] +[\d.]+M +\d+% +\/\n/);
    await sh('mount', /\n\/dev\/vkd0s0a on \/ \(ufs, local\)\n/);
    await sh('dmesg | head -3', /\nCopyright \(c\) 2003-\d+ The DragonFly Project\.\n/);
    await sh('sysctl hw.ncpu', /\nhw\.ncpu: 2\n/);

    /* vi: a new file, then an edit with the arrow keys, saved each time. */
    let from = t.text().length;
    t.type('vi /tmp/notes.txt\r');
    await t.until(/new file/, from);
    t.type('ihello from vi\x1b:wq\r');
    /* vi leaves the cursor on the last row: the prompt follows an escape sequence, not a newline. */
    await t.until(/written|characters[^]*root@\S+:\S+ # $/, from);
    await sh('printf "one\\ntwo\\n" > /tmp/f', /# $/);
    from = t.text().length;
    t.type('vi /tmp/f\r');
    await t.until(/"\/tmp\/f" 2 lines/, from);
    t.type('\x1b[BA three\x1b:wq\r');
    await t.until(/characters[^]*root@\S+:\S+ # $/, from);
    await sh('cat /tmp/notes.txt /tmp/f', /\nhello from vi\none\ntwo three\n/);

    /* top refreshes on its own; q leaves it. */
    from = t.text().length;
    t.type('top -s 1\r');
    await t.until(/last pid:[^]*load averages?:[^]*last pid:/, from);
    from = t.text().length;
    t.type('q');
    await t.until(/root@\S+:\S+ # $/, from);

    /* ktrace ls; kdump | head: the system calls of ls, as the kernel recorded them. */
    const kd = await sh('ktrace ls / > /dev/null; kdump | head -20', /\n +\d+ ls +CALL +\w+\(/);
    assert.match(kd, /\n +\d+ ls +RET +\w+ /);

    /* Jobs: one in the background, one stopped with ^Z and brought back with fg, then ^C. */
    await sh('sleep 300 &', /\n\[1\] \d+\n/);
    await sh('jobs', /\n\[1\] *\+? *Running +sleep 300/);
    from = t.text().length;
    t.type('sleep 200\r');
    await new Promise((r) => setTimeout(r, 1500));
    t.type('\x1a');
    await t.until(/\n\[2\] *\+? *Stopped +sleep 200\n[^]*# $/, from);
    from = t.text().length;
    t.type('fg\r');
    await t.until(/sleep 200\n/, from);
    await new Promise((r) => setTimeout(r, 1000));
    t.type('\x03');
    await t.until(/\n\S+@\S+:\S+ # $/, from);
    await sh('kill %1; wait; echo done', /\ndone\n/);

    from = t.text().length;
    t.type('halt\r');
    await t.until(/The operating system has halted\.\n/, from, 120_000);
    assert.equal(await t.exited, 0);
    const r = fsck(imageDev(img, 's0a'));
    assert.ok(r.ok && r.clean, `the root checks clean after halt: ${r.errors.join('; ')}`);
  } finally {
    t.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
