/*
 * Internet address family constants and helpers. Addresses are unsigned
 * 32-bit numbers in host byte order; the wire is big-endian.
 */
import type { Ifnet } from '../net/if.ts';
import type { Vnet } from '../net/vnet.ts';

export const AF_INET = 2;
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;

export const INADDR_ANY = 0;
export const INADDR_BROADCAST = 0xffffffff;
export const INADDR_LOOPBACK = 0x7f000001;

export const IPPORT_EPHEMERALFIRST = 49152;
export const IPPORT_EPHEMERALLAST = 65535;
export const IPPORT_RESERVED = 1024;

export function inet_ntoa(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Dotted quad to address, or null. */
export function inet_aton(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  if (p.some((x) => x > 255)) return null;
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function IN_MULTICAST(a: number): boolean {
  return a >>> 28 === 0xe;
}

export function IN_LOOPBACK(a: number): boolean {
  return a >>> 24 === 127;
}

export function IN_EXPERIMENTAL(a: number): boolean {
  return a >>> 28 === 0xf;
}

/** The classful default netmask (SIOCSIFADDR without a netmask). */
export function in_classmask(a: number): number {
  if (a >>> 31 === 0) return 0xff000000;
  if (a >>> 30 === 2) return 0xffff0000;
  return 0xffffff00;
}

export function masklen(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

/** Is a a broadcast address for ifp (or any interface when ifp is null)? */
export function in_broadcast(vn: Vnet, a: number, ifp: Ifnet | null): boolean {
  if (a === INADDR_BROADCAST || a === INADDR_ANY) return true;
  for (const i of ifp ? [ifp] : vn.ifnets) {
    for (const ia of i.addrs) {
      if (a === ia.broadcast) return true;
      /* The all-zeros and all-ones host parts of a connected net. */
      if (ia.mask !== 0xffffffff && (a & ia.mask) >>> 0 === (ia.addr & ia.mask) >>> 0) {
        const host = (a & ~ia.mask) >>> 0;
        if (host === 0 || host === (~ia.mask >>> 0)) return ia.mask !== 0;
      }
    }
  }
  return false;
}

/** Read/write big-endian fields. */
export function get16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
export function get32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 255;
  b[o + 1] = v & 255;
}
export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 255;
  b[o + 1] = (v >>> 16) & 255;
  b[o + 2] = (v >>> 8) & 255;
  b[o + 3] = v & 255;
}
