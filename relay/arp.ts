/*
 * ARP (RFC 826) for Ethernet/IPv4: the gateway answers requests for its own
 * address, and the relay refuses ARP from guests that claims that address
 * (a guest could otherwise take over the gateway for the whole room).
 */
import { readIp, writeIp, type Ip4 } from './ipv4.ts';
import { readMac, writeMac, type Mac } from './mac.ts';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
const ARP_LEN = 28;

export interface ArpPacket {
  op: number;
  sha: Mac;
  spa: Ip4;
  tha: Mac;
  tpa: Ip4;
}

export function parseArp(b: Uint8Array): ArpPacket | undefined {
  /* htype 1 (Ethernet), ptype 0x0800, hlen 6, plen 4 */
  if (b.length < ARP_LEN || b[0] !== 0 || b[1] !== 1 || b[2] !== 8 || b[3] !== 0 || b[4] !== 6 || b[5] !== 4) return undefined;
  return { op: (b[6] << 8) | b[7], sha: readMac(b, 8), spa: readIp(b, 14), tha: readMac(b, 18), tpa: readIp(b, 24) };
}

export function buildArp(p: ArpPacket): Uint8Array {
  const b = new Uint8Array(ARP_LEN);
  b.set([0, 1, 8, 0, 6, 4, p.op >> 8, p.op & 0xff]);
  writeMac(b, 8, p.sha);
  writeIp(b, 14, p.spa);
  writeMac(b, 18, p.tha);
  writeIp(b, 24, p.tpa);
  return b;
}

/** The reply to a request for `ip` owned by `mac`, or undefined if the packet is not one. */
export function arpReply(req: ArpPacket, ip: Ip4, mac: Mac): Uint8Array | undefined {
  if (req.op !== ARP_REQUEST || req.tpa !== ip) return undefined;
  return buildArp({ op: ARP_REPLY, sha: mac, spa: ip, tha: req.sha, tpa: req.spa });
}
