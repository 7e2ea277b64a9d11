/*
 * struct kinfo_proc: one process as ps(1) and ddb see it, and the
 * kern.proc.* sysctls that return arrays of them (BSD's kern_proc.c).
 * The layout is ours (DragonFly's is tied to its own kernel structures),
 * fixed and little-endian, 256 bytes (KINFO_PROC_SIZE), documented in
 * docs/architecture.md:
 *
 *   0 i32 kp_structsize  4 i32 kp_pid    8 i32 kp_ppid   12 i32 kp_pgid
 *  16 i32 kp_sid        20 i32 kp_tpgid (-1)  24 u32 kp_tdev (NODEV = ~0)
 *  28 u32 kp_ruid  32 u32 kp_uid (effective)  36 u32 kp_svuid
 *  40 u32 kp_rgid  44 u32 kp_gid (effective)  48 u32 kp_svgid
 *  52 i32 kp_stat (SIDL 1 SRUN 2 SSLEEP 3 SSTOP 4 SZOMB 5)
 *  56 i32 kp_flags (KPF_*)  60 i32 kp_nthreads  64 i32 kp_nice  68 i32 kp_xstat (wait status)
 *  72 i64 kp_start_us (since the epoch)  80 i64 kp_utime_us  88 i64 kp_stime_us
 *  96 u64 kp_vsize (bytes)  104 u64 kp_rss (pages)
 * 112 u64 kp_siglist (pending, bit sig-1)  120 u64 kp_sigignore  128 u64 kp_sigcatch
 * 136 char kp_wmesg[16]  152 char kp_ttyname[16]  168 char kp_comm[32]
 * 200 u64 kp_instret (retired instructions)  208 i32 kp_tid (first live thread)
 * 212..255 reserved (0)
 */
import { SIG_DFL, SIG_IGN } from './signal.ts';
import { type Proc, PState, type Thread, TdState } from './proc.ts';
import { Tty } from './tty.ts';
import { ESRCH, EINVAL, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { Socket } from './socketvar.ts';

export const KINFO_PROC_SIZE = 256;
export const SIDL = 1, SRUN = 2, SSLEEP = 3, SSTOP = 4, SZOMB = 5;
export const KPF_SESSLEADER = 1, KPF_CONTROLT = 2, KPF_EXITING = 4, KPF_PPWAIT = 8;
/* kern.proc.<what>: BSD's KERN_PROC_* numbers. */
export const KERN_PROC_ALL = 0, KERN_PROC_PID = 1, KERN_PROC_PGRP = 2, KERN_PROC_SESSION = 3,
  KERN_PROC_TTY = 4, KERN_PROC_UID = 5, KERN_PROC_RUID = 6, KERN_PROC_ARGS = 7, KERN_PROC_CWD = 8,
  KERN_PROC_PATHNAME = 9;
const NODEV = 0xffffffff;

/* Syscall number → the wait message BSD would show for a sleep in it. */
const WMESG: Record<number, string> = {
  101: 'nanslp', 115: 'nanslp', 260: 'wait', 95: 'wait', 98: 'futex', 73: 'poll', 72: 'select',
  133: 'pause', 137: 'sigwait', 220: 'ppwait', 435: 'ppwait', 22: 'epoll',
  /* sockets (kern/uipc_*.ts): BSD's accept/connect/sbwait */
  202: 'accept', 242: 'accept', 203: 'connec', 206: 'sbwait', 207: 'sbwait', 211: 'sbwait',
  212: 'sbwait', 243: 'sbwait', 269: 'sbwait', 441: 'epoll',
};
const READS = new Set([63, 65, 67, 69]);
const WRITES = new Set([64, 66, 68, 70]);

/** What a sleeping thread waits for ('' when it is not asleep). */
export function wmesgOf(td: Thread): string {
  if (td.state !== TdState.SLEEP) return '';
  const tty = td.wchan instanceof Tty;
  if (td.wchan instanceof Socket && (READS.has(td.syscallNo) || WRITES.has(td.syscallNo))) return 'sbwait';
  if (READS.has(td.syscallNo)) return tty ? 'ttyin' : 'piperd';
  if (WRITES.has(td.syscallNo)) return tty ? 'ttyout' : 'pipewr';
  return WMESG[td.syscallNo] ?? 'sleep';
}

export function procStat(p: Proc): number {
  if (p.state === PState.ZOMBIE) return SZOMB;
  if (p.stopped) return SSTOP;
  const live = p.liveThreads();
  if (live.length === 0) return SIDL;
  return live.some((t) => t.state === TdState.RUN) ? SRUN : SSLEEP;
}

/** The controlling tty of p's session, if it has one. */
export function cttyOf(p: Proc): Tty | null {
  const t = p.pgrp?.session.ttyp;
  return t instanceof Tty ? t : null;
}

function putStr(dv: DataView, off: number, s: string, size: number): void {
  for (let i = 0; i < Math.min(s.length, size - 1); i++) dv.setUint8(off + i, s.charCodeAt(i) & 0xff);
}

function sigSets(p: Proc): { ignore: bigint; catchs: bigint } {
  let ignore = 0n, catchs = 0n;
  for (let s = 1; s < p.sigacts.act.length; s++) {
    const h = p.sigacts.act[s]?.handler;
    if (h === undefined || h === SIG_DFL) continue;
    if (h === SIG_IGN) ignore |= 1n << BigInt(s - 1);
    else catchs |= 1n << BigInt(s - 1);
  }
  return { ignore, catchs };
}

/** One kinfo_proc. */
export function fillKinfo(k: Kernel, p: Proc): Uint8Array {
  const b = new Uint8Array(KINFO_PROC_SIZE);
  const dv = new DataView(b.buffer);
  const tty = cttyOf(p);
  const live = p.liveThreads();
  const c = p.cred;
  const sess = p.pgrp?.session;
  const ints = [KINFO_PROC_SIZE, p.pid, p.ppid, p.pgrp?.pgid ?? 0, sess?.sid ?? 0, tty && tty.pgid > 0 ? tty.pgid : -1];
  ints.forEach((v, i) => dv.setInt32(i * 4, v, true));
  dv.setUint32(24, NODEV, true);
  [c.uid, c.euid, c.suid, c.gid, c.egid, c.sgid].forEach((v, i) => dv.setUint32(28 + i * 4, v >>> 0, true));
  let flags = 0;
  if (sess?.leader === p) flags |= KPF_SESSLEADER;
  if (tty) flags |= KPF_CONTROLT;
  if (p.exiting) flags |= KPF_EXITING;
  if (p.vforkParent) flags |= KPF_PPWAIT;
  [procStat(p), flags, live.length, 0, p.state === PState.ZOMBIE ? p.exitStatus : 0]
    .forEach((v, i) => dv.setInt32(52 + i * 4, v, true));
  dv.setBigInt64(72, BigInt(Math.round((k.bootWallMs + p.startMs) * 1000)), true);
  dv.setBigInt64(80, BigInt(Math.round(p.utimeMs * 1000)), true);
  dv.setBigInt64(88, BigInt(Math.round(p.stimeMs * 1000)), true);
  const alive = p.state !== PState.ZOMBIE && p.vm && !p.vm.destroyed;
  dv.setBigUint64(96, BigInt(alive ? p.vm.virtualSize : 0), true);
  dv.setBigUint64(104, BigInt(alive ? p.vm.rss : 0), true);
  const { ignore, catchs } = sigSets(p);
  dv.setBigUint64(112, BigInt.asUintN(64, p.pending), true);
  dv.setBigUint64(120, ignore, true);
  dv.setBigUint64(128, catchs, true);
  putStr(dv, 136, live[0] ? wmesgOf(live[0]) : '', 16);
  putStr(dv, 152, tty ? tty.name : '', 16);
  putStr(dv, 168, p.comm, 32);
  dv.setBigUint64(200, BigInt(p.threads.reduce((n, t) => n + t.instret, 0)), true);
  dv.setInt32(208, live[0]?.tid ?? 0, true);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of parts) { out.set(b, off); off += b.length; }
  return out;
}

/** kern.proc.<what>[.<arg>]: the kinfo_procs selected, or a string for args/pathname/cwd. */
export function sysctlKernProc(k: Kernel, rest: number[]): Uint8Array {
  const [what, arg] = rest;
  if (what === undefined || rest.length !== (what === KERN_PROC_ALL ? 1 : 2)) throw new SysError(EINVAL);
  if (what === KERN_PROC_ARGS || what === KERN_PROC_PATHNAME) return procString(k, what, arg);
  const match = (p: Proc): boolean => {
    switch (what) {
      case KERN_PROC_ALL: return true;
      case KERN_PROC_PID: return p.pid === arg;
      case KERN_PROC_PGRP: return p.pgrp?.pgid === arg;
      case KERN_PROC_SESSION: return p.pgrp?.session.sid === arg;
      case KERN_PROC_UID: return p.cred.euid === arg;
      case KERN_PROC_RUID: return p.cred.uid === arg;
      default: throw new SysError(EINVAL);
    }
  };
  const procs = [...k.procs.procs.values()].filter(match).sort((a, b) => a.pid - b.pid);
  if (what === KERN_PROC_PID && procs.length === 0) throw new SysError(ESRCH);
  return concat(procs.map((p) => fillKinfo(k, p)));
}

function procString(k: Kernel, what: number, pid: number): Uint8Array {
  const p = k.procs.procs.get(pid);
  if (!p) throw new SysError(ESRCH);
  let s: string;
  if (what === KERN_PROC_ARGS) s = p.argv.map((a) => `${a}\0`).join('');
  else s = `${p.exePath}\0`;
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
