/*
 * The one exception type the cd9660 code throws. It is a SysError, so the
 * VFS glue can let it propagate to the syscall (EIO for a damaged volume,
 * ENOENT for a missing name...), and it carries a message saying what was
 * wrong with the image, for mount errors on the console and for tests.
 */
import { EIO, SysError } from '../../kern/errno.ts';

export class Cd9660Error extends SysError {
  constructor(errno: number, readonly why: string) {
    super(errno);
    this.message = `cd9660: ${why}`;
    this.name = 'Cd9660Error';
  }
}

/** A malformed volume: always EIO. */
export function corrupt(why: string): never {
  throw new Cd9660Error(EIO, why);
}

/**
 * Run fn, turning a JavaScript fault caused by bytes we did not anticipate
 * (a RangeError from a view, say) into a Cd9660Error, so callers see one
 * error type whatever the image holds. SleepRequest and SysError pass.
 */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) corrupt(`internal: ${e.message}`);
    throw e;
  }
}
