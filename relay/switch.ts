/*
 * A learning switch's MAC table (IEEE 802.1D style, as vknetd's bridge):
 * source addresses are learned per port and age out; a port may own a few
 * MACs (a guest may run several interfaces or a bridge) but may not use a MAC
 * another port owns while that entry is live, which stops one guest from
 * stealing another's traffic.
 */
import { isGroupMac, type Mac } from './mac.ts';

export interface PortRef {
  readonly id: string;
}

interface Entry<P extends PortRef> {
  port: P;
  seen: number;
}

export type LearnResult = 'ok' | 'spoof' | 'bad-src' | 'mac-limit' | 'table-full';

export interface MacTableConfig {
  agingMs: number;
  limit: number;
  perPort: number;
  now: () => number;
}

export class MacTable<P extends PortRef> {
  private readonly entries = new Map<Mac, Entry<P>>();
  private readonly byPort = new Map<P, Set<Mac>>();

  constructor(private readonly cfg: MacTableConfig) {}

  get size(): number {
    return this.entries.size;
  }

  /** A permanent entry (the gateway's own MAC): never ages, never taken over. */
  pin(mac: Mac, port: P): void {
    this.entries.set(mac, { port, seen: Infinity });
  }

  learn(mac: Mac, port: P): LearnResult {
    if (mac === 0 || isGroupMac(mac)) return 'bad-src';
    const now = this.cfg.now();
    const e = this.live(mac, now);
    if (e) {
      if (e.port !== port) return 'spoof';
      e.seen = now;
      return 'ok';
    }
    return this.add(mac, port, now);
  }

  private add(mac: Mac, port: P, now: number): LearnResult {
    const owned = this.byPort.get(port) ?? new Set<Mac>();
    for (const m of owned) this.live(m, now);
    if (owned.size >= this.cfg.perPort) return 'mac-limit';
    if (this.entries.size >= this.cfg.limit) this.sweep();
    /* A full table still forwards (by flooding) but cannot protect a new MAC. */
    if (this.entries.size >= this.cfg.limit) return 'table-full';
    this.entries.set(mac, { port, seen: now });
    owned.add(mac);
    this.byPort.set(port, owned);
    return 'ok';
  }

  /** The port that owns `mac`, if the entry is still live. */
  lookup(mac: Mac): P | undefined {
    return this.live(mac, this.cfg.now())?.port;
  }

  /* Returns a live entry; an aged one is removed on the way (lazy aging). */
  private live(mac: Mac, now: number): Entry<P> | undefined {
    const e = this.entries.get(mac);
    if (!e) return undefined;
    if (now - e.seen < this.cfg.agingMs) return e;
    this.remove(mac, e.port);
    return undefined;
  }

  private remove(mac: Mac, port: P): void {
    this.entries.delete(mac);
    const owned = this.byPort.get(port);
    owned?.delete(mac);
    if (owned?.size === 0) this.byPort.delete(port);
  }

  /** A port left: its addresses are free for others at once. */
  forgetPort(port: P): void {
    for (const mac of this.byPort.get(port) ?? []) this.entries.delete(mac);
    this.byPort.delete(port);
  }

  macsOf(port: P): Mac[] {
    const now = this.cfg.now();
    return [...(this.byPort.get(port) ?? [])].filter((m) => this.live(m, now));
  }

  /** Remove every aged entry; returns how many went. */
  sweep(): number {
    const now = this.cfg.now();
    let n = 0;
    for (const mac of [...this.entries.keys()]) if (!this.live(mac, now)) n++;
    return n;
  }

  entriesForStatus(): { mac: Mac; port: string; ageMs: number | null }[] {
    const now = this.cfg.now();
    return [...this.entries].map(([mac, e]) => ({ mac, port: e.port.id, ageMs: e.seen === Infinity ? null : now - e.seen }));
  }
}
