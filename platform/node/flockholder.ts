/*
 * An exclusive flock(2) on a host file, held for as long as this process
 * lives. Node cannot call flock(2) itself, so a flock(1) child takes the lock
 * and then waits on a pipe from us: the lock goes the moment we exit, even if
 * we are killed. Used by the pidfile (-p) and by writable disk images (-r).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/* flock(1)'s exit status when the lock is taken (-E). */
const LOCK_BUSY = 75;

export type FlockResult = { ok: true; holder: FlockHolder } | { ok: false; busy: boolean };

export class FlockHolder {
  constructor(private readonly child: ChildProcess) {}

  /** Let the lock go (the holder exits). */
  release(): void {
    this.child.stdin?.end();
    this.child.kill();
  }
}

/** Try once (LOCK_NB) to lock path exclusively; busy: someone else holds it. */
export async function flockExclusive(path: string): Promise<FlockResult> {
  const child = spawn('flock', ['-x', '-n', '-E', String(LOCK_BUSY), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const locked = await new Promise<boolean>((resolve) => {
    child.stdout!.once('data', () => resolve(true));
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  if (!locked) {
    const busy = await exitCode(child) === LOCK_BUSY;
    return { ok: false, busy };
  }
  /* The holder must not keep our event loop alive. */
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return { ok: true, holder: new FlockHolder(child) };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
}
