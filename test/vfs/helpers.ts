/* Shared fixtures for the file-layer tests: a small physical memory, tmpfs, a fake caller. */
import { PhysMem } from '../../kernel/vm/physmem.ts';
import { PageAllocator } from '../../kernel/vm/vm_page.ts';
import { TmpfsMount } from '../../kernel/fs/tmpfs/tmpfs_vfsops.ts';
import { FileTable } from '../../kernel/vfs/file.ts';
import type { IoCtx } from '../../kernel/vfs/ioctx.ts';
import { Session } from '../../kernel/kern/proc.ts';
import type { Cred } from '../../kernel/vfs/vfs_cred.ts';
import { bstrToBytes } from '../../kernel/vfs/bstr.ts';

export function mkPages(pages = 256): PageAllocator {
  return new PageAllocator(new PhysMem(pages * 4096));
}

export function mkTmpfs(pages = 256): TmpfsMount {
  return new TmpfsMount(mkPages(pages), { mode: 0o755 });
}

export function root(): Cred {
  return { uid: 0, gid: 0, euid: 0, egid: 0, suid: 0, sgid: 0, groups: [0] };
}

export function user(uid: number, gid = uid, groups: number[] = [gid]): Cred {
  return { uid, gid, euid: uid, egid: gid, suid: uid, sgid: gid, groups };
}

/** A user memory of 64 KiB at address 0x10000 and a caller around it. */
export class FakeIo implements IoCtx {
  pid = 100;
  pgid = 100;
  session = new Session(100, null);
  cred = root();
  files = new FileTable();
  nofile = 1024;
  restart: object | null = null;
  now = 0;
  signals: number[] = [];
  blocked = new Set<number>();
  readonly mem = new Uint8Array(0x10000);
  copyin(va: number, len: number): Uint8Array {
    return this.mem.slice(va - 0x10000, va - 0x10000 + len);
  }
  copyout(va: number, data: Uint8Array): void {
    this.mem.set(data, va - 0x10000);
  }
  /** Like td.restartDeadline: fixed on the first run, cleared by endSyscall(). */
  deadline: number | null = null;
  deadlineIn(ms: number): number {
    if (this.deadline === null) this.deadline = this.now + ms;
    return this.deadline;
  }
  endSyscall(): void {
    this.deadline = null;
    this.restart = null;
  }
  uptimeMs(): number {
    return this.now;
  }
  signal(sig: number): void {
    this.signals.push(sig);
  }
  sigIgnoredOrBlocked(sig: number): boolean {
    return this.blocked.has(sig);
  }
}

export const b = (s: string): Uint8Array => bstrToBytes(s);
export const s = (u: Uint8Array): string => String.fromCharCode(...u);
