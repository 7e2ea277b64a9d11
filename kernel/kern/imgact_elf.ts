/*
 * ELF64 image parsing for execve (BSD's imgact_elf): validate the header and
 * program headers of a RISC-V executable and say what to map. Pure functions
 * over bytes, so malformed files are rejected (ENOEXEC) before anything of the
 * old image is touched.
 */
import { ENOEXEC, SysError } from './errno.ts';

export const ET_EXEC = 2, ET_DYN = 3, EM_RISCV = 243;
export const PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7,
  PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552;
export const PF_X = 1, PF_W = 2, PF_R = 4;
export const EHDR_SIZE = 64, PHDR_SIZE = 56;
const MAX_PHNUM = 512;

export interface Phdr {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  phdrs: Phdr[];
  loads: Phdr[];
  interp: Phdr | null;
  /** PT_PHDR's vaddr, or -1. */
  phdrVaddr: number;
  /** PT_GNU_STACK says executable (we honour it as PROT_EXEC on the stack). */
  execStack: boolean;
  /** Lowest and highest (exclusive) addresses the PT_LOADs cover, before the load bias. */
  minVaddr: number;
  maxVaddr: number;
}

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

function u64(dv: DataView, off: number): number {
  const v = dv.getBigUint64(off, true);
  if (v >= 1n << 53n) throw new SysError(ENOEXEC);
  return Number(v);
}

/** Where the program headers are, from the ELF header (so the caller can read them). */
export function phdrRange(hdr: Uint8Array): { off: number; len: number } {
  const dv = checkEhdr(hdr);
  const phnum = dv.getUint16(56, true);
  return { off: u64(dv, 32), len: phnum * PHDR_SIZE };
}

function checkEhdr(hdr: Uint8Array): DataView {
  if (hdr.length < EHDR_SIZE || !isElf(hdr)) throw new SysError(ENOEXEC);
  const dv = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  if (hdr[4] !== 2 || hdr[5] !== 1 || hdr[6] !== 1) throw new SysError(ENOEXEC); // ELFCLASS64, LSB, EV_CURRENT
  const type = dv.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) throw new SysError(ENOEXEC);
  if (dv.getUint16(18, true) !== EM_RISCV) throw new SysError(ENOEXEC);
  if (dv.getUint16(54, true) !== PHDR_SIZE) throw new SysError(ENOEXEC);
  const phnum = dv.getUint16(56, true);
  if (phnum < 1 || phnum > MAX_PHNUM) throw new SysError(ENOEXEC);
  return dv;
}

/**
 * Parse and validate. hdr: the first bytes of the file; ph: the program
 * header bytes (phdrRange); fileSize: for bounds checks.
 */
export function parseElf(hdr: Uint8Array, ph: Uint8Array, fileSize: number): ElfImage {
  const dv = checkEhdr(hdr);
  const type = dv.getUint16(16, true);
  const entry = u64(dv, 24);
  const phoff = u64(dv, 32);
  const phnum = dv.getUint16(56, true);
  if (ph.length < phnum * PHDR_SIZE) throw new SysError(ENOEXEC);
  const pdv = new DataView(ph.buffer, ph.byteOffset, ph.byteLength);
  const img: ElfImage = {
    type, entry, phoff, phnum, phdrs: [], loads: [], interp: null, phdrVaddr: -1,
    execStack: false, minVaddr: Infinity, maxVaddr: 0,
  };
  for (let i = 0; i < phnum; i++) {
    const p = readPhdr(pdv, i * PHDR_SIZE);
    img.phdrs.push(p);
    checkPhdr(img, p, fileSize);
  }
  if (img.loads.length === 0) throw new SysError(ENOEXEC);
  if (img.maxVaddr - img.minVaddr > 0x1_0000_0000) throw new SysError(ENOEXEC);
  return img;
}

function readPhdr(dv: DataView, o: number): Phdr {
  return {
    type: dv.getUint32(o, true),
    flags: dv.getUint32(o + 4, true),
    offset: u64(dv, o + 8),
    vaddr: u64(dv, o + 16),
    filesz: u64(dv, o + 32),
    memsz: u64(dv, o + 40),
    align: u64(dv, o + 48),
  };
}

function checkPhdr(img: ElfImage, p: Phdr, fileSize: number): void {
  switch (p.type) {
    case PT_LOAD:
      if (p.filesz > p.memsz || p.offset + p.filesz > fileSize) throw new SysError(ENOEXEC);
      if (p.memsz === 0) return;
      img.loads.push(p);
      img.minVaddr = Math.min(img.minVaddr, p.vaddr);
      img.maxVaddr = Math.max(img.maxVaddr, p.vaddr + p.memsz);
      return;
    case PT_INTERP:
      if (img.interp || p.filesz < 2 || p.filesz > 4096 || p.offset + p.filesz > fileSize) {
        throw new SysError(ENOEXEC);
      }
      img.interp = p;
      return;
    case PT_PHDR:
      img.phdrVaddr = p.vaddr;
      return;
    case PT_GNU_STACK:
      img.execStack = (p.flags & PF_X) !== 0;
      return;
    default:
      return;
  }
}

/** The address the program headers are visible at once loaded (AT_PHDR), before the bias. */
export function phdrAddr(img: ElfImage): number {
  if (img.phdrVaddr >= 0) return img.phdrVaddr;
  for (const p of img.loads) {
    if (img.phoff >= p.offset && img.phoff + img.phnum * PHDR_SIZE <= p.offset + p.filesz) {
      return p.vaddr + (img.phoff - p.offset);
    }
  }
  return 0;
}

/** PT_INTERP's path (NUL-terminated in the file). */
export function interpPath(bytes: Uint8Array): string {
  let n = bytes.indexOf(0);
  if (n < 0) n = bytes.length;
  if (n === 0) throw new SysError(ENOEXEC);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
