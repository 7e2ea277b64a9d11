/*
 * Internet protocol control blocks (BSD in_pcb.c): the local/foreign address
 * and port of a socket, bind with the ephemeral range and SO_REUSEADDR /
 * SO_REUSEPORT rules, and lookup by 4-tuple with wildcard fallback.
 */
import { SysError, EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL } from '../kern/errno.ts';
import { SO_REUSEADDR, SO_REUSEPORT, type Socket } from '../kern/socketvar.ts';
import { isInet, type SockAddr } from '../kern/uipc_sockaddr.ts';
import { ifa_ifwithaddr } from '../net/if.ts';
import type { Vnet } from '../net/vnet.ts';
import { INADDR_ANY, INADDR_BROADCAST, IN_MULTICAST, IPPORT_EPHEMERALFIRST, IPPORT_EPHEMERALLAST, IPPORT_RESERVED } from './in.ts';
import { ipParams } from './ip_output.ts';

export class Inpcb {
  laddr = 0;
  lport = 0;
  faddr = 0;
  fport = 0;
  ttl = ipParams.defttl;
  tos = 0;
  /** IP_HDRINCL for raw sockets. */
  hdrincl = false;
  /** Set by TCP: the connection's tcpcb (typed there, to keep this file below TCP). */
  ppcb: unknown = null;
  /** TCP: the pcb is in TIME_WAIT (its socket is gone); bind may reuse it with SO_REUSEADDR. */
  timewait = false;
  listening = false;

  constructor(
    readonly vnet: Vnet,
    readonly table: PcbTable,
    /** null once the socket has been closed (TIME_WAIT keeps the pcb). */
    public so: Socket | null,
  ) {}

  get options(): number {
    return this.so?.so_options ?? 0;
  }

  /** SO_BINDTODEVICE's interface name, or undefined. */
  get device(): string | undefined {
    return this.so?.so_bindtodevice || undefined;
  }
}

export class PcbTable {
  readonly list: Inpcb[] = [];
  constructor(readonly proto: number) {}
}

export function pcbtable(vn: Vnet, proto: number): PcbTable {
  const k = `pcb${proto}`;
  let t = vn.state.get(k) as PcbTable | undefined;
  if (!t) vn.state.set(k, (t = new PcbTable(proto)));
  return t;
}

export function in_pcballoc(vn: Vnet, so: Socket | null, proto: number): Inpcb {
  const t = pcbtable(vn, proto);
  const inp = new Inpcb(vn, t, so);
  t.list.push(inp);
  return inp;
}

export function in_pcbdetach(inp: Inpcb): void {
  const i = inp.table.list.indexOf(inp);
  if (i >= 0) inp.table.list.splice(i, 1);
  inp.so = null;
}

/** The address of a user sockaddr, or EAFNOSUPPORT/EINVAL. */
export function sinOf(nam: SockAddr): { addr: number; port: number } {
  if (!isInet(nam)) throw new SysError(EAFNOSUPPORT);
  return { addr: nam.addr >>> 0, port: nam.port };
}

/** Would binding (laddr, lport) for inp clash with another pcb? */
function inUse(inp: Inpcb, laddr: number, lport: number): boolean {
  const opts = inp.options;
  for (const o of inp.table.list) {
    if (o === inp || o.lport !== lport) continue;
    if (o.laddr !== INADDR_ANY && laddr !== INADDR_ANY && o.laddr !== laddr) continue;
    if (opts & SO_REUSEPORT && o.options & SO_REUSEPORT) continue;
    if (o.timewait && opts & SO_REUSEADDR) continue;
    if (opts & SO_REUSEADDR && o.options & SO_REUSEADDR && !o.listening && !inp.listening) continue;
    /* UDP: REUSEADDR on both lets broadcast/multicast listeners share a port. */
    if (inp.table.proto === 17 && opts & SO_REUSEADDR && o.options & SO_REUSEADDR) continue;
    return true;
  }
  return false;
}

/** A free port from the ephemeral range, starting at a random point. */
function ephemeral(inp: Inpcb, laddr: number): number {
  const n = IPPORT_EPHEMERALLAST - IPPORT_EPHEMERALFIRST + 1;
  const start = inp.vnet.random32() % n;
  for (let i = 0; i < n; i++) {
    const p = IPPORT_EPHEMERALFIRST + ((start + i) % n);
    if (!inUse(inp, laddr, p)) return p;
  }
  throw new SysError(EADDRNOTAVAIL);
}

/** bind(2); nam null = pick an ephemeral port on INADDR_ANY. */
export function in_pcbbind(inp: Inpcb, nam: SockAddr | null, uid: number): void {
  if (inp.lport !== 0) throw new SysError(EINVAL);
  let laddr = INADDR_ANY;
  let lport = 0;
  if (nam) {
    const sin = sinOf(nam);
    laddr = sin.addr;
    lport = sin.port;
    if (laddr !== INADDR_ANY && laddr !== INADDR_BROADCAST && !IN_MULTICAST(laddr) && !ifa_ifwithaddr(inp.vnet, laddr))
      throw new SysError(EADDRNOTAVAIL);
    if (lport !== 0 && lport < IPPORT_RESERVED && uid !== 0) throw new SysError(EACCES);
    if (lport !== 0 && inUse(inp, laddr, lport)) throw new SysError(EADDRINUSE);
  }
  if (lport === 0) lport = ephemeral(inp, laddr);
  inp.laddr = laddr;
  inp.lport = lport;
}

/** Pick the local port (if unbound) and the foreign address for connect. */
export function in_pcbconnect(inp: Inpcb, faddr: number, fport: number, laddr: number): void {
  if (inp.lport === 0) inp.lport = ephemeral(inp, INADDR_ANY);
  if (inp.laddr === INADDR_ANY) inp.laddr = laddr;
  /* The 4-tuple must be unique. */
  for (const o of inp.table.list)
    if (o !== inp && o.faddr === faddr && o.fport === fport && o.laddr === inp.laddr && o.lport === inp.lport)
      throw new SysError(EADDRINUSE);
  inp.faddr = faddr;
  inp.fport = fport;
}

export function in_pcbdisconnect(inp: Inpcb): void {
  inp.faddr = 0;
  inp.fport = 0;
}

/**
 * Find the pcb for a received segment: an exact 4-tuple match wins over a
 * wildcard (listening / unconnected) one; among wildcards, a specific local
 * address beats INADDR_ANY.
 */
export function in_pcblookup(t: PcbTable, faddr: number, fport: number, laddr: number, lport: number, wildcard: boolean): Inpcb | null {
  let best: Inpcb | null = null;
  let bestScore = -1;
  for (const p of t.list) {
    if (p.lport !== lport) continue;
    if (p.faddr === faddr && p.fport === fport && p.laddr === laddr) return p;
    if (!wildcard) continue;
    if (p.faddr !== INADDR_ANY) continue;
    if (p.laddr !== INADDR_ANY && p.laddr !== laddr) continue;
    const score = p.laddr === laddr ? 1 : 0;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
