/*
 * ktrace(2): BSD's kernel trace facility. A traced process carries a trace
 * file (a regular file's vnode) and a set of facilities; the kernel appends
 * binary records to that file through the VFS as the process runs: system
 * calls with their arguments (CALL), their results (RET), the paths namei
 * looks up (NAMI), the data of read/write (GENIO) and signals taken (PSIG).
 * kdump(1) reads the file back. The record format is ours (see
 * docs/architecture.md, "ktrace"):
 *
 *   struct ktr_header {            48 bytes, little-endian
 *     u32 ktr_len;                 payload bytes after the header
 *     i16 ktr_type;                KTR_SYSCALL 1, SYSRET 2, NAMEI 3, GENIO 4, PSIG 5
 *     u16 ktr_flags;               0
 *     i32 ktr_pid, ktr_tid;
 *     i64 ktr_sec, ktr_usec;       wall clock
 *     char ktr_comm[16];           NUL-padded
 *   };
 *   SYSCALL: i32 code, i32 narg, u64 args[narg]
 *   SYSRET:  i32 code, i32 error (errno, 0, or -2 EJUSTRETURN), i64 retval
 *   NAMEI:   the path's bytes (no NUL)
 *   GENIO:   i32 fd, i32 rw (0 read, 1 write), then up to KTR_GENIO_MAX bytes
 *            (read, write, pread64, pwrite64; not the vectored calls)
 *   PSIG:    i32 signo, i32 code, u64 handler, u64 mask (blocked signals, bit sig-1)
 *
 * The dispatcher's hooks stay null while nobody is traced (the fast path).
 * A record that cannot be written never fails the traced syscall: a write
 * that has to wait for the disk stays queued for the next record, any
 * other write error stops tracing to that file (BSD's "ktrace write failed").
 */
import { copyin } from '../vm/copyio.ts';
import { nameiTrace } from '../vfs/namei.ts';
import { curproc } from '../vfs/vfs_curproc.ts';
import { lookupAt } from '../vfs/vfs_lookup.ts';
import { AT_FDCWD, copyinPath } from '../vfs/vfs_thread.ts';
import { VWRITE, vaccess } from '../vfs/vfs_cred.ts';
import { VREG, vref, vrele, type Vnode } from '../vfs/vnode.ts';
import { EACCES, EINVAL, EPERM, EROFS, ESRCH, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { PState, type Proc, type Thread } from './proc.ts';
import { SleepRequest } from './sleep.ts';
import type { SysArgs } from './sysargs.ts';
import { EJUSTRETURN, type SyscallHandler } from './syscall_types.ts';

export const SYS_ktrace = 1002;

export const KTROP_SET = 0, KTROP_CLEAR = 1, KTROP_CLEARFILE = 2, KTRFLAG_DESCEND = 4;
export const KTR_SYSCALL = 1, KTR_SYSRET = 2, KTR_NAMEI = 3, KTR_GENIO = 4, KTR_PSIG = 5;
export const KTRFAC_SYSCALL = 1 << KTR_SYSCALL, KTRFAC_SYSRET = 1 << KTR_SYSRET,
  KTRFAC_NAMEI = 1 << KTR_NAMEI, KTRFAC_GENIO = 1 << KTR_GENIO, KTRFAC_PSIG = 1 << KTR_PSIG;
export const KTRFAC_INHERIT = 0x40000000;
const KTRFAC_ALL = KTRFAC_SYSCALL | KTRFAC_SYSRET | KTRFAC_NAMEI | KTRFAC_GENIO | KTRFAC_PSIG;

export const KTR_HDRSIZE = 48;
/* Bytes of read/write data a GENIO record keeps (kdump -m cuts further). */
export const KTR_GENIO_MAX = 4096;
/* Records queued behind a sleeping disk before the oldest are dropped. */
const MAXQUEUE = 1 << 20;
const SYS_read = 63, SYS_write = 64, SYS_pread64 = 67, SYS_pwrite64 = 68, SYS_exit = 93, SYS_exit_group = 94, SYS_execve = 221;
const KTR_EJUSTRETURN = -2;
/* Calls whose data GENIO records: one buffer in a1, r bytes of it moved. */
const GENIO_CALLS = new Set([SYS_read, SYS_write, SYS_pread64, SYS_pwrite64]);

/** A trace file: its vnode, held while any process traces to it. */
class TraceFile {
  private queue: Uint8Array[] = [];
  private queued = 0;
  refs = 0;
  dead = false;

  constructor(readonly vp: Vnode) {
    vref(vp);
  }

  /** Append one record; false if the file failed (tracing to it must stop). */
  append(rec: Uint8Array): boolean {
    if (this.dead) return false;
    this.queue.push(rec);
    this.queued += rec.length;
    while (this.queued > MAXQUEUE && this.queue.length > 1) this.queued -= this.queue.shift()!.length;
    return this.flush();
  }

  flush(): boolean {
    try {
      /* One write per flush: the queue joined, appended at the current end. */
      const all = this.queue.length === 1 ? this.queue[0] : concat(this.queue, this.queued);
      if (all.length === 0) return true;
      this.vp.write(this.vp.size(), all);
      this.queue = [];
      this.queued = 0;
      return true;
    } catch (e) {
      if (e instanceof SleepRequest) return true; /* the disk is busy: next record retries */
      this.dead = true;
      this.queue = [];
      this.queued = 0;
      return false;
    }
  }

  release(): void {
    if (--this.refs > 0) return;
    if (!this.dead) this.flush();
    vrele(this.vp);
  }
}

/* root: set by root (BSD's KTRFAC_ROOT): others may not change it, and it survives set-id exec. */
interface KtrState { tf: TraceFile; facs: number; root: boolean }

/** Traced processes (all kernels share the map: a Proc belongs to one). */
const traced = new Map<Proc, KtrState>();
/* The dispatcher's current syscall is a rerun after a sleep (its CALL is recorded already). */
let rerun = false;
/* The thread in the dispatcher (namei records name it). */
let cur: Thread | null = null;
let lastSweep = 0;

function concat(parts: Uint8Array[], n: number): Uint8Array {
  const b = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { b.set(p, o); o += p.length; }
  return b;
}

/* ---- records ---- */

function header(td: Thread, type: number, len: number): { b: Uint8Array; dv: DataView } {
  const b = new Uint8Array(KTR_HDRSIZE + len);
  const dv = new DataView(b.buffer);
  const k = td.k;
  const us = Math.floor((k.bootWallMs + k.uptimeMs()) * 1000);
  dv.setUint32(0, len, true);
  dv.setInt16(4, type, true);
  dv.setInt32(8, td.proc.pid, true);
  dv.setInt32(12, td.tid, true);
  dv.setBigInt64(16, BigInt(Math.floor(us / 1e6)), true);
  dv.setBigInt64(24, BigInt(us % 1e6), true);
  const comm = td.proc.comm;
  for (let i = 0; i < Math.min(15, comm.length); i++) b[32 + i] = comm.charCodeAt(i) & 0xff;
  return { b, dv };
}

function emit(td: Thread, st: KtrState, rec: Uint8Array): void {
  if (!st.tf.append(rec)) {
    td.k.log(`ktrace write failed, tracing to the file stopped`);
    for (const [p, s] of traced) if (s.tf === st.tf) untrace(p);
  }
}

function ktrsyscall(td: Thread, no: number, a: SysArgs): void {
  const st = traced.get(td.proc);
  if (!st || (st.facs & KTRFAC_SYSCALL) === 0) return;
  const { b, dv } = header(td, KTR_SYSCALL, 8 + 6 * 8);
  dv.setInt32(KTR_HDRSIZE, no, true);
  dv.setInt32(KTR_HDRSIZE + 4, 6, true);
  for (let i = 0; i < 6; i++) {
    dv.setInt32(KTR_HDRSIZE + 8 + i * 8, a.lo[i], true);
    dv.setInt32(KTR_HDRSIZE + 12 + i * 8, a.hi[i], true);
  }
  emit(td, st, b);
}

function ktrsysret(td: Thread, no: number, a: SysArgs, r: number): void {
  const st = traced.get(td.proc);
  if (!st) return;
  if ((st.facs & KTRFAC_GENIO) !== 0 && r > 0 && GENIO_CALLS.has(no)) ktrgenio(td, st, no, a, r);
  /* exit and exit_group do not return (BSD records no RET for them either). */
  if ((st.facs & KTRFAC_SYSRET) === 0 || no === SYS_exit || no === SYS_exit_group) return;
  sysret(td, st, no, r);
}

function sysret(td: Thread, st: KtrState, no: number, r: number): void {
  const { b, dv } = header(td, KTR_SYSRET, 16);
  let error = 0, ret = r;
  if (r === EJUSTRETURN) { error = KTR_EJUSTRETURN; ret = 0; }
  else if (r < 0 && r > -4096) { error = -r; ret = -1; }
  dv.setInt32(KTR_HDRSIZE, no, true);
  dv.setInt32(KTR_HDRSIZE + 4, error, true);
  dv.setBigInt64(KTR_HDRSIZE + 8, BigInt(Math.trunc(ret)), true);
  emit(td, st, b);
}

function ktrgenio(td: Thread, st: KtrState, no: number, a: SysArgs, r: number): void {
  let data: Uint8Array;
  try {
    data = copyin(td.proc.vm, a.ptr(1), Math.min(r, KTR_GENIO_MAX));
  } catch {
    return; /* the buffer went away: no record, never an error for the caller */
  }
  const { b, dv } = header(td, KTR_GENIO, 8 + data.length);
  dv.setInt32(KTR_HDRSIZE, a.int(0), true);
  dv.setInt32(KTR_HDRSIZE + 4, no === SYS_write || no === SYS_pwrite64 ? 1 : 0, true);
  b.set(data, KTR_HDRSIZE + 8);
  emit(td, st, b);
}

/** namei's hook: the path a traced syscall looks up. */
function ktrnamei(path: string): void {
  const td = cur;
  if (rerun || td === null || td.proc !== curproc()) return;
  const st = traced.get(td.proc);
  if (!st || (st.facs & KTRFAC_NAMEI) === 0) return;
  const { b } = header(td, KTR_NAMEI, path.length);
  for (let i = 0; i < path.length; i++) b[KTR_HDRSIZE + i] = path.charCodeAt(i) & 0xff;
  emit(td, st, b);
}

/** A signal is taken by td (kern_sig's delivery): handler 0 = SIG_DFL. */
export function ktrpsig(td: Thread, sig: number, handler: number, code: number): void {
  if (traced.size === 0) return;
  const st = traced.get(td.proc);
  if (!st || (st.facs & KTRFAC_PSIG) === 0) return;
  const { b, dv } = header(td, KTR_PSIG, 24);
  dv.setInt32(KTR_HDRSIZE, sig, true);
  dv.setInt32(KTR_HDRSIZE + 4, code, true);
  dv.setBigUint64(KTR_HDRSIZE + 8, BigInt(Math.max(0, Math.trunc(handler))), true);
  dv.setBigUint64(KTR_HDRSIZE + 16, BigInt.asUintN(64, td.sigmask), true);
  emit(td, st, b);
}

/**
 * fork: a child of a process traced with KTRFAC_INHERIT is traced to the
 * same file, and its own return from the fork (0) is recorded as BSD's
 * fork_return does.
 */
export function ktrfork(td: Thread, child: Thread): void {
  if (traced.size === 0) return;
  const st = traced.get(td.proc);
  if (!st || (st.facs & KTRFAC_INHERIT) === 0) return;
  settrace(child.k, child.proc, st.tf, st.facs, st.root);
  const cst = traced.get(child.proc);
  if (cst && (cst.facs & KTRFAC_SYSRET) !== 0 && td.syscallNo >= 0) sysret(child, cst, td.syscallNo, 0);
}

/* ---- on and off ---- */

function settrace(k: Kernel, p: Proc, tf: TraceFile, facs: number, root: boolean): void {
  const old = traced.get(p);
  if (old && old.tf === tf) { old.facs |= facs; old.root ||= root; return; }
  tf.refs++;
  if (old) old.tf.release();
  traced.set(p, { tf, facs, root });
  hooks(k);
}

function untrace(p: Proc): void {
  const st = traced.get(p);
  if (!st) return;
  traced.delete(p);
  st.tf.release();
  hooks(p.k);
}

/* The dispatcher calls in only while some process is traced. */
function hooks(k: Kernel): void {
  const sc = k.syscalls;
  if (traced.size === 0) {
    sc.traceEnter = null;
    sc.trace = null;
    nameiTrace.fn = null;
    cur = null;
    return;
  }
  sc.traceEnter = (td, no, a) => {
    cur = td;
    rerun = td.inSyscall;
    if (!rerun) ktrsyscall(td, no, a);
  };
  sc.trace = (td, no, a, r) => {
    cur = null;
    rerun = false;
    if (no === SYS_execve && r === EJUSTRETURN) execCheck(td.proc);
    ktrsysret(td, no, a, r);
    /* A successful execve ran with the new image's name; dead processes let go of their files. */
    if (no === SYS_execve || k.uptimeMs() - lastSweep > 1000) sweep(k);
  };
  nameiTrace.fn = ktrnamei;
}

/* A set-id exec ends tracing that root did not set (the image's data is not the tracer's to see). */
function execCheck(p: Proc): void {
  const st = traced.get(p);
  const c = p.cred;
  if (st && !st.root && (c.euid !== c.uid || c.egid !== c.gid)) untrace(p);
}

/** Forget processes that have exited (their trace files are released). */
function sweep(k: Kernel): void {
  lastSweep = k.uptimeMs();
  for (const p of [...traced.keys()]) if (p.state === PState.ZOMBIE || p.k.procs.procs.get(p.pid) !== p) untrace(p);
}

/** May td change tracing of p? Root, or the same user on a process not set-id and not traced by root. */
function canset(td: Thread, p: Proc): boolean {
  const c = td.proc.cred, t = p.cred;
  if (c.euid === 0) return true;
  if (traced.get(p)?.root) return false;
  return c.euid === t.uid && c.euid === t.suid && c.euid === t.euid && t.gid === t.egid && t.gid === t.sgid;
}

function descendants(p: Proc, out: Proc[]): void {
  out.push(p);
  for (const c of p.children) descendants(c, out);
}

/* The trace file: a regular file on a writable file system that the caller may write. */
function traceVnode(td: Thread, va: number): Vnode {
  const path = copyinPath(td, va);
  const vp = lookupAt(td, AT_FDCWD, path, false);
  if (vp.type !== VREG) throw new SysError(EACCES);
  if (vp.mount.readonly) throw new SysError(EROFS);
  vaccess(vp.getattr(), td.proc.cred, VWRITE);
  return vp;
}

/** ktrace(const char *tracefile, int ops, int facs, int pid): pid < 0 names the process group -pid. */
export function sys_ktrace(td: Thread, a: SysArgs): number {
  const k = td.k;
  const ops = a.int(1), op = ops & 3, facs = a.int(2) & (KTRFAC_ALL | KTRFAC_INHERIT), pid = a.int(3);
  if (op > KTROP_CLEARFILE || (ops & ~(3 | KTRFLAG_DESCEND)) !== 0) throw new SysError(EINVAL);
  if (op !== KTROP_CLEARFILE && (facs & KTRFAC_ALL) === 0) throw new SysError(EINVAL);
  sweep(k);
  if (op === KTROP_CLEARFILE) {
    const vp = traceVnode(td, a.ptr(0));
    for (const [p, st] of [...traced]) if (st.tf.vp === vp && canset(td, p)) untrace(p);
    return 0;
  }
  let targets: Proc[];
  if (pid < 0) {
    const pg = k.procs.pgrps.get(-pid);
    if (!pg) throw new SysError(ESRCH);
    targets = [...pg.members];
  } else {
    const p = k.procs.procs.get(pid === 0 ? td.proc.pid : pid);
    if (!p || p.state === PState.ZOMBIE) throw new SysError(ESRCH);
    targets = [p];
  }
  if ((ops & KTRFLAG_DESCEND) !== 0) {
    const all: Proc[] = [];
    for (const p of targets) descendants(p, all);
    targets = all;
  }
  let tf: TraceFile | null = null;
  if (op === KTROP_SET) {
    const vp = traceVnode(td, a.ptr(0));
    for (const st of traced.values()) if (st.tf.vp === vp && !st.tf.dead) tf = st.tf;
    tf ??= new TraceFile(vp);
  }
  let done = 0;
  for (const p of targets) {
    if (p.state === PState.ZOMBIE || !canset(td, p)) continue;
    if (tf) settrace(k, p, tf, facs, td.proc.cred.euid === 0);
    else clearFacs(p, facs);
    done++;
  }
  /* A trace file no process took is let go at once. */
  if (tf && tf.refs === 0) vrele(tf.vp);
  if (done === 0) throw new SysError(EPERM);
  return 0;
}

function clearFacs(p: Proc, facs: number): void {
  const st = traced.get(p);
  if (!st) return;
  st.facs &= ~facs;
  if ((st.facs & KTRFAC_ALL) === 0) untrace(p);
}

export const ktraceSyscalls: Record<number, SyscallHandler> = {
  [SYS_ktrace]: sys_ktrace,
};
