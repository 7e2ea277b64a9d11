/*
 * Directory records (ECMA-119 9.1) and walking a directory's extent.
 * A record never crosses a 2048-byte sector; a zero length byte means the
 * rest of the sector is padding. Every length is checked against the sector
 * and the directory before use, and the walk always moves forward, so a
 * corrupt directory ends in an error, never a loop.
 */
import { ISO_BSIZE } from './blockdev.ts';
import { corrupt } from './cd9660_error.ts';
import {
  DR_EXT_ATTR_LENGTH, DR_EXTENT, DR_FILE_UNIT_SIZE, DR_FLAGS, DR_INTERLEAVE, DR_MIN_LENGTH,
  DR_NAME, DR_NAME_LEN, DR_SIZE, isonum_711, isonum_733,
} from './iso.ts';

export interface IsoDirRecord {
  raw: Uint8Array;      // the record's bytes
  dirOffset: number;    // where it starts inside its directory
  diskOffset: number;   // where it starts on the volume (the BSD inode number of a file)
  xarLen: number;       // extended attribute record, in logical blocks before the data
  extent: number;       // first logical block
  size: number;         // data length in bytes
  flags: number;
  interleaved: boolean;
  name: Uint8Array;     // the file identifier as recorded
  suOffset: number;     // where the system use area starts inside raw
}

export function parseDirRecord(buf: Uint8Array, off: number, diskBase: number): IsoDirRecord {
  const len = buf[off];
  if (len < DR_MIN_LENGTH) corrupt(`directory record of length ${len} at ${diskBase + off}`);
  if (off + len > buf.length || (off % ISO_BSIZE) + len > ISO_BSIZE) {
    corrupt(`directory record at ${diskBase + off} crosses its sector`);
  }
  const raw = buf.subarray(off, off + len);
  const nameLen = raw[DR_NAME_LEN];
  if (nameLen === 0 || DR_NAME + nameLen > len) {
    corrupt(`directory record at ${diskBase + off} has a bad name length ${nameLen}`);
  }
  return {
    raw, dirOffset: off, diskOffset: diskBase + off,
    xarLen: isonum_711(raw, DR_EXT_ATTR_LENGTH),
    extent: isonum_733(raw, DR_EXTENT),
    size: isonum_733(raw, DR_SIZE),
    flags: raw[DR_FLAGS],
    interleaved: raw[DR_FILE_UNIT_SIZE] !== 0 || raw[DR_INTERLEAVE] !== 0,
    name: raw.subarray(DR_NAME, DR_NAME + nameLen),
    // The identifier is padded to an even length so the system use area is aligned.
    suOffset: DR_NAME + nameLen + ((nameLen & 1) ^ 1),
  };
}

/** Every record of a directory whose bytes are `buf`, first at volume offset diskBase. */
export function* dirRecords(buf: Uint8Array, diskBase: number, from = 0): Generator<IsoDirRecord> {
  let off = from;
  while (off < buf.length) {
    if (buf[off] === 0) {
      off = (Math.floor(off / ISO_BSIZE) + 1) * ISO_BSIZE;
      continue;
    }
    const rec = parseDirRecord(buf, off, diskBase);
    yield rec;
    off += rec.raw.length;
  }
}

/** "." and ".." are the one-byte identifiers 0x00 and 0x01. */
export function isDotRecord(rec: IsoDirRecord): boolean {
  return rec.name.length === 1 && rec.name[0] === 0;
}
export function isDotDotRecord(rec: IsoDirRecord): boolean {
  return rec.name.length === 1 && rec.name[0] === 1;
}
