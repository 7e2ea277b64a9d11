/*
 * IPv4 addresses (as unsigned 32-bit numbers), networks in CIDR form, the
 * Internet checksum (RFC 1071) and the IPv4 header (RFC 791): just what the
 * relay's gateway needs to answer ARP, ping and DHCP.
 */

export type Ip4 = number;

export const IPPROTO_ICMP = 1;
export const IPPROTO_UDP = 17;
export const IP_BROADCAST: Ip4 = 0xffff_ffff;
const IP_HEADER_LEN = 20;
const DEFAULT_TTL = 64;

export function parseIp(s: string): Ip4 | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return v;
}

export function formatIp(ip: Ip4): string {
  return [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.');
}

export interface Network {
  base: Ip4;
  prefix: number;
  mask: Ip4;
  broadcast: Ip4;
}

export function maskOf(prefix: number): Ip4 {
  return prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
}

/** "10.2.0.0/16" → a Network; host bits must be zero, prefix 8–30 (a room needs hosts). */
export function parseNetwork(s: string): Network | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const base = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix < 8 || prefix > 30) return undefined;
  const mask = maskOf(prefix);
  if ((base & ~mask) >>> 0 !== 0) return undefined;
  return { base, prefix, mask, broadcast: (base | ~mask) >>> 0 };
}

export function inNetwork(net: Network, ip: Ip4): boolean {
  return ((ip & net.mask) >>> 0) === net.base;
}

/** A usable host address of the network: not the network or broadcast address. */
export function isHostOf(net: Network, ip: Ip4): boolean {
  return inNetwork(net, ip) && ip !== net.base && ip !== net.broadcast;
}

/** RFC 1071 ones' complement sum over b[off, off+len), folded and complemented. */
export function inetChecksum(b: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function readIp(b: Uint8Array, off: number): Ip4 {
  return (((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0);
}

export function writeIp(b: Uint8Array, off: number, ip: Ip4): void {
  b[off] = ip >>> 24;
  b[off + 1] = (ip >>> 16) & 0xff;
  b[off + 2] = (ip >>> 8) & 0xff;
  b[off + 3] = ip & 0xff;
}

export interface Ip4Packet {
  src: Ip4;
  dst: Ip4;
  proto: number;
  ttl: number;
  headerLen: number;
  /** The payload, bounded by the header's total length (Ethernet padding cut off). */
  payload: Uint8Array;
}

/**
 * Parse and validate an IPv4 packet. Fragments are refused: the gateway only
 * answers small requests, and reassembly would be state an attacker could fill.
 */
export function parseIp4(b: Uint8Array): Ip4Packet | undefined {
  if (b.length < IP_HEADER_LEN || b[0] >> 4 !== 4) return undefined;
  const headerLen = (b[0] & 0x0f) * 4;
  const total = (b[2] << 8) | b[3];
  if (headerLen < IP_HEADER_LEN || total < headerLen || total > b.length) return undefined;
  if (inetChecksum(b, 0, headerLen) !== 0) return undefined;
  const fragment = ((b[6] << 8) | b[7]) & 0x3fff;
  if (fragment !== 0) return undefined;
  return { src: readIp(b, 12), dst: readIp(b, 16), proto: b[9], ttl: b[8], headerLen, payload: b.subarray(headerLen, total) };
}

let nextId = 1;

/** Build an IPv4 packet (no options, DF clear) around `payload`. */
export function buildIp4(src: Ip4, dst: Ip4, proto: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(IP_HEADER_LEN + payload.length);
  const id = nextId;
  nextId = (nextId + 1) & 0xffff;
  p[0] = 0x45;
  p[2] = p.length >> 8;
  p[3] = p.length & 0xff;
  p[4] = id >> 8;
  p[5] = id & 0xff;
  p[8] = DEFAULT_TTL;
  p[9] = proto;
  writeIp(p, 12, src);
  writeIp(p, 16, dst);
  const ck = inetChecksum(p, 0, IP_HEADER_LEN);
  p[10] = ck >> 8;
  p[11] = ck & 0xff;
  p.set(payload, IP_HEADER_LEN);
  return p;
}
