/*
 * The signal trampoline page (BSD's "sigcode"): one frame holding
 * `li a7, 139; ecall` (rt_sigreturn), mapped read+exec at SIGCODE_VA in every
 * process. Linux riscv returns from handlers through its vDSO the same way;
 * glibc's riscv port passes no SA_RESTORER, so every handler returns here.
 */
import { PAGE_SIZE } from '../vm/physmem.ts';
import { VmObject } from '../vm/vm_object.ts';
import type { PageAllocator } from '../vm/vm_page.ts';
import type { VmSpace } from '../vm/vm_map.ts';
import { ALLOC_WIRED } from '../vm/vm_page.ts';
import { PROT_EXEC, PROT_READ } from '../vm/vm_param.ts';
import { SIGCODE } from './kern_sigframe.ts';

/* In the top 64 KiB the VM leaves to the kernel (vm_param.ts). */
export const SIGCODE_VA = 0xffff_f000;

/** A permanent one-page object: never freed, shared by every process. */
class SigcodeObject extends VmObject {
  constructor(readonly ppn: number) {
    super();
  }
  getPage(): number {
    return this.ppn;
  }
  dirtyPage(): void {}
  sizeBytes(): number {
    return PAGE_SIZE;
  }
  protected free(): void {
    /* The boot reference never goes away. */
  }
}

export class Sigcode {
  private readonly obj: SigcodeObject;

  constructor(pages: PageAllocator) {
    const ppn = pages.alloc(ALLOC_WIRED);
    const mem = pages.mem;
    mem.zeroFrame(ppn);
    const base = ppn * PAGE_SIZE;
    for (let i = 0; i < SIGCODE.length; i++) mem.dv.setUint32(base + 4 * i, SIGCODE[i], true);
    this.obj = new SigcodeObject(ppn);
  }

  /** Map the trampoline into a fresh address space (exec). */
  mapInto(vm: VmSpace): void {
    this.obj.ref();
    vm.map(SIGCODE_VA, PAGE_SIZE, PROT_READ | PROT_EXEC, { object: this.obj, pgoff: 0, name: '[sigcode]', maxProt: PROT_READ | PROT_EXEC });
  }
}
