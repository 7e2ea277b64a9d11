/*
 * A room: one isolated learning switch with its own gateway, DHCP server,
 * MAC table and (in test mode) impairment. Rooms share nothing, so traffic,
 * addresses and floods in one never reach another.
 */
import { DhcpServer } from './dhcp-server.ts';
import { frameDst, frameSrc } from './ether.ts';
import { Gateway } from './gateway.ts';
import { Impairment } from './lossy.ts';
import type { Logger } from './log.ts';
import { GATEWAY_MAC, formatMac, isGroupMac } from './mac.ts';
import type { ResolvedOptions } from './options.ts';
import { ingressViolation } from './policy.ts';
import { firstTime, type Port } from './port.ts';
import { MacTable } from './switch.ts';

export class Room {
  readonly created: number;
  readonly clients = new Set<Port>();
  readonly table: MacTable<Port>;
  readonly gateway: Gateway;
  readonly dhcp: DhcpServer | undefined;
  readonly impairment: Impairment | undefined;
  /** When the last client left (rooms linger so leases survive a reconnect). */
  emptySince: number | undefined;

  constructor(readonly name: string, private readonly opts: ResolvedOptions, private readonly log: Logger) {
    this.created = opts.now();
    this.emptySince = this.created;
    this.table = new MacTable<Port>({ agingMs: opts.macAgingMs, limit: opts.macTableSize, perPort: opts.macsPerPort, now: opts.now });
    const present = (mac: number): boolean => this.table.lookup(mac) !== undefined;
    this.dhcp = opts.dhcp.enabled ? new DhcpServer(opts.dhcp, { room: name, now: opts.now, log, present }) : undefined;
    this.gateway = new Gateway({ room: name, cfg: opts.dhcp, dhcp: this.dhcp, nat: opts.outboundNat, log, send: (f) => this.ingress(this.gateway, f) });
    this.table.pin(GATEWAY_MAC, this.gateway);
    const spec = opts.lossy;
    this.impairment = spec && (!opts.lossyRooms || opts.lossyRooms.includes(name)) ? new Impairment(spec) : undefined;
  }

  join(port: Port): void {
    this.clients.add(port);
    this.emptySince = undefined;
  }

  leave(port: Port): void {
    this.clients.delete(port);
    this.table.forgetPort(port);
    if (this.clients.size === 0) this.emptySince = this.opts.now();
  }

  /** A frame arrives on `from` (already framed and rate-limited): police, learn, forward. */
  ingress(from: Port, frame: Buffer): void {
    if (from !== this.gateway && !this.admit(from, frame)) return;
    if (this.impairment) this.impairment.process(frame, (f) => this.forward(from, f));
    else this.forward(from, frame);
  }

  private admit(from: Port, frame: Buffer): boolean {
    const bad = ingressViolation(frame, this.opts.dhcp.gateway, this.dhcp !== undefined);
    if (bad) {
      from.traffic.drop(bad);
      if (firstTime(from, bad)) this.log.info('policy-drop', { room: this.name, client: from.id, reason: bad });
      return false;
    }
    const src = frameSrc(frame);
    const learned = this.table.learn(src, from);
    if (learned === 'ok' || learned === 'table-full') return true;
    from.traffic.drop(learned);
    if (firstTime(from, `${learned}:${src}`)) {
      this.log.info(learned === 'spoof' ? 'spoof-drop' : 'mac-drop', { room: this.name, client: from.id, mac: formatMac(src), reason: learned, owner: this.table.lookup(src)?.id });
    }
    return false;
  }

  private forward(from: Port, frame: Buffer): void {
    /* A held (reordered) frame may outlive its sender; drop it then. */
    if (from !== this.gateway && !this.clients.has(from)) return;
    const dst = frameDst(frame);
    const owner = isGroupMac(dst) ? undefined : this.table.lookup(dst);
    if (owner === from) return from.traffic.drop('self');
    if (owner) return owner.deliver(frame, from);
    this.flood(from, frame);
  }

  /* Broadcast, multicast and unknown unicast go to every other port. */
  private flood(from: Port, frame: Buffer): void {
    if (from !== this.gateway) this.gateway.deliver(frame, from);
    for (const p of this.clients) if (p !== from) p.deliver(frame, from);
  }

  /** Periodic housekeeping: age MACs, expire leases. */
  sweep(): void {
    this.table.sweep();
    this.dhcp?.sweep();
  }
}
