/*
 * `-p pidfile`: the pid, written as "%ld\n" and locked while the vkernel runs,
 * as the man page promises to scripts (`lockf -ks -t 0 pidfile echo -n`).
 * The lock is an flock(2) held by a helper (flock.ts).
 */
import * as fs from 'node:fs';
import { FlockHolder } from './flock.ts';

export const EX_SOFTWARE = 70;

export class PidfileError extends Error {}

export class Pidfile {
  private constructor(private readonly path: string, private readonly lock: FlockHolder) {}

  static async acquire(path: string): Promise<Pidfile> {
    try {
      fs.closeSync(fs.openSync(path, 'a'));
    } catch {
      throw new PidfileError('Failed to create pidfile');
    }
    const lock = await FlockHolder.acquire(path);
    if (lock === 'busy') throw new PidfileError('Failed to lock pidfile, vkernel already running');
    if (lock === null) throw new PidfileError('Failed to create pidfile');
    fs.writeFileSync(path, `${process.pid}\n`);
    return new Pidfile(path, lock);
  }

  /** At halt: remove the file, then let the lock go. */
  release(): void {
    try {
      fs.unlinkSync(this.path);
    } catch {
      /* already gone */
    }
    this.lock.release();
  }
}
