/*
 * mkisofs: volume descriptors (ECMA-119 8.4, Joliet's supplementary
 * descriptor with escape "%/E") and path tables (9.4, both byte orders).
 */
import {
  ascii, date17, dirRecord, date7, pathRecord, put723, put731, put732, put733, SECTOR, ucs2,
} from './iso_encode.ts';
import type { WDir } from './iso_layout.ts';

export interface PathTables {
  size: number;           // bytes of one table
  l: Uint8Array;
  m: Uint8Array;
  lLba: number;
  mLba: number;
}

/** Both path tables of a tree whose directories are `dirs` in path table order. */
export function pathTables(dirs: WDir[], idents: Map<WDir, Uint8Array>): { l: Uint8Array; m: Uint8Array } {
  const index = new Map<WDir, number>();
  dirs.forEach((d, i) => index.set(d, i + 1));
  const build = (big: boolean): Uint8Array => {
    const parts = dirs.map((d) => pathRecord(idents.get(d) ?? Uint8Array.of(0), d.lba, index.get(d.parent) ?? 1, big));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  return { l: build(false), m: build(true) };
}

export interface VdFields {
  joliet: boolean;
  volid: string;
  volumeBlocks: number;
  root: WDir;
  paths: PathTables;
  date: number;
}

function text(b: Uint8Array, off: number, len: number, s: string, joliet: boolean): void {
  if (joliet) {
    const pad = ucs2(' '.repeat(len / 2));
    b.set(pad, off);
    b.set(ucs2(s.slice(0, len / 2)), off);
  } else {
    b.fill(0x20, off, off + len);
    b.set(ascii(s.slice(0, len)), off);
  }
}

export function volumeDescriptor(f: VdFields): Uint8Array {
  const b = new Uint8Array(SECTOR);
  b[0] = f.joliet ? 2 : 1;
  b.set(ascii('CD001'), 1);
  b[6] = 1;
  text(b, 8, 32, '', f.joliet);
  text(b, 40, 32, f.volid, f.joliet);
  put733(b, 80, f.volumeBlocks);
  if (f.joliet) b.set(ascii('%/E'), 88);
  put723(b, 120, 1);
  put723(b, 124, 1);
  put723(b, 128, SECTOR);
  put733(b, 132, f.paths.size);
  put731(b, 140, f.paths.lLba);
  put732(b, 148, f.paths.mLba);
  b.set(dirRecord({ ident: Uint8Array.of(0), extent: f.root.lba, size: f.root.size, flags: 2, date: date7(f.date), su: new Uint8Array(0) }), 156);
  for (const [off, len] of [[190, 128], [318, 128], [446, 128], [702, 37], [739, 37], [776, 37]]) text(b, off, len, '', f.joliet);
  text(b, 574, 128, f.joliet ? 'VKERNEL MKISOFS' : 'VKERNEL MKISOFS', f.joliet);
  b.set(date17(f.date), 813);
  b.set(date17(f.date), 830);
  b.set(date17(null), 847);
  b.set(date17(null), 864);
  b[881] = 1;
  return b;
}

export function terminator(): Uint8Array {
  const b = new Uint8Array(SECTOR);
  b[0] = 255;
  b.set(ascii('CD001'), 1);
  b[6] = 1;
  return b;
}
