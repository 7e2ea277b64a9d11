/*
 * The room's DHCP server (RFC 2131 §4.3): leases by client MAC from a pool,
 * offers held briefly, bound leases until they expire. The relay is the only
 * server in a room, so it answers authoritatively: a REQUEST for an address
 * the client may not have gets a NAK, so a guest moved between rooms or
 * networks restarts cleanly instead of waiting for timeouts.
 */
import { BOOTREPLY, FLAG_BROADCAST, MsgType, Opt, buildDhcp, ipBytes, msgType, optIp, u32Bytes, type DhcpMessage } from './dhcp-packet.ts';
import { IP_BROADCAST, formatIp, isHostOf, type Ip4 } from './ipv4.ts';
import { BROADCAST_MAC, formatMac, type Mac } from './mac.ts';
import type { DhcpConfig } from './options.ts';
import type { Logger } from './log.ts';

/* How long an OFFER reserves its address for the client's REQUEST. */
const OFFER_HOLD_MS = 60_000;
/* How long an address a client DECLINEd (someone else uses it) stays out of the pool. */
const DECLINE_HOLD_MS = 600_000;

export interface Lease {
  mac: Mac;
  ip: Ip4;
  expires: number;
  bound: boolean;
}

export interface DhcpReply {
  payload: Uint8Array;
  dstMac: Mac;
  dstIp: Ip4;
}

export interface DhcpContext {
  room: string;
  now: () => number;
  log: Logger;
  /** Whether a MAC is currently live on some port (leases of absent MACs may be reclaimed). */
  present: (mac: Mac) => boolean;
}

export class DhcpServer {
  private readonly byMac = new Map<Mac, Lease>();
  private readonly byIp = new Map<Ip4, Lease>();
  private readonly declined = new Map<Ip4, number>();
  private cursor: Ip4;

  constructor(private readonly cfg: DhcpConfig, private readonly ctx: DhcpContext) {
    this.cursor = cfg.poolStart;
  }

  /** Handle a client's message (already checked: chaddr is the sender's MAC). */
  handle(m: DhcpMessage): DhcpReply | undefined {
    if (m.op !== 1 || m.giaddr !== 0) return undefined; // no relay agents inside a room
    switch (msgType(m)) {
      case MsgType.Discover: return this.discover(m);
      case MsgType.Request: return this.request(m);
      case MsgType.Decline: return this.decline(m);
      case MsgType.Release: return this.release(m);
      case MsgType.Inform: return this.inform(m);
      default: return undefined;
    }
  }

  private discover(m: DhcpMessage): DhcpReply | undefined {
    const ip = this.choose(m.chaddr, optIp(m, Opt.RequestedIp));
    if (ip === undefined) {
      this.ctx.log.warn('dhcp-pool-exhausted', { room: this.ctx.room, mac: formatMac(m.chaddr) });
      return undefined;
    }
    const now = this.ctx.now();
    const old = this.byMac.get(m.chaddr);
    const keep = old?.ip === ip && old.bound && old.expires > now;
    this.set({ mac: m.chaddr, ip, bound: keep, expires: keep ? old.expires : now + OFFER_HOLD_MS });
    return this.reply(m, MsgType.Offer, ip, true);
  }

  private request(m: DhcpMessage): DhcpReply | undefined {
    const server = optIp(m, Opt.ServerId);
    const requested = optIp(m, Opt.RequestedIp);
    if (server !== undefined) {
      /* SELECTING: the client answers an offer, ours or another server's. */
      if (server !== this.cfg.gateway) return this.dropOffer(m.chaddr);
      return this.bindIf(m, requested, this.byMac.get(m.chaddr)?.ip === requested);
    }
    /* INIT-REBOOT names the address in option 50; RENEWING/REBINDING in ciaddr. */
    const ip = m.ciaddr !== 0 ? m.ciaddr : requested;
    if (ip === undefined) return undefined;
    return this.bindIf(m, ip, this.mayHave(m.chaddr, ip));
  }

  private bindIf(m: DhcpMessage, ip: Ip4 | undefined, ok: boolean): DhcpReply {
    if (ip === undefined || !ok) return this.nak(m);
    const fresh = !this.byMac.get(m.chaddr)?.bound;
    this.set({ mac: m.chaddr, ip, bound: true, expires: this.ctx.now() + this.cfg.leaseMs });
    if (fresh) this.ctx.log.info('lease', { room: this.ctx.room, mac: formatMac(m.chaddr), ip: formatIp(ip), seconds: this.cfg.leaseMs / 1000 });
    return this.reply(m, MsgType.Ack, ip, true);
  }

  /* The client's own lease (even expired, if nobody took the address since), or a free pool address. */
  private mayHave(mac: Mac, ip: Ip4): boolean {
    if (this.byMac.get(mac)?.ip === ip) return true;
    return this.byMac.get(mac) === undefined && this.inPool(ip) && this.free(ip, this.ctx.now());
  }

  private dropOffer(mac: Mac): undefined {
    const l = this.byMac.get(mac);
    if (l && !l.bound) this.delete(l);
    return undefined;
  }

  private decline(m: DhcpMessage): undefined {
    const l = this.byMac.get(m.chaddr);
    const ip = optIp(m, Opt.RequestedIp);
    /* Only the holder may decline an address, so a client cannot poison the pool. */
    if (!l || l.ip !== ip || optIp(m, Opt.ServerId) !== this.cfg.gateway) return undefined;
    this.delete(l);
    this.declined.set(l.ip, this.ctx.now() + DECLINE_HOLD_MS);
    this.ctx.log.info('lease-declined', { room: this.ctx.room, mac: formatMac(m.chaddr), ip: formatIp(l.ip) });
    return undefined;
  }

  private release(m: DhcpMessage): undefined {
    const l = this.byMac.get(m.chaddr);
    if (!l || l.ip !== m.ciaddr) return undefined;
    this.delete(l);
    this.ctx.log.info('lease-released', { room: this.ctx.room, mac: formatMac(m.chaddr), ip: formatIp(l.ip) });
    return undefined;
  }

  /* INFORM: the client has an address already and wants only the parameters. */
  private inform(m: DhcpMessage): DhcpReply | undefined {
    if (m.ciaddr === 0) return undefined;
    return this.reply(m, MsgType.Ack, 0, false);
  }

  private nak(m: DhcpMessage): DhcpReply {
    const payload = buildDhcp({
      op: BOOTREPLY, xid: m.xid, flags: m.flags, ciaddr: 0, yiaddr: 0, siaddr: 0, giaddr: 0, chaddr: m.chaddr,
      options: [[Opt.MessageType, Uint8Array.of(MsgType.Nak)], [Opt.ServerId, ipBytes(this.cfg.gateway)], [Opt.Message, Buffer.from('address not available here')]],
    });
    /* §4.1: with no relay agent, a NAK is always broadcast. */
    return { payload, dstMac: BROADCAST_MAC, dstIp: IP_BROADCAST };
  }

  private reply(m: DhcpMessage, type: number, yiaddr: Ip4, withLease: boolean): DhcpReply {
    const payload = buildDhcp({
      op: BOOTREPLY, xid: m.xid, flags: m.flags, ciaddr: type === MsgType.Ack ? m.ciaddr : 0, yiaddr, siaddr: 0, giaddr: 0, chaddr: m.chaddr,
      options: this.options(type, withLease),
    });
    return { payload, ...this.destination(m, yiaddr) };
  }

  private options(type: number, withLease: boolean): [number, Uint8Array][] {
    const c = this.cfg;
    const secs = Math.floor(c.leaseMs / 1000);
    const o: [number, Uint8Array][] = [[Opt.MessageType, Uint8Array.of(type)], [Opt.ServerId, ipBytes(c.gateway)]];
    if (withLease) o.push([Opt.LeaseTime, u32Bytes(secs)], [Opt.RenewalTime, u32Bytes(secs / 2)], [Opt.RebindingTime, u32Bytes((secs * 7) / 8)]);
    o.push([Opt.SubnetMask, ipBytes(c.network.mask)], [Opt.Router, ipBytes(c.gateway)], [Opt.BroadcastAddress, ipBytes(c.network.broadcast)]);
    if (c.dns.length) o.push([Opt.DnsServer, ipBytes(...c.dns)]);
    return o;
  }

  /* §4.1: to ciaddr if the client has one, else broadcast if it asked, else unicast to its new address. */
  private destination(m: DhcpMessage, yiaddr: Ip4): { dstMac: Mac; dstIp: Ip4 } {
    if (m.ciaddr !== 0) return { dstMac: m.chaddr, dstIp: m.ciaddr };
    if (m.flags & FLAG_BROADCAST) return { dstMac: BROADCAST_MAC, dstIp: IP_BROADCAST };
    return { dstMac: m.chaddr, dstIp: yiaddr };
  }

  /** An address for `mac`: its old one, the one it asked for, the next free one, or a reclaimed one. */
  private choose(mac: Mac, wanted: Ip4 | undefined): Ip4 | undefined {
    const now = this.ctx.now();
    const old = this.byMac.get(mac);
    if (old) return old.ip;
    if (wanted !== undefined && this.inPool(wanted) && this.free(wanted, now)) return wanted;
    return this.scan(now) ?? this.reclaim();
  }

  private scan(now: number): Ip4 | undefined {
    const size = this.cfg.poolEnd - this.cfg.poolStart + 1;
    for (let k = 0; k < size; k++) {
      const ip = this.cursor;
      this.cursor = ip >= this.cfg.poolEnd ? this.cfg.poolStart : ip + 1;
      if (this.free(ip, now)) return ip;
    }
    return undefined;
  }

  /* Pool exhausted: take the oldest lease of a MAC that is not on the room now. */
  private reclaim(): Ip4 | undefined {
    let victim: Lease | undefined;
    for (const l of this.byMac.values()) {
      if (!this.ctx.present(l.mac) && (!victim || l.expires < victim.expires)) victim = l;
    }
    if (!victim) return undefined;
    this.delete(victim);
    return victim.ip;
  }

  private inPool(ip: Ip4): boolean {
    return ip >= this.cfg.poolStart && ip <= this.cfg.poolEnd && isHostOf(this.cfg.network, ip) && ip !== this.cfg.gateway;
  }

  private free(ip: Ip4, now: number): boolean {
    if (ip === this.cfg.gateway || !isHostOf(this.cfg.network, ip)) return false;
    const d = this.declined.get(ip);
    if (d !== undefined && d > now) return false;
    const l = this.byIp.get(ip);
    return !l || l.expires <= now;
  }

  private set(l: Lease): void {
    const prev = this.byMac.get(l.mac);
    if (prev) this.delete(prev);
    const other = this.byIp.get(l.ip);
    if (other) this.delete(other);
    this.byMac.set(l.mac, l);
    this.byIp.set(l.ip, l);
  }

  private delete(l: Lease): void {
    if (this.byMac.get(l.mac) === l) this.byMac.delete(l.mac);
    if (this.byIp.get(l.ip) === l) this.byIp.delete(l.ip);
  }

  /** Drop expired leases and decline holds. */
  sweep(): void {
    const now = this.ctx.now();
    for (const l of [...this.byMac.values()]) if (l.expires <= now) this.delete(l);
    for (const [ip, until] of [...this.declined]) if (until <= now) this.declined.delete(ip);
  }

  leases(): Lease[] {
    return [...this.byMac.values()];
  }
}
