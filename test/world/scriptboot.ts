/*
 * One boot of bin/vkernel on a hostfs root of the built world, for tests
 * that run a whole script inside the kernel (ktrace, stats) or log in on
 * its console (sysinfo): a hard-linked copy of the world with the test's own
 * files added, the boot itself, and the "@@name" sections of the output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO } from '../../tools/buildworld.ts';

export const WORLD_ROOT = join(REPO, 'build', 'world', 'root');
export const VKERNEL = join(REPO, 'bin', 'vkernel');

/** A file the test puts in the staged tree: its text, executable unless a mode is given. */
export type StagedFile = string | { text: string; mode: number };

/**
 * stage/name: the world hard-linked (files a concurrent build removes are
 * skipped), plus `files` (path → contents) written as new files, their
 * directories made, so the world's own copies stay as they are.
 */
export function stageWorld(stage: string, files: Record<string, StagedFile> = {}, name = 'root'): string {
  const dst = join(stage, name);
  rmSync(dst, { recursive: true, force: true });
  const copy = (from: string, to: string): void => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const s = join(from, e.name), d = join(to, e.name);
      try {
        if (e.isDirectory()) copy(s, d);
        else if (e.isSymbolicLink()) symlinkSync(readlinkSync(s), d);
        else if (e.isFile()) linkSync(s, d);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  };
  copy(WORLD_ROOT, dst);
  for (const [path, f] of Object.entries(files)) {
    const p = join(dst, path);
    rmSync(p, { force: true });	// not through a hard link
    mkdirSync(dirname(p), { recursive: true });
    const { text, mode } = typeof f === 'string' ? { text: f, mode: 0o755 } : f;
    writeFileSync(p, text, { mode });
    chmodSync(p, mode);	// the umask must not decide
  }
  return dst;
}

/** Boot with init_path (and any more arguments); resolves with the console output when the kernel exits. */
export function bootScript(stage: string, root: string, init: string, timeoutMs: number, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VKERNEL, '-m', '256m', ...args, '-e', `vfs.root.mountfrom=hostfs:${root}`,
      '-e', `init_path=${init}`], { cwd: stage, env: { ...process.env, VKERNEL_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const take = (b: Buffer): void => { text += b.toString('latin1'); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vkernel timed out; output so far:\n${text}`));
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(text.replace(/\r/g, ''));
    });
  });
}

/** The output between "@@name" and the next marker. */
export function section(out: string, name: string): string {
  const at = out.indexOf(`@@${name}\n`);
  assert.ok(at >= 0, `no section ${name} in:\n${out}`);
  const rest = out.slice(at + name.length + 3);
  const end = rest.indexOf('\n@@');
  return end >= 0 ? rest.slice(0, end + 1) : rest;
}
