/* UDP (RFC 768) datagrams for the DHCP server, checksummed over the IPv4 pseudo-header. */
import { inetChecksum, writeIp, IPPROTO_UDP, type Ip4 } from './ipv4.ts';

const UDP_HEADER_LEN = 8;

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  data: Uint8Array;
}

/** Parse a UDP datagram; a non-zero checksum is verified (zero means "not computed"). */
export function parseUdp(src: Ip4, dst: Ip4, b: Uint8Array): UdpDatagram | undefined {
  if (b.length < UDP_HEADER_LEN) return undefined;
  const len = (b[4] << 8) | b[5];
  if (len < UDP_HEADER_LEN || len > b.length) return undefined;
  const ck = (b[6] << 8) | b[7];
  if (ck !== 0 && inetChecksum(b, 0, len, pseudoSum(src, dst, len)) !== 0) return undefined;
  return { srcPort: (b[0] << 8) | b[1], dstPort: (b[2] << 8) | b[3], data: b.subarray(UDP_HEADER_LEN, len) };
}

export function buildUdp(src: Ip4, dst: Ip4, srcPort: number, dstPort: number, data: Uint8Array): Uint8Array {
  const len = UDP_HEADER_LEN + data.length;
  const u = new Uint8Array(len);
  u[0] = srcPort >> 8;
  u[1] = srcPort & 0xff;
  u[2] = dstPort >> 8;
  u[3] = dstPort & 0xff;
  u[4] = len >> 8;
  u[5] = len & 0xff;
  u.set(data, UDP_HEADER_LEN);
  /* A computed checksum of 0 is sent as 0xffff: 0 would mean "none". */
  const ck = inetChecksum(u, 0, len, pseudoSum(src, dst, len)) || 0xffff;
  u[6] = ck >> 8;
  u[7] = ck & 0xff;
  return u;
}

function pseudoSum(src: Ip4, dst: Ip4, len: number): number {
  const p = new Uint8Array(12);
  writeIp(p, 0, src);
  writeIp(p, 4, dst);
  p[9] = IPPROTO_UDP;
  p[10] = len >> 8;
  p[11] = len & 0xff;
  /* inetChecksum complements; undo that to get the raw folded sum to carry on with. */
  return ~inetChecksum(p, 0, 12) & 0xffff;
}
