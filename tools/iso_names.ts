/*
 * mkisofs names: host names → ISO 9660 file identifiers (d-characters,
 * "NAME.EXT;1" for files, the length limits of interchange levels 1-3)
 * and Joliet identifiers (UCS-2, at most 64 characters), unique within
 * each directory, and the orders ECMA-119 9.3 and Joliet sort records in.
 */

const ISO_MAX_DIR = [0, 8, 31, 31];
const JOLIET_MAX = 64;

function dchars(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The identifier a host name gets before uniqueness is enforced. */
function isoCandidate(name: string, isDir: boolean, level: number): { base: string; ext: string } {
  if (isDir) return { base: dchars(name).slice(0, ISO_MAX_DIR[level]) || '_', ext: '' };
  const dot = name.lastIndexOf('.');
  let base = dot > 0 ? name.slice(0, dot) : name;
  let ext = dot > 0 ? name.slice(dot + 1) : '';
  base = dchars(base);
  ext = dchars(ext);
  if (level === 1) return { base: base.slice(0, 8) || '_', ext: ext.slice(0, 3) };
  ext = ext.slice(0, 8);
  return { base: base.slice(0, 30 - ext.length) || '_', ext };
}

function isoIdent(base: string, ext: string, isDir: boolean): string {
  return isDir ? base : `${base}.${ext};1`;
}

/** ISO identifiers for one directory's entries (same order as `entries`). */
export function isoNames(entries: { name: string; isDir: boolean }[], level: number): string[] {
  const used = new Set<string>();
  return entries.map(({ name, isDir }) => {
    const { base, ext } = isoCandidate(name, isDir, level);
    let id = isoIdent(base, ext, isDir);
    // Collisions get a numeric tail in place of the end of the base name.
    for (let n = 1; used.has(id); n++) {
      const tail = String(n);
      const max = isDir ? ISO_MAX_DIR[level] : level === 1 ? 8 : 30 - ext.length;
      id = isoIdent(base.slice(0, Math.max(1, max - tail.length)) + tail, ext, isDir);
    }
    used.add(id);
    return id;
  });
}

/** Joliet identifiers: the host name, minus the characters Joliet forbids, at most 64 units. */
export function jolietNames(entries: { name: string }[]): string[] {
  const used = new Set<string>();
  return entries.map(({ name }) => {
    const clean = name.replace(/[*/:;?\\\0-\x1f]/g, '_');
    let id = clean.slice(0, JOLIET_MAX);
    for (let n = 1; used.has(id); n++) {
      const tail = `~${n}`;
      id = clean.slice(0, JOLIET_MAX - tail.length) + tail;
    }
    used.add(id);
    return id;
  });
}

/* ECMA-119 9.3: by name, then extension, each padded with spaces; then version (all 1 here). */
export function isoIdentCompare(a: string, b: string): number {
  const [an, ae] = splitIdent(a), [bn, be] = splitIdent(b);
  return paddedCompare(an, bn) || paddedCompare(ae, be);
}

function splitIdent(id: string): [string, string] {
  const semi = id.indexOf(';');
  const core = semi >= 0 ? id.slice(0, semi) : id;
  const dot = core.indexOf('.');
  return dot >= 0 ? [core.slice(0, dot), core.slice(dot + 1)] : [core, ''];
}

function paddedCompare(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  const pa = a.padEnd(n, ' '), pb = b.padEnd(n, ' ');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** Joliet records sort by their UCS-2 code units. */
export function jolietCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
