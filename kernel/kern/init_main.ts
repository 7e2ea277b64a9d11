/*
 * The kernel: boot (BSD's mi_startup and init_main), the system-wide state,
 * pid 1, and the ways out (halt, reboot, panic). The scheduler's loop runs
 * everything after boot() returns.
 */
import { Cpu } from '../cpu/cpu.ts';
import { REG_A0 } from '../cpu/context.ts';
import { consInit } from '../dev/cons.ts';
import { memDevInit } from '../dev/mem.ts';
import { DevfsMount } from '../fs/devfs/devfs_vfsops.ts';
import { HostfsMount } from '../fs/hostfs/hostfs_vfsops.ts';
import { TmpfsMount } from '../fs/tmpfs/tmpfs_vfsops.ts';
import type { Platform } from '../platform.ts';
import { FileTable, O_RDWR } from '../vfs/file.ts';
import { namei } from '../vfs/namei.ts';
import { type Mount, MountTable, setSystemMounts } from '../vfs/vfs_mount.ts';
import { ioctxOf, vfsHooks } from '../vfs/vfs_thread.ts';
import { vnOpen } from '../vfs/vfs_vnops.ts';
import { VDIR, vref, type Vnode } from '../vfs/vnode.ts';
import { PAGE_SIZE, PhysMem } from '../vm/physmem.ts';
import { VmSpace } from '../vm/vm_map.ts';
import { PageAllocator } from '../vm/vm_page.ts';
import { Ddb } from '../ddb/db_main.ts';
import { dbPs } from '../ddb/db_ps.ts';
import type { BootConfig } from './bootconfig.ts';
import { SysError } from './errno.ts';
import { kernExecve } from './kern_exec.ts';
import { Exit } from './kern_exit.ts';
import { Fork } from './kern_fork.ts';
import { Futexes } from './kern_futex.ts';
import { Signals } from './kern_sig.ts';
import { Time } from './kern_time.ts';
import { type Proc, Proc as ProcClass, ProcTable, rootCred, type Session, Thread } from './proc.ts';
import { Scheduler } from './sched.ts';
import { Sigcode } from './sigcode.ts';
import { SI_KERNEL, SI_USER, SIG_DFL, SIGHUP, SIGINT, SIGKILL, SIGUSR2 } from './signal.ts';
import { setWakeupImpl, type SleepRequest } from './sleep.ts';
import { Kprintf } from './subr_prf.ts';
import { Sysctl } from './kern_sysctl.ts';
import { sysctlInit } from './kern_mib.ts';
import { softWalk } from './kern_softwalk.ts';
import { bootVerbose } from './kern_bootlog.ts';
import { SyscallDispatcher } from './syscalls.ts';
import { Tty, setTtyHooks } from './tty.ts';
import { VERSION } from './vers.ts';
import { diskBoot, diskRootFrom, diskRootMount, diskShutdown } from '../dev/disk/disk_attach.ts';
import { procfsAttach } from '../fs/procfs/procfs_attach.ts';
import { inet_init } from '../netinet/in_proto.ts';
import { vkeAttach } from '../dev/vke.ts';
import { setVfsClock } from '../vfs/vfs_time.ts';
import { vfsRegisterBase } from '../vfs/vfs_conf.ts';

export { OSTYPE, OSRELEASE, VERSION } from './vers.ts';
/* Exit status of bin/vkernel after a panic (EX_SOFTWARE). */
export const PANIC_STATUS = 70;
export const REBOOT_STATUS = 32;

export type HowTo = 'halt' | 'poweroff' | 'reboot';

export class Kernel {
  readonly mem: PhysMem;
  readonly pages: PageAllocator;
  readonly cpu: Cpu;
  readonly sched: Scheduler;
  readonly procs = new ProcTable();
  readonly sig = new Signals(this);
  readonly exit = new Exit(this);
  readonly fork = new Fork(this);
  readonly futex = new Futexes(this);
  readonly time = new Time(this);
  readonly syscalls: SyscallDispatcher;
  readonly kp: Kprintf;
  readonly mounts = new MountTable();
  readonly sigcode: Sigcode;
  readonly sysctl = new Sysctl();
  readonly ddb: Ddb;
  consTty: Tty | null = null;
  /** kern.securelevel (BSD: -1 = permanently insecure mode). */
  securelevel = -1;
  /** vm.vkernel_enable: recorded for the man page's `sysctl vm.vkernel_enable=1`. */
  vkernelEnable = 0;
  /** TLB fills the kernel served in software (-d). */
  softTlbFills = 0;
  /** debug.debugger_on_panic (tunable: -e debug.debugger_on_panic=1). */
  debuggerOnPanic: boolean;
  hostname = 'vkernel';
  domainname = '(none)';
  /** Kernel environment (-e and loader tunables): kenv(1), init_path, vfs.root.mountfrom. */
  readonly kenv: Map<string, string>;
  private readonly bootMono: number;
  readonly bootWallMs: number;
  private down = false;

  constructor(readonly platform: Platform, readonly config: BootConfig) {
    this.bootMono = platform.monotonicMs();
    this.bootWallMs = platform.wallclockMs();
    this.kp = new Kprintf(platform.console);
    this.kenv = new Map(config.kenv);
    this.mem = new PhysMem(config.memSize);
    this.pages = new PageAllocator(this.mem);
    this.cpu = new Cpu(this.mem, 0);
    /* rdtime: a 10 MHz counter from boot, monotonic like qemu's virt timebase. */
    this.cpu.timeSource = () => Math.floor(this.uptimeMs() * 10_000);
    this.sched = new Scheduler(this, this.cpu);
    this.syscalls = new SyscallDispatcher(() => this.uptimeMs(), (td, r) => this.park(td, r),
      (td) => this.sig.hasDeliverable(td));
    this.sigcode = new Sigcode(this.pages);
    this.pages.onTlbFlush = () => this.cpu.flushTlb();
    this.pages.onOom = () => this.oomKill();
    if (config.softwarePageTables) this.cpu.softWalk = (va, access) => softWalk(this, va, access);
    this.debuggerOnPanic = (this.kenv.get('debug.debugger_on_panic') ?? '0') !== '0';
    this.ddb = new Ddb(this);
    sysctlInit(this);
  }

  uptimeMs(): number {
    return this.platform.monotonicMs() - this.bootMono;
  }

  /** Physical memory itself, for a host that saves it (-i memory images, crash dumps). */
  physmemBuffer(): SharedArrayBuffer {
    return this.mem.sab;
  }

  /** One kernel message line, to the console and the message buffer. */
  log(s: string): void {
    this.kp.println(s);
  }

  /* ---- boot ---- */

  boot(): void {
    try {
      this.hooks();
      this.banner();
      this.consTty = consInit(this.platform.console, () => this.uptimeMs());
      memDevInit((b) => this.platform.randomBytes(b));
      if (this.config.verbose) bootVerbose(this);
      /* storage: attach vkd/vcd and read the root from them first (asynchronous stores). */
      setSystemMounts(this.mounts);
      setVfsClock({ wallMs: () => this.platform.wallclockMs(), uptimeMs: () => this.uptimeMs() });
      vfsRegisterBase(this.pages, this.platform); /* mount(2) types: tmpfs, devfs, procfs, hostfs */
      procfsAttach(this, VERSION);
      inet_init(this); /* lo0 and AF_INET (netinet/in_proto.ts) */
      diskBoot(this, () => this.bootRoot());
    } catch (e) {
      this.panic(e);
    }
  }

  /* The rest of boot, once the disks are ready: root, init, the scheduler. */
  private bootRoot(): void {
    try {
      vkeAttach(this); /* -I: vke0.. after the disks, before root, as the real boot log has them */
      this.mountRoot();
      this.startInit();
      this.sched.start();
    } catch (e) {
      this.panic(e);
    }
  }

  private hooks(): void {
    setWakeupImpl((chan) => this.sched.wakeup(chan));
    vfsHooks.tdsignal = (td, sig) => this.sig.tdsignal(td, sig, { signo: sig, code: SI_USER, pid: td.proc.pid, uid: td.proc.cred.uid });
    setTtyHooks({
      signalPgrp: (pgid, sig) => {
        const pg = this.procs.pgrps.get(pgid);
        if (pg) this.sig.pgsignal(pg, sig, { signo: sig, code: SI_KERNEL });
      },
      isOrphanedPgrp: (pgid) => {
        const pg = this.procs.pgrps.get(pgid);
        return pg ? this.sig.isOrphaned(pg) : true;
      },
      pgrpSession: (pgid) => this.procs.pgrps.get(pgid)?.session ?? null,
    });
  }

  private banner(): void {
    const c = this.config;
    this.log('Copyright (c) 2003-2024 The DragonFly Project.');
    this.log('Copyright (c) 1992-2003 The FreeBSD Project.');
    this.log('Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994');
    this.log('\tThe Regents of the University of California. All rights reserved.');
    this.log(VERSION);
    this.log(`real memory  = ${c.memSize} (${c.memSize / 1024}K bytes)`);
    const avail = this.pages.stats.free * PAGE_SIZE;
    this.log(`avail memory = ${avail} (${Math.floor(avail / 1024)}K bytes)`);
    if (c.ncpus > 1) this.log('DragonFly/MP: Multiprocessor');
    for (let i = 0; i < c.ncpus; i++) this.log(` cpu${i} (${i === 0 ? 'BSP' : 'AP'})`);
    if (!c.softwarePageTables) this.log('vmm: Hardware pagetable enabled for guest');
  }

  /** vfs.root.mountfrom: hostfs:/dir (Node), tmpfs (default without disks). */
  private mountRoot(): void {
    const from = this.kenv.get('vfs.root.mountfrom') ?? diskRootFrom() ?? 'tmpfs';
    this.log(`Mounting root from ${from}`);
    const mp = this.makeRootMount(from);
    this.mounts.mountRoot(mp);
    const root = mp.root();
    if (mp instanceof TmpfsMount) {
      for (const d of ['dev', 'tmp']) {
        try { root.mkdir(d, d === 'tmp' ? 0o1777 : 0o755, rootCred()); } catch { /* exists */ }
      }
    }
    this.mountOn('/dev', new DevfsMount());
    if (mp.readonly) this.mountOn('/tmp', new TmpfsMount(this.pages, { mode: 0o1777, from: 'tmpfs' }));
  }

  private makeRootMount(from: string): Mount {
    const disk = diskRootMount(from); /* ufs:vkd0s0a, cd9660:vcd0 (mounted by diskBoot) */
    if (disk) return disk;
    const colon = from.indexOf(':');
    const fstype = colon < 0 ? from : from.slice(0, colon);
    const spec = colon < 0 ? '' : from.slice(colon + 1);
    if (fstype === 'hostfs') {
      const host = this.platform.hostfs?.(spec) ?? null;
      if (!host) throw new Error(`cannot mount root from ${from}: no host file system`);
      return new HostfsMount(host, spec, this.pages);
    }
    if (fstype === 'tmpfs') return new TmpfsMount(this.pages, { mode: 0o755, from: 'tmpfs' });
    throw new Error(`cannot mount root from ${from}: unknown file system type`);
  }

  /** Mount mp on path if that directory exists (quietly skipped otherwise). */
  private mountOn(path: string, mp: Mount): void {
    const root = this.mounts.rootVnode();
    let vp: Vnode;
    try {
      vp = namei({ path, start: root, root, cred: rootCred(), follow: true });
    } catch {
      return;
    }
    if (vp.type !== VDIR || vp.mountedHere) return;
    this.mounts.mount(mp, vp);
  }

  /** Create pid 1 with the console on fds 0-2 and exec init_path. */
  private startInit(): void {
    const path = this.kenv.get('init_path') ?? '/sbin/init';
    const root = this.mounts.rootVnode();
    const p = new ProcClass(this.procs.allocId(), this);
    p.vm = new VmSpace(this.mem, this.pages);
    p.fd = new FileTable();
    p.cwd = vref(root);
    p.root = vref(root);
    p.comm = 'init';
    p.startMs = this.uptimeMs();
    this.procs.procs.set(p.pid, p);
    this.procs.newSession(p);
    const td = new Thread(p.pid, p);
    p.threads.push(td);
    this.procs.threads.set(td.tid, td);
    this.openConsole(td);
    const envp = ['HOME=/', 'PATH=/sbin:/bin:/usr/sbin:/usr/bin', 'TERM=xterm'];
    /* BSD's kernel hands init -s for a single-user boot. */
    const argv = this.config.singleUser ? [path, '-s'] : [path];
    try {
      kernExecve(td, { path, argv, envp, execfn: path });
    } catch (e) {
      if (e instanceof SysError) {
        this.log(`init: not found in path ${path} (error ${e.errno})`);
        throw new Error('no init');
      }
      throw e;
    }
    this.sched.setrunnable(td);
  }

  private openConsole(td: Thread): void {
    const p = td.proc;
    try {
      const vp = namei({ path: '/dev/console', start: p.root, root: p.root, cred: p.cred, follow: true });
      // vnOpen takes over namei's reference; no extra vref.
      const fp = vnOpen(vp, O_RDWR, p.cred, ioctxOf(td));
      p.fd.install(0, fp, false);
      p.fd.install(1, fp.hold(), false);
      p.fd.install(2, fp.hold(), false);
    } catch (e) {
      this.log(`warning: no /dev/console for init: ${String(e)}`);
    }
  }

  /* ---- system calls and sleeping ---- */

  syscall(td: Thread): void {
    this.syscalls.dispatch(td);
  }

  private park(td: Thread, r: SleepRequest): void {
    this.sched.park(td, r);
    /* A signal that arrived before the sleep must not be slept through. */
    if (r.interruptible && this.sig.hasDeliverable(td)) this.sched.unsleep(td);
  }

  /* ---- host events ---- */

  consoleInput(bytes: Uint8Array): void {
    if (this.ddb.active) {
      const rest = this.ddb.input(bytes);
      if (!rest || rest.length === 0) return;
      bytes = rest;
    }
    if (this.down || !this.consTty) return;
    try {
      this.consTty.input(bytes);
    } catch (e) {
      this.panic(e);
    }
  }

  hostSignal(sig: 'SIGTERM' | 'SIGQUIT' | 'SIGINT'): void {
    if (this.down) return;
    try {
      if (sig === 'SIGQUIT') {
        this.ddb.enter('interrupt from console');
        return;
      }
      const init = this.procs.procs.get(1);
      if (sig === 'SIGINT' && this.consTty && this.consTty.pgid > 0) {
        const pg = this.procs.pgrps.get(this.consTty.pgid);
        if (pg) { this.sig.pgsignal(pg, SIGINT, { signo: SIGINT, code: SI_KERNEL }); return; }
      }
      this.log('Caught SIGTERM from host system. Shutting down...');
      if (init && init.sigacts.act[SIGUSR2].handler !== SIG_DFL) {
        this.sig.psignal(init, SIGUSR2, { signo: SIGUSR2, code: SI_KERNEL });
      } else {
        this.shutdown('halt', 0);
      }
    } catch (e) {
      this.panic(e);
    }
  }

  /** A session leader exited: hang up its controlling terminal (SIGHUP to the foreground). */
  ttyHangup(s: Session): void {
    const t = s.ttyp;
    if (!(t instanceof Tty)) return;
    const pg = this.procs.pgrps.get(t.pgid);
    if (pg) this.sig.pgsignal(pg, SIGHUP, { signo: SIGHUP, code: SI_KERNEL });
    t.sessionLeaderExit();
    s.ttyp = null;
  }

  /* ---- memory pressure ---- */

  /** Kill the biggest process (BSD's wording); true if memory was freed. */
  private oomKill(): boolean {
    let victim: Proc | null = null;
    for (const p of this.procs.procs.values()) {
      if (p.exiting || p.pid === 1 || p.vm.destroyed) continue;
      if (!victim || p.vm.rss > victim.vm.rss) victim = p;
    }
    if (!victim) return false;
    this.log(`pid ${victim.pid} (${victim.comm}), uid ${victim.cred.uid}, was killed: out of swap space`);
    this.exit.exit1(victim, SIGKILL);
    return true;
  }

  /* ---- the ways out ---- */

  /** pid 1 is gone: shut down with its status (128+sig if a signal killed it). */
  initExited(status: number): void {
    const sig = status & 0x7f;
    this.shutdown('halt', sig === 0 ? (status >> 8) & 0xff : 128 + sig);
  }

  shutdown(how: HowTo, status: number): void {
    if (this.down) return;
    this.down = true;
    this.sched.halt();
    this.kp.print('syncing disks... ');
    /* storage: disk stores are asynchronous; this calls back once they have everything. */
    diskShutdown(this.mounts, (e) => {
      this.kp.print(e ? `failed (${String(e)})\n` : 'done\n');
      this.halted(how, status);
    });
  }

  private halted(how: HowTo, status: number): void {
    this.log(`Uptime: ${formatUptime(this.uptimeMs())}`);
    if (how === 'reboot') {
      this.log('Rebooting...');
      this.log('cpu reset, rebooting vkernel');
      this.hostHalt(REBOOT_STATUS);
      return;
    }
    this.log('The operating system has halted.');
    this.log('cpu halt, exiting vkernel');
    this.hostHalt(status);
  }

  /** platform.halt, shielded: a failing host must not take the kernel's error paths down. */
  private hostHalt(status: number): void {
    try {
      this.platform.halt(status);
    } catch (e) {
      try {
        this.log(`vkernel: host halt(${status}) failed: ${e instanceof Error ? e.message : String(e)}`);
      } catch {
        /* Nowhere left to say it. */
      }
    }
  }

  /** A kernel bug: never kills the worker; report, hand to ddb, stop. Never throws. */
  panic(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    try {
      if (this.down) {
        this.log(`panic after shutdown: ${msg}`);
        return;
      }
      this.down = true;
      this.sched.halt();
      this.log(`panic: ${msg}`);
      const td = this.sched.curthread ?? this.sched.panicthread;
      if (td) this.log(regDump(td));
      if (e instanceof Error && e.stack && this.config.verbose) this.log(e.stack);
      if (this.debuggerOnPanic) {
        this.ddb.enterPanic(msg);
        return;
      }
      for (const l of dbPs(this, td ?? null)) this.log(l);
    } catch {
      /* The console itself failed: nothing more to report. */
    }
    this.hostHalt(PANIC_STATUS);
  }

  /** ddb is done looking at a panic: the machine stops for good. */
  panicFinish(): void {
    this.hostHalt(PANIC_STATUS);
  }

  /** ddb's reset: cpu_reset(), no sync; the host boots a fresh kernel. */
  cpuReset(): void {
    this.ddb.active = false;
    this.down = true;
    this.sched.halt();
    this.log('cpu reset, rebooting vkernel');
    this.hostHalt(REBOOT_STATUS);
  }
}

/** BSD's "Uptime: 1h2m3s". */
export function formatUptime(ms: number): string {
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400); s %= 86400;
  const h = Math.floor(s / 3600); s %= 3600;
  const m = Math.floor(s / 60); s %= 60;
  let out = '';
  if (d) out += `${d}d`;
  if (d || h) out += `${h}h`;
  if (d || h || m) out += `${m}m`;
  return `${out}${s}s`;
}

const REGNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4',
  'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** The registers of the thread that was on the CPU (the panic report). */
export function regDump(td: Thread): string {
  const hex = (lo: number, hi: number): string =>
    (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
  const lines = [`curthread: pid ${td.proc.pid} tid ${td.tid} (${td.proc.comm}) syscall ${td.syscallNo}`,
    `pc   ${td.ctx.pc.toString(16).padStart(16, '0')}`];
  for (let r = 1; r < 32; r += 4) {
    const row: string[] = [];
    for (let i = r; i < Math.min(r + 4, 32); i++) row.push(`${REGNAMES[i].padEnd(4)} ${hex(td.ctx.x[2 * i], td.ctx.x[2 * i + 1])}`);
    lines.push(row.join('  '));
  }
  return lines.join('\n');
}

export { REG_A0 };
