/*
 * Raw looks at an image, independent of kernel/fs/cd9660: volume
 * descriptors, path tables and directory records straight from the bytes,
 * for checking what the writer lays down (path tables, record order).
 */
const S = 2048;

export interface RawDir {
  extent: number;
  idents: Buffer[];       // the records after "." and "..", in order
  parentExtent: number;   // from ".."
}

export interface PathEntry {
  ident: Buffer;
  extent: number;
  parent: number;
}

export function le32(b: Buffer, o: number): number {
  return b.readUInt32LE(o);
}

/** Every directory of the tree a descriptor (block vdBlock) roots, walking directory records. */
export function rawDirs(img: Buffer, vdBlock: number): RawDir[] {
  const vd = img.subarray(vdBlock * S, vdBlock * S + S);
  const out: RawDir[] = [];
  const seen = new Set<number>();
  const queue = [{ extent: le32(vd, 156 + 2), size: le32(vd, 156 + 10) }];
  while (queue.length) {
    const { extent, size } = queue.shift()!;
    if (seen.has(extent)) continue;
    seen.add(extent);
    const dir: RawDir = { extent, idents: [], parentExtent: 0 };
    let off = extent * S;
    const end = off + size;
    let n = 0;
    while (off < end) {
      const len = img[off];
      if (len === 0) { off = (Math.floor(off / S) + 1) * S; continue; }
      const ident = img.subarray(off + 33, off + 33 + img[off + 32]);
      if (n === 1) dir.parentExtent = le32(img, off + 2);
      if (n >= 2) {
        dir.idents.push(Buffer.from(ident));
        if (img[off + 25] & 2) queue.push({ extent: le32(img, off + 2), size: le32(img, off + 10) });
      }
      n++;
      off += len;
    }
    out.push(dir);
  }
  return out;
}

/** The L (little-endian) or M (big-endian) path table of a descriptor. */
export function pathTable(img: Buffer, vdBlock: number, big: boolean): PathEntry[] {
  const vd = img.subarray(vdBlock * S, vdBlock * S + S);
  const size = le32(vd, 132);
  const loc = big ? vd.readUInt32BE(148) : le32(vd, 140);
  const t = img.subarray(loc * S, loc * S + size);
  const out: PathEntry[] = [];
  for (let off = 0; off < t.length;) {
    const len = t[off];
    out.push({
      ident: Buffer.from(t.subarray(off + 8, off + 8 + len)),
      extent: big ? t.readUInt32BE(off + 2) : t.readUInt32LE(off + 2),
      parent: big ? t.readUInt16BE(off + 6) : t.readUInt16LE(off + 6),
    });
    off += 8 + len + (len & 1);
  }
  return out;
}

/* ECMA-119 9.3 order of file identifiers: name, then extension, each space-padded. */
export function isoOrder(a: Buffer, b: Buffer): number {
  const split = (x: Buffer): [string, string] => {
    const s = x.toString('latin1').split(';')[0];
    const dot = s.indexOf('.');
    return dot < 0 ? [s, ''] : [s.slice(0, dot), s.slice(dot + 1)];
  };
  const pad = (x: string, y: string): number => {
    const n = Math.max(x.length, y.length);
    const px = x.padEnd(n, ' '), py = y.padEnd(n, ' ');
    return px < py ? -1 : px > py ? 1 : 0;
  };
  const [an, ae] = split(a), [bn, be] = split(b);
  return pad(an, bn) || pad(ae, be);
}
