/*
 * mkisofs, step 1: the host directory tree to put on the disc, read once
 * with lstat (symlinks are recorded, never followed) and sorted by name so
 * the same input always gives the same image.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type SrcKind = 'file' | 'dir' | 'symlink' | 'chr' | 'blk' | 'fifo' | 'sock';

export interface SrcNode {
  name: string;           // host name (Unicode)
  path: string;           // host path
  kind: SrcKind;
  mode: number;           // full st_mode
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  rdev: number;
  hostId: string;         // dev:ino, to find hard links
  mtime: number;          // seconds
  atime: number;
  ctime: number;
  target: string;         // symlink target
  children: SrcNode[];    // directories
  parent: SrcNode | null;
}

function kindOf(st: ReturnType<typeof lstatSync>): SrcKind {
  if (!st) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'chr';
  if (st.isBlockDevice()) return 'blk';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'sock';
  return 'file';
}

export function scanTree(path: string, name = '', parent: SrcNode | null = null): SrcNode {
  const st = lstatSync(path, { bigint: false });
  const kind = kindOf(st);
  const node: SrcNode = {
    name, path, kind, mode: st.mode, uid: st.uid, gid: st.gid,
    size: kind === 'file' ? st.size : 0, nlink: st.nlink, rdev: st.rdev,
    hostId: `${st.dev}:${st.ino}`,
    mtime: Math.floor(st.mtimeMs / 1000), atime: Math.floor(st.atimeMs / 1000),
    ctime: Math.floor(st.ctimeMs / 1000),
    target: kind === 'symlink' ? readlinkSync(path) : '',
    children: [], parent,
  };
  if (kind === 'dir') {
    const names = readdirSync(path).sort(byCodeUnits);
    for (const n of names) node.children.push(scanTree(join(path, n), n, node));
  }
  return node;
}

/* Plain code-unit order: locale-independent, so every host sorts alike. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
