/*
 * Rock Ridge (IEEE P1282 / RRIP 1.09-1.12) entries of one directory record,
 * gathered from its SUSP entries (BSD's cd9660_rrip.c). Names and symlink
 * targets are byte strings (one char per byte), as the VFS keeps names.
 */
import { corrupt } from './cd9660_error.ts';
import { isonum_733 } from './iso.ts';
import { isoTime17, isoTime7 } from './cd9660_time.ts';
import type { SuspEntry } from './cd9660_susp.ts';
import type { Timespec } from '../../vfs/vnode.ts';

/* NM and SL component flags. */
export const RR_CONTINUE = 0x01, RR_CURRENT = 0x02, RR_PARENT = 0x04, RR_ROOT = 0x08,
  RR_VOLROOT = 0x10, RR_HOST = 0x20;
/* TF flags: which stamps follow, in this order; bit 7 selects the 17-byte form. */
export const TF_CREATE = 0x01, TF_MODIFY = 0x02, TF_ACCESS = 0x04, TF_ATTRIBUTES = 0x08,
  TF_BACKUP = 0x10, TF_EXPIRATION = 0x20, TF_EFFECTIVE = 0x40, TF_LONG_FORM = 0x80;

const NAME_MAX_BYTES = 1023;
const PATH_MAX_BYTES = 4095;

export interface RrTimes {
  btime?: Timespec;
  mtime?: Timespec;
  atime?: Timespec;
  ctime?: Timespec;
}

export interface RrInfo {
  present: boolean;        // any Rock Ridge entry at all
  mode: number | null;     // st_mode, type bits included (PX)
  nlink: number;
  uid: number;
  gid: number;
  serial: number | null;   // PX file serial number (RRIP 1.12)
  rdev: number | null;     // PN, as a Linux encoded dev_t
  name: string | null;     // NM
  symlink: string | null;  // SL
  times: RrTimes;          // TF
  childLink: number | null;   // CL: where a relocated directory really is
  parentLink: number | null;  // PL: the real parent of a relocated directory
  relocated: boolean;         // RE: this is the moved directory; hide it from its stand-in parent
}

export function rripAnalyze(entries: SuspEntry[]): RrInfo {
  const rr: RrInfo = {
    present: false, mode: null, nlink: 1, uid: 0, gid: 0, serial: null, rdev: null, name: null,
    symlink: null, times: {}, childLink: null, parentLink: null, relocated: false,
  };
  const nm = { text: '', done: false };
  const sl = { text: '', sep: false, done: false, seen: false };
  for (const e of entries) {
    if (applyEntry(rr, e, nm, sl)) rr.present = true;
  }
  if (nm.text.length) rr.name = nm.text;
  if (sl.seen) rr.symlink = sl.text;
  return rr;
}

interface NmState { text: string; done: boolean }
interface SlState { text: string; sep: boolean; done: boolean; seen: boolean }

/* Returns whether e was a Rock Ridge entry. */
function applyEntry(rr: RrInfo, e: SuspEntry, nm: NmState, sl: SlState): boolean {
  const b = e.body;
  switch (e.sig) {
    case 'PX': return px(rr, b);
    case 'PN':
      if (b.length >= 16) rr.rdev = pnDev(isonum_733(b, 0), isonum_733(b, 8));
      return true;
    case 'NM': nmEntry(nm, b); return true;
    case 'SL': slEntry(sl, b); return true;
    case 'TF': tfEntry(rr.times, b); return true;
    case 'CL': if (b.length >= 8) rr.childLink = isonum_733(b, 0); return true;
    case 'PL': if (b.length >= 8) rr.parentLink = isonum_733(b, 0); return true;
    case 'RE': rr.relocated = true; return true;
    case 'RR': return true;
    default: return false;
  }
}

function px(rr: RrInfo, b: Uint8Array): boolean {
  if (b.length < 32) return true;
  rr.mode = isonum_733(b, 0);
  rr.nlink = isonum_733(b, 8);
  rr.uid = isonum_733(b, 16);
  rr.gid = isonum_733(b, 24);
  if (b.length >= 40) rr.serial = isonum_733(b, 32);
  return true;
}

/*
 * PN: mkisofs writes the major and minor numbers; xorriso writes a zero
 * high word and the whole (glibc-encoded) dev_t in the low one, which for
 * small numbers is also the old 16-bit layout. Either way we answer
 * Linux's encoding.
 */
function pnDev(high: number, low: number): number {
  if (high === 0) return low >>> 0;
  return ((low & 0xff) | ((high & 0xfff) << 8) | ((low & ~0xff) << 12)) >>> 0;
}

function nmEntry(nm: NmState, b: Uint8Array): void {
  if (nm.done || b.length < 1) return;
  const flags = b[0];
  // "." and ".." spelled by flags name nothing a lookup should see.
  if (flags & (RR_CURRENT | RR_PARENT | RR_HOST)) { nm.done = true; return; }
  nm.text += bytesStr(b, 1, b.length);
  if (nm.text.length > NAME_MAX_BYTES) corrupt(`Rock Ridge name longer than ${NAME_MAX_BYTES} bytes`);
  if (!(flags & RR_CONTINUE)) nm.done = true;
}

/* SL: components joined by '/', a component with CONTINUE glued to the next one. */
function slEntry(sl: SlState, b: Uint8Array): void {
  if (sl.done || b.length < 1) return;
  sl.seen = true;
  let off = 1;
  while (off + 2 <= b.length) {
    const flags = b[off], len = b[off + 1];
    if (off + 2 + len > b.length) corrupt('Rock Ridge SL component overruns its entry');
    slComponent(sl, flags, bytesStr(b, off + 2, off + 2 + len));
    off += 2 + len;
  }
  if (sl.text.length > PATH_MAX_BYTES) corrupt(`Rock Ridge symlink longer than ${PATH_MAX_BYTES} bytes`);
  if (!(b[0] & RR_CONTINUE)) sl.done = true;
}

function slComponent(sl: SlState, flags: number, text: string): void {
  if (flags & (RR_ROOT | RR_VOLROOT)) {
    sl.text += '/';
    sl.sep = false;
    return;
  }
  if (sl.sep) sl.text += '/';
  if (flags & RR_CURRENT) sl.text += '.';
  else if (flags & RR_PARENT) sl.text += '..';
  else if (!(flags & RR_HOST)) sl.text += text;
  sl.sep = !(flags & RR_CONTINUE);
}

function tfEntry(t: RrTimes, b: Uint8Array): void {
  if (b.length < 1) return;
  const flags = b[0];
  const size = flags & TF_LONG_FORM ? 17 : 7;
  let off = 1;
  for (let bit = 0; bit < 7; bit++) {
    if (!(flags & (1 << bit))) continue;
    if (off + size > b.length) return;
    const ts = size === 17 ? isoTime17(b, off) : isoTime7(b, off);
    off += size;
    if (bit === 0) t.btime = ts;
    else if (bit === 1) t.mtime = ts;
    else if (bit === 2) t.atime = ts;
    else if (bit === 3) t.ctime = ts;
  }
}

function bytesStr(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
}
