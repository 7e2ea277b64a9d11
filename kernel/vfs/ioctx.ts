/*
 * The caller of a file operation, as far as file ops need to know it: job
 * control (tty), signals (SIGPIPE), user memory for ioctl arguments, and
 * timeouts that survive a syscall rerun. The syscall layer builds one from
 * the thread (vfs_syscalls.ts, ioctxOf); tests build plain objects.
 */
import type { Session } from '../kern/proc.ts';
import type { Cred } from './vfs_cred.ts';
import type { FileTable } from './file.ts';

export interface IoCtx {
  readonly pid: number;
  readonly pgid: number;
  /** The caller's session; session.ttyp is its controlling tty (a kern/tty.ts Tty). */
  readonly session: Session;
  readonly cred: Cred;
  readonly files: FileTable;
  /** RLIMIT_NOFILE's soft limit. */
  readonly nofile: number;
  copyin(va: number, len: number): Uint8Array;
  copyout(va: number, data: Uint8Array): void;
  /**
   * Progress a rerun syscall recorded (the thread's td.restart): a blocking
   * pipe write that sleeps half way keeps its count here. Cleared by the
   * dispatcher when the syscall completes.
   */
  restart: object | null;
  /** The absolute uptime deadline of a relative timeout, fixed on the syscall's first run. */
  deadlineIn(ms: number): number;
  uptimeMs(): number;
  /** Send sig to the calling thread (SIGPIPE on a broken pipe). */
  signal(sig: number): void;
  /** The caller blocks or ignores sig (then SIGTTIN/SIGTTOU become EIO). */
  sigIgnoredOrBlocked(sig: number): boolean;
}
