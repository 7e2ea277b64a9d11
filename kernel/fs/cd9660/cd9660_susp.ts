/*
 * The System Use Sharing Protocol (SUSP 1.12): the entries in a directory
 * record's system use area, followed through CE continuation areas.
 * Rock Ridge rides on it. Continuation chains are bounded in count and
 * never revisit an area, so a CE pointing at itself (or in a circle) ends
 * with an error instead of a hang.
 */
import type { BlockDev } from './blockdev.ts';
import { bread } from './cd9660_bio.ts';
import { corrupt } from './cd9660_error.ts';
import { isonum_733 } from './iso.ts';
import type { IsoDirRecord } from './cd9660_dirrec.ts';

export interface SuspEntry {
  sig: string;          // two-character signature: "PX", "NM", "CE"...
  version: number;
  body: Uint8Array;     // the bytes after the 4-byte header
}

const MAX_CONTINUATIONS = 32;
const MAX_CONTINUATION_LEN = 64 * 1024;

/** Entries of rec's system use area (skipping `skip` bytes, SP's LEN_SKP) and its continuations. */
export function suspEntries(dev: BlockDev, lbs: number, rec: IsoDirRecord, skip: number): SuspEntry[] {
  const out: SuspEntry[] = [];
  const start = rec.suOffset + skip;
  let area: Uint8Array | null = start < rec.raw.length ? rec.raw.subarray(start) : null;
  const seen = new Set<number>();
  while (area) {
    const ce = parseArea(area, lbs, out);
    area = null;
    if (!ce) break;
    if (seen.has(ce.where) || seen.size >= MAX_CONTINUATIONS) {
      corrupt(`SUSP continuation loop at ${ce.where} (record at ${rec.diskOffset})`);
    }
    seen.add(ce.where);
    area = bread(dev, ce.where, ce.len);
  }
  return out;
}

interface Continuation {
  where: number;        // volume byte offset
  len: number;
}

/* Append one area's entries to out; return its CE, if any. */
function parseArea(area: Uint8Array, lbs: number, out: SuspEntry[]): Continuation | null {
  let ce: Continuation | null = null;
  let off = 0;
  while (off + 4 <= area.length) {
    const sig = String.fromCharCode(area[off], area[off + 1]);
    const len = area[off + 2];
    // Padding or a broken entry ends the area: what follows cannot be framed.
    if (len < 4 || off + len > area.length) break;
    const body = area.subarray(off + 4, off + len);
    if (sig === 'ST') break;
    if (sig === 'CE' && body.length >= 24 && !ce) ce = continuation(body, lbs);
    else if (sig !== 'PD') out.push({ sig, version: area[off + 3], body });
    off += len;
  }
  return ce;
}

function continuation(body: Uint8Array, lbs: number): Continuation {
  const block = isonum_733(body, 0), offset = isonum_733(body, 8), len = isonum_733(body, 16);
  if (len > MAX_CONTINUATION_LEN) corrupt(`SUSP continuation area of ${len} bytes`);
  return { where: block * lbs + offset, len };
}
