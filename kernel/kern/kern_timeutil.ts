/* struct timespec / timeval conversions (64-bit tv_sec and tv_nsec/tv_usec). */
import { CStruct } from '../vm/cstruct.ts';
import { EINVAL, SysError } from './errno.ts';

/** A user timespec as milliseconds; EINVAL for a bad tv_nsec or negative time. */
export function timespecMs(b: Uint8Array): number {
  const s = new CStruct(b);
  const sec = s.i64(0), nsec = s.i64(8);
  if (nsec < 0 || nsec >= 1e9 || sec < 0) throw new SysError(EINVAL);
  return sec * 1000 + nsec / 1e6;
}

export function timevalMs(b: Uint8Array): number {
  const s = new CStruct(b);
  const sec = s.i64(0), usec = s.i64(8);
  if (usec < 0 || usec >= 1e6 || sec < 0) throw new SysError(EINVAL);
  return sec * 1000 + usec / 1000;
}

export function msToTimespec(ms: number): Uint8Array {
  const t = Math.max(0, ms);
  const sec = Math.floor(t / 1000);
  const nsec = Math.min(999_999_999, Math.round((t - sec * 1000) * 1e6));
  return new CStruct(16).setI64(0, sec).setI64(8, nsec).u8;
}

export function msToTimeval(ms: number): Uint8Array {
  const t = Math.max(0, ms);
  const sec = Math.floor(t / 1000);
  const usec = Math.min(999_999, Math.floor((t - sec * 1000) * 1000));
  return new CStruct(16).setI64(0, sec).setI64(8, usec).u8;
}
