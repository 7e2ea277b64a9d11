/*
 * The frame allocator: hands out the 4 KiB frames of PhysMem, keeps the
 * free/active/wired accounting vmstat and sysctl report, and reference-counts
 * frames that several owners share (COW after fork, page-cache frames mapped
 * by many processes).
 *
 * Ownership rule: every owner holds one reference. alloc() returns a frame
 * with one reference; ref() adds one; unref() drops one and frees the frame
 * when the last goes. A mapped page (a valid or present PTE) is an owner.
 *
 * Frame 0 (and any frames below `reserved`) is never handed out, so PPN 0
 * can mean "no frame" in page tables and APIs.
 */
import { PhysMem } from './physmem.ts';
import { ENOMEM, SysError } from '../kern/errno.ts';

/** Counters for vmstat/sysctl (vm.stats.*). Page counts are frames. */
export interface VmStats {
  /** Frames the allocator manages (all of PhysMem minus the reserved ones). */
  total: number;
  free: number;
  /** Frames holding user or file data. */
  active: number;
  /** Frames that can never be paged: page tables, kernel structures. */
  wired: number;
  /** Page faults resolved, by kind. */
  faults: number;
  zeroFills: number;
  cowFaults: number;
  cowCopies: number;
  fileFaults: number;
  /** Times the out-of-memory hook was invoked, and allocations that still failed. */
  oomCalls: number;
  allocFailures: number;
}

/* alloc() flags. */
export const ALLOC_WIRED = 1;   // count the frame as wired (page tables, kernel data)
export const ALLOC_NOZERO = 2;  // the caller overwrites the whole frame anyway

const ST_FREE = 0, ST_ACTIVE = 1, ST_WIRED = 2, ST_RESERVED = 3;

/**
 * Called when no frame is free. It should free memory (the kernel kills the
 * biggest process, printing `pid N (comm), uid U, was killed: out of swap
 * space`) and return true if the allocation is worth retrying, false if
 * nothing more can be done (the allocation then fails with ENOMEM).
 */
export type OomHook = (neededFrames: number) => boolean;

export class PageAllocator {
  readonly stats: VmStats;
  onOom: OomHook | null = null;
  /**
   * TLB shootdown: called with a page-table root after PTEs under it changed
   * or were removed. The kernel flushes the TLB of every vCPU running on that
   * root (today: cpu.flushTlb() if it is the current one).
   */
  onTlbFlush: (rootPpn: number) => void = () => {};

  private readonly freeStack: Int32Array;
  private nfree = 0;
  private readonly refs: Int32Array;
  private readonly state: Uint8Array;
  private inOom = false;

  constructor(readonly mem: PhysMem, reserved = 1) {
    const n = mem.npages;
    this.refs = new Int32Array(n);
    this.state = new Uint8Array(n);
    this.freeStack = new Int32Array(n);
    const first = Math.max(1, reserved);
    this.state.fill(ST_RESERVED, 0, Math.min(first, n));
    /* Pushed high to low so low frames come out first (easier to read in ddb). */
    for (let p = n - 1; p >= first; p--) this.freeStack[this.nfree++] = p;
    this.stats = {
      total: this.nfree, free: this.nfree, active: 0, wired: 0,
      faults: 0, zeroFills: 0, cowFaults: 0, cowCopies: 0, fileFaults: 0,
      oomCalls: 0, allocFailures: 0,
    };
  }

  /** A frame with one reference, or -1 when none is free. Never calls the OOM hook. */
  tryAlloc(flags = 0): number {
    if (this.nfree === 0) return -1;
    const ppn = this.freeStack[--this.nfree];
    this.refs[ppn] = 1;
    const wired = (flags & ALLOC_WIRED) !== 0;
    this.state[ppn] = wired ? ST_WIRED : ST_ACTIVE;
    this.stats.free--;
    if (wired) this.stats.wired++;
    else this.stats.active++;
    if ((flags & ALLOC_NOZERO) === 0) this.mem.zeroFrame(ppn);
    return ppn;
  }

  /**
   * A frame with one reference. When memory is exhausted the OOM hook runs
   * (at most a few times) and the allocation is retried; if that does not
   * help, throws SysError(ENOMEM). Callers in a syscall let it propagate;
   * the fault handler turns it into killing the faulting process.
   */
  alloc(flags = 0): number {
    for (let attempt = 0; ; attempt++) {
      const ppn = this.tryAlloc(flags);
      if (ppn >= 0) return ppn;
      if (!this.runOomHook(attempt)) break;
    }
    this.stats.allocFailures++;
    throw new SysError(ENOMEM);
  }

  private runOomHook(attempt: number): boolean {
    /* Re-entry (the hook itself allocating) and endless kill loops both fail. */
    if (this.onOom === null || this.inOom || attempt >= 4) return false;
    this.inOom = true;
    this.stats.oomCalls++;
    try {
      return this.onOom(1);
    } finally {
      this.inOom = false;
    }
  }

  ref(ppn: number): void {
    if (this.refs[ppn] <= 0) throw new Error(`vm_page: ref of free frame ${ppn}`);
    this.refs[ppn]++;
  }

  /** Drop one reference; frees the frame on the last. Returns true if it was freed. */
  unref(ppn: number): boolean {
    const n = this.refs[ppn] - 1;
    if (n < 0 || this.state[ppn] === ST_FREE || this.state[ppn] === ST_RESERVED) {
      throw new Error(`vm_page: unref of free frame ${ppn}`);
    }
    this.refs[ppn] = n;
    if (n > 0) return false;
    if (this.state[ppn] === ST_WIRED) this.stats.wired--;
    else this.stats.active--;
    this.state[ppn] = ST_FREE;
    this.stats.free++;
    this.freeStack[this.nfree++] = ppn;
    return true;
  }

  refcount(ppn: number): number {
    return this.refs[ppn];
  }

  isWired(ppn: number): boolean {
    return this.state[ppn] === ST_WIRED;
  }

  /** Move an allocated frame to the wired count (mlock, kernel use). */
  wire(ppn: number): void {
    if (this.state[ppn] !== ST_ACTIVE) return;
    this.state[ppn] = ST_WIRED;
    this.stats.active--;
    this.stats.wired++;
  }

  unwire(ppn: number): void {
    if (this.state[ppn] !== ST_WIRED) return;
    this.state[ppn] = ST_ACTIVE;
    this.stats.wired--;
    this.stats.active++;
  }
}
