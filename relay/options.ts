/*
 * The relay's options: what startRelay() and the CLI accept, their defaults,
 * and the validation that turns them into one resolved, checked object.
 */
import { parseIp, parseNetwork, isHostOf, type Ip4, type Network } from './ipv4.ts';
import type { LogLevel, LogSink } from './log.ts';
import type { OutboundNat } from './nat.ts';

export interface LossySpec {
  /** Probability that a frame is dropped. */
  drop: number;
  /** Probability that a frame is delivered twice. */
  dup: number;
  /** Probability that a frame is held back and delivered after the next one. */
  reorder: number;
  /** PRNG seed: the same seed and the same frames give the same impairments. */
  seed: number;
}

export interface RelayOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Listen address; loopback by default so nothing is exposed by accident. */
  host?: string;
  network?: string;
  gateway?: string;
  poolStart?: string;
  poolEnd?: string;
  dns?: string[];
  dhcp?: boolean;
  leaseSeconds?: number;
  /** Browser origins allowed to connect; undefined = same host and localhost; '*' = any. */
  allowOrigins?: string[];
  maxFrame?: number;
  fps?: number;
  bps?: number;
  /** Consecutive seconds of rate-limit drops after which a client is disconnected. */
  abuseSeconds?: number;
  clientsPerRoom?: number;
  maxRooms?: number;
  /** Seconds without frames or pings before a client is closed; 0 = never. */
  idleTimeout?: number;
  macAging?: number;
  macTableSize?: number;
  macsPerPort?: number;
  /** Seconds an empty room (and its DHCP leases) is kept before removal. */
  roomLinger?: number;
  lossy?: LossySpec;
  /** Rooms the lossy mode applies to; undefined = every room. */
  lossyRooms?: string[];
  logLevel?: LogLevel;
  logSink?: LogSink;
  /** Disabled (undefined) by default: see nat.ts. */
  outboundNat?: OutboundNat;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

export interface DhcpConfig {
  enabled: boolean;
  network: Network;
  gateway: Ip4;
  poolStart: Ip4;
  poolEnd: Ip4;
  dns: Ip4[];
  leaseMs: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  dhcp: DhcpConfig;
  allowOrigins: string[] | undefined;
  maxFrame: number;
  /* ws refuses (close 1009) anything above this without buffering it; between maxFrame and this, frames are dropped and counted. */
  hardMaxPayload: number;
  fps: number;
  bps: number;
  abuseSeconds: number;
  clientsPerRoom: number;
  maxRooms: number;
  idleMs: number;
  macAgingMs: number;
  macTableSize: number;
  macsPerPort: number;
  roomLingerMs: number;
  lossy: LossySpec | undefined;
  lossyRooms: string[] | undefined;
  logLevel: LogLevel;
  logSink: LogSink | undefined;
  outboundNat: OutboundNat | undefined;
  now: () => number;
}

export const DEFAULTS = {
  port: 8086,
  host: '127.0.0.1',
  network: '10.2.0.0/16',
  gateway: '10.2.0.1',
  leaseSeconds: 3600,
  maxFrame: 2048,
  fps: 10000,
  bps: 16 * 1024 * 1024,
  abuseSeconds: 10,
  clientsPerRoom: 64,
  maxRooms: 256,
  idleTimeout: 300,
  macAging: 300,
  macTableSize: 1024,
  macsPerPort: 4,
  roomLinger: 300,
} as const;

/* A valid Ethernet frame (1514) plus VLAN tag must fit; 64 KiB is more than any frame. */
const MIN_FRAME = 64;
const MAX_FRAME = 65536;

export class OptionError extends Error {}

function int(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min || x > max) throw new OptionError(`${name} must be an integer from ${min} to ${max}`);
  return x;
}

function ip(name: string, s: string): Ip4 {
  const v = parseIp(s);
  if (v === undefined) throw new OptionError(`${name}: not an IPv4 address: ${s}`);
  return v;
}

function probability(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new OptionError(`lossy ${name} must be a probability from 0 to 1`);
  return p;
}

function resolveDhcp(o: RelayOptions): DhcpConfig {
  const network = parseNetwork(o.network ?? DEFAULTS.network);
  if (!network) throw new OptionError(`network must be a.b.c.d/len with len 8-30 and no host bits: ${o.network}`);
  /* With a custom network and no gateway, the first host is the natural gateway. */
  const gateway = o.gateway !== undefined ? ip('gateway', o.gateway) : o.network ? network.base + 1 : ip('gateway', DEFAULTS.gateway);
  if (!isHostOf(network, gateway)) throw new OptionError('gateway must be a host address inside the network');
  /* "from 10.2.0.2 upward": start after the gateway when it is the first host (the allocator skips it anyway). */
  const poolStart = o.poolStart !== undefined ? ip('pool start', o.poolStart) : gateway === network.base + 1 ? gateway + 1 : network.base + 1;
  const poolEnd = o.poolEnd !== undefined ? ip('pool end', o.poolEnd) : network.broadcast - 1;
  if (!isHostOf(network, poolStart) || !isHostOf(network, poolEnd) || poolStart > poolEnd) {
    throw new OptionError('the DHCP pool must be a non-empty range of host addresses inside the network');
  }
  const dns = (o.dns ?? []).map((s) => ip('dns', s));
  const leaseMs = int('lease time', o.leaseSeconds, DEFAULTS.leaseSeconds, 10, 86400 * 365) * 1000;
  return { enabled: o.dhcp ?? true, network, gateway, poolStart, poolEnd, dns, leaseMs };
}

function resolveLossy(l: LossySpec | undefined): LossySpec | undefined {
  if (!l) return undefined;
  return { drop: probability('drop', l.drop), dup: probability('dup', l.dup), reorder: probability('reorder', l.reorder), seed: int('lossy seed', l.seed, 1, 0, 0xffff_ffff) };
}

export function resolveOptions(o: RelayOptions = {}): ResolvedOptions {
  const maxFrame = int('max frame', o.maxFrame, DEFAULTS.maxFrame, MIN_FRAME, MAX_FRAME);
  return {
    port: int('port', o.port, DEFAULTS.port, 0, 65535),
    host: o.host ?? DEFAULTS.host,
    dhcp: resolveDhcp(o),
    allowOrigins: o.allowOrigins,
    maxFrame,
    hardMaxPayload: Math.max(4 * maxFrame, 65536),
    fps: int('fps', o.fps, DEFAULTS.fps, 1, 10_000_000),
    bps: int('bps', o.bps, DEFAULTS.bps, 1, 10_000_000_000),
    abuseSeconds: int('abuse seconds', o.abuseSeconds, DEFAULTS.abuseSeconds, 1, 3600),
    clientsPerRoom: int('clients per room', o.clientsPerRoom, DEFAULTS.clientsPerRoom, 1, 4096),
    maxRooms: int('rooms', o.maxRooms, DEFAULTS.maxRooms, 1, 65536),
    idleMs: seconds('idle timeout', o.idleTimeout, DEFAULTS.idleTimeout),
    macAgingMs: seconds('MAC aging', o.macAging, DEFAULTS.macAging),
    macTableSize: int('MAC table size', o.macTableSize, DEFAULTS.macTableSize, 1, 1_000_000),
    macsPerPort: int('MACs per port', o.macsPerPort, DEFAULTS.macsPerPort, 1, 64),
    roomLingerMs: seconds('room linger', o.roomLinger, DEFAULTS.roomLinger),
    lossy: resolveLossy(o.lossy),
    lossyRooms: o.lossyRooms,
    logLevel: o.logLevel ?? 'info',
    logSink: o.logSink,
    outboundNat: o.outboundNat,
    now: o.now ?? Date.now,
  };
}

/* Durations are seconds (fractions allowed, so tests can use short timeouts). */
function seconds(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!(x >= 0 && x <= 86400 * 365)) throw new OptionError(`${name} must be a number of seconds from 0 to 31536000`);
  return Math.round(x * 1000);
}

const ROOM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const DEFAULT_ROOM = 'default';

/** The room a URL path names: "/" is the default room, "/bridge0" is bridge0; undefined if invalid. */
export function roomFromPath(path: string): string | undefined {
  const name = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (name === '') return DEFAULT_ROOM;
  return ROOM_RE.test(name) ? name : undefined;
}
