/*
 * Access checks against a credential (vaccess): owner, then group, then other
 * permission bits; root passes everything except executing a file that has no
 * execute bit at all.
 */
import { EACCES, EPERM, SysError } from '../kern/errno.ts';
import type { Cred } from '../kern/proc.ts';
import { S_ISVTX, VDIR, type Vattr } from './vnode.ts';

export type { Cred };

/* Access modes (R_OK W_OK X_OK as faccessat takes them). */
export const VREAD = 4, VWRITE = 2, VEXEC = 1;

export function groupmember(gid: number, cred: Cred): boolean {
  return cred.egid === gid || cred.groups.includes(gid);
}

/** May cred access a file with attributes va in mode acc (VREAD|VWRITE|VEXEC)? */
export function vaccessOk(va: Vattr, cred: Cred, acc: number): boolean {
  if (cred.euid === 0) {
    if ((acc & VEXEC) === 0 || va.type === VDIR) return true;
    return (va.mode & 0o111) !== 0;
  }
  let bits: number;
  if (cred.euid === va.uid) bits = (va.mode >> 6) & 7;
  else if (groupmember(va.gid, cred)) bits = (va.mode >> 3) & 7;
  else bits = va.mode & 7;
  return (bits & acc) === acc;
}

export function vaccess(va: Vattr, cred: Cred, acc: number): void {
  if (!vaccessOk(va, cred, acc)) throw new SysError(EACCES);
}

/** Owner or root: who may chmod, utimes to arbitrary times, and so on. */
export function vowner(va: Vattr, cred: Cred): void {
  if (cred.euid !== 0 && cred.euid !== va.uid) throw new SysError(EPERM);
}

/** The sticky-directory rule for unlink/rename: only the file's or the dir's owner. */
export function stickyOk(dva: Vattr, va: Vattr, cred: Cred): boolean {
  if ((dva.mode & S_ISVTX) === 0 || cred.euid === 0) return true;
  return cred.euid === va.uid || cred.euid === dva.uid;
}

/** The credential faccessat checks with: real ids unless AT_EACCESS. */
export function realCred(c: Cred): Cred {
  return { ...c, euid: c.uid, egid: c.gid };
}
