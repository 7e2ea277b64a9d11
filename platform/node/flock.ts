/*
 * An flock(2) lock held for the life of this process. Node cannot hold
 * flock(2) itself, so a flock(1) child holds it for us: it takes the lock,
 * says so, then waits on a pipe from us, so the lock goes the moment we exit,
 * even if we are killed. Used by -p (the pidfile), -i (memory images) and writable disk images (-r).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const LOCK_BUSY = 75;

export class FlockHolder {
  private constructor(private readonly holder: ChildProcess) {}

  /** Lock path (which must exist): the holder, 'busy' if another process has it, or null on failure. */
  static async acquire(path: string): Promise<FlockHolder | 'busy' | null> {
    const holder = spawn('flock', ['-x', '-n', '-E', String(LOCK_BUSY), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const locked = await new Promise<boolean>((resolve) => {
      holder.stdout!.once('data', () => resolve(true));
      holder.once('exit', () => resolve(false));
      holder.once('error', () => resolve(false));
    });
    if (!locked) return holder.exitCode === LOCK_BUSY ? 'busy' : null;
    holder.unref();
    (holder.stdout as unknown as { unref?: () => void }).unref?.();
    (holder.stdin as unknown as { unref?: () => void }).unref?.();
    return new FlockHolder(holder);
  }

  release(): void {
    this.holder.stdin?.end();
    this.holder.kill();
  }
}
