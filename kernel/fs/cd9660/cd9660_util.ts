/*
 * File identifiers → the names readdir shows (BSD's isofntrans):
 * without Rock Ridge, ";1" version suffixes are dropped (and a '.' left
 * dangling before them), and plain ISO names are folded to lower case the
 * way BSD's cd9660 shows them. Joliet identifiers are UCS-2 big-endian and
 * come out as UTF-8 byte strings.
 */
import { unicodeToBstr } from '../../vfs/bstr.ts';

export interface NameTrans {
  joliet: boolean;
  /** Keep ";N" versions (BSD's -g / ISOFSMNT_GENS). */
  gens: boolean;
  /** Show names exactly as recorded: no case folding, no version stripping. */
  original: boolean;
}

export function isofntrans(id: Uint8Array, t: NameTrans): string {
  const s = t.joliet ? jolietChars(id) : latin1(id, !t.original);
  if (t.original || t.gens) return sanitize(s);
  return sanitize(stripVersion(s));
}

function latin1(id: Uint8Array, fold: boolean): string {
  let s = '';
  for (const c of id) s += String.fromCharCode(fold && c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  return s;
}

function jolietChars(id: Uint8Array): string {
  let u = '';
  for (let i = 0; i + 1 < id.length; i += 2) u += String.fromCharCode((id[i] << 8) | id[i + 1]);
  return unicodeToBstr(u);
}

function stripVersion(s: string): string {
  const semi = s.indexOf(';');
  if (semi < 0) return s;
  let base = s.slice(0, semi);
  if (base.endsWith('.') && base.length > 1) base = base.slice(0, -1);
  return base.length ? base : s;
}

/* A name must stay one path component whatever the image says. */
function sanitize(s: string): string {
  return s.replace(/[/\0]/g, '_');
}

/** Names as BSD's isofncmp would accept them on a plain ISO volume: any case, any version. */
export function foldPlainName(name: string): string {
  return stripVersion(name.toLowerCase());
}
