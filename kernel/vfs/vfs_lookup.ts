/*
 * Name lookups as the *at() system calls ask for them: a dirfd (or AT_FDCWD)
 * and a user path, with the AT_* flags.
 */
import { ENOENT, SysError } from '../kern/errno.ts';
import type { Thread } from '../kern/proc.ts';
import { namei, nameiParent, type NameiParent } from './namei.ts';
import { AT_FDCWD, startDir } from './vfs_thread.ts';
import type { Vnode } from './vnode.ts';
import { setCurproc } from './vfs_curproc.ts';

export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200,
  AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;
export const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

/** Resolve (dirfd, path) to a vnode; AT_EMPTY_PATH with "" names dirfd itself. */
export function lookupAt(td: Thread, dirfd: number, path: string, follow: boolean, emptyOk = false): Vnode {
  const p = td.proc;
  setCurproc(p);
  if (path === '' && !emptyOk) throw new SysError(ENOENT);
  if (path === '' && emptyOk) {
    if (dirfd === AT_FDCWD) return p.cwd;
    const fp = p.fd.get(dirfd);
    if (fp.vnode) return fp.vnode;
    return anonVnodeError();
  }
  return namei({ path, start: startDir(td, dirfd, path), root: p.root, cred: p.cred, follow });
}

/* fstat on pipes is the caller's business (fstat goes through File); here only vnodes. */
function anonVnodeError(): never {
  throw new SysError(ENOENT);
}

export function parentAt(td: Thread, dirfd: number, path: string, follow = false): NameiParent {
  const p = td.proc;
  setCurproc(p);
  if (path === '') throw new SysError(ENOENT);
  return nameiParent({ path, start: startDir(td, dirfd, path), root: p.root, cred: p.cred, follow });
}

