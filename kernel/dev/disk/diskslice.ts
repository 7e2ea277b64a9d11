/*
 * Disk slices and BSD labels: the MBR slice table, DragonFly's disklabel64
 * and the classic 32-bit disklabel, read (to name vkd0s1a and friends) and
 * written (for makefs and the browser's "new disk").
 *
 * DragonFly's names: a disk without an MBR is one "compatibility" slice s0
 * (a label at its start gives vkd0s0a, the layout of DragonFly's vkernel
 * root images); with an MBR the primary slices are s1..s4 (vkd0s1a).
 * A bare file system on the whole disk has no slice name at all.
 *
 * disklabel64 (magic 0xc4464c59 at byte 512 of the slice) keeps byte
 * offsets relative to the slice and a CRC-32 over the label from d_magic to
 * the last partition. The 32-bit label (magic 0x82564557, sector 1) keeps
 * sector offsets; old writers made them absolute on the disk, which we
 * detect by the 'c' partition starting where the slice starts.
 */
import { SubBlockDev, type BlockDev } from '../../fs/ufs/ufs_blockdev.ts';

export const DOSPTYP_386BSD = 0xa5;   /* FreeBSD/DragonFly with a 32-bit label */
export const DOSPTYP_DFLYBSD = 0x6c;  /* DragonFly with a disklabel64 */
export const DISKMAGIC64 = 0xc4464c59;
export const DISKMAGIC32 = 0x82564557;
export const FS_BSDFFS = 7;
export const SECTOR = 512;
export const MAXPARTITIONS64 = 16;
export const MAXPARTITIONS32 = 16;

export interface DiskPart {
  /** DragonFly's device suffix: "s1", "s1a", "s0a", ... ("" for the whole disk). */
  name: string;
  offset: number;   // bytes from the start of the disk
  size: number;     // bytes
  fstype: number;   // MBR type for slices, p_fstype for partitions
}

export interface MbrSlice {
  index: number;    // 1..4
  type: number;
  start: number;    // sector
  sectors: number;
}

/* ---- CRC-32 (the zlib polynomial, as DragonFly's libkern crc32) ---- */

let crcTable: Uint32Array | null = null;

export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/* ---- MBR ---- */

export function mbrParse(sec0: Uint8Array, diskSectors: number): MbrSlice[] | null {
  if (sec0[510] !== 0x55 || sec0[511] !== 0xaa) return null;
  const dv = new DataView(sec0.buffer, sec0.byteOffset, 512);
  const out: MbrSlice[] = [];
  for (let i = 0; i < 4; i++) {
    const e = 446 + 16 * i;
    const status = sec0[e], type = sec0[e + 4];
    const start = dv.getUint32(e + 8, true), sectors = dv.getUint32(e + 12, true);
    if (status !== 0 && status !== 0x80) return null; /* not a slice table (a boot sector, say) */
    if (type === 0 || sectors === 0) continue;
    if (type === 0xee) return null; /* GPT protective MBR: not ours to read */
    if (start === 0 || start + sectors > diskSectors) return null;
    out.push({ index: i + 1, type, start, sectors });
  }
  return out.length ? out : null;
}

/** One-slice MBR (no boot code): slice 1 from startSector for sectors, active. */
export function mbrBuild(startSector: number, sectors: number, type: number): Uint8Array {
  const s = new Uint8Array(SECTOR);
  const dv = new DataView(s.buffer);
  const e = 446;
  s[e] = 0x80;
  s.set([0xfe, 0xff, 0xff], e + 1); /* CHS fields: "use LBA" */
  s[e + 4] = type;
  s.set([0xfe, 0xff, 0xff], e + 5);
  dv.setUint32(e + 8, startSector, true);
  dv.setUint32(e + 12, sectors, true);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

/* ---- disklabel64 ---- */

const L64 = { magic: 512, crc: 516, align: 520, npart: 524, storUuid: 528, total: 544, bbase: 552, pbase: 560, pstop: 568, abase: 576, packname: 584, parts: 712 };
const P64SIZE = 64;
/* DragonFly's type UUID for UFS partitions (9d94ce7c-1ca5-11dc-8817-01301bb8a9f5), in struct uuid byte order. */
const UUID_DFLY_UFS1 = uuidBytes('9d94ce7c-1ca5-11dc-8817-01301bb8a9f5');

function uuidBytes(s: string): Uint8Array {
  const h = s.replace(/-/g, '');
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
  /* time_low, time_mid, time_hi are host (little-endian) integers in struct uuid. */
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

export interface LabelPart {
  index: number;    // 0 = 'a'
  offset: number;   // bytes from the start of the slice
  size: number;     // bytes
  fstype: number;
}

function crc64Range(buf: Uint8Array, npart: number): number {
  const copy = buf.slice(L64.magic, L64.parts + npart * P64SIZE);
  copy.fill(0, 4, 8); /* d_crc counts as zero */
  return crc32(copy);
}

export function disklabel64Parse(buf: Uint8Array, sliceSize: number): LabelPart[] | null {
  if (buf.length < L64.parts) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(L64.magic, true) !== DISKMAGIC64) return null;
  const npart = dv.getUint32(L64.npart, true);
  if (npart > MAXPARTITIONS64 * 2 || L64.parts + npart * P64SIZE > buf.length) return null;
  if (crc64Range(buf, npart) !== dv.getUint32(L64.crc, true)) return null;
  const out: LabelPart[] = [];
  for (let i = 0; i < npart; i++) {
    const e = L64.parts + i * P64SIZE;
    const offset = Number(dv.getBigUint64(e, true)), size = Number(dv.getBigUint64(e + 8, true));
    if (size === 0) continue;
    if (offset + size > sliceSize) return null;
    out.push({ index: i, offset, size, fstype: buf[e + 16] });
  }
  return out;
}

/** A disklabel64 for a slice of sliceSize bytes with partition 'a' = [pbase, pstop). */
export function disklabel64Build(sliceSize: number, packname = 'vkernel'): { label: Uint8Array; partOffset: number; partSize: number } {
  /* Padded to whole sectors: devices take aligned writes. */
  const buf = new Uint8Array(Math.ceil((L64.parts + MAXPARTITIONS64 * P64SIZE) / SECTOR) * SECTOR);
  const dv = new DataView(buf.buffer);
  const align = 1 << 20;
  const pbase = align, pstop = Math.floor(sliceSize / 4096) * 4096;
  if (pstop <= pbase) throw new RangeError('slice too small for a disklabel64');
  dv.setUint32(L64.magic, DISKMAGIC64, true);
  dv.setUint32(L64.align, align, true);
  dv.setUint32(L64.npart, MAXPARTITIONS64, true);
  buf.set(storUuid(sliceSize, 0), L64.storUuid);
  dv.setBigUint64(L64.total, BigInt(sliceSize), true);
  dv.setBigUint64(L64.bbase, 4096n, true);
  dv.setBigUint64(L64.pbase, BigInt(pbase), true);
  dv.setBigUint64(L64.pstop, BigInt(pstop), true);
  for (let i = 0; i < Math.min(63, packname.length); i++) buf[L64.packname + i] = packname.charCodeAt(i) & 0x7f;
  const e = L64.parts;
  dv.setBigUint64(e, BigInt(pbase), true);
  dv.setBigUint64(e + 8, BigInt(pstop - pbase), true);
  buf[e + 16] = FS_BSDFFS;
  buf.set(UUID_DFLY_UFS1, e + 32);
  buf.set(storUuid(sliceSize, 1), e + 48);
  dv.setUint32(L64.crc, crc64Range(buf, MAXPARTITIONS64), true);
  return { label: buf, partOffset: pbase, partSize: pstop - pbase };
}

/* A version-4-looking UUID derived from the size: reproducible images need no randomness. */
function storUuid(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(16);
  let x = (seed ^ (n * 0x9e3779b9)) >>> 0;
  for (let i = 0; i < 16; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  b[7] = (b[7] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b;
}

/* ---- the classic 32-bit disklabel ---- */

const L32 = { magic: 0, secsize: 40, nsectors: 44, ntracks: 48, ncyl: 52, secpercyl: 56, secperunit: 60, magic2: 132, cksum: 136, npart: 138, bbsize: 140, sbsize: 144, parts: 148 };

function cksum32(buf: Uint8Array, npart: number): number {
  const end = L32.parts + 16 * npart;
  let x = 0;
  for (let i = 0; i < end; i += 2) if (i !== L32.cksum) x ^= buf[i] | (buf[i + 1] << 8);
  return x;
}

/** buf: the label sector (sector 1 of the slice); sliceStart in sectors. */
export function disklabel32Parse(buf: Uint8Array, sliceStart: number, sliceSectors: number): LabelPart[] | null {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(L32.magic, true) !== DISKMAGIC32 || dv.getUint32(L32.magic2, true) !== DISKMAGIC32) return null;
  const npart = dv.getUint16(L32.npart, true);
  if (npart > MAXPARTITIONS32 || cksum32(buf, npart) !== dv.getUint16(L32.cksum, true)) return null;
  const secsize = dv.getUint32(L32.secsize, true) || SECTOR;
  const rawOff = npart > 2 ? dv.getUint32(L32.parts + 16 * 2 + 4, true) : 0;
  const bias = sliceStart > 0 && rawOff === sliceStart ? sliceStart : 0;
  const out: LabelPart[] = [];
  for (let i = 0; i < npart; i++) {
    const e = L32.parts + 16 * i;
    const size = dv.getUint32(e, true), off = dv.getUint32(e + 4, true) - bias;
    if (size === 0 || i === 2) continue; /* 'c' is the whole slice */
    if (off < 0 || off + size > sliceSectors) return null;
    out.push({ index: i, offset: off * secsize, size: size * secsize, fstype: buf[e + 12] });
  }
  return out;
}

/** A 32-bit label (slice-relative offsets) with 'a' = [partStart, +partSectors) and 'c' = the slice. */
export function disklabel32Build(sliceSectors: number, partStart: number, partSectors: number): Uint8Array {
  const buf = new Uint8Array(SECTOR);
  const dv = new DataView(buf.buffer);
  const npart = 8;
  dv.setUint32(L32.magic, DISKMAGIC32, true);
  dv.setUint32(L32.magic2, DISKMAGIC32, true);
  dv.setUint32(L32.secsize, SECTOR, true);
  dv.setUint32(L32.nsectors, 63, true);
  dv.setUint32(L32.ntracks, 255, true);
  dv.setUint32(L32.secpercyl, 63 * 255, true);
  dv.setUint32(L32.ncyl, Math.max(1, Math.floor(sliceSectors / (63 * 255))), true);
  dv.setUint32(L32.secperunit, sliceSectors, true);
  dv.setUint16(L32.npart, npart, true);
  dv.setUint32(L32.bbsize, 8192, true);
  dv.setUint32(L32.sbsize, 0, true);
  const part = (i: number, off: number, size: number, fstype: number) => {
    const e = L32.parts + 16 * i;
    dv.setUint32(e, size, true);
    dv.setUint32(e + 4, off, true);
    buf[e + 12] = fstype;
  };
  part(0, partStart, partSectors, FS_BSDFFS);
  part(2, 0, sliceSectors, 0);
  dv.setUint16(L32.cksum, cksum32(buf, npart), true);
  return buf;
}

/* ---- probing ---- */

function labelParts(dev: BlockDev, base: number, size: number, prefix: string): DiskPart[] {
  if (size < 2 * SECTOR) return [];
  const head = new Uint8Array(Math.min(size, Math.ceil((L64.parts + 2 * MAXPARTITIONS64 * P64SIZE) / SECTOR) * SECTOR));
  dev.read(base, head);
  const l64 = disklabel64Parse(head, size);
  const l32 = l64 ? null : disklabel32Parse(head.subarray(SECTOR, 2 * SECTOR), base / SECTOR, size / SECTOR);
  const parts = l64 ?? l32 ?? [];
  return parts.map((p) => ({
    name: prefix + String.fromCharCode(97 + p.index), offset: base + p.offset, size: p.size, fstype: p.fstype,
  }));
}

/**
 * Every slice and partition on dev, with DragonFly names. Without an MBR,
 * s0 is the whole disk and its label (if any) gives s0a...
 */
export function dsProbe(dev: BlockDev): DiskPart[] {
  const sec0 = new Uint8Array(SECTOR);
  if (dev.size < SECTOR) return [];
  dev.read(0, sec0);
  const slices = mbrParse(sec0, Math.floor(dev.size / SECTOR));
  if (!slices) {
    const parts = labelParts(dev, 0, dev.size, 's0');
    return parts.length ? [{ name: 's0', offset: 0, size: dev.size, fstype: 0 }, ...parts] : [];
  }
  const out: DiskPart[] = [];
  for (const s of slices) {
    const name = `s${s.index}`, offset = s.start * SECTOR, size = s.sectors * SECTOR;
    out.push({ name, offset, size, fstype: s.type });
    out.push(...labelParts(dev, offset, size, name));
  }
  return out;
}

/** The device window for a DragonFly suffix ("" = whole disk, "s0a", "s1", "s1a"...), or null. */
export function dsOpen(dev: BlockDev, suffix: string): BlockDev | null {
  if (suffix === '') return dev;
  const p = dsProbe(dev).find((x) => x.name === suffix);
  return p ? new SubBlockDev(dev, p.offset, p.size) : null;
}
