/*
 * ISO 9660 (ECMA-119) on-disk numbers, layouts and constants — BSD's iso.h.
 * Numbers are stored little-endian, big-endian or both ("both-byte order",
 * 7.2.3 / 7.3.3); for both-order fields we read the little-endian half, as
 * BSD does, since writers disagree more often on the big half.
 */

/* Volume descriptor types (8.1.1). */
export const ISO_VD_BOOT = 0, ISO_VD_PRIMARY = 1, ISO_VD_SUPPLEMENTARY = 2,
  ISO_VD_PARTITION = 3, ISO_VD_END = 255;
export const ISO_STANDARD_ID = 'CD001';
/* The first volume descriptor sits after the 16-block system area. */
export const ISO_VD_FIRST_BLOCK = 16;

/* Directory record layout (9.1). */
export const DR_LENGTH = 0, DR_EXT_ATTR_LENGTH = 1, DR_EXTENT = 2, DR_SIZE = 10, DR_DATE = 18,
  DR_FLAGS = 25, DR_FILE_UNIT_SIZE = 26, DR_INTERLEAVE = 27, DR_VOLUME_SEQ = 28,
  DR_NAME_LEN = 32, DR_NAME = 33;
export const DR_MIN_LENGTH = 34;

/* File flags (9.1.6). */
export const ISO_FLAG_HIDDEN = 0x01, ISO_FLAG_DIRECTORY = 0x02, ISO_FLAG_ASSOCIATED = 0x04,
  ISO_FLAG_RECORD = 0x08, ISO_FLAG_PROTECTION = 0x10, ISO_FLAG_MULTI_EXTENT = 0x80;

/* Primary/supplementary volume descriptor fields (8.4, 8.5). */
export const VD_TYPE = 0, VD_ID = 1, VD_VERSION = 6, VD_FLAGS = 7, VD_SYSTEM_ID = 8,
  VD_VOLUME_ID = 40, VD_SPACE_SIZE = 80, VD_ESCAPES = 88, VD_SET_SIZE = 120, VD_SEQ = 124,
  VD_BLOCK_SIZE = 128, VD_PATH_TABLE_SIZE = 132, VD_L_PATH_TABLE = 140, VD_OPT_L_PATH_TABLE = 144,
  VD_M_PATH_TABLE = 148, VD_OPT_M_PATH_TABLE = 152, VD_ROOT = 156, VD_VOLUME_SET_ID = 190,
  VD_PUBLISHER_ID = 318, VD_PREPARER_ID = 446, VD_APPLICATION_ID = 574, VD_COPYRIGHT_ID = 702,
  VD_ABSTRACT_ID = 739, VD_BIBLIO_ID = 776, VD_CREATION_DATE = 813, VD_MODIFICATION_DATE = 830,
  VD_EXPIRATION_DATE = 847, VD_EFFECTIVE_DATE = 864, VD_FILE_STRUCTURE_VERSION = 881;

export function isonum_711(b: Uint8Array, off: number): number {
  return b[off];
}

export function isonum_712(b: Uint8Array, off: number): number {
  return (b[off] << 24) >> 24;
}

export function isonum_721(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8);
}

export function isonum_722(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

export function isonum_723(b: Uint8Array, off: number): number {
  return isonum_721(b, off);
}

export function isonum_731(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

export function isonum_732(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function isonum_733(b: Uint8Array, off: number): number {
  return isonum_731(b, off);
}

/** Bytes as a string of Latin-1 chars (identifiers are d-/a-characters). */
export function isoChars(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]);
  return s;
}
