/* The shape of a system call handler (see docs/architecture.md, Kernel conventions). */
import type { Thread } from './proc.ts';
import type { SysArgs } from './sysargs.ts';

export type SyscallHandler = (td: Thread, a: SysArgs) => number;

/*
 * A handler that has set up the thread's registers itself (execve, rt_sigreturn)
 * returns EJUSTRETURN: the dispatcher then leaves a0 and pc alone. It is
 * negative so it can never be confused with a real result.
 */
export const EJUSTRETURN = -0x7fff_fffe;
