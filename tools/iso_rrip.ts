/*
 * mkisofs: Rock Ridge (RRIP 1.10, "RRIP_1991A" as xorriso writes it) and
 * SUSP entries, and packing them into a directory record's system use
 * area with the overflow in CE continuation areas.
 */
import { ascii, put733, SECTOR, date7, utf8 } from './iso_encode.ts';

export interface RrAttrs {
  mode: number;           // st_mode with type bits
  nlink: number;
  uid: number;
  gid: number;
  mtime: number;
  atime: number;
  ctime: number;
}

function entry(sig: string, body: Uint8Array): Uint8Array {
  if (body.length + 4 > 255) throw new Error(`SUSP ${sig} entry too long`);
  const e = new Uint8Array(4 + body.length);
  e[0] = sig.charCodeAt(0);
  e[1] = sig.charCodeAt(1);
  e[2] = e.length;
  e[3] = 1;
  e.set(body, 4);
  return e;
}

function both32(...vals: number[]): Uint8Array {
  const b = new Uint8Array(8 * vals.length);
  vals.forEach((v, i) => put733(b, 8 * i, v >>> 0));
  return b;
}

export function suspSP(): Uint8Array {
  return entry('SP', Uint8Array.of(0xbe, 0xef, 0));
}

export function suspER(): Uint8Array {
  const id = ascii('RRIP_1991A');
  const des = ascii('THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS');
  const src = ascii('PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.');
  const body = new Uint8Array(4 + id.length + des.length + src.length);
  body.set([id.length, des.length, src.length, 1]);
  body.set(id, 4);
  body.set(des, 4 + id.length);
  body.set(src, 4 + id.length + des.length);
  return entry('ER', body);
}

export function suspCE(lba: number, off: number, len: number): Uint8Array {
  return entry('CE', both32(lba, off, len));
}
export const CE_LEN = 28;

export function rrPX(a: RrAttrs): Uint8Array {
  return entry('PX', both32(a.mode, a.nlink, a.uid, a.gid));
}

export function rrTF(a: RrAttrs): Uint8Array {
  const body = new Uint8Array(1 + 21);
  body[0] = 0x0e;       // modify, access, attributes; short form
  body.set(date7(a.mtime), 1);
  body.set(date7(a.atime), 8);
  body.set(date7(a.ctime), 15);
  return entry('TF', body);
}

/** NM, split into continued pieces when the name is long. */
export function rrNM(name: string): Uint8Array[] {
  const bytes = utf8(name);
  const out: Uint8Array[] = [];
  const piece = 200;
  for (let i = 0; i === 0 || i < bytes.length; i += piece) {
    const part = bytes.subarray(i, i + piece);
    const more = i + piece < bytes.length;
    out.push(entry('NM', Uint8Array.of(more ? 1 : 0, ...part)));
  }
  return out;
}

/* SL component flags. */
const SL_CONTINUE = 0x01, SL_CURRENT = 0x02, SL_PARENT = 0x04, SL_ROOT = 0x08;

/** SL entries for a symlink target: components, split across entries as they fill. */
export function rrSL(target: string): Uint8Array[] {
  const comps = slComponents(target);
  const out: Uint8Array[] = [];
  let cur: number[] = [];
  const maxBody = 250;
  for (const c of comps) {
    if (1 + cur.length + c.length > maxBody) {
      out.push(Uint8Array.of(SL_CONTINUE, ...cur));
      cur = [];
    }
    cur.push(...c);
  }
  out.push(Uint8Array.of(0, ...cur));
  return out.map((b) => entry('SL', b));
}

function slComponents(target: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (target.startsWith('/')) out.push(Uint8Array.of(SL_ROOT, 0));
  for (const part of target.split('/')) {
    if (part === '') continue;
    if (part === '.') out.push(Uint8Array.of(SL_CURRENT, 0));
    else if (part === '..') out.push(Uint8Array.of(SL_PARENT, 0));
    else out.push(...longComponent(utf8(part)));
  }
  return out;
}

/* A component longer than one record can hold is continued in the next component. */
function longComponent(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const piece = 200;
  for (let i = 0; i < bytes.length; i += piece) {
    const part = bytes.subarray(i, i + piece);
    const more = i + piece < bytes.length;
    out.push(Uint8Array.of(more ? SL_CONTINUE : 0, part.length, ...part));
  }
  return out;
}

/*
 * PN as xorriso writes it, and as BSD and Linux read a zero high word:
 * the whole Linux dev_t, split into high and low 32-bit halves.
 */
export function rrPN(rdev: number): Uint8Array {
  return entry('PN', both32(Math.floor(rdev / 2 ** 32), rdev % 2 ** 32));
}

export function rrCL(lba: number): Uint8Array {
  return entry('CL', both32(lba));
}
export function rrPL(lba: number): Uint8Array {
  return entry('PL', both32(lba));
}
export function rrRE(): Uint8Array {
  return entry('RE', new Uint8Array(0));
}

/**
 * Continuation areas, allocated in order from a run of blocks. The same
 * sequence of requests gives the same places, so a sizing pass (base 0)
 * and the writing pass agree.
 */
export class CeAllocator {
  private readonly blocks: Uint8Array[] = [];
  private used = SECTOR;

  constructor(readonly base: number) {}

  get blockCount(): number {
    return this.blocks.length;
  }

  reserve(len: number): { lba: number; off: number } {
    if (this.used + len > SECTOR) {
      this.blocks.push(new Uint8Array(SECTOR));
      this.used = 0;
    }
    const off = this.used;
    this.used += len;
    return { lba: this.base + this.blocks.length - 1, off };
  }

  put(at: { lba: number; off: number }, bytes: Uint8Array): void {
    this.blocks[at.lba - this.base].set(bytes, at.off);
  }

  block(i: number): Uint8Array {
    return this.blocks[i];
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The system use area for a record with `room` bytes free; the rest goes to CE areas. */
export function packSusp(entries: Uint8Array[], room: number, ce: CeAllocator): Uint8Array {
  const total = entries.reduce((n, e) => n + e.length, 0);
  if (total <= room) return concat(entries);
  const { head, rest } = split(entries, room - CE_LEN);
  return concat([...head, continueIn(rest, ce)]);
}

function split(entries: Uint8Array[], room: number): { head: Uint8Array[]; rest: Uint8Array[] } {
  let used = 0, i = 0;
  while (i < entries.length && used + entries[i].length <= room) used += entries[i++].length;
  return { head: entries.slice(0, i), rest: entries.slice(i) };
}

/* Write entries to a chain of continuation areas; return the CE entry pointing at the first. */
function continueIn(entries: Uint8Array[], ce: CeAllocator): Uint8Array {
  const total = entries.reduce((n, e) => n + e.length, 0);
  if (total <= SECTOR) {
    const at = ce.reserve(total);
    ce.put(at, concat(entries));
    return suspCE(at.lba, at.off, total);
  }
  const { head, rest } = split(entries, SECTOR - CE_LEN);
  const len = head.reduce((n, e) => n + e.length, 0) + CE_LEN;
  const at = ce.reserve(len);
  ce.put(at, concat([...head, continueIn(rest, ce)]));
  return suspCE(at.lba, at.off, len);
}
