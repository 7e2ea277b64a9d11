/*
 * Run the file layer's system calls on a real process structure: a VmSpace
 * over a small physical memory with a scratch region, a tmpfs root and a
 * devfs on /dev. No CPU: handlers are called directly.
 */
import { PhysMem } from '../../kernel/vm/physmem.ts';
import { PageAllocator } from '../../kernel/vm/vm_page.ts';
import { VmSpace } from '../../kernel/vm/vm_map.ts';
import { copyin, copyout } from '../../kernel/vm/copyio.ts';
import { Proc, ProcTable, Thread } from '../../kernel/kern/proc.ts';
import type { Kernel } from '../../kernel/kern/init_main.ts';
import { SysArgs } from '../../kernel/kern/sysargs.ts';
import { SysError } from '../../kernel/kern/errno.ts';
import { SleepRequest } from '../../kernel/kern/sleep.ts';
import { TmpfsMount } from '../../kernel/fs/tmpfs/tmpfs_vfsops.ts';
import { DevfsMount } from '../../kernel/fs/devfs/devfs_vfsops.ts';
import { MountTable, setSystemMounts, type Mount } from '../../kernel/vfs/vfs_mount.ts';
import { vfsRegisterBase } from '../../kernel/vfs/vfs_conf.ts';
import type { Platform } from '../../kernel/platform.ts';
import { FileTable } from '../../kernel/vfs/file.ts';
import { vfsSyscalls } from '../../kernel/vfs/vfs_syscalls.ts';
import { vref } from '../../kernel/vfs/vnode.ts';
import { memDevInit } from '../../kernel/dev/mem.ts';
import { consInit } from '../../kernel/dev/cons.ts';
import { bstrToBytes } from '../../kernel/vfs/bstr.ts';

export const UBASE = 0x100000;
const ULEN = 0x40000;

export class Sys {
  readonly mem = new PhysMem(8 << 20);
  readonly pages = new PageAllocator(this.mem);
  readonly mounts = new MountTable();
  readonly root: TmpfsMount;
  readonly td: Thread;
  readonly p: Proc;
  now = 0;
  consoleOut: string[] = [];
  private brk = UBASE;

  constructor(rootMount?: (pa: PageAllocator) => Mount) {
    const kernel = { uptimeMs: () => this.now } as unknown as Kernel;
    this.root = new TmpfsMount(this.pages, { mode: 0o755 });
    const mp = rootMount ? rootMount(this.pages) : this.root;
    this.mounts.mountRoot(mp);
    const r = mp.root();
    if (!rootMount) {
      r.mkdir('dev', 0o755, { uid: 0, gid: 0, euid: 0, egid: 0, suid: 0, sgid: 0, groups: [0] });
      this.mounts.mount(new DevfsMount(), r.lookup('dev'));
    }
    setSystemMounts(this.mounts);
    vfsRegisterBase(this.pages, { hostfs: () => null } as unknown as Platform);
    memDevInit((b) => b.fill(0x5a));
    const tty = consInit({ write: (b) => this.consoleOut.push(String.fromCharCode(...b)) }, () => this.now);
    this.tty = tty;
    const procs = new ProcTable();
    this.p = new Proc(procs.allocId(), kernel);
    this.p.vm = new VmSpace(this.mem, this.pages);
    this.p.vm.map(UBASE, ULEN, 3);
    this.p.fd = new FileTable();
    this.p.cwd = vref(r);
    this.p.root = vref(r);
    procs.newSession(this.p);
    this.td = new Thread(this.p.pid, this.p);
    this.p.threads.push(this.td);
  }
  readonly tty: ReturnType<typeof consInit>;

  /** Scratch user memory: a fresh address holding bytes (or zeros). */
  alloc(bytes: Uint8Array | number): number {
    const data = typeof bytes === 'number' ? new Uint8Array(bytes) : bytes;
    const va = this.brk;
    this.brk += (data.length + 15) & ~15;
    if (this.brk > UBASE + ULEN) {
      this.brk = UBASE;
      return this.alloc(bytes);
    }
    copyout(this.p.vm, va, data);
    return va;
  }
  str(s: string): number {
    return this.alloc(bstrToBytes(s + '\0'));
  }
  read(va: number, len: number): Uint8Array {
    return copyin(this.p.vm, va, len);
  }

  /** Call syscall no; returns the result or -errno; 'sleep' when it would block. */
  call(no: number, ...args: Array<number | bigint>): number | 'sleep' {
    const a = new SysArgs();
    args.forEach((v, i) => {
      const big = BigInt.asUintN(64, BigInt(v));
      a.lo[i] = Number(BigInt.asIntN(32, big & 0xffffffffn));
      a.hi[i] = Number(BigInt.asIntN(32, big >> 32n));
    });
    const h = vfsSyscalls[no];
    if (!h) throw new Error(`no syscall ${no}`);
    try {
      const r = h(this.td, a);
      this.td.restart = null;
      this.td.restartDeadline = null;
      return r;
    } catch (e) {
      if (e instanceof SysError) { this.td.restart = null; this.td.restartDeadline = null; return -e.errno; }
      if (e instanceof SleepRequest) return 'sleep';
      throw e;
    }
  }
}

export const AT_FDCWD = -100;
export const SYS = {
  getcwd: 17, dup: 23, dup3: 24, fcntl: 25, ioctl: 29, mknodat: 33, mkdirat: 34, unlinkat: 35,
  symlinkat: 36, linkat: 37, renameat: 38, statfs: 43, fstatfs: 44, truncate: 45, ftruncate: 46,
  fallocate: 47, faccessat: 48, chdir: 49, fchdir: 50, chroot: 51, fchmod: 52, fchmodat: 53,
  fchownat: 54, fchown: 55, openat: 56, close: 57, pipe2: 59, getdents64: 61, lseek: 62, read: 63,
  write: 64, readv: 65, writev: 66, pread64: 67, pwrite64: 68, pselect6: 72, ppoll: 73,
  readlinkat: 78, newfstatat: 79, fstat: 80, sync: 81, fsync: 82, utimensat: 88, umask: 166,
  renameat2: 276, mount: 40, umount2: 39, statx: 291, faccessat2: 439,
};
