/*
 * ARP (RFC 826) for IPv4 over Ethernet: resolution with a small hold queue
 * per incomplete entry, a cache whose resolved entries expire, rate-limited
 * request retries, gratuitous ARP when an address is set or the link comes
 * up, permanent entries (SIOCSARP), and the /proc/net/arp dump.
 */
import { SysError, ENXIO, EINVAL } from '../kern/errno.ts';
import { ifHooks, type Ifnet, IFF_NOARP } from '../net/if.ts';
import { ether_output_frame, ether_sprintf, etherbroadcastaddr, ETHERTYPE_ARP, ETHERTYPE_IP } from '../net/if_ethersubr.ts';
import type { Vnet } from '../net/vnet.ts';
import { get16, get32, inet_ntoa, in_broadcast, put16, put32 } from './in.ts';
import { icmp_error, ICMP_UNREACH, ICMP_UNREACH_HOST } from './ip_icmp.ts';

export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;
/* Linux ATF_* flags (/proc/net/arp, SIOCGARP). */
export const ATF_COM = 0x02;
export const ATF_PERM = 0x04;
export const ATF_PUBL = 0x08;

/** Tunables (net.link.ether.inet.*). */
export const arpParams = {
  /** Lifetime of a resolved entry, ms (BSD: 20 min). */
  keepMs: 1200_000,
  /** Requests before giving up on a destination. */
  maxtries: 5,
  /** Hold-down after giving up, ms. */
  downMs: 20_000,
  /** Bytes held per unresolved entry (Linux unres_qlen_bytes): a fragmented datagram fits. */
  holdBytes: 65536,
  /** Cache size limit; the oldest non-permanent entry goes. */
  maxEntries: 512,
};

export interface LlEntry {
  ifp: Ifnet;
  ip: number;
  mac: Uint8Array | null;
  flags: number;
  /** Resolved: expiry time; incomplete: time of the next retry. */
  expire: number;
  asked: number;
  hold: Uint8Array[];
  created: number;
}

class ArpState {
  readonly table = new Map<string, LlEntry>();
  tick: () => boolean = () => false;
}

function st(vn: Vnet): ArpState {
  let s = vn.state.get('arp') as ArpState | undefined;
  if (!s) {
    s = new ArpState();
    const s2 = s;
    s.tick = () => arptimer(vn, s2);
    vn.state.set('arp', s);
  }
  return s;
}

const key = (ifp: Ifnet, ip: number) => `${ifp.index}:${ip >>> 0}`;

export function arp_entries(vn: Vnet): LlEntry[] {
  return [...st(vn).table.values()];
}

function arprequest(ifp: Ifnet, sip: number, tip: number, op = ARPOP_REQUEST, tha?: Uint8Array): void {
  const p = new Uint8Array(28);
  put16(p, 0, 1); /* hrd: Ethernet */
  put16(p, 2, ETHERTYPE_IP);
  p[4] = 6;
  p[5] = 4;
  put16(p, 6, op);
  p.set(ifp.hwaddr, 8);
  put32(p, 14, sip);
  if (tha) p.set(tha, 18);
  put32(p, 24, tip);
  ifp.vnet.stat('arp', op === ARPOP_REQUEST ? 'txrequests' : 'txreplies');
  ether_output_frame(ifp, op === ARPOP_REPLY && tha ? tha : etherbroadcastaddr, ETHERTYPE_ARP, p);
}

/** Announce our address (gratuitous ARP: sender = target = our address). */
export function arp_announce(ifp: Ifnet): void {
  if (ifp.isLoopback() || ifp.flags & IFF_NOARP || !ifp.usable()) return;
  for (const a of ifp.addrs) arprequest(ifp, a.addr, a.addr);
}

function srcFor(ifp: Ifnet, tip: number): number {
  for (const a of ifp.addrs) if (((a.addr ^ tip) & a.mask) === 0) return a.addr;
  return ifp.primaryAddr();
}

function evict(s: ArpState): void {
  let oldest: LlEntry | null = null;
  for (const e of s.table.values()) if (!(e.flags & ATF_PERM) && (!oldest || e.created < oldest.created)) oldest = e;
  if (oldest) s.table.delete(key(oldest.ifp, oldest.ip));
}

function newEntry(vn: Vnet, s: ArpState, ifp: Ifnet, ip: number): LlEntry {
  if (s.table.size >= arpParams.maxEntries) evict(s);
  const e: LlEntry = { ifp, ip: ip >>> 0, mac: null, flags: 0, expire: 0, asked: 0, hold: [], created: vn.now() };
  s.table.set(key(ifp, ip), e);
  vn.wantSlow(s.tick);
  return e;
}

/**
 * The MAC for nexthop, or null after queueing pkt until the reply comes (or
 * dropping it if the destination is down).
 */
export function arpresolve(ifp: Ifnet, nexthop: number, pkt: Uint8Array): Uint8Array | null {
  const vn = ifp.vnet;
  if (in_broadcast(vn, nexthop, ifp)) return etherbroadcastaddr;
  const s = st(vn);
  const now = vn.now();
  let e = s.table.get(key(ifp, nexthop));
  if (e && e.mac && (e.flags & ATF_PERM || e.expire > now)) return e.mac;
  if (e && e.mac) {
    /* Expired: resolve again, the entry becomes incomplete. */
    e.mac = null;
    e.flags &= ~ATF_COM;
    e.asked = 0;
    e.expire = 0;
  }
  if (!e) e = newEntry(vn, s, ifp, nexthop);
  if (e.asked >= arpParams.maxtries && e.expire > now) {
    vn.stat('arp', 'dropped');
    arp_unreachable(ifp, pkt);
    return null; /* held down */
  }
  if (e.asked >= arpParams.maxtries) e.asked = 0;
  e.hold.push(pkt.slice());
  let held = e.hold.reduce((n, p) => n + p.length, 0);
  while (held > arpParams.holdBytes && e.hold.length > 1) {
    held -= e.hold.shift()!.length;
    vn.stat('arp', 'dropped');
  }
  if (e.asked === 0 || e.expire <= now) {
    e.asked++;
    e.expire = now + 1000;
    arprequest(ifp, srcFor(ifp, nexthop), nexthop);
  }
  return null;
}

function resolved(vn: Vnet, e: LlEntry, mac: Uint8Array): void {
  e.mac = mac.slice(0, 6);
  e.flags |= ATF_COM;
  e.asked = 0;
  if (!(e.flags & ATF_PERM)) e.expire = vn.now() + arpParams.keepMs;
  const held = e.hold;
  e.hold = [];
  for (const p of held) ether_output_frame(e.ifp, e.mac, ETHERTYPE_IP, p);
}

/** A received ARP packet (payload after the Ethernet header). */
export function arpinput(ifp: Ifnet, p: Uint8Array): void {
  const vn = ifp.vnet;
  vn.stat('arp', 'received');
  if (p.length < 28 || get16(p, 0) !== 1 || get16(p, 2) !== ETHERTYPE_IP || p[4] !== 6 || p[5] !== 4) {
    vn.stat('arp', 'badpkt');
    ifp.ierrors++;
    return;
  }
  if (ifp.flags & IFF_NOARP) return;
  const op = get16(p, 6);
  const sha = p.slice(8, 14);
  const spa = get32(p, 14);
  const tpa = get32(p, 24);
  if (op !== ARPOP_REQUEST && op !== ARPOP_REPLY) {
    vn.stat('arp', 'badop');
    return;
  }
  if (sha[0] & 1) {
    vn.stat('arp', 'badsender'); /* a multicast/broadcast sender address is bogus */
    return;
  }
  let mine = false;
  for (const a of ifp.addrs) if (a.addr === tpa) mine = true;
  for (const a of ifp.addrs) {
    if (a.addr === spa && spa !== 0) {
      let same = true;
      for (let i = 0; i < 6; i++) if (sha[i] !== ifp.hwaddr[i]) same = false;
      if (!same) vn.stat('arp', 'dupaddr'); /* someone else claims our address */
      return;
    }
  }
  const s = st(vn);
  let e = s.table.get(key(ifp, spa));
  /* RFC 826 merge: update an existing entry; create one only if the packet is for us. */
  if (spa !== 0 && (e || mine)) {
    if (!e) e = newEntry(vn, s, ifp, spa);
    if (!(e.flags & ATF_PERM)) resolved(vn, e, sha);
  }
  if (op === ARPOP_REQUEST && mine) arprequest(ifp, tpa, spa, ARPOP_REPLY, sha);
}

/**
 * A datagram we could not deliver because its next hop does not answer:
 * tell its sender (us) with ICMP host unreachable, as Linux does, so
 * connect() and connected UDP sockets fail with EHOSTUNREACH.
 */
function arp_unreachable(ifp: Ifnet, pkt: Uint8Array): void {
  if (pkt.length < 20) return;
  const h = { hl: (pkt[0] & 15) << 2, tos: 0, len: pkt.length, id: 0, off: 0, ttl: 0, p: pkt[9], src: get32(pkt, 12), dst: get32(pkt, 16) };
  icmp_error({ ifp, h, pkt, bcast: false }, ICMP_UNREACH, ICMP_UNREACH_HOST);
}

/** The 500 ms tick: retry requests, expire entries. Keeps ticking while the cache is nonempty. */
function arptimer(vn: Vnet, s: ArpState): boolean {
  const now = vn.now();
  for (const [k, e] of s.table) {
    if (e.flags & ATF_PERM) continue;
    if (e.mac) {
      if (e.expire <= now) s.table.delete(k);
      continue;
    }
    if (e.expire > now) continue;
    if (e.asked < arpParams.maxtries && e.hold.length) {
      e.asked++;
      e.expire = now + 1000;
      arprequest(e.ifp, srcFor(e.ifp, e.ip), e.ip);
    } else if (e.asked >= arpParams.maxtries) {
      /* Give up: drop what was held, hold down, then forget. */
      if (e.hold.length) {
        vn.stat('arp', 'dropped', e.hold.length);
        for (const p of e.hold) arp_unreachable(e.ifp, p);
        e.hold = [];
        e.expire = now + arpParams.downMs;
        e.asked = arpParams.maxtries + 1;
      } else s.table.delete(k);
    } else s.table.delete(k);
  }
  return s.table.size > 0 && [...s.table.values()].some((e) => !(e.flags & ATF_PERM));
}

/* SIOCSARP / SIOCDARP / SIOCGARP. */
export function arp_set(ifp: Ifnet, ip: number, mac: Uint8Array, flags: number): void {
  const vn = ifp.vnet;
  if (mac.length < 6 || ip === 0) throw new SysError(EINVAL);
  const s = st(vn);
  const e = s.table.get(key(ifp, ip)) ?? newEntry(vn, s, ifp, ip);
  e.flags = (flags & (ATF_PERM | ATF_PUBL)) | ATF_COM;
  resolved(vn, e, mac);
}

export function arp_delete(vn: Vnet, ip: number, ifp: Ifnet | null): void {
  const s = st(vn);
  for (const [k, e] of s.table) {
    if (e.ip === ip >>> 0 && (!ifp || e.ifp === ifp)) {
      s.table.delete(k);
      return;
    }
  }
  throw new SysError(ENXIO);
}

export function arp_lookup(vn: Vnet, ip: number, ifp: Ifnet | null): LlEntry | null {
  for (const e of st(vn).table.values()) if (e.ip === ip >>> 0 && (!ifp || e.ifp === ifp)) return e;
  return null;
}

/** /proc/net/arp in Linux's format. */
export function arp_procfs(vn: Vnet): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const e of st(vn).table.values()) {
    const mac = e.mac ? ether_sprintf(e.mac) : '00:00:00:00:00:00';
    out += `${inet_ntoa(e.ip).padEnd(16)} 0x${'1'.padEnd(10)}0x${e.flags.toString(16).padEnd(10)}${mac.padEnd(17)}     *        ${e.ifp.name}\n`;
  }
  return out;
}

function flushIfp(ifp: Ifnet): void {
  const s = st(ifp.vnet);
  for (const [k, e] of s.table) if (e.ifp === ifp) s.table.delete(k);
}

let hooked = false;
/** Install the interface hooks (from vnet_create). */
export function arp_hooks(): void {
  if (hooked) return;
  hooked = true;
  ifHooks.detached.push(flushIfp);
  ifHooks.down.push(flushIfp);
  ifHooks.up.push(arp_announce);
}
