/*
 * DHCP messages (RFC 2131 §2, options RFC 2132): the fixed BOOTP header, the
 * magic cookie and the options, including option overload (52) and the
 * concatenation of repeated options (RFC 3396). Parsing is defensive: every
 * length is checked against the buffer, and anything odd returns undefined.
 */
import { readIp, writeIp, type Ip4 } from './ipv4.ts';
import { readMac, writeMac, type Mac } from './mac.ts';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const FLAG_BROADCAST = 0x8000;

export const MsgType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;

export const Opt = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DnsServer: 6,
  BroadcastAddress: 28,
  RequestedIp: 50,
  LeaseTime: 51,
  Overload: 52,
  MessageType: 53,
  ServerId: 54,
  Message: 56,
  RenewalTime: 58,
  RebindingTime: 59,
  End: 255,
} as const;

const FIXED_LEN = 236;
const COOKIE = 0x63825363;
const OPTIONS_OFF = FIXED_LEN + 4;
const SNAME_OFF = 44;
const SNAME_LEN = 64;
const FILE_OFF = 108;
const FILE_LEN = 128;
/* BOOTP's minimum message; some clients drop shorter replies. */
const MIN_MESSAGE = 300;

export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: Ip4;
  yiaddr: Ip4;
  siaddr: Ip4;
  giaddr: Ip4;
  chaddr: Mac;
  options: Map<number, Uint8Array>;
}

export function parseDhcp(b: Uint8Array): DhcpMessage | undefined {
  if (b.length < OPTIONS_OFF || b[1] !== 1 || b[2] !== 6) return undefined; // Ethernet only
  if (readIp(b, FIXED_LEN) !== COOKIE) return undefined;
  const options = new Map<number, Uint8Array>();
  if (!parseOptions(b.subarray(OPTIONS_OFF), options)) return undefined;
  const overload = options.get(Opt.Overload)?.[0] ?? 0;
  if (overload & 1 && !parseOptions(b.subarray(FILE_OFF, FILE_OFF + FILE_LEN), options)) return undefined;
  if (overload & 2 && !parseOptions(b.subarray(SNAME_OFF, SNAME_OFF + SNAME_LEN), options)) return undefined;
  return {
    op: b[0],
    xid: readIp(b, 4),
    secs: (b[8] << 8) | b[9],
    flags: (b[10] << 8) | b[11],
    ciaddr: readIp(b, 12),
    yiaddr: readIp(b, 16),
    siaddr: readIp(b, 20),
    giaddr: readIp(b, 24),
    chaddr: readMac(b, 28),
    options,
  };
}

/* Walk code/length/value triples until End or the end of the field. */
function parseOptions(b: Uint8Array, into: Map<number, Uint8Array>): boolean {
  let i = 0;
  while (i < b.length) {
    const code = b[i++];
    if (code === Opt.Pad) continue;
    if (code === Opt.End) return true;
    if (i >= b.length) return false;
    const len = b[i++];
    if (i + len > b.length) return false;
    const value = b.subarray(i, i + len);
    const prev = into.get(code);
    into.set(code, prev ? Buffer.concat([prev, value]) : value);
    i += len;
  }
  return true;
}

export function optIp(m: DhcpMessage, code: number): Ip4 | undefined {
  const v = m.options.get(code);
  return v && v.length === 4 ? readIp(v, 0) : undefined;
}

export function msgType(m: DhcpMessage): number | undefined {
  const v = m.options.get(Opt.MessageType);
  return v && v.length === 1 ? v[0] : undefined;
}

export interface DhcpReplyFields {
  op: number;
  xid: number;
  flags: number;
  ciaddr: Ip4;
  yiaddr: Ip4;
  siaddr: Ip4;
  giaddr: Ip4;
  chaddr: Mac;
  /** In the order they are written; option 53 should come first. */
  options: [number, Uint8Array][];
}

export function buildDhcp(f: DhcpReplyFields): Uint8Array {
  const optLen = f.options.reduce((n, [, v]) => n + 2 + v.length, 0) + 1;
  const b = new Uint8Array(Math.max(MIN_MESSAGE, OPTIONS_OFF + optLen));
  b[0] = f.op;
  b[1] = 1;
  b[2] = 6;
  writeIp(b, 4, f.xid);
  b[10] = f.flags >> 8;
  b[11] = f.flags & 0xff;
  writeIp(b, 12, f.ciaddr);
  writeIp(b, 16, f.yiaddr);
  writeIp(b, 20, f.siaddr);
  writeIp(b, 24, f.giaddr);
  writeMac(b, 28, f.chaddr);
  writeIp(b, FIXED_LEN, COOKIE);
  let i = OPTIONS_OFF;
  for (const [code, v] of f.options) {
    b[i++] = code;
    b[i++] = v.length;
    b.set(v, i);
    i += v.length;
  }
  b[i] = Opt.End;
  return b;
}

export function ipBytes(...ips: Ip4[]): Uint8Array {
  const b = new Uint8Array(4 * ips.length);
  ips.forEach((ip, k) => writeIp(b, 4 * k, ip));
  return b;
}

export function u32Bytes(v: number): Uint8Array {
  return ipBytes(v >>> 0);
}
