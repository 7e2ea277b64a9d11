/*
 * examine/x and search (BSD's db_examine.c). Modifiers: sizes b (1), h (2),
 * l or w (4), g (8); displays x (hex, the default), z (signed hex), d
 * (signed), u (unsigned), o (octal), c (characters), s (strings), i
 * (instructions, through db_disasm); P means the address is physical.
 * Plain `x` continues after the last thing shown with the last format.
 */
import { dbRead, dbReadValue, type DbSpace } from './db_access.ts';
import { disasmPretty } from './db_disasm.ts';
import { insnLength } from '../cpu/decode.ts';

export interface ExamineFmt {
  size: number;
  display: string;
  phys: boolean;
}

export class DbFmtError extends Error {}

/** Parse modifiers like "xg", "i", "Pb". */
export function parseFmt(mods: string, prev: ExamineFmt): ExamineFmt {
  const f: ExamineFmt = { ...prev, phys: false };
  for (const c of mods) {
    if ('bhlwg'.includes(c)) f.size = { b: 1, h: 2, l: 4, w: 4, g: 8 }[c as 'b' | 'h' | 'l' | 'w' | 'g'];
    else if ('xzduocsi'.includes(c)) f.display = c;
    else if (c === 'P') f.phys = true;
    else throw new DbFmtError(`Bad modifier '${c}'`);
  }
  return f;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function formatValue(v: bigint, size: number, display: string): string {
  const signed = BigInt.asIntN(size * 8, v);
  switch (display) {
    case 'z': return signed < 0n ? `-${(-signed).toString(16)}` : signed.toString(16);
    case 'd': return signed.toString(10);
    case 'u': return v.toString(10);
    case 'o': return v.toString(8);
    default: return v.toString(16);
  }
}

function charOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
}

/** Show count items at addr; returns the lines and the address after the last. */
export function dbExamine(s: DbSpace, addr: number, count: number, f: ExamineFmt): { lines: string[]; next: number } {
  if (f.display === 'i') return examineInsns(s, addr, count);
  if (f.display === 's') return examineStrings(s, addr, count);
  if (f.display === 'c') {
    const b = dbRead(s, addr, count);
    return { lines: [`${hex(addr)}:\t${[...b].map(charOf).join('')}`], next: addr + count };
  }
  const perLine = Math.max(1, 16 / f.size);
  const lines: string[] = [];
  let at = addr;
  for (let n = 0; n < count; n += perLine) {
    const vals: string[] = [];
    for (let j = 0; j < perLine && n + j < count; j++, at += f.size) {
      vals.push(formatValue(dbReadValue(s, at, f.size), f.size, f.display).padStart(f.size * 2 + 1));
    }
    lines.push(`${hex(at - vals.length * f.size)}:\t${vals.join(' ')}`);
  }
  return { lines, next: at };
}

function examineInsns(s: DbSpace, addr: number, count: number): { lines: string[]; next: number } {
  const lines: string[] = [];
  let at = addr;
  for (let n = 0; n < count; n++) {
    const lo = Number(dbReadValue(s, at, 2));
    const len = insnLength(lo);
    const raw = len === 2 ? lo : Number(dbReadValue(s, at, 4));
    const bits = len === 2 ? raw.toString(16).padStart(4, '0').padEnd(8) : raw.toString(16).padStart(8, '0');
    lines.push(`${hex(at)}:\t${bits}  ${disasmPretty(raw, at)}`);
    at += len;
  }
  return { lines, next: at };
}

function examineStrings(s: DbSpace, addr: number, count: number): { lines: string[]; next: number } {
  const lines: string[] = [];
  let at = addr;
  for (let n = 0; n < count; n++) {
    let str = '';
    for (let i = 0; i < 4096; i++) {
      const b = dbRead(s, at++, 1)[0];
      if (b === 0) break;
      str += charOf(b);
    }
    lines.push(`${hex(addr)}:\t${str}`);
    addr = at;
  }
  return { lines, next: at };
}

/** search: the first address at or after addr (stepping by size) holding value under mask. */
export function dbSearch(s: DbSpace, addr: number, size: number, value: bigint, mask: bigint, count: number): number {
  for (let n = 0, at = addr; n < count; n++, at += size) {
    let v: bigint;
    try {
      v = dbReadValue(s, at, size);
    } catch {
      return -1;
    }
    if ((v & mask) === (value & mask)) return at;
  }
  return -1;
}
