/*
 * The room's gateway: a built-in port with a fixed MAC that answers ARP for
 * the gateway address, ICMP echo to it, and DHCP. It is the only "router" a
 * room has, and it routes nowhere: packets for addresses beyond the room are
 * dropped ('no-route') unless an operator installs the outbound NAT hook.
 */
import { arpReply, parseArp } from './arp.ts';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT, parseDhcp } from './dhcp-packet.ts';
import type { DhcpServer } from './dhcp-server.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, buildFrame, frameDst, framePayload, frameSrc, frameType } from './ether.ts';
import { echoReply, unreachable } from './icmp.ts';
import { IPPROTO_ICMP, IPPROTO_UDP, IP_BROADCAST, buildIp4, formatIp, inNetwork, parseIp4, type Ip4Packet } from './ipv4.ts';
import type { Logger } from './log.ts';
import { BROADCAST_MAC, GATEWAY_MAC, formatMac, type Mac } from './mac.ts';
import type { OutboundNat } from './nat.ts';
import type { DhcpConfig } from './options.ts';
import { firstTime, type Port } from './port.ts';
import { Traffic } from './stats.ts';
import { buildUdp, parseUdp } from './udp.ts';

export interface GatewayContext {
  room: string;
  cfg: DhcpConfig;
  dhcp: DhcpServer | undefined;
  nat: OutboundNat | undefined;
  log: Logger;
  /** Put a frame the gateway built onto the room's switch. */
  send: (frame: Buffer) => void;
}

export class Gateway implements Port {
  readonly id = 'gateway';
  readonly traffic = new Traffic();
  readonly notes = new Set<string>();

  constructor(private readonly ctx: GatewayContext) {}

  deliver(frame: Buffer, from: Port): void {
    const dst = frameDst(frame);
    /* Unknown unicast is flooded to us too; only our MAC and broadcast concern the gateway. */
    if (dst !== GATEWAY_MAC && dst !== BROADCAST_MAC) return;
    this.traffic.countIn(frame.length);
    const type = frameType(frame);
    if (type === ETHERTYPE_ARP) this.arp(frame);
    else if (type === ETHERTYPE_IPV4) this.ipv4(frame, from, dst === GATEWAY_MAC);
  }

  private arp(frame: Buffer): void {
    const req = parseArp(framePayload(frame));
    const reply = req && arpReply(req, this.ctx.cfg.gateway, GATEWAY_MAC);
    if (reply) this.emit(frameSrc(frame), ETHERTYPE_ARP, reply);
  }

  private ipv4(frame: Buffer, from: Port, toUs: boolean): void {
    const raw = framePayload(frame);
    const ip = parseIp4(raw);
    if (!ip) return;
    const gw = this.ctx.cfg.gateway;
    if (ip.proto === IPPROTO_UDP && (ip.dst === gw || ip.dst === IP_BROADCAST)) return this.udp(frame, ip);
    if (!toUs) return;
    if (ip.dst === gw) return this.icmp(frame, ip);
    if (!inNetwork(this.ctx.cfg.network, ip.dst)) this.noRoute(frame, from, ip, raw.subarray(0, ip.headerLen + ip.payload.length));
  }

  private icmp(frame: Buffer, ip: Ip4Packet): void {
    const reply = ip.proto === IPPROTO_ICMP ? echoReply(ip.payload) : undefined;
    if (reply) this.emit(frameSrc(frame), ETHERTYPE_IPV4, buildIp4(this.ctx.cfg.gateway, ip.src, IPPROTO_ICMP, reply));
  }

  private udp(frame: Buffer, ip: Ip4Packet): void {
    const dhcp = this.ctx.dhcp;
    const udp = parseUdp(ip.src, ip.dst, ip.payload);
    if (!dhcp || !udp || udp.dstPort !== DHCP_SERVER_PORT) return;
    const msg = parseDhcp(udp.data);
    const src = frameSrc(frame);
    /* A guest asks only for itself: chaddr must be the MAC the switch let it send from. */
    if (!msg || msg.chaddr !== src) {
      this.ctx.log.debug('dhcp-ignored', { room: this.ctx.room, mac: formatMac(src) });
      return;
    }
    const r = dhcp.handle(msg);
    if (!r) return;
    const datagram = buildUdp(this.ctx.cfg.gateway, r.dstIp, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, r.payload);
    this.emit(r.dstMac, ETHERTYPE_IPV4, buildIp4(this.ctx.cfg.gateway, r.dstIp, IPPROTO_UDP, datagram));
  }

  private noRoute(frame: Buffer, from: Port, ip: Ip4Packet, packet: Uint8Array): void {
    const src = frameSrc(frame);
    const nat = this.ctx.nat;
    if (nat) return nat.outbound(this.ctx.room, src, packet, (p) => this.emit(src, ETHERTYPE_IPV4, p));
    from.traffic.drop('no-route');
    if (firstTime(from, 'no-route')) {
      this.ctx.log.info('no-route', { room: this.ctx.room, client: from.id, dst: formatIp(ip.dst), why: 'the relay does not route beyond the room; frames are dropped' });
    }
    const err = unreachable(ip, packet);
    if (err) this.emit(src, ETHERTYPE_IPV4, buildIp4(this.ctx.cfg.gateway, ip.src, IPPROTO_ICMP, err));
  }

  private emit(dst: Mac, type: number, payload: Uint8Array): void {
    const f = buildFrame(dst, GATEWAY_MAC, type, payload);
    this.traffic.countOut(f.length);
    this.ctx.send(f);
  }
}

