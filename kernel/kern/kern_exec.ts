/*
 * execve: find the image (ELF64 or a #! script), check everything that can
 * fail, then build the new address space (segments, the interpreter, the
 * stack with argv/envp/auxv, the sigcode page) and swap it in. Nothing of the
 * old image changes before the new one is fully built, so a bad or malformed
 * file just fails with ENOEXEC/EACCES/ENOENT/E2BIG.
 */
import { REG_SP } from '../cpu/context.ts';
import { copyinstrBytes, copyoutForce, fuptr, zeroUser } from '../vm/copyio.ts';
import { PAGE_SIZE } from '../vm/physmem.ts';
import { VmSpace } from '../vm/vm_map.ts';
import { VnodeObject, type VnodePager } from '../vm/vm_object.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE, PROT_RWX, ELF_ET_DYN_BASE, pageDown, pageUp } from '../vm/vm_param.ts';
import { bytesToBstr } from '../vfs/bstr.ts';
import { namei } from '../vfs/namei.ts';
import { AT_FDCWD, startDir } from '../vfs/vfs_thread.ts';
import { VEXEC, vaccessOk } from '../vfs/vfs_cred.ts';
import { ST_NOEXEC, ST_NOSUID } from '../vfs/vfs_mount.ts';
import { S_ISGID, S_ISUID, VREG, vref, vrele, type Vnode } from '../vfs/vnode.ts';
import { E2BIG, EACCES, EFAULT, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOEXEC, ENOMEM, SysError } from './errno.ts';
import {
  AT_BASE, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_EXECFN, AT_FLAGS, AT_GID, AT_HWCAP,
  AT_MINSIGSTKSZ, AT_NULL, AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM, AT_RANDOM, AT_SECURE, AT_UID,
  type Auxv, buildInitialStack, HWCAP_RV64IMAFDC,
} from './exec_stack.ts';
import {
  type ElfImage, ET_DYN, EHDR_SIZE, interpPath, isElf, parseElf, PF_R, PF_W, PF_X, phdrAddr,
  phdrRange, PHDR_SIZE,
} from './imgact_elf.ts';
import { type Cred, dupCred, type Proc, type Thread } from './proc.ts';
import { RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK } from './resource.ts';
import { RT_SIGFRAME_SIZE } from './kern_sigframe.ts';
import { EJUSTRETURN } from './syscall_types.ts';

export const ARG_MAX = 2 * 1024 * 1024;
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE;
export const MAX_ARG_STRINGS = 0x7fff_ffff;
/* Nested #! interpreters (Linux allows 4 levels, then ELOOP). */
const MAX_INTERP_DEPTH = 4;
const BINPRM_BUF_SIZE = 256;
export const MINSIGSTKSZ = 2048;

export interface ExecArgs {
  path: string;       // what to run (byte string)
  /** execveat: where a relative path starts (default: the cwd), or the file itself (AT_EMPTY_PATH). */
  start?: Vnode;
  file?: Vnode;
  argv: string[];
  envp: string[];
  execfn: string;     // AT_EXECFN: the name execve was given
}

/** An ELF file resolved and validated, ready to map. */
interface LoadedFile {
  vp: Vnode;
  img: ElfImage;
  path: string;
}

/* ---- reading the image ---- */

function readAt(vp: Vnode, off: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let got = 0;
  while (got < len) {
    const b = vp.read(off + got, len - got);
    if (b.length === 0) break;
    out.set(b, got);
    got += b.length;
  }
  return got === len ? out : out.subarray(0, got);
}

/** Look up an executable and check that we may run it. */
export function lookupExec(p: Proc, path: string, start: Vnode = p.cwd, file: Vnode | null = null): Vnode {
  const vp = file ?? namei({ path, start, root: p.root, cred: p.cred, follow: true });
  if (vp.type !== VREG) throw new SysError(EACCES);
  if ((vp.mount.flags & ST_NOEXEC) !== 0) throw new SysError(EACCES);
  if (!vaccessOk(vp.getattr(), p.cred, VEXEC)) throw new SysError(EACCES);
  return vp;
}

function loadElf(vp: Vnode, path: string, hdr: Uint8Array): LoadedFile {
  const size = vp.getattr().size;
  const { off, len } = phdrRange(hdr);
  const ph = off + len <= hdr.length ? hdr.subarray(off, off + len) : readAt(vp, off, len);
  return { vp, img: parseElf(hdr, ph, size), path };
}

/** Parse a #! line: [interpreter, optional single argument]. */
export function parseShebang(buf: Uint8Array): [string, string | null] {
  let end = buf.indexOf(0x0a);
  if (end < 0) end = buf.length;
  const line = bytesToBstr(buf.subarray(2, end)).replace(/[ \t]+$/, '');
  const m = /^[ \t]*([^ \t]+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) throw new SysError(ENOEXEC);
  /* No newline within the buffer and the interpreter name runs to its end: truncated. */
  if (buf.indexOf(0x0a) < 0 && buf.length >= BINPRM_BUF_SIZE && m[2] === undefined) throw new SysError(ENOEXEC);
  return [m[1], m[2] !== undefined && m[2] !== '' ? m[2] : null];
}

/** Resolve scripts down to an ELF file; rewrites args.argv for each #! level. */
function resolveImage(p: Proc, args: ExecArgs): { main: LoadedFile; interp: LoadedFile | null } {
  let path = args.path;
  for (let depth = 0; ; depth++) {
    const vp = depth === 0 ? lookupExec(p, path, args.start, args.file ?? null) : lookupExec(p, path);
    const hdr = readAt(vp, 0, 1024);
    if (hdr.length >= 2 && hdr[0] === 0x23 && hdr[1] === 0x21) {
      if (depth >= MAX_INTERP_DEPTH) throw new SysError(ELOOP);
      const [interp, arg] = parseShebang(hdr.subarray(0, BINPRM_BUF_SIZE));
      const rest = args.argv.slice(1);
      args.argv = arg !== null ? [interp, arg, path, ...rest] : [interp, path, ...rest];
      path = interp;
      continue;
    }
    if (!isElf(hdr) || hdr.length < EHDR_SIZE) throw new SysError(ENOEXEC);
    const main = loadElf(vp, path, hdr);
    return { main, interp: main.img.interp ? loadInterp(p, main) : null };
  }
}

function loadInterp(p: Proc, main: LoadedFile): LoadedFile {
  const ip = main.img.interp!;
  const path = interpPath(readAt(main.vp, ip.offset, ip.filesz));
  const vp = lookupExec(p, path);
  const hdr = readAt(vp, 0, 1024);
  if (!isElf(hdr)) throw new SysError(ENOEXEC);
  const f = loadElf(vp, path, hdr);
  if (f.img.interp) throw new SysError(ENOEXEC);
  return f;
}

/* ---- mapping ---- */

function protOf(flags: number): number {
  return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

function pagerOf(vp: Vnode): VnodePager {
  return {
    getPage: (pg) => vp.getPage(pg),
    dirtyPage: (pg) => vp.dirtyPage(pg),
    size: () => vp.getattr().size,
    ref: () => { vref(vp); },
    unref: () => vrele(vp),
  };
}

/** Can the file's pages be mapped directly (page cache), or must we copy? */
function canMapFile(f: LoadedFile): boolean {
  let prevEnd = 0;
  for (const s of f.img.loads) {
    if ((s.vaddr % PAGE_SIZE) !== (s.offset % PAGE_SIZE)) return false;
    if (pageDown(s.vaddr) < prevEnd) return false;
    prevEnd = pageUp(s.vaddr + s.memsz);
  }
  try {
    f.vp.getPage(0);
    return true;
  } catch {
    return false;
  }
}

/** Map the PT_LOAD segments of f at bias; returns the end of the highest one. */
function mapSegments(vm: VmSpace, f: LoadedFile, bias: number): number {
  const direct = canMapFile(f);
  let top = 0;
  for (const s of f.img.loads) {
    const va = s.vaddr + bias;
    const start = pageDown(va);
    const memEnd = va + s.memsz;
    const prot = protOf(s.flags);
    if (direct) mapSegmentFile(vm, f, s.offset, va, s.filesz, memEnd, prot);
    else mapSegmentCopy(vm, f, s.offset, va, s.filesz, memEnd, prot, start);
    top = Math.max(top, memEnd);
  }
  return top;
}

function mapSegmentFile(vm: VmSpace, f: LoadedFile, off: number, va: number, filesz: number,
  memEnd: number, prot: number): void {
  const start = pageDown(va);
  const fileEnd = va + filesz;
  const fileMapEnd = filesz > 0 ? pageUp(fileEnd) : start;
  if (fileMapEnd > start) {
    const pgoff = (off - (va - start)) / PAGE_SIZE;
    vm.map(start, fileMapEnd - start, prot, { object: new VnodeObject(pagerOf(f.vp)), pgoff, name: f.path });
    /*
     * Linux's padzero: the rest of the last file page is zeroed in our private
     * copy whenever there is bss. ld.so's minimal malloc carves its first
     * blocks from just past _end and relies on them being zero.
     */
    if (memEnd > fileEnd && fileMapEnd > fileEnd) zeroUser(vm, fileEnd, fileMapEnd - fileEnd, true);
  }
  if (pageUp(memEnd) > fileMapEnd) vm.map(fileMapEnd, pageUp(memEnd) - fileMapEnd, prot, { name: f.path });
}

function mapSegmentCopy(vm: VmSpace, f: LoadedFile, off: number, va: number, filesz: number,
  memEnd: number, prot: number, start: number): void {
  const end = pageUp(memEnd);
  /* A page shared with the previous segment keeps its mapping; the union of rights applies. */
  let from = start;
  const prev = vm.findRegion(start);
  if (prev && prev.end > start) {
    vm.protect(prev.start, prev.end - prev.start, prev.prot | prot);
    from = prev.end;
  }
  if (end > from) vm.map(from, end - from, prot, { name: f.path });
  if (filesz > 0) copyoutForce(vm, va, readAt(f.vp, off, filesz));
}

/** Where an ET_DYN image goes: PIE executables at ELF_ET_DYN_BASE, the interpreter top-down. */
function loadBias(vm: VmSpace, img: ElfImage, isInterp: boolean): number {
  if (img.type !== ET_DYN) return 0;
  const lo = pageDown(img.minVaddr);
  const span = pageUp(img.maxVaddr) - lo;
  if (!isInterp) return ELF_ET_DYN_BASE - lo;
  const at = vm.findFree(span);
  if (at < 0) throw new SysError(ENOMEM);
  return at - lo;
}

/* ---- the new image ---- */

interface NewImage {
  vm: VmSpace;
  entry: number;
  sp: number;
}

/** Set-user/group-ID files change the effective (and saved) ids, unless the mount is nosuid. */
function execCred(p: Proc, vp: Vnode): Cred {
  const c = dupCred(p.cred);
  if ((vp.mount.flags & ST_NOSUID) !== 0) return c;
  const va = vp.getattr();
  if (va.mode & S_ISUID) c.euid = va.uid;
  if (va.mode & S_ISGID) c.egid = va.gid;
  c.suid = c.euid;
  c.sgid = c.egid;
  return c;
}

function buildImage(td: Thread, args: ExecArgs, main: LoadedFile, interp: LoadedFile | null, cred: Cred): NewImage {
  const k = td.k;
  const p = td.proc;
  const vm = new VmSpace(k.mem, k.pages);
  /* The limits belong to the process, not the image: the new space starts under them. */
  vm.dataLimit = p.limits.cur(RLIMIT_DATA);
  vm.asLimit = p.limits.cur(RLIMIT_AS);
  try {
    const bias = loadBias(vm, main.img, false);
    const top = mapSegments(vm, main, bias);
    vm.setBrkBase(top);
    const stackTop = vm.setupStack(p.limits.cur(RLIMIT_STACK));
    if (main.img.execStack) vm.protect(vm.stackTop - vm.stackSize, vm.stackSize, PROT_RWX);
    k.sigcode.mapInto(vm);
    let ibias = 0;
    if (interp) {
      ibias = loadBias(vm, interp.img, true);
      mapSegments(vm, interp, ibias);
    }
    const auxv = makeAuxv(cred, main.img, bias, interp ? ibias : 0);
    const random = new Uint8Array(16);
    k.platform.randomBytes(random);
    const st = buildInitialStack(stackTop, args.argv, args.envp, args.execfn, auxv, random);
    if (stackTop - st.sp > vm.stackSize - PAGE_SIZE) throw new SysError(E2BIG);
    copyoutForce(vm, st.sp, st.bytes);
    const entry = interp ? interp.img.entry + ibias : main.img.entry + bias;
    return { vm, entry, sp: st.sp };
  } catch (e) {
    vm.destroy();
    throw e;
  }
}

function makeAuxv(c: Cred, img: ElfImage, bias: number, ibase: number): Auxv {
  return [
    [AT_HWCAP, HWCAP_RV64IMAFDC],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, 100],
    [AT_PHDR, phdrAddr(img) + bias],
    [AT_PHENT, PHDR_SIZE],
    [AT_PHNUM, img.phnum],
    [AT_BASE, ibase],
    [AT_FLAGS, 0],
    [AT_ENTRY, img.entry + bias],
    [AT_UID, c.uid],
    [AT_EUID, c.euid],
    [AT_GID, c.gid],
    [AT_EGID, c.egid],
    [AT_SECURE, c.uid !== c.euid || c.gid !== c.egid ? 1 : 0],
    [AT_RANDOM, 0],
    [AT_EXECFN, 0],
    [AT_MINSIGSTKSZ, RT_SIGFRAME_SIZE + 16],
    [AT_NULL, 0],
  ];
}

/* ---- execve ---- */

/** Copy a NULL-terminated array of user strings (argv or envp) as byte strings. */
export function copyinStrings(p: Proc, va: number, budget: { left: number }): string[] {
  const out: string[] = [];
  if (va === 0) return out;
  for (let i = 0; ; i++) {
    const sp = fuptr(p.vm, va + 8 * i);
    if (sp === 0) return out;
    if (sp >= 0x1_0000_0000) throw new SysError(EFAULT);
    let b: Uint8Array;
    try {
      b = copyinstrBytes(p.vm, sp, MAX_ARG_STRLEN + 1);
    } catch (e) {
      if (e instanceof SysError && e.errno === ENAMETOOLONG) throw new SysError(E2BIG);
      throw e;
    }
    budget.left -= b.length + 1 + 8;
    if (budget.left < 0 || b.length >= MAX_ARG_STRLEN) throw new SysError(E2BIG);
    out.push(bytesToBstr(b));
  }
}

export function basename(path: string): string {
  const parts = path.split('/').filter((s) => s !== '');
  return parts.length ? parts[parts.length - 1] : path;
}

/** Run args in td's process. Throws before any change if the image is bad. */
export function kernExecve(td: Thread, args: ExecArgs): number {
  const p = td.proc;
  const k = td.k;
  if (args.argv.length === 0) args.argv = [''];
  const { main, interp } = resolveImage(p, args);
  const cred = execCred(p, main.vp);
  const img = buildImage(td, args, main, interp, cred);
  /* Point of no return. */
  k.exit.singleThread(td);
  p.cred = cred;
  const old = p.vm;
  p.vm = img.vm;
  k.sched.vmChanged();
  old.release();
  p.fd.execClose();
  if (p.sigactsShared) { p.sigacts = p.sigacts.clone(); p.sigactsShared = false; }
  p.sigacts.resetForExec();
  td.altstack = { sp: 0, size: 0, flags: 2 };
  td.clearChildTid = 0;
  td.robustList = 0;
  p.comm = basename(args.path).slice(0, 15);
  p.argv = args.argv.slice();
  p.exePath = main.path;
  p.didExec = true;
  p.tdNames.clear();
  const ctx = td.ctx;
  ctx.x.fill(0);
  ctx.f.fill(0);
  ctx.fcsr = 0;
  ctx.reservation = -1;
  ctx.pc = img.entry;
  ctx.setXNum(REG_SP, img.sp);
  k.fork.vforkDone(p);
  return EJUSTRETURN;
}

/** execve(path, argv, envp) — syscall 221. */
export function sys_execve(td: Thread, pathVa: number, argvVa: number, envpVa: number): number {
  const p = td.proc;
  const path = bytesToBstr(copyinstrBytes(p.vm, pathVa, 4096));
  const budget = { left: ARG_MAX };
  const argv = copyinStrings(p, argvVa, budget);
  const envp = copyinStrings(p, envpVa, budget);
  return kernExecve(td, { path, argv, envp, execfn: path });
}

export const AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;

/** execveat(dirfd, path, argv, envp, flags) — syscall 281 (fexecve uses AT_EMPTY_PATH). */
export function sys_execveat(td: Thread, dirfd: number, pathVa: number, argvVa: number, envpVa: number,
  flags: number): number {
  const p = td.proc;
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) throw new SysError(EINVAL);
  const path = bytesToBstr(copyinstrBytes(p.vm, pathVa, 4096));
  const budget = { left: ARG_MAX };
  const argv = copyinStrings(p, argvVa, budget);
  const envp = copyinStrings(p, envpVa, budget);
  if (path === '') {
    if (!(flags & AT_EMPTY_PATH)) throw new SysError(ENOENT);
    const fp = p.fd.get(dirfd);
    if (!fp.vnode) throw new SysError(EACCES);
    const name = `/dev/fd/${dirfd}`;
    return kernExecve(td, { path: name, argv, envp, execfn: name, file: fp.vnode });
  }
  const start = startDir(td, dirfd, path);
  const execfn = path.startsWith('/') || dirfd === AT_FDCWD ? path : `/dev/fd/${dirfd}/${path}`;
  return kernExecve(td, { path, argv, envp, execfn, start });
}
