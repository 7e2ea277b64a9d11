/*
 * Module loading (BSD's kern_linker.c) as Linux binaries reach it:
 * init_module(105), finit_module(273), delete_module(106). There are no
 * loadable modules in this kernel. Without -U module loading is disabled, as
 * vkernel(7) says ("for security reasons"): EPERM. With -U it is allowed but
 * nothing is a module this kernel can link: loads fail with ENOEXEC and
 * delete_module finds nothing (ENOENT). Non-root callers always get EPERM.
 */
import { ENOENT, ENOEXEC, EPERM, SysError } from './errno.ts';
import type { Thread } from './proc.ts';
import type { SyscallHandler } from './syscall_types.ts';

function modulesAllowed(td: Thread): void {
  if (td.proc.cred.euid !== 0 || !td.k.config.kmemWritable) throw new SysError(EPERM);
}

const load: SyscallHandler = (td) => {
  modulesAllowed(td);
  throw new SysError(ENOEXEC);
};

export const linkerSyscalls: Record<number, SyscallHandler> = {
  105: load,                                                       // init_module
  273: load,                                                       // finit_module
  106: (td) => { modulesAllowed(td); throw new SysError(ENOENT); }, // delete_module
};
