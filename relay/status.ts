/*
 * The /status document: rooms, their clients and traffic, MAC tables and
 * DHCP leases, and the server's totals. Addresses are printed, times are ISO
 * strings, so a person can read it and a test can check it.
 */
import type { Client } from './client.ts';
import { formatIp } from './ipv4.ts';
import { formatMac } from './mac.ts';
import type { ResolvedOptions } from './options.ts';
import type { Room } from './room.ts';
import type { Traffic } from './stats.ts';

export interface StatusSource {
  started: number;
  opts: ResolvedOptions;
  rooms: Map<string, Room>;
  clients: Set<Client>;
  totals: Traffic;
  connections: number;
  rejected: Record<string, number>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function clientStatus(c: Client): object {
  return {
    id: c.id, remote: c.remote, origin: c.origin ?? null, macs: c.macs(), connectedSince: iso(c.since),
    lastActivity: iso(c.lastActivity), ...c.traffic.toJSON(),
  };
}

function roomStatus(r: Room, clients: Client[], opts: ResolvedOptions): object {
  const now = opts.now();
  return {
    name: r.name,
    created: iso(r.created),
    clients: clients.filter((c) => c.room === r).map(clientStatus),
    macTable: r.table.entriesForStatus().map((e) => ({ ...e, mac: formatMac(e.mac) })),
    gateway: { ip: formatIp(opts.dhcp.gateway), ...r.gateway.traffic.toJSON() },
    leases: (r.dhcp?.leases() ?? []).map((l) => ({
      mac: formatMac(l.mac), ip: formatIp(l.ip), state: l.bound ? 'bound' : 'offered', expires: iso(l.expires), expiresInS: Math.round((l.expires - now) / 1000),
    })),
    lossy: r.impairment ? { ...r.impairment.spec, ...r.impairment.stats } : null,
  };
}

export function buildStatus(s: StatusSource): object {
  const o = s.opts;
  const rooms = [...s.rooms.values()];
  return {
    relay: 'vknetd',
    started: iso(s.started),
    uptimeS: Math.round((o.now() - s.started) / 1000),
    network: {
      cidr: `${formatIp(o.dhcp.network.base)}/${o.dhcp.network.prefix}`, gateway: formatIp(o.dhcp.gateway), dhcp: o.dhcp.enabled,
      pool: `${formatIp(o.dhcp.poolStart)}-${formatIp(o.dhcp.poolEnd)}`, outbound: o.outboundNat ? 'nat hook installed' : 'none: no traffic leaves the relay',
    },
    limits: {
      maxFrame: o.maxFrame, fps: o.fps, bps: o.bps, clientsPerRoom: o.clientsPerRoom, maxRooms: o.maxRooms, idleTimeoutS: o.idleMs / 1000,
      macAgingS: o.macAgingMs / 1000, macTableSize: o.macTableSize, macsPerPort: o.macsPerPort,
    },
    totals: { rooms: rooms.length, clients: rooms.reduce((n, r) => n + r.clients.size, 0), connections: s.connections, rejected: { ...s.rejected }, ...s.totals.toJSON() },
    rooms: rooms.map((r) => roomStatus(r, [...s.clients], o)),
  };
}
