/*
 * The standard sysctl nodes (BSD's kern_mib.c, vm_meter.c and friends):
 * kern.*, hw.*, vm.*, debug.*, with BSD's fixed numbers where BSD has them.
 * Only values the kernel really has: no invented counters. Subsystems that
 * come later (vke's hw.vkeN.tap_unit, net.*) register their own nodes.
 */
import { PAGE_SIZE } from '../vm/physmem.ts';
import { EPERM, SysError } from './errno.ts';
import type { Kernel } from './init_main.ts';
import { ARG_MAX } from './kern_exec.ts';
import {
  KERN_PROC_ALL, KERN_PROC_ARGS, KERN_PROC_PATHNAME, KERN_PROC_PGRP, KERN_PROC_PID, KERN_PROC_RUID,
  KERN_PROC_SESSION, KERN_PROC_UID, sysctlKernProc,
} from './kern_kinfo.ts';
import {
  CTLFLAG_RD, CTLFLAG_RW, CTLFLAG_TUN, CTLTYPE_INT, CTLTYPE_LONG, CTLTYPE_NODE,
  CTLTYPE_STRING, CTLTYPE_STRUCT, CTLTYPE_UINT, CTLTYPE_ULONG, type LeafSpec, type Sysctl, type SysctlValue,
} from './kern_sysctl.ts';
import { MAXPROC } from './proc.ts';
import { statsSysctlInit } from './kern_stats.ts';
import { OSRELDATE, OSRELEASE, OSREVISION, OSTYPE, VERSION } from './vers.ts';

export const CTL_KERN = 1, CTL_VM = 2, CTL_VFS = 3, CTL_NET = 4, CTL_DEBUG = 5, CTL_HW = 6, CTL_MACHDEP = 7;
export const KERN_OSTYPE = 1, KERN_OSRELEASE = 2, KERN_OSREV = 3, KERN_VERSION = 4, KERN_MAXPROC = 6,
  KERN_ARGMAX = 8, KERN_SECURELVL = 9, KERN_HOSTNAME = 10, KERN_PROC = 14, KERN_BOOTTIME = 21,
  KERN_NISDOMAINNAME = 22, KERN_OSRELDATE = 24;
export const HW_MACHINE = 1, HW_MODEL = 2, HW_NCPU = 3, HW_BYTEORDER = 4, HW_PHYSMEM = 5, HW_USERMEM = 6,
  HW_PAGESIZE = 7, HW_MACHINE_ARCH = 11;
export const VM_LOADAVG = 2;
/* kern.cp_time's clock: stathz ticks (BSD's long cp_time[CPUSTATES]: user nice sys intr idle). */
export const STATHZ = 100;
export const HW_MODEL_NAME = 'RISC-V RV64IMAFDC (vkernel playground CPU engine)';

const RD = CTLFLAG_RD, RW = CTLFLAG_RW;

/* kern.proc.<name>[.<arg>]: kinfo_proc arrays, or argv/path strings. */
const KERN_PROC_NODES: Array<[string, number, string]> = [
  ['all', KERN_PROC_ALL, 'S,kinfo_proc'], ['pid', KERN_PROC_PID, 'S,kinfo_proc'],
  ['pgrp', KERN_PROC_PGRP, 'S,kinfo_proc'], ['session', KERN_PROC_SESSION, 'S,kinfo_proc'],
  ['uid', KERN_PROC_UID, 'S,kinfo_proc'], ['ruid', KERN_PROC_RUID, 'S,kinfo_proc'],
  ['args', KERN_PROC_ARGS, 'A'], ['pathname', KERN_PROC_PATHNAME, 'A'],
];

function ro(kind: number, descr: string, get: () => SysctlValue, fmt?: string): LeafSpec {
  return { kind: kind | RD, descr, get, fmt };
}

/** Register every standard node on k.sysctl. */
export function sysctlInit(k: Kernel): void {
  const s = k.sysctl;
  s.node('kern', [CTL_KERN]);
  s.node('vm', [CTL_VM]);
  s.node('vfs', [CTL_VFS]);
  s.node('debug', [CTL_DEBUG]);
  s.node('hw', [CTL_HW]);
  s.node('machdep', [CTL_MACHDEP]);
  kernNodes(k, s);
  hwNodes(k, s);
  vmNodes(k, s);
  debugNodes(k, s);
  statsSysctlInit(k);
}

function kernNodes(k: Kernel, s: Sysctl): void {
  s.leaf('kern.ostype', ro(CTLTYPE_STRING, 'Operating system type', () => OSTYPE), KERN_OSTYPE);
  s.leaf('kern.osrelease', ro(CTLTYPE_STRING, 'Operating system release', () => OSRELEASE), KERN_OSRELEASE);
  s.leaf('kern.osrevision', ro(CTLTYPE_INT, 'Operating system revision', () => OSREVISION), KERN_OSREV);
  s.leaf('kern.version', ro(CTLTYPE_STRING, 'Kernel version', () => `${VERSION}\n`), KERN_VERSION);
  s.leaf('kern.maxproc', ro(CTLTYPE_INT, 'Maximum number of processes', () => MAXPROC), KERN_MAXPROC);
  s.leaf('kern.argmax', ro(CTLTYPE_INT, 'Maximum bytes of argument to execve(2)', () => ARG_MAX), KERN_ARGMAX);
  s.leaf('kern.securelevel', {
    kind: CTLTYPE_INT | RW, descr: 'Current secure level',
    get: () => k.securelevel,
    set: (v, c) => {
      /* Only init may lower it (BSD): everyone else can only raise it. */
      if (Number(v) < k.securelevel && c !== null && c.pid !== 1) throw new SysError(EPERM);
      k.securelevel = Number(v);
    },
  }, KERN_SECURELVL);
  s.leaf('kern.hostname', {
    kind: CTLTYPE_STRING | RW, descr: 'Hostname', maxLen: 64,
    get: () => k.hostname, set: (v) => { k.hostname = String(v); },
  }, KERN_HOSTNAME);
  s.leaf('kern.domainname', {
    kind: CTLTYPE_STRING | RW, descr: 'Name of the current YP/NIS domain', maxLen: 64,
    get: () => k.domainname, set: (v) => { k.domainname = String(v); },
  }, KERN_NISDOMAINNAME);
  s.leaf('kern.boottime', ro(CTLTYPE_STRUCT, 'System boottime', () => timeval(k.bootWallMs), 'S,timeval'),
    KERN_BOOTTIME);
  s.leaf('kern.osreldate', ro(CTLTYPE_INT, 'Operating system release date', () => OSRELDATE), KERN_OSRELDATE);
  s.node('kern.proc', [CTL_KERN, KERN_PROC], 'Process table');
  for (const [name, what, fmt] of KERN_PROC_NODES) {
    s.handlerNode(`kern.proc.${name}`, CTLTYPE_NODE | RD, fmt, `Process table: ${name}`,
      (rest) => sysctlKernProc(k, [what, ...rest]), what);
  }
  s.leaf('kern.msgbuf', ro(CTLTYPE_STRING, 'Contents of kernel message buffer', () => k.kp.msgbuf.contents()));
  s.leaf('kern.cp_time', ro(CTLTYPE_LONG, 'CPU time statistics (user nice sys intr idle, stathz ticks)',
    () => cpTime(k), 'LU'));
  s.leaf('kern.clockrate', ro(CTLTYPE_STRUCT, 'Rate and period of various kernel clocks', () => clockinfo(),
    'S,clockinfo'));
}

function hwNodes(k: Kernel, s: Sysctl): void {
  const st = k.pages.stats;
  s.leaf('hw.machine', ro(CTLTYPE_STRING, 'Machine class', () => 'riscv64'), HW_MACHINE);
  s.leaf('hw.model', ro(CTLTYPE_STRING, 'Machine model', () => HW_MODEL_NAME), HW_MODEL);
  s.leaf('hw.ncpu', ro(CTLTYPE_INT, 'Number of active CPUs', () => k.config.ncpus), HW_NCPU);
  s.leaf('hw.byteorder', ro(CTLTYPE_INT, 'System byte order', () => 1234), HW_BYTEORDER);
  s.leaf('hw.physmem', ro(CTLTYPE_ULONG, 'Total memory', () => k.config.memSize), HW_PHYSMEM);
  s.leaf('hw.usermem', ro(CTLTYPE_ULONG, 'Non-wired memory', () => (st.total - st.wired) * PAGE_SIZE), HW_USERMEM);
  s.leaf('hw.pagesize', ro(CTLTYPE_INT, 'System memory page size', () => PAGE_SIZE), HW_PAGESIZE);
  s.leaf('hw.machine_arch', ro(CTLTYPE_STRING, 'System architecture', () => 'riscv64'), HW_MACHINE_ARCH);
}

function vmNodes(k: Kernel, s: Sysctl): void {
  const st = k.pages.stats;
  const u = (name: string, descr: string, get: () => number): void => {
    s.leaf(`vm.stats.vm.${name}`, ro(CTLTYPE_UINT, descr, get));
  };
  u('v_page_count', 'Total number of pages in system', () => st.total);
  u('v_free_count', 'Number of pages free', () => st.free);
  u('v_active_count', 'Number of pages active', () => st.active);
  u('v_wire_count', 'Number of pages wired down', () => st.wired);
  u('v_page_size', 'Page size in bytes', () => PAGE_SIZE);
  u('v_vm_faults', 'VM faults', () => st.faults);
  u('v_cow_faults', 'Copy-on-write faults', () => st.cowFaults);
  u('v_zfod', 'Zero-fill faults', () => st.zeroFills);
  u('v_vnodein', 'Page-ins from the vnode pager', () => st.fileFaults);
  s.leaf('vm.loadavg', ro(CTLTYPE_STRUCT, 'Machine loadaverage history', () => {
    k.sched.loadavg.update(k.uptimeMs(), k.sched.runnable().length);
    return k.sched.loadavg.encode();
  }, 'S,loadavg'), VM_LOADAVG);
  s.leaf('vm.vkernel_enable', {
    kind: CTLTYPE_INT | RW, descr: 'Enable vkernel operation (no nested vkernels here: recorded only)',
    get: () => k.vkernelEnable, set: (v) => { k.vkernelEnable = Number(v); },
  });
  s.leaf('vm.pmap.hardware_walk', ro(CTLTYPE_INT,
    'The CPU engine walks page tables itself (0 = software path, -d)', () => (k.config.softwarePageTables ? 0 : 1)));
  s.leaf('vm.pmap.soft_fills', ro(CTLTYPE_ULONG, 'TLB fills served by the kernel\'s software walk (-d)',
    () => k.softTlbFills));
}

function debugNodes(k: Kernel, s: Sysctl): void {
  s.leaf('debug.kdb.enter', {
    kind: CTLTYPE_INT | RW, descr: 'Set to enter the debugger',
    get: () => 0,
    set: (v) => { if (Number(v) !== 0) k.ddb.enter('sysctl debug.kdb.enter'); },
  });
  s.leaf('debug.debugger_on_panic', {
    kind: CTLTYPE_INT | RW | CTLFLAG_TUN, descr: 'Run debugger on kernel panic',
    get: () => (k.debuggerOnPanic ? 1 : 0), set: (v) => { k.debuggerOnPanic = Number(v) !== 0; },
  });
}

/** struct timeval { time_t tv_sec; suseconds_t tv_usec; } (16 bytes). */
function timeval(ms: number): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
  dv.setBigInt64(8, BigInt(Math.floor((ms % 1000) * 1000)), true);
  return b;
}

/** long cp_time[5]: user nice sys intr idle, in stathz ticks of the one CPU engine. */
export function cpTime(k: Kernel): Uint8Array {
  const tick = 1000 / STATHZ;
  const user = k.sched.cpUserMs, sys = k.sched.cpSysMs;
  const idle = Math.max(0, k.uptimeMs() - user - sys);
  const b = new Uint8Array(40);
  const dv = new DataView(b.buffer);
  [user, 0, sys, 0, idle].forEach((ms, i) => dv.setBigInt64(i * 8, BigInt(Math.floor(ms / tick)), true));
  return b;
}

/** struct clockinfo { int hz, tick, tickadj, stathz, profhz; }: hz is AT_CLKTCK's 100. */
function clockinfo(): Uint8Array {
  const b = new Uint8Array(20);
  const dv = new DataView(b.buffer);
  [100, 10000, 0, STATHZ, STATHZ].forEach((v, i) => dv.setInt32(i * 4, v, true));
  return b;
}


