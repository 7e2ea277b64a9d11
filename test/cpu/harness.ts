/*
 * A tiny "kernel" for testing the CPU engine alone: loads a static riscv64 ELF
 * into fresh Sv39 page tables, demand-maps stack/brk/mmap pages, and serves
 * the few syscalls static glibc programs make (write, exit, brk, mmap, …).
 * The real loader and syscalls are the kernel's; this only has to be good
 * enough to compare stdout and exit status with qemu-riscv64.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PhysMem } from '../../kernel/vm/physmem.ts';
import { PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, makePte } from '../../kernel/vm/pte.ts';
import { Cpu, Stop } from '../../kernel/cpu/cpu.ts';
import type { Tiering } from '../../kernel/cpu/codecache.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = join(ROOT, 'build', 'cpu');

/* ------------------------------------------------------------- building */

/**
 * Compile sources (C or .S) with the cross compiler into build/cpu/, reusing
 * the output while sources and flags are unchanged.
 */
export function buildElf(name: string, sources: string[], flags: string[] = []): string {
  mkdirSync(BUILD, { recursive: true });
  const h = createHash('sha1');
  for (const s of sources) h.update(readFileSync(s));
  h.update(flags.join(' '));
  const out = join(BUILD, `${name}-${h.digest('hex').slice(0, 10)}`);
  if (!existsSync(out)) {
    execFileSync('riscv64-linux-gnu-gcc', ['-static', ...flags, '-o', out, ...sources], { stdio: 'pipe' });
  }
  return out;
}

/** Write an assembly source into build/cpu/ and build it freestanding (no libc). */
export function buildAsm(name: string, asm: string, march = 'rv64gc'): string {
  mkdirSync(BUILD, { recursive: true });
  const src = join(BUILD, `${name}.S`);
  if (!existsSync(src) || readFileSync(src, 'utf8') !== asm) writeFileSync(src, asm);
  return buildElf(name, [src], ['-nostdlib', `-march=${march}`, '-mabi=lp64d']);
}

export interface RunResult {
  stdout: string;
  status: number;
}

export function runQemu(elf: string, args: string[] = []): RunResult {
  const r = spawnSync('qemu-riscv64', [elf, ...args], { encoding: 'latin1' });
  return { stdout: r.stdout, status: r.status ?? -1 };
}

/* --------------------------------------------------------------- memory */

const MEM_SIZE = 64 << 20;
const STACK_TOP = 0xbfff0000;
const STACK_SIZE = 8 << 20;
const MMAP_BASE = 0x40000000;
const PAGE = 4096;

export class Guest {
  readonly mem = new PhysMem(MEM_SIZE);
  readonly cpu: Cpu;
  private nextFrame = 1;
  readonly root: number;
  /** VPN → PPN of every mapped page, for the harness's own copyin. */
  private readonly pages = new Map<number, number>();
  brkStart = 0;
  brk = 0;
  mmapNext = MMAP_BASE;
  stdout: number[] = [];
  exitStatus: number | null = null;
  /** Stops other than ECALL that ended the run. */
  stop: Stop | null = null;

  constructor(tiering: Tiering = 'auto') {
    this.cpu = new Cpu(this.mem, 0, tiering);
    this.root = this.allocFrame();
    this.cpu.setPageTable(this.root);
  }

  allocFrame(): number {
    const ppn = this.nextFrame++;
    if (ppn >= this.mem.npages) throw new Error('harness: out of frames');
    this.mem.zeroFrame(ppn);
    return ppn;
  }

  /** Map the page at va (allocating a zero frame unless ppn given) with R/W/X flags. */
  mapPage(va: number, flags: number, ppn = this.allocFrame()): number {
    let table = this.root;
    for (let level = 2; level > 0; level--) {
      const idx = Math.floor(va / 2 ** (12 + 9 * level)) & 511;
      const slot = (table * PAGE + idx * 8) >>> 2;
      let pte = this.mem.i32[slot];
      if ((pte & PTE_V) === 0) {
        pte = makePte(this.allocFrame(), PTE_V);
        this.mem.i32[slot] = pte;
      }
      table = pte >>> 10;
    }
    const idx = Math.floor(va / PAGE) & 511;
    this.mem.i32[(table * PAGE + idx * 8) >>> 2] = makePte(ppn, flags | PTE_V | PTE_U);
    this.pages.set(Math.floor(va / PAGE), ppn);
    this.cpu.flushTlb();
    return ppn;
  }

  isMapped(va: number): boolean {
    return this.pages.has(Math.floor(va / PAGE));
  }

  /** Physical address of va (mapping a demand-zero page if needed). */
  pa(va: number): number {
    const vpn = Math.floor(va / PAGE);
    const ppn = this.pages.get(vpn) ?? this.mapPage(vpn * PAGE, PTE_R | PTE_W);
    return ppn * PAGE + (va % PAGE);
  }

  read(va: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n) {
      const pa = this.pa(va + i);
      const m = Math.min(n - i, PAGE - (pa % PAGE));
      out.set(this.mem.u8.subarray(pa, pa + m), i);
      i += m;
    }
    return out;
  }

  write(va: number, bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      const pa = this.pa(va + i);
      const n = Math.min(bytes.length - i, PAGE - (pa % PAGE));
      this.mem.noteWrite(Math.floor(pa / PAGE));
      this.mem.u8.set(bytes.subarray(i, i + n), pa);
      i += n;
    }
  }

  write64(va: number, v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.write(va, b);
  }

  /* ----------------------------------------------------------- loading */

  /** Load a static ELF and build its initial stack; returns the entry point. */
  load(elf: Uint8Array, argv: string[]): void {
    const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
    const entry = Number(dv.getBigUint64(24, true));
    const phoff = Number(dv.getBigUint64(32, true));
    const phnum = dv.getUint16(56, true);
    let end = 0;
    let phdr = 0;
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * 56;
      if (dv.getUint32(p, true) !== 1) continue; // PT_LOAD
      const flags = dv.getUint32(p + 4, true);
      const off = Number(dv.getBigUint64(p + 8, true));
      const vaddr = Number(dv.getBigUint64(p + 16, true));
      const filesz = Number(dv.getBigUint64(p + 32, true));
      const memsz = Number(dv.getBigUint64(p + 40, true));
      const prot = (flags & 4 ? PTE_R : 0) | (flags & 2 ? PTE_W : 0) | (flags & 1 ? PTE_X : 0);
      for (let va = vaddr - (vaddr % PAGE); va < vaddr + memsz; va += PAGE) {
        if (!this.isMapped(va)) this.mapPage(va, prot);
      }
      this.write(vaddr, elf.subarray(off, off + filesz));
      if (off <= phoff && phoff < off + filesz) phdr = vaddr + (phoff - off);
      end = Math.max(end, vaddr + memsz);
    }
    this.brkStart = this.brk = Math.ceil(end / PAGE) * PAGE;
    this.cpu.ctx.pc = entry;
    this.setupStack(argv, { 3: phdr, 4: 56, 5: phnum, 6: PAGE, 9: entry, 16: 0x112d, 17: 100, 23: 0 });
  }

  private setupStack(argv: string[], aux: Record<number, number>): void {
    let sp = STACK_TOP;
    for (let va = STACK_TOP - STACK_SIZE; va < STACK_TOP; va += PAGE) this.mapPage(va, PTE_R | PTE_W);
    const ptrs: number[] = [];
    for (const a of argv) {
      const bytes = new TextEncoder().encode(a + '\0');
      sp -= bytes.length;
      this.write(sp, bytes);
      ptrs.push(sp);
    }
    sp -= 16;
    const random = sp;
    this.write(random, new Uint8Array(16).map((_, i) => i * 17 + 3));
    const words: number[] = [argv.length, ...ptrs, 0, 0];
    for (const [k, v] of Object.entries({ ...aux, 25: random })) words.push(Number(k), v);
    words.push(0, 0);
    sp = Math.floor((sp - words.length * 8) / 16) * 16;
    words.forEach((w, i) => this.write64(sp + i * 8, w));
    this.cpu.ctx.setXNum(2, sp);
  }

  /* ------------------------------------------------------------ running */

  /** Run until exit or a stop the harness cannot handle; returns instructions retired. */
  run(budget = 2e9): number {
    const cpu = this.cpu;
    const start = cpu.instret;
    while (this.exitStatus === null && cpu.instret - start < budget) {
      const stop = cpu.run(1 << 20);
      if (stop === Stop.BUDGET) continue;
      if (stop === Stop.ECALL) {
        this.syscall();
        continue;
      }
      if (stop === Stop.FAULT && this.demandMap(cpu.faultAddr)) continue;
      this.stop = stop;
      break;
    }
    return cpu.instret - start;
  }

  /** Map zero pages on first touch of brk, mmap and stack areas. */
  private demandMap(va: number): boolean {
    const inBrk = va >= this.brkStart && va < this.brk;
    const inMmap = va >= MMAP_BASE && va < this.mmapNext;
    const inStack = va >= STACK_TOP - 64 * STACK_SIZE && va < STACK_TOP;
    if (!(inBrk || inMmap || inStack) || this.isMapped(va)) return false;
    this.mapPage(va - (va % PAGE), PTE_R | PTE_W);
    return true;
  }

  private arg(i: number): number {
    const x = this.cpu.ctx.x;
    return x[2 * (10 + i) + 1] * 2 ** 32 + (x[2 * (10 + i)] >>> 0);
  }

  private syscall(): void {
    const ctx = this.cpu.ctx;
    const nr = ctx.x[2 * 17];
    const ret = this.dispatch(nr);
    ctx.setXNum(10, ret);
    ctx.pc += 4;
  }

  private dispatch(nr: number): number {
    const a = (i: number): number => this.arg(i);
    switch (nr) {
      case 64: { // write
        const bytes = this.read(a(1), a(2));
        if (a(0) === 1 || a(0) === 2) this.stdout.push(...bytes);
        return bytes.length;
      }
      case 66: { // writev
        let n = 0;
        for (let i = 0; i < a(2); i++) {
          const base = Number(new DataView(this.read(a(1) + 16 * i, 16).buffer).getBigUint64(0, true));
          const len = Number(new DataView(this.read(a(1) + 16 * i, 16).buffer).getBigUint64(8, true));
          this.stdout.push(...this.read(base, len));
          n += len;
        }
        return n;
      }
      case 93: case 94: // exit, exit_group
        this.exitStatus = a(0) & 255;
        return 0;
      case 214: { // brk
        const want = a(0);
        if (want >= this.brkStart && want < this.brkStart + (256 << 20)) this.brk = want;
        return this.brk;
      }
      case 222: { // mmap (anonymous only)
        const len = Math.ceil(a(1) / PAGE) * PAGE;
        const va = this.mmapNext;
        this.mmapNext += len;
        return va;
      }
      case 96: return 1; // set_tid_address
      case 172: case 174: case 175: case 176: case 177: case 178: return 1; // getpid, getuid, ...
      case 226: case 215: case 135: case 134: case 259: return 0; // mprotect, munmap, sigprocmask, sigaction, flush_icache
      case 278: { // getrandom
        this.write(a(0), new Uint8Array(a(1)).fill(7));
        return a(1);
      }
      case 29: return -25; // ioctl: ENOTTY
      default: return -38; // ENOSYS
    }
  }

  output(): string {
    return Buffer.from(this.stdout).toString('latin1');
  }
}

/** Load and run an ELF under the harness. */
export function runOurs(elf: string, argv: string[] = [], tiering: Tiering = 'auto'): RunResult & { guest: Guest; insns: number } {
  const g = new Guest(tiering);
  g.load(readFileSync(elf), [elf, ...argv]);
  const insns = g.run();
  if (g.exitStatus === null) {
    throw new Error(`guest stopped: ${g.stop} at pc=0x${g.cpu.ctx.pc.toString(16)} ` +
      `addr=0x${g.cpu.faultAddr.toString(16)} insn=0x${(g.cpu.faultInsn >>> 0).toString(16)}`);
  }
  return { stdout: g.output(), status: g.exitStatus, guest: g, insns };
}
