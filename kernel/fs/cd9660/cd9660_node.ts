/*
 * The in-core inode of a cd9660 file (BSD's struct iso_node): attributes
 * decoded once from its directory record (Rock Ridge, or the defaults a
 * plain ISO file gets), and where its data lies.
 *
 * Inode numbers (BSD's scheme, stable across mounts of the same image):
 * a directory is numbered by the volume byte offset of its "." record —
 * the start of its extent — whichever record led to it (a Rock Ridge
 * relocated directory included); any other file by the byte offset of its
 * (first) directory record.
 */
import type { Timespec } from '../../vfs/vnode.ts';
import type { IsoDirent } from './cd9660_dir.ts';

/** One contiguous run of file data on the volume. */
export interface IsoExtent {
  start: number;        // volume byte offset
  len: number;          // bytes
}

export interface IsoNode {
  ino: number;
  type: number;         // vtype: VREG, VDIR, VLNK, VCHR...
  mode: number;         // permission bits (07777)
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  rdev: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
  extents: IsoExtent[];
  symlink: string | null;
  interleaved: boolean;
  /** Directories: their parsed entries, read on first use (the volume never changes). */
  entries: IsoDirent[] | null;
  byName: Map<string, IsoDirent> | null;
}
