/*
 * A node's attributes from its directory record (BSD's cd9660_defattr and
 * the Rock Ridge analysis on top): Rock Ridge PX/TF/PN/SL when present,
 * otherwise the mount's defaults (BSD: r-x for everyone, owned by root)
 * and the record's date for every timestamp.
 */
import { DR_DATE } from './iso.ts';
import { isoTime7 } from './cd9660_time.ts';
import type { IsoDirRecord } from './cd9660_dirrec.ts';
import type { IsoNode } from './cd9660_node.ts';
import type { RrInfo } from './cd9660_rrip.ts';
import { VDIR } from '../../vfs/vnode.ts';

export interface AttrDefaults {
  uid: number;
  gid: number;
  fmode: number;
  dmode: number;
}

export function nodeAttrs(rec: IsoDirRecord, rr: RrInfo | null, type: number, ino: number,
  defs: AttrDefaults): IsoNode {
  const date = isoTime7(rec.raw, DR_DATE);
  const m = rr?.mode ?? null;
  const mtime = rr?.times.mtime ?? date;
  return {
    ino, type,
    mode: m !== null ? m & 0o7777 : type === VDIR ? defs.dmode : defs.fmode,
    nlink: m !== null && rr ? rr.nlink : 1,
    uid: m !== null && rr ? rr.uid : defs.uid,
    gid: m !== null && rr ? rr.gid : defs.gid,
    size: rec.size,
    rdev: rr?.rdev ?? 0,
    mtime,
    atime: rr?.times.atime ?? mtime,
    ctime: rr?.times.ctime ?? mtime,
    btime: rr?.times.btime ?? date,
    extents: [],
    symlink: rr?.symlink ?? null,
    interleaved: false,
    entries: null,
    byName: null,
  };
}
