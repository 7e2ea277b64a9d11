/*
 * One network stack instance (FreeBSD's VNET idea): interfaces, routes, ARP,
 * PCBs, reassembly queues and statistics live here instead of in globals, so a
 * test can build two stacks in one process and wire them together. The kernel
 * owns one (vnetOf(k)); tests make their own with a fake clock.
 *
 * Timers: BSD's pr_fasttimo (200 ms: delayed ACKs) and pr_slowtimo (500 ms:
 * TCP timers, ARP/reassembly expiry). They are armed only while something
 * needs them (a connection with a running timer, an ARP entry, a fragment
 * queue), so an idle stack leaves the host event loop alone.
 */
import type { Ifnet } from './if.ts';
import type { RouteTable } from './route.ts';

/** What the stack needs from its host: a clock, one-shot timers, randomness. */
export interface NetEnv {
  /** Monotonic milliseconds. */
  now(): number;
  /** Run fn once after ms (0 = soon, never synchronously); returns a cancel function. */
  schedule(fn: () => void, ms: number): () => void;
  random(into: Uint8Array): void;
}

export const PR_FASTHZ_MS = 200;
export const PR_SLOWHZ_MS = 500;

/** A subsystem that wants the periodic ticks; returns true while it still has work. */
export type TickFn = () => boolean;

export class Vnet {
  readonly ifnets: Ifnet[] = [];
  /* Set up by the modules that own them (route.ts, if_ether.ts, ...). */
  routes!: RouteTable;
  /** Per-protocol state, keyed by module (kept as unknown here to avoid import cycles). */
  readonly state = new Map<string, unknown>();
  /** Counters by MIB group: ip, icmp, tcp, udp (names follow /proc/net/snmp). */
  readonly stats = {
    ip: new Map<string, number>(),
    icmp: new Map<string, number>(),
    tcp: new Map<string, number>(),
    udp: new Map<string, number>(),
    ether: new Map<string, number>(),
    arp: new Map<string, number>(),
  };
  /** Last exception caught at the input boundary (debugging aid). */
  lastInputError = '';
  private readonly fast = new Set<TickFn>();
  private readonly slow = new Set<TickFn>();
  private cancelFast: (() => void) | null = null;
  private cancelSlow: (() => void) | null = null;
  private netisrQ: Array<() => void> = [];
  private netisrArmed = false;

  constructor(readonly env: NetEnv) {}

  now(): number {
    return this.env.now();
  }

  stat(group: keyof Vnet['stats'], name: string, n = 1): void {
    const m = this.stats[group];
    m.set(name, (m.get(name) ?? 0) + n);
  }

  getStat(group: keyof Vnet['stats'], name: string): number {
    return this.stats[group].get(name) ?? 0;
  }

  random32(): number {
    const b = new Uint8Array(4);
    this.env.random(b);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  /** Software interrupt queue: work (loopback delivery) run later, never re-entrantly. */
  netisr(fn: () => void): void {
    this.netisrQ.push(fn);
    if (this.netisrArmed) return;
    this.netisrArmed = true;
    this.env.schedule(() => this.runNetisr(), 0);
  }

  private runNetisr(): void {
    this.netisrArmed = false;
    /* Bounded: work queued while draining waits for the next round. */
    const q = this.netisrQ;
    this.netisrQ = [];
    for (const fn of q) fn();
  }

  /** Ask for the 200 ms tick while fn returns true. */
  wantFast(fn: TickFn): void {
    this.fast.add(fn);
    if (!this.cancelFast) this.cancelFast = this.env.schedule(() => this.tick(true), PR_FASTHZ_MS);
  }

  /** Ask for the 500 ms tick while fn returns true. */
  wantSlow(fn: TickFn): void {
    this.slow.add(fn);
    if (!this.cancelSlow) this.cancelSlow = this.env.schedule(() => this.tick(false), PR_SLOWHZ_MS);
  }

  private tick(isFast: boolean): void {
    const set = isFast ? this.fast : this.slow;
    if (isFast) this.cancelFast = null;
    else this.cancelSlow = null;
    for (const fn of [...set]) {
      if (!fn()) set.delete(fn);
    }
    if (set.size === 0) return;
    if (isFast) this.cancelFast = this.env.schedule(() => this.tick(true), PR_FASTHZ_MS);
    else this.cancelSlow = this.env.schedule(() => this.tick(false), PR_SLOWHZ_MS);
  }

  /** Stop all timers (kernel halt, test teardown). */
  shutdown(): void {
    this.cancelFast?.();
    this.cancelSlow?.();
    this.cancelFast = this.cancelSlow = null;
    this.fast.clear();
    this.slow.clear();
    this.netisrQ = [];
  }
}
