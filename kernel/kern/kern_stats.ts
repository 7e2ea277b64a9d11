/*
 * The statistics sysctls behind vmstat(8), iostat(8), top(1) and pstat(8)
 * (BSD's vm_meter.c, kern_descrip.c's kern.file, tty.c's kern.ttys, devstat):
 * every number is a counter the kernel keeps or a state it has now.
 *
 *   kern.cp_times           long[5] per CPU (one CPU engine: kern.cp_time's row)
 *   vm.vmtotal              struct vmtotal (below)
 *   vm.stats.sys.v_swtch    context switches; v_trap: traps (syscalls, faults,
 *                           illegal/ebreak); v_syscall; v_intr: host timer and
 *                           event callbacks that entered the kernel loop
 *   vm.stats.vm.v_forks     processes created by fork/vfork/clone
 *   kern.lastpid            the pid of the newest process
 *   kern.devstat.all        struct devstat[] (kernel/dev/disk/subr_devstat.ts)
 *   kern.ttys               struct xtty[], kern.file: struct xfile[] (below)
 *   vm.swap_info.N          no swap devices: every N is ENOENT; vm.swap_total 0
 *
 * struct vmtotal (96 bytes): i32 t_rq (runnable threads), t_dw (in an
 * uninterruptible wait: disk), t_pw (0: no page wait), t_sl (sleeping),
 * t_sw (0: nothing is swapped), pad; u64 t_vm (pages mapped by all
 * processes), t_avm (mapped by processes with a runnable thread), t_rm
 * (resident pages of all), t_arm (resident of the runnable), t_vmshr,
 * t_avmshr, t_rmshr, t_armshr (0: sharing is not accounted), t_free (free pages).
 *
 * struct xtty (64 bytes): char xt_name[16]; i32 xt_rawcc (input waiting),
 * xt_outcc (0: output goes straight to the host), xt_pgid (foreground
 * group, 0 none), xt_sid (session, 0 none); u16 xt_rows, xt_cols;
 * u32 xt_iflag, xt_oflag, xt_cflag, xt_lflag; i32 xt_flags (1 hung up); pad.
 *
 * struct xfile (48 bytes): i32 xf_pid, xf_fd, xf_type (vnode type of what
 * fstat reports: VREG 1 VDIR 2 VBLK 3 VCHR 4 VLNK 5 VSOCK 6 VFIFO 7, 0 unknown),
 * xf_flag (open flags), xf_count (references to the open file), pad;
 * i64 xf_offset; u64 xf_ino; u32 xf_dev, xf_rdev.
 */
import { devstatAll } from '../dev/disk/subr_devstat.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';
import { ENOENT, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { cpTime } from './kern_mib.ts';
import {
  CTLFLAG_RD, CTLTYPE_INT, CTLTYPE_LONG, CTLTYPE_NODE, CTLTYPE_STRUCT, CTLTYPE_UINT, CTLTYPE_ULONG, type SysctlValue,
} from './kern_sysctl.ts';
import { PState, TdState, type Proc } from './proc.ts';
import { Tty } from './tty.ts';

export const VMTOTAL_SIZE = 96, XTTY_SIZE = 64, XFILE_SIZE = 48;

/** Register the statistics nodes on k.sysctl. */
export function statsSysctlInit(k: Kernel): void {
  const s = k.sysctl;
  const ro = (path: string, kind: number, descr: string, get: () => SysctlValue, fmt?: string): void => {
    s.leaf(path, { kind: kind | CTLFLAG_RD, descr, get, fmt });
  };
  ro('kern.cp_times', CTLTYPE_LONG, 'per-CPU time statistics (user nice sys intr idle, stathz ticks)',
    () => cpTime(k), 'LU');
  ro('vm.vmtotal', CTLTYPE_STRUCT, 'System virtual memory statistics', () => vmtotal(k), 'S,vmtotal');
  ro('vm.stats.sys.v_swtch', CTLTYPE_UINT, 'Context switches', () => k.sched.nswtch >>> 0);
  ro('vm.stats.sys.v_trap', CTLTYPE_UINT, 'Traps', () => k.sched.ntrap >>> 0);
  ro('vm.stats.sys.v_syscall', CTLTYPE_UINT, 'System calls', () => k.syscalls.ncalls >>> 0);
  ro('vm.stats.sys.v_intr', CTLTYPE_UINT, 'Host timer and event callbacks', () => k.sched.nintr >>> 0);
  ro('kern.lastpid', CTLTYPE_INT, 'Last used PID', () => k.fork.lastPid || 1);
  ro('vm.stats.vm.v_forks', CTLTYPE_UINT, 'Number of fork() calls', () => k.fork.forks >>> 0);
  ro('kern.devstat.numdevs', CTLTYPE_INT, 'Number of devices in the devstat list', () => devstatAll().length);
  ro('kern.devstat.all', CTLTYPE_STRUCT, 'All devices in the devstat list',
    () => concat(devstatAll().map((d) => d.encode())), 'S,devstat');
  ro('kern.ttys', CTLTYPE_STRUCT, 'All terminals', () => concat(ttys(k).map(xtty)), 'S,xtty');
  ro('kern.file', CTLTYPE_STRUCT, 'Entire file table', () => xfiles(k), 'S,xfile');
  ro('vm.swap_total', CTLTYPE_ULONG, 'Total amount of available swap storage', () => 0);
  s.handlerNode('vm.swap_info', CTLTYPE_NODE | CTLFLAG_RD, 'S,xswdev', 'Swap devices (none)', () => {
    throw new SysError(ENOENT);
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of parts) { out.set(b, off); off += b.length; }
  return out;
}

function liveProcs(k: Kernel): Proc[] {
  return [...k.procs.procs.values()].filter((p) => p.state !== PState.ZOMBIE && p.vm && !p.vm.destroyed);
}

function vmtotal(k: Kernel): Uint8Array {
  const b = new Uint8Array(VMTOTAL_SIZE);
  const dv = new DataView(b.buffer);
  let rq = 0, dw = 0, sl = 0, vm = 0, avm = 0, rm = 0, arm = 0;
  const seen = new Set<object>();
  for (const p of liveProcs(k)) {
    let active = false;
    for (const td of p.liveThreads()) {
      if (td.state === TdState.RUN) { rq++; active = true; }
      else if (td.state === TdState.SLEEP) { if (td.winterruptible) sl++; else dw++; }
    }
    /* Threads share one address space; count each once. */
    if (seen.has(p.vm)) continue;
    seen.add(p.vm);
    const v = Math.ceil(p.vm.virtualSize / PAGE_SIZE), r = p.vm.rss;
    vm += v; rm += r;
    if (active) { avm += v; arm += r; }
  }
  [rq, dw, 0, sl, 0].forEach((x, i) => dv.setInt32(i * 4, x, true));
  [vm, avm, rm, arm, 0, 0, 0, 0, k.pages.stats.free].forEach((x, i) => dv.setBigUint64(24 + i * 8, BigInt(x), true));
  return b;
}

/* The console and every terminal some session has as its controlling tty. */
function ttys(k: Kernel): Tty[] {
  const out: Tty[] = [];
  if (k.consTty) out.push(k.consTty);
  for (const s of k.procs.sessions.values()) if (s.ttyp instanceof Tty && !out.includes(s.ttyp)) out.push(s.ttyp);
  return out;
}

function xtty(t: Tty): Uint8Array {
  const b = new Uint8Array(XTTY_SIZE);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < Math.min(15, t.name.length); i++) b[i] = t.name.charCodeAt(i) & 0xff;
  [t.readable, 0, t.pgid, t.session?.sid ?? 0].forEach((x, i) => dv.setInt32(16 + i * 4, x, true));
  dv.setUint16(32, t.winsize.row, true);
  dv.setUint16(34, t.winsize.col, true);
  const tio = t.termios;
  [tio.iflag, tio.oflag, tio.cflag, tio.lflag].forEach((x, i) => dv.setUint32(36 + i * 4, x >>> 0, true));
  dv.setInt32(52, t.hungup ? 1 : 0, true);
  return b;
}

function xfiles(k: Kernel): Uint8Array {
  const parts: Uint8Array[] = [];
  const tables = new Set<object>();
  for (const p of [...k.procs.procs.values()].sort((a, b) => a.pid - b.pid)) {
    if (p.state === PState.ZOMBIE || !p.fd || tables.has(p.fd)) continue;
    tables.add(p.fd);
    for (let fd = 0; fd < p.fd.size; fd++) {
      const fp = p.fd.getOrNull(fd);
      if (!fp) continue;
      const b = new Uint8Array(XFILE_SIZE);
      const dv = new DataView(b.buffer);
      let type = 0, ino = 0, dev = 0, rdev = 0;
      try {
        const va = fp.ops.stat(fp);
        type = va.type;
        ino = va.ino; dev = va.fsid; rdev = va.rdev;
      } catch { /* a file that cannot be stat'ed stays type 0 */ }
      [p.pid, fd, type, fp.flags, fp.refs].forEach((x, i) => dv.setInt32(i * 4, x, true));
      dv.setBigInt64(24, BigInt(Math.trunc(fp.offset)), true);
      dv.setBigUint64(32, BigInt(Math.max(0, Math.trunc(ino))), true);
      dv.setUint32(40, dev >>> 0, true);
      dv.setUint32(44, rdev >>> 0, true);
      parts.push(b);
    }
  }
  return concat(parts);
}
