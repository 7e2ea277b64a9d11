/*
 * ISO 9660 timestamps → Unix time (BSD's cd9660_tstamp_conv7/17).
 * Both forms carry a signed offset from GMT in 15-minute units; an
 * all-zero date means "not recorded" and reads as the epoch.
 */
import type { Timespec } from '../../vfs/vnode.ts';

const ZERO: Timespec = { sec: 0, nsec: 0 };

function utcSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number,
  gmtoff: number): number {
  // Offsets outside ±13h are garbage from some writers; BSD ignores them too.
  const off = gmtoff >= -52 && gmtoff <= 52 ? gmtoff : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - off * 15 * 60;
}

/** The 7-byte form of directory records and RR TF (9.1.5). */
export function isoTime7(b: Uint8Array, off: number): Timespec {
  const y = b[off], mo = b[off + 1], d = b[off + 2];
  if (mo === 0 || d === 0) return ZERO;
  const sec = utcSeconds(1900 + y, mo, d, b[off + 3], b[off + 4], b[off + 5],
    (b[off + 6] << 24) >> 24);
  return Number.isFinite(sec) ? { sec, nsec: 0 } : ZERO;
}

function digits(b: Uint8Array, off: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[off + i] - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The 17-byte "YYYYMMDDHHMMSScc" form of volume descriptors and long TF (8.4.26.1). */
export function isoTime17(b: Uint8Array, off: number): Timespec {
  const y = digits(b, off, 4), mo = digits(b, off + 4, 2), d = digits(b, off + 6, 2);
  const h = digits(b, off + 8, 2), mi = digits(b, off + 10, 2), s = digits(b, off + 12, 2);
  const cs = digits(b, off + 14, 2);
  if (y <= 0 || mo <= 0 || d <= 0 || h < 0 || mi < 0 || s < 0 || cs < 0) return ZERO;
  const sec = utcSeconds(y, mo, d, h, mi, s, (b[off + 16] << 24) >> 24);
  return Number.isFinite(sec) ? { sec, nsec: cs * 10_000_000 } : ZERO;
}
