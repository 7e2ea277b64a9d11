/*
 * ICMP (RFC 792) at the gateway: echo replies, so `ping 10.2.0.1` works from
 * a guest, and "destination unreachable, administratively prohibited"
 * (RFC 1812 code 13) for packets to the outside world, so a guest's ping or
 * connect fails at once with a clear reason instead of timing out.
 */
import { inetChecksum, type Ip4Packet } from './ipv4.ts';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_ECHO = 8;
export const UNREACH_ADMIN_PROHIBITED = 13;
const ICMP_HEADER_LEN = 8;

function withChecksum(m: Uint8Array): Uint8Array {
  m[2] = 0;
  m[3] = 0;
  const ck = inetChecksum(m, 0, m.length);
  m[2] = ck >> 8;
  m[3] = ck & 0xff;
  return m;
}

/** The echo reply for an echo request (checksum verified), else undefined. */
export function echoReply(icmp: Uint8Array): Uint8Array | undefined {
  if (icmp.length < ICMP_HEADER_LEN || icmp[0] !== ICMP_ECHO || icmp[1] !== 0) return undefined;
  if (inetChecksum(icmp, 0, icmp.length) !== 0) return undefined;
  const m = Uint8Array.from(icmp); // same identifier, sequence and data
  m[0] = ICMP_ECHO_REPLY;
  return withChecksum(m);
}

/**
 * An "administratively prohibited" error about `packet` (raw IPv4 bytes).
 * Never about an ICMP error (RFC 1122 §3.2.2: no errors about errors).
 */
export function unreachable(ip: Ip4Packet, raw: Uint8Array): Uint8Array | undefined {
  if (ip.proto === 1 && ip.payload.length > 0 && ip.payload[0] !== ICMP_ECHO) return undefined;
  const quoted = raw.subarray(0, Math.min(raw.length, ip.headerLen + 8));
  const m = new Uint8Array(ICMP_HEADER_LEN + quoted.length);
  m[0] = ICMP_UNREACH;
  m[1] = UNREACH_ADMIN_PROHIBITED;
  m.set(quoted, ICMP_HEADER_LEN);
  return withChecksum(m);
}
