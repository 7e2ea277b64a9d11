/*
 * Byte strings: the kernel keeps path names as JS strings with one char per
 * byte (0..255), so any bytes user space passes round-trip exactly and
 * lengths are byte counts. Hosts speak Unicode; hostfs converts with UTF-8.
 */

export function bytesToBstr(b: Uint8Array): string {
  /* Path names and argv strings are short: a loop beats building an argument array. */
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  let s = '';
  for (let i = 0; i < b.length; i += 8192) {
    // apply takes the typed array itself as its array-like: no copy into a JS array.
    s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

export function bstrToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** A Unicode (host) string → its UTF-8 bytes as a byte string. */
export function unicodeToBstr(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out += ch;
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) {
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else {
      out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63),
        0x80 | (c & 63));
    }
  }
  return out;
}

/** A byte string holding UTF-8 → the Unicode string (invalid bytes become U+FFFD). */
export function bstrToUnicode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    const n = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (n === 0 || i + n > s.length) { out += '\ufffd'; i++; continue; }
    let cp = n === 1 ? c : c & (0x7f >> n);
    let ok = true;
    for (let k = 1; k < n; k++) {
      const d = s.charCodeAt(i + k);
      if ((d & 0xc0) !== 0x80) { ok = false; break; }
      cp = (cp << 6) | (d & 63);
    }
    if (!ok) { out += '\ufffd'; i++; continue; }
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}
