/*
 * mkisofs: ECMA-119 field encoders — both-byte-order numbers, the 7- and
 * 17-byte date forms, directory records and path table records.
 */

export const SECTOR = 2048;

export function put721(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
}
export function put722(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}
export function put723(b: Uint8Array, off: number, v: number): void {
  put721(b, off, v);
  put722(b, off + 2, v);
}
export function put731(b: Uint8Array, off: number, v: number): void {
  for (let i = 0; i < 4; i++) b[off + i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
}
export function put732(b: Uint8Array, off: number, v: number): void {
  for (let i = 0; i < 4; i++) b[off + 3 - i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
}
export function put733(b: Uint8Array, off: number, v: number): void {
  if (v < 0 || v > 0xffffffff) throw new Error(`value ${v} does not fit a 32-bit field`);
  put731(b, off, v);
  put732(b, off + 4, v);
}

/** The 7-byte recording date (9.1.5), in GMT. */
export function date7(sec: number): Uint8Array {
  const d = new Date(sec * 1000);
  const y = Math.min(255, Math.max(0, d.getUTCFullYear() - 1900));
  return Uint8Array.of(y, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(),
    d.getUTCSeconds(), 0);
}

/** The 17-byte volume date (8.4.26.1); null writes "not specified". */
export function date17(sec: number | null): Uint8Array {
  const out = new Uint8Array(17);
  if (sec === null) {
    out.fill(0x30, 0, 16);
    return out;
  }
  const d = new Date(sec * 1000);
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  const s = p(d.getUTCFullYear(), 4) + p(d.getUTCMonth() + 1, 2) + p(d.getUTCDate(), 2) +
    p(d.getUTCHours(), 2) + p(d.getUTCMinutes(), 2) + p(d.getUTCSeconds(), 2) + '00';
  for (let i = 0; i < 16; i++) out[i] = s.charCodeAt(i);
  return out;
}

export interface DirRecordFields {
  ident: Uint8Array;
  extent: number;
  size: number;
  flags: number;
  date: Uint8Array;
  su: Uint8Array;         // system use area (Rock Ridge), may be empty
}

/** Size of a directory record with this identifier and system use length. */
export function dirRecordLen(identLen: number, suLen: number): number {
  return 33 + identLen + ((identLen & 1) ^ 1) + suLen;
}

export function dirRecord(f: DirRecordFields): Uint8Array {
  const len = dirRecordLen(f.ident.length, f.su.length);
  if (len > 255) throw new Error('directory record too long');
  const r = new Uint8Array(len);
  r[0] = len;
  put733(r, 2, f.extent);
  put733(r, 10, f.size);
  r.set(f.date, 18);
  r[25] = f.flags;
  put723(r, 28, 1);
  r[32] = f.ident.length;
  r.set(f.ident, 33);
  r.set(f.su, len - f.su.length);
  return r;
}

/** One path table record (9.4); bigEndian selects the M table. */
export function pathRecord(ident: Uint8Array, extent: number, parent: number, bigEndian: boolean): Uint8Array {
  const r = new Uint8Array(8 + ident.length + (ident.length & 1));
  r[0] = ident.length;
  if (bigEndian) {
    put732(r, 2, extent);
    put722(r, 6, parent);
  } else {
    put731(r, 2, extent);
    put721(r, 6, parent);
  }
  r.set(ident, 8);
  return r;
}

export function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function ucs2(s: string): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) put722(b, 2 * i, s.charCodeAt(i));
  return b;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function blocks(bytes: number): number {
  return Math.ceil(bytes / SECTOR);
}
