/*
 * `-p pidfile`: the pid, written as "%ld\n" and locked while the vkernel runs,
 * as the man page promises to scripts (`lockf -ks -t 0 pidfile echo -n`).
 * Node cannot hold flock(2) itself, so a flock(1) child holds it for us: it
 * takes the lock and then waits on a pipe from us, so the lock is released the
 * moment we exit, even if we are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export const EX_SOFTWARE = 70;
const LOCK_BUSY = 75;

export class PidfileError extends Error {}

export class Pidfile {
  private constructor(private readonly path: string, private readonly holder: ChildProcess) {}

  static async acquire(path: string): Promise<Pidfile> {
    try {
      fs.closeSync(fs.openSync(path, 'a'));
    } catch {
      throw new PidfileError('Failed to create pidfile');
    }
    const holder = spawn('flock', ['-x', '-n', '-E', String(LOCK_BUSY), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const locked = await new Promise<boolean>((resolve) => {
      holder.stdout!.once('data', () => resolve(true));
      holder.once('exit', () => resolve(false));
      holder.once('error', () => resolve(false));
    });
    if (!locked) {
      if (holder.exitCode === LOCK_BUSY) throw new PidfileError('Failed to lock pidfile, vkernel already running');
      throw new PidfileError('Failed to create pidfile');
    }
    holder.unref();
    (holder.stdout as unknown as { unref?: () => void }).unref?.();
    fs.writeFileSync(path, `${process.pid}\n`);
    return new Pidfile(path, holder);
  }

  /** At halt: remove the file, then let the lock go. */
  release(): void {
    try {
      fs.unlinkSync(this.path);
    } catch {
      /* already gone */
    }
    this.holder.stdin?.end();
    this.holder.kill();
  }
}
