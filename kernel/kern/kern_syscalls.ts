/* The kernel proper's syscall table: every kern/ subsystem's handlers merged. */
import { sys_futex } from './kern_futex.ts';
import { miscSyscalls } from './kern_misc.ts';
import { procSyscalls } from './kern_proc_syscalls.ts';
import { protSyscalls } from './kern_prot.ts';
import { resourceSyscalls } from './kern_resource.ts';
import { timeSyscalls } from './kern_time.ts';
import { signalSyscalls } from './sys_signal.ts';
import type { SyscallHandler } from './syscall_types.ts';
import { SYS___sysctl, sys___sysctl } from './sys_sysctl.ts';
import { SYS_kenv, sys_kenv } from './kern_environment.ts';
import { linkerSyscalls } from './kern_linker.ts';

export const kernSyscalls: Record<number, SyscallHandler> = {
  ...procSyscalls,
  ...signalSyscalls,
  ...timeSyscalls,
  ...protSyscalls,
  ...resourceSyscalls,
  ...miscSyscalls,
  ...linkerSyscalls,
  98: sys_futex,
  [SYS___sysctl]: sys___sysctl,
  [SYS_kenv]: sys_kenv,
};
