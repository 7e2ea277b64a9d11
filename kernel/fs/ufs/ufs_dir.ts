/*
 * Directory blocks: struct direct records packed into DIRBLKSIZ (512-byte)
 * chunks. A record never crosses a chunk; the last record of a chunk owns
 * the chunk's slack (d_reclen reaches the chunk end). d_ino 0 marks an
 * unused record, which only the first record of a chunk may be.
 *
 *   u32 d_ino | u16 d_reclen | u8 d_type | u8 d_namlen | name, NUL, pad to 4
 *
 * Names are byte strings (one JS char per byte), as in the VFS.
 */
import { UFS_MAXNAMLEN } from './ufs_fs.ts';

export const DIRBLKSIZ = 512;
export const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
  DT_LNK = 10, DT_SOCK = 12, DT_WHT = 14;

/** DIRSIZ: bytes a record with a name of namlen bytes needs. */
export function dirsiz(namlen: number): number {
  return (8 + namlen + 1 + 3) & ~3;
}

export interface DirRec {
  off: number;
  ino: number;
  reclen: number;
  type: number;
  name: string;
}

export function readRec(buf: Uint8Array, off: number): DirRec {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const namlen = buf[off + 7];
  let name = '';
  for (let i = 0; i < namlen; i++) name += String.fromCharCode(buf[off + 8 + i]);
  return { off, ino: dv.getUint32(off, true), reclen: dv.getUint16(off + 4, true), type: buf[off + 6], name };
}

export function writeRec(buf: Uint8Array, off: number, ino: number, reclen: number, type: number, name: string): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  dv.setUint32(off, ino, true);
  dv.setUint16(off + 4, reclen, true);
  buf[off + 6] = type;
  buf[off + 7] = name.length;
  for (let i = 0; i < name.length; i++) buf[off + 8 + i] = name.charCodeAt(i) & 0xff;
  buf.fill(0, off + 8 + name.length, off + dirsiz(name.length));
}

function setReclen(buf: Uint8Array, off: number, reclen: number): void {
  buf[off + 4] = reclen & 0xff;
  buf[off + 5] = reclen >> 8;
}

/** Why a chunk is malformed (ufs_dirbadentry's rules), or null. */
export function chunkCheck(buf: Uint8Array, base: number): string | null {
  for (let off = base; off < base + DIRBLKSIZ;) {
    const reclen = buf[off + 4] | (buf[off + 5] << 8), namlen = buf[off + 7];
    if (reclen < 8 || reclen & 3 || off + reclen > base + DIRBLKSIZ) return `bad reclen ${reclen} at ${off}`;
    if ((buf[off] | buf[off + 1] | buf[off + 2] | buf[off + 3]) !== 0) {
      if (namlen === 0 || dirsiz(namlen) > reclen) return `bad namlen at ${off}`;
      for (let i = 0; i < namlen; i++) {
        const c = buf[off + 8 + i];
        if (c === 0 || c === 0x2f) return `bad name at ${off}`;
      }
    }
    off += reclen;
  }
  return null;
}

/** The live records of one chunk. The chunk must have passed chunkCheck. */
export function chunkRecs(buf: Uint8Array, base: number): DirRec[] {
  const out: DirRec[] = [];
  for (let off = base; off < base + DIRBLKSIZ;) {
    const r = readRec(buf, off);
    if (r.ino !== 0) out.push(r);
    off += r.reclen;
  }
  return out;
}

/** Offset of the live record named name in the chunk at base, or -1 (no strings built). */
export function chunkFind(buf: Uint8Array, base: number, name: string): number {
  const len = name.length;
  for (let off = base; off < base + DIRBLKSIZ;) {
    const reclen = buf[off + 4] | (buf[off + 5] << 8);
    if (buf[off + 7] === len && (buf[off] | buf[off + 1] | buf[off + 2] | buf[off + 3]) !== 0) {
      let i = 0;
      while (i < len && buf[off + 8 + i] === name.charCodeAt(i)) i++;
      if (i === len) return off;
    }
    off += reclen;
  }
  return -1;
}

/** Make an empty chunk at base. */
export function chunkInit(buf: Uint8Array, base: number): void {
  buf.fill(0, base, base + DIRBLKSIZ);
  setReclen(buf, base, DIRBLKSIZ);
}

/**
 * ufs_direnter's space search: put name into the chunk at base if it has room,
 * compacting the chunk's records when its free space is split up. Returns the
 * offset of the new record or -1.
 */
export function chunkInsert(buf: Uint8Array, base: number, ino: number, type: number, name: string): number {
  const need = dirsiz(name.length);
  let used = 0;
  for (let off = base; off < base + DIRBLKSIZ;) {
    const reclen = buf[off + 4] | (buf[off + 5] << 8);
    const live = (buf[off] | buf[off + 1] | buf[off + 2] | buf[off + 3]) !== 0;
    const have = live ? dirsiz(buf[off + 7]) : 0;
    if (reclen - have >= need) return insertAfter(buf, readRec(buf, off), have, ino, type, name);
    used += have;
    off += reclen;
  }
  if (DIRBLKSIZ - used < need) return -1;
  chunkCompact(buf, base);
  return chunkInsert(buf, base, ino, type, name);
}

function insertAfter(buf: Uint8Array, r: DirRec, have: number, ino: number, type: number, name: string): number {
  if (have === 0) {
    writeRec(buf, r.off, ino, r.reclen, type, name);
    return r.off;
  }
  setReclen(buf, r.off, have);
  writeRec(buf, r.off + have, ino, r.reclen - have, type, name);
  return r.off + have;
}

/** Slide the live records of a chunk together; the last one takes all slack. */
export function chunkCompact(buf: Uint8Array, base: number): void {
  const recs = chunkRecs(buf, base);
  chunkInit(buf, base);
  let off = base;
  recs.forEach((r, i) => {
    const len = i === recs.length - 1 ? base + DIRBLKSIZ - off : dirsiz(r.name.length);
    writeRec(buf, off, r.ino, len, r.type, r.name);
    off += len;
  });
}

/** ufs_dirremove: merge the record at off into its predecessor, or clear it if first. */
export function chunkRemove(buf: Uint8Array, base: number, off: number): void {
  if (off === base) {
    buf[off] = buf[off + 1] = buf[off + 2] = buf[off + 3] = 0;
    return;
  }
  let prev = base;
  for (;;) {
    const r = readRec(buf, prev);
    if (prev + r.reclen === off) break;
    prev += r.reclen;
  }
  const p = readRec(buf, prev), me = readRec(buf, off);
  setReclen(buf, prev, p.reclen + me.reclen);
}

/** The first chunk of a new directory: "." and "..". */
export function dirTemplate(ino: number, parent: number): Uint8Array {
  const buf = new Uint8Array(DIRBLKSIZ);
  writeRec(buf, 0, ino, 12, DT_DIR, '.');
  writeRec(buf, 12, parent, DIRBLKSIZ - 12, DT_DIR, '..');
  return buf;
}

export function nameCheck(name: string): boolean {
  return name.length > 0 && name.length <= UFS_MAXNAMLEN && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
}
