/*
 * Credentials, process groups and sessions (BSD's kern_prot.c):
 * get/set[res][ug]id, getgroups/setgroups, setpgid/getpgid/getsid/setsid.
 * Linux semantics: root may set anything; others only among real/effective/saved.
 */
import { copyin, copyout } from '../vm/copyio.ts';
import { CStruct } from '../vm/cstruct.ts';
import { EACCES, EINVAL, EPERM, ESRCH, SysError } from './errno.ts';
import { type Cred, Pgrp, type Proc, type Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';
import type { SyscallHandler } from './syscall_types.ts';

export const NGROUPS_MAX = 65536;
const NOCHANGE = 0xffff_ffff;

/* ---- user and group ids ---- */

type Which = 'u' | 'g';

function ids(c: Cred, w: Which): [number, number, number] {
  return w === 'u' ? [c.uid, c.euid, c.suid] : [c.gid, c.egid, c.sgid];
}

function setIds(c: Cred, w: Which, r: number, e: number, s: number): void {
  if (w === 'u') { c.uid = r; c.euid = e; c.suid = s; } else { c.gid = r; c.egid = e; c.sgid = s; }
}

function setresid(td: Thread, w: Which, r: number, e: number, s: number): number {
  const c = td.proc.cred;
  const cur = ids(c, w);
  const want = [r, e, s].map((v, i) => (v === NOCHANGE ? cur[i] : v));
  if (c.euid !== 0) {
    for (let i = 0; i < 3; i++) {
      if ([r, e, s][i] !== NOCHANGE && !cur.includes(want[i])) throw new SysError(EPERM);
    }
  }
  setIds(c, w, want[0], want[1], want[2]);
  return 0;
}

/** setuid/setgid: root sets all three; others only the effective id to the real or saved one. */
function setid(td: Thread, w: Which, id: number): number {
  const c = td.proc.cred;
  const [r, , s] = ids(c, w);
  if (c.euid === 0) setIds(c, w, id, id, id);
  else if (id === r || id === s) setIds(c, w, r, id, s);
  else throw new SysError(EPERM);
  return 0;
}

/** setreuid/setregid: Linux's rule for the saved id. */
function setreid(td: Thread, w: Which, rIn: number, eIn: number): number {
  const c = td.proc.cred;
  const [r, e, s] = ids(c, w);
  const nr = rIn === NOCHANGE ? r : rIn;
  const ne = eIn === NOCHANGE ? e : eIn;
  if (c.euid !== 0) {
    if (rIn !== NOCHANGE && nr !== r && nr !== e) throw new SysError(EPERM);
    if (eIn !== NOCHANGE && ne !== r && ne !== e && ne !== s) throw new SysError(EPERM);
  }
  const ns = rIn !== NOCHANGE || (eIn !== NOCHANGE && ne !== r) ? ne : s;
  setIds(c, w, nr, ne, ns);
  return 0;
}

function getresid(td: Thread, a: SysArgs, w: Which): number {
  const v = ids(td.proc.cred, w);
  for (let i = 0; i < 3; i++) copyout(td.proc.vm, a.ptr(i), new CStruct(4).setU32(0, v[i]).u8);
  return 0;
}

function sys_getgroups(td: Thread, a: SysArgs): number {
  const g = td.proc.cred.groups;
  const n = a.int(0);
  if (n < 0) throw new SysError(EINVAL);
  if (n === 0) return g.length;
  if (n < g.length) throw new SysError(EINVAL);
  const s = new CStruct(4 * g.length);
  g.forEach((v, i) => s.setU32(4 * i, v));
  copyout(td.proc.vm, a.ptr(1), s.u8);
  return g.length;
}

function sys_setgroups(td: Thread, a: SysArgs): number {
  const n = a.int(0);
  if (td.proc.cred.euid !== 0) throw new SysError(EPERM);
  if (n < 0 || n > NGROUPS_MAX) throw new SysError(EINVAL);
  const s = new CStruct(n ? copyin(td.proc.vm, a.ptr(1), 4 * n) : new Uint8Array(0));
  const groups: number[] = [];
  for (let i = 0; i < n; i++) groups.push(s.u32(4 * i));
  td.proc.cred.groups = groups;
  return 0;
}

/* ---- process groups and sessions ---- */

function findProc(td: Thread, pid: number): Proc {
  if (pid === 0) return td.proc;
  const p = td.k.procs.procs.get(pid);
  if (!p) throw new SysError(ESRCH);
  return p;
}

function sys_setpgid(td: Thread, a: SysArgs): number {
  const k = td.k;
  const me = td.proc;
  const pid = a.int(0);
  let pgid = a.int(1);
  if (pgid < 0) throw new SysError(EINVAL);
  const p = findProc(td, pid);
  if (p !== me && p.parent !== me) throw new SysError(ESRCH);
  if (p !== me && p.didExec) throw new SysError(EACCES);
  if (p.pgrp.session !== me.pgrp.session) throw new SysError(EPERM);
  if (p.pgrp.session.leader === p) throw new SysError(EPERM);
  if (pgid === 0) pgid = p.pid;
  if (pgid === p.pgrp.pgid) return 0;
  let pg = k.procs.pgrps.get(pgid);
  if (pg) {
    if (pg.session !== me.pgrp.session) throw new SysError(EPERM);
  } else {
    if (pgid !== p.pid) throw new SysError(EPERM);
    pg = new Pgrp(pgid, p.pgrp.session);
    k.procs.pgrps.set(pgid, pg);
  }
  k.procs.enterPgrp(p, pg);
  return 0;
}

function sys_getpgid(td: Thread, a: SysArgs): number {
  return findProc(td, a.int(0)).pgrp.pgid;
}

function sys_getsid(td: Thread, a: SysArgs): number {
  return findProc(td, a.int(0)).pgrp.session.sid;
}

function sys_setsid(td: Thread): number {
  const p = td.proc;
  const k = td.k;
  if (k.procs.pgrps.has(p.pid)) throw new SysError(EPERM);
  k.procs.newSession(p);
  return p.pid;
}

const c = (td: Thread): Cred => td.proc.cred;

export const protSyscalls: Record<number, SyscallHandler> = {
  144: (td, a) => setid(td, 'g', a.uint(0)),
  145: (td, a) => setreid(td, 'u', a.uint(0), a.uint(1)),
  146: (td, a) => setid(td, 'u', a.uint(0)),
  147: (td, a) => setresid(td, 'u', a.uint(0), a.uint(1), a.uint(2)),
  148: (td, a) => getresid(td, a, 'u'),
  149: (td, a) => setresid(td, 'g', a.uint(0), a.uint(1), a.uint(2)),
  150: (td, a) => getresid(td, a, 'g'),
  143: (td, a) => setreid(td, 'g', a.uint(0), a.uint(1)),
  151: (td) => c(td).euid, // setfsuid: report only
  152: (td) => c(td).egid, // setfsgid
  154: sys_setpgid,
  155: sys_getpgid,
  156: sys_getsid,
  157: sys_setsid,
  158: sys_getgroups,
  159: sys_setgroups,
  174: (td) => c(td).uid,
  175: (td) => c(td).euid,
  176: (td) => c(td).gid,
  177: (td) => c(td).egid,
};
