/*
 * In-process network test bench: stacks with a fake clock (virtual time, so
 * tests are fast and deterministic), joined by a fake Ethernet wire that can
 * lose, duplicate, reorder and corrupt frames with a seeded PRNG. Sockets are
 * driven through the protocol switch the way kern/uipc_socket.ts does.
 */
import { rootCred } from '../../kernel/kern/proc.ts';
import { Socket, SO_ACCEPTCONN, soqremove, type SoCaller } from '../../kernel/kern/socketvar.ts';
import { sockaddrIn } from '../../kernel/kern/uipc_sockaddr.ts';
import type { ProtoSw } from '../../kernel/kern/uipc_domain.ts';
import type { IoCtx } from '../../kernel/vfs/ioctx.ts';
import { ether_input, if_attach, type Ifnet } from '../../kernel/net/if.ts';
import { setCurvnet, vnet_create } from '../../kernel/net/vnet_kern.ts';
import type { NetEnv, Vnet } from '../../kernel/net/vnet.ts';
import { in_addifaddr } from '../../kernel/netinet/in_control.ts';
import { inet_aton } from '../../kernel/netinet/in.ts';
import { in_domain_register, inetsw } from '../../kernel/netinet/in_proto.ts';

/** xorshift32: deterministic randomness for wires and ISNs. */
export class Rng {
  constructor(private s: number) {
    if (!this.s) this.s = 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 2 ** 32;
  }
  bytes(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(this.next() * 256);
  }
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  dead: boolean;
}

/** Virtual time: schedule() queues; run() advances the clock from timer to timer. */
export class FakeClock {
  t = 0;
  private seq = 0;
  private q: Timer[] = [];

  env(rng: Rng): NetEnv {
    return {
      now: () => this.t,
      schedule: (fn, ms) => this.schedule(fn, ms),
      random: (b) => rng.bytes(b),
    };
  }

  schedule(fn: () => void, ms: number): () => void {
    const tm: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, dead: false };
    this.q.push(tm);
    return () => {
      tm.dead = true;
    };
  }

  pending(): number {
    return this.q.filter((x) => !x.dead).length;
  }

  /** Run timers until cond() holds (checked after each) or virtual maxMs pass. */
  run(cond: () => boolean, maxMs = 600_000): boolean {
    const end = this.t + maxMs;
    for (let steps = 0; steps < 50_000_000; steps++) {
      if (cond()) return true;
      this.q = this.q.filter((x) => !x.dead);
      if (this.q.length === 0) return cond();
      let best = 0;
      for (let i = 1; i < this.q.length; i++) {
        const a = this.q[i], b = this.q[best];
        if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
      }
      const tm = this.q[best];
      if (tm.at > end) return cond();
      this.q.splice(best, 1);
      this.t = Math.max(this.t, tm.at);
      tm.fn();
    }
    throw new Error('FakeClock: runaway');
  }

  /** Let virtual time pass (running whatever falls due). */
  advance(ms: number): void {
    const end = this.t + ms;
    this.run(() => false, ms);
    this.t = Math.max(this.t, end);
  }
}

export interface WireOpts {
  loss?: number;
  dup?: number;
  reorder?: number;
  corrupt?: number;
  /** One-way delay, ms. */
  delay?: number;
  seed?: number;
}

export interface Host {
  vn: Vnet;
  ifp: Ifnet;
  addr: number;
}

export class Wire {
  readonly ends: Ifnet[] = [];
  readonly rng: Rng;
  frames = 0;
  /** Tap: every frame put on the wire. */
  tap: ((f: Uint8Array) => void) | null = null;
  constructor(readonly clock: FakeClock, readonly o: WireOpts = {}) {
    this.rng = new Rng(o.seed ?? 12345);
  }

  attach(ifp: Ifnet): void {
    this.ends.push(ifp);
    ifp.if_output = (src, f) => this.send(src, f);
  }

  private deliver(src: Ifnet, f: Uint8Array, extra: number): void {
    const d = (this.o.delay ?? 1) + extra;
    for (const dst of this.ends) {
      if (dst === src) continue;
      const copy = f.slice();
      this.clock.schedule(() => ether_input(dst, copy), d);
    }
  }

  send(src: Ifnet, f: Uint8Array): void {
    this.frames++;
    this.tap?.(f);
    const o = this.o;
    if (o.loss && this.rng.next() < o.loss) return;
    if (o.corrupt && this.rng.next() < o.corrupt) {
      f = f.slice();
      const i = 14 + Math.floor(this.rng.next() * (f.length - 14));
      f[i] ^= 1 << Math.floor(this.rng.next() * 8);
    }
    const extra = o.reorder && this.rng.next() < o.reorder ? 1 + Math.floor(this.rng.next() * 5) : 0;
    this.deliver(src, f, extra);
    if (o.dup && this.rng.next() < o.dup) this.deliver(src, f, 1);
  }
}

/** Inject a raw frame into ifp as if it came off the wire. */
export function inject(ifp: Ifnet, f: Uint8Array): void {
  ether_input(ifp, f);
}

export function ip(s: string): number {
  const a = inet_aton(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
}

export function makeHost(clock: FakeClock, wire: Wire | null, n: number, addr = `10.0.0.${n}`, seed = n * 7919): Host {
  const vn = vnet_create(clock.env(new Rng(seed)));
  const ifp = if_attach(vn, { name: 'vke', unit: 0, hwaddr: new Uint8Array([2, 0, 0, 0, 0, n]) });
  ifp.flags |= 1; /* IFF_UP */
  wire?.attach(ifp);
  const a = ip(addr);
  in_addifaddr(ifp, a, 0xffffff00);
  return { vn, ifp, addr: a };
}

export const caller: SoCaller = { pid: 1, cred: rootCred(), io: {} as IoCtx, td: null };
export const userCaller: SoCaller = { pid: 2, cred: { ...rootCred(), uid: 1000, euid: 1000 }, io: {} as IoCtx, td: null };

in_domain_register();

export function pr(type: number, protocol: number): ProtoSw {
  const p =
    inetsw.find((x) => x.type === type && (x.protocol === protocol || protocol === 0)) ??
    inetsw.find((x) => x.type === type && x.flags & 0x20);
  if (!p) throw new Error('no protosw');
  return p;
}

/** socket(2) on a given stack. */
export function socket(h: Host, type: number, protocol = 0): Socket {
  const p = pr(type, protocol);
  const so = new Socket(p, type, protocol || p.protocol);
  setCurvnet(h.vn);
  p.usrreqs.attach(so, so.so_protocol, caller);
  return so;
}

export function bind(so: Socket, addr: number, port: number): void {
  so.so_proto.usrreqs.bind(so, sockaddrIn(addr, port), caller);
}

export function listen(so: Socket, backlog: number): void {
  so.so_proto.usrreqs.listen(so, backlog, caller);
  so.so_options |= SO_ACCEPTCONN;
  so.so_qlimit = backlog;
}

export function connect(so: Socket, addr: number, port: number): void {
  so.so_proto.usrreqs.connect(so, sockaddrIn(addr, port), caller);
}

export function accept(head: Socket): Socket | null {
  const so = head.so_comp[0];
  if (!so) return null;
  soqremove(so);
  so.so_state &= ~0x001; /* SS_NOFDREF */
  return so;
}

/** Queue as much of data as so_snd has room for; returns bytes taken. */
export function write(so: Socket, data: Uint8Array): number {
  const n = Math.min(data.length, so.so_snd.space());
  if (n <= 0) return 0;
  so.so_proto.usrreqs.send(so, 0, data.slice(0, n), null, null, caller);
  return n;
}

/** Take everything readable (stream). */
export function read(so: Socket): Uint8Array {
  const n = so.so_rcv.cc;
  const d = so.so_rcv.copy(0, n);
  so.so_rcv.drop(n);
  if (n) so.so_proto.usrreqs.rcvd?.(so, 0);
  return d;
}

export function sendto(so: Socket, data: Uint8Array, addr: number, port: number): void {
  so.so_proto.usrreqs.send(so, 0, data, sockaddrIn(addr, port), null, caller);
}

/** One datagram with its source, or null. */
export function recvfrom(so: Socket): { data: Uint8Array; addr: number; port: number } | null {
  const r = so.so_rcv.first;
  if (!r) return null;
  const data = r.copy(0, r.len);
  const a = r.addr as { addr: number; port: number } | null;
  so.so_rcv.dropRecord();
  return { data, addr: a?.addr ?? 0, port: a?.port ?? 0 };
}

export function close(so: Socket): void {
  const u = so.so_proto.usrreqs;
  for (const s of [...so.so_incomp, ...so.so_comp]) {
    soqremove(s);
    u.abort(s);
    u.detach(s);
  }
  if (so.isConnected() || so.so_state & 0x004) {
    try {
      u.disconnect(so);
    } catch {
      /* not connected */
    }
  }
  u.detach(so);
}
