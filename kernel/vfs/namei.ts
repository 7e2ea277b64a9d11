/*
 * Path name lookup (namei). Walks a byte-string path from the process root
 * (absolute paths) or a start directory (cwd or a dirfd), one component at a
 * time: search permission on every directory, symbolic links expanded in
 * place (at most MAXSYMLINKS of them), mount points crossed downward after a
 * lookup and upward on '..' at a mount's root, and '..' never climbing above
 * the process root (chroot).
 */
import { EACCES, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, SysError } from '../kern/errno.ts';
import { VEXEC, vaccessOk, type Cred } from './vfs_cred.ts';
import { VDIR, VLNK, vcrossdown, type Vnode } from './vnode.ts';

export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const MAXSYMLINKS = 40;

/** ktrace's NAMI hook (kern/kern_ktrace.ts): null unless some process is traced. */
export const nameiTrace: { fn: ((path: string) => void) | null } = { fn: null };

export interface NameiReq {
  path: string;
  /** Where relative paths start: the cwd or the directory of a dirfd. */
  start: Vnode;
  /** The process root (chroot): absolute paths start here, '..' stops here. */
  root: Vnode;
  cred: Cred;
  /** Follow a symlink in the last component (not AT_SYMLINK_NOFOLLOW / O_NOFOLLOW). */
  follow: boolean;
}

export interface NameiParent {
  /** The directory holding the last component. */
  dvp: Vnode;
  /** The last component: '.' or '..' too, '' when the path names the root itself. */
  name: string;
  /** What the last component names now, or null if it does not exist. */
  vp: Vnode | null;
  /**
   * The path ended in '/'. Not checked against vp here: each operation has its
   * own answer (mkdir EEXIST, unlink ENOTDIR or EISDIR, O_CREAT EISDIR).
   */
  trailingSlash: boolean;
}

/** Look a path up; the result must exist. */
export function namei(req: NameiReq): Vnode {
  const r = walk(req, false);
  if (!r.vp) throw new SysError(ENOENT);
  return r.vp;
}

/**
 * Look up the parent of a path's last component, for create, delete and rename.
 * A symlink in the last component is followed only if req.follow.
 */
export function nameiParent(req: NameiReq): NameiParent {
  return walk(req, true);
}

function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '');
}

function checkSearch(dvp: Vnode, cred: Cred): void {
  if (dvp.type !== VDIR) throw new SysError(ENOTDIR);
  if (!vaccessOk(dvp.getattr(), cred, VEXEC)) throw new SysError(EACCES);
}

/** '..' from dvp: stop at the process root, step out of mounts to the covered vnode first. */
function lookupDotDot(dvp: Vnode, root: Vnode): Vnode {
  for (;;) {
    if (dvp === root) return root;
    const mp = dvp.mount;
    if (dvp !== mp.root() || !mp.coveredVnode) break;
    dvp = mp.coveredVnode;
  }
  return dvp.lookup('..');
}

function walk(req: NameiReq, wantParent: boolean): NameiParent {
  const { path, root, cred } = req;
  if (nameiTrace.fn !== null) nameiTrace.fn(path);
  if (path.length === 0) throw new SysError(ENOENT);
  if (path.length >= PATH_MAX) throw new SysError(ENAMETOOLONG);
  let comps = splitPath(path);
  let trailingSlash = path.endsWith('/');
  let dvp = vcrossdown(path[0] === '/' ? root : req.start);
  let links = 0;
  if (comps.length === 0) {
    return { dvp, name: '', vp: dvp, trailingSlash };
  }
  for (let i = 0; ; i++) {
    const name = comps[i];
    const last = i === comps.length - 1;
    if (name.length > NAME_MAX) throw new SysError(ENAMETOOLONG);
    checkSearch(dvp, cred);
    let vp: Vnode | null;
    if (name === '.') vp = dvp;
    else if (name === '..') vp = lookupDotDot(dvp, root);
    else vp = lookupOrNull(dvp, name, last && wantParent);
    if (vp === null) return { dvp, name, vp: null, trailingSlash };
    vp = vcrossdown(vp);
    /* A trailing slash follows a final symlink on lookup, not for create/delete/rename (Linux). */
    if (vp.type === VLNK && (!last || req.follow || (trailingSlash && !wantParent))) {
      if (++links > MAXSYMLINKS) throw new SysError(ELOOP);
      const target = vp.readlink();
      if (target.length === 0) throw new SysError(ENOENT);
      const rest = comps.slice(i + 1);
      comps = splitPath(target).concat(rest);
      if (rest.length === 0) trailingSlash = trailingSlash || target.endsWith('/');
      if (target[0] === '/') dvp = vcrossdown(root);
      i = -1;
      if (comps.length === 0) return { dvp, name: '', vp: dvp, trailingSlash };
      continue;
    }
    if (last) {
      if (trailingSlash && !wantParent && vp.type !== VDIR) throw new SysError(ENOTDIR);
      return { dvp, name, vp, trailingSlash };
    }
    dvp = vp;
  }
}

function lookupOrNull(dvp: Vnode, name: string, missingOk: boolean): Vnode | null {
  try {
    return dvp.lookup(name);
  } catch (e) {
    if (missingOk && e instanceof SysError && e.errno === ENOENT) return null;
    throw e;
  }
}
