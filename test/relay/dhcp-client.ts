/*
 * A tiny DHCP client for the tests (RFC 2131/2132), written separately from
 * the relay's server: it builds DISCOVER/REQUEST/RELEASE/INFORM frames and
 * parses replies down from Ethernet, checking every checksum on the way.
 */
import assert from 'node:assert/strict';
import { BCAST, cksum, eth, ip, ipStr, ipv4, mac, macStr, udp, type TestClient } from './helpers.ts';

export interface Reply {
  ethDst: string;
  ipDst: string;
  ipSrc: string;
  op: number;
  xid: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  chaddr: string;
  type: number;
  options: Map<number, Buffer>;
}

export const DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8;

export interface DhcpOpts {
  xid: number;
  type: number;
  broadcast?: boolean;
  ciaddr?: string;
  requested?: string;
  server?: string;
  srcIp?: string;
  dstIp?: string;
  dstMac?: string;
}

export function dhcpFrame(clientMac: string, o: DhcpOpts): Buffer {
  const b = Buffer.alloc(240);
  b[0] = 1; // BOOTREQUEST
  b[1] = 1;
  b[2] = 6;
  b.writeUInt32BE(o.xid, 4);
  b.writeUInt16BE(o.broadcast ? 0x8000 : 0, 10);
  ip(o.ciaddr ?? '0.0.0.0').copy(b, 12);
  mac(clientMac).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  const opts: number[] = [53, 1, o.type];
  if (o.requested) opts.push(50, 4, ...ip(o.requested));
  if (o.server) opts.push(54, 4, ...ip(o.server));
  opts.push(55, 4, 1, 3, 6, 51, 255);
  const payload = Buffer.concat([b, Buffer.from(opts)]);
  const src = o.srcIp ?? '0.0.0.0';
  const dst = o.dstIp ?? '255.255.255.255';
  return eth(o.dstMac ?? BCAST, clientMac, 0x0800, ipv4(src, dst, 17, udp(src, dst, 68, 67, payload)));
}

/** Parse a DHCP reply frame, asserting the IPv4 and UDP checksums; undefined if it is not DHCP to port 68. */
export function parseReply(f: Buffer): Reply | undefined {
  if (f.readUInt16BE(12) !== 0x0800 || f[23] !== 17) return undefined;
  const ihl = (f[14] & 15) * 4;
  const ipEnd = 14 + f.readUInt16BE(16);
  assert.equal(cksum(f.subarray(14, 14 + ihl)), 0, 'IPv4 header checksum');
  const u = f.subarray(14 + ihl, ipEnd);
  if (u.readUInt16BE(2) !== 68) return undefined;
  assert.equal(u.readUInt16BE(0), 67);
  const pseudo = Buffer.concat([f.subarray(26, 34), Buffer.from([0, 17, u.length >> 8, u.length & 0xff]), u]);
  assert.equal(cksum(pseudo), 0, 'UDP checksum');
  const d = u.subarray(8);
  assert.ok(d.length >= 300, 'BOOTP minimum size');
  assert.equal(d.readUInt32BE(236), 0x63825363, 'magic cookie');
  const options = new Map<number, Buffer>();
  for (let i = 240; i < d.length && d[i] !== 255;) {
    if (d[i] === 0) { i++; continue; }
    options.set(d[i], d.subarray(i + 2, i + 2 + d[i + 1]));
    i += 2 + d[i + 1];
  }
  return {
    ethDst: macStr(f, 0), ipDst: ipStr(f, 30), ipSrc: ipStr(f, 26), op: d[0], xid: d.readUInt32BE(4), flags: d.readUInt16BE(10),
    ciaddr: ipStr(d, 12), yiaddr: ipStr(d, 16), chaddr: macStr(d, 28), type: options.get(53)?.[0] ?? 0, options,
  };
}

export async function nextReply(c: TestClient, xid: number, ms = 1000): Promise<Reply> {
  const f = await c.next((x) => parseReply(x)?.xid === xid, ms);
  return parseReply(f)!;
}

export const optIp = (r: Reply, code: number): string | undefined => {
  const v = r.options.get(code);
  return v ? ipStr(v) : undefined;
};

/** DISCOVER → OFFER → REQUEST → ACK; returns the address bound. */
export async function lease(c: TestClient, clientMac: string, xid: number): Promise<{ ip: string; offer: Reply; ack: Reply }> {
  c.send(dhcpFrame(clientMac, { xid, type: DISCOVER, broadcast: true }));
  const offer = await nextReply(c, xid);
  assert.equal(offer.type, OFFER);
  c.send(dhcpFrame(clientMac, { xid, type: REQUEST, broadcast: true, requested: offer.yiaddr, server: optIp(offer, 54) }));
  const ack = await nextReply(c, xid);
  assert.equal(ack.type, ACK);
  assert.equal(ack.yiaddr, offer.yiaddr);
  return { ip: ack.yiaddr, offer, ack };
}
