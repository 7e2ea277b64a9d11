/*
 * The relay's framing: one WebSocket binary message is one raw Ethernet frame,
 * destination MAC first, then source MAC and ethertype; no length, no FCS
 * (vknetd's, and the v86/JSLinux/jor1k relays').
 */
import { readMac, writeMac, type Mac } from './mac.ts';

export const ETHER_HEADER_LEN = 14;
/* Ethernet's minimum frame without FCS; frames the relay builds are padded to it like a NIC would. */
export const ETHER_MIN_LEN = 60;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export function frameDst(f: Uint8Array): Mac {
  return readMac(f, 0);
}

export function frameSrc(f: Uint8Array): Mac {
  return readMac(f, 6);
}

export function frameType(f: Uint8Array): number {
  return (f[12] << 8) | f[13];
}

export function framePayload(f: Uint8Array): Uint8Array {
  return f.subarray(ETHER_HEADER_LEN);
}

export function buildFrame(dst: Mac, src: Mac, type: number, payload: Uint8Array): Buffer {
  const f = Buffer.alloc(Math.max(ETHER_MIN_LEN, ETHER_HEADER_LEN + payload.length));
  writeMac(f, 0, dst);
  writeMac(f, 6, src);
  f[12] = type >> 8;
  f[13] = type & 0xff;
  f.set(payload, ETHER_HEADER_LEN);
  return f;
}
