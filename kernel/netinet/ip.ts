/*
 * struct ip (RFC 791) field offsets and header construction.
 */
import { in_cksum } from './in_cksum.ts';
import { put16, put32 } from './in.ts';

export const IP_HDR_LEN = 20;
export const IP_MAXPACKET = 65535;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFMASK = 0x1fff;
export const IPDEFTTL = 64;

export interface IpHdr {
  hl: number;
  tos: number;
  len: number;
  id: number;
  off: number; /* flags + fragment offset field, as on the wire */
  ttl: number;
  p: number;
  src: number;
  dst: number;
}

/** Write a 20-byte header at b[0..20) with a fresh checksum. */
export function ip_fillhdr(b: Uint8Array, h: Omit<IpHdr, 'hl'>): void {
  b[0] = 0x45;
  b[1] = h.tos;
  put16(b, 2, h.len);
  put16(b, 4, h.id);
  put16(b, 6, h.off);
  b[8] = h.ttl;
  b[9] = h.p;
  b[10] = b[11] = 0;
  put32(b, 12, h.src);
  put32(b, 16, h.dst);
  put16(b, 10, in_cksum(b, 0, IP_HDR_LEN));
}
