/*
 * Test helpers for the relay: a relay on 127.0.0.1 with a random port and its
 * log captured, WebSocket clients with a frame queue and timeouts, and
 * independent (test-side) builders and checkers for Ethernet, IPv4, UDP,
 * ICMP, ARP and DHCP, so the relay's own code is not used to check itself.
 */
import { WebSocket } from 'ws';
import { startRelay, type Relay, type RelayOptions, type LogRecord } from '../../relay/index.ts';

export interface TestRelay {
  relay: Relay;
  logs: LogRecord[];
  url: (room?: string) => string;
  status: () => Promise<StatusDoc>;
  close: () => Promise<void>;
}

/* The parts of /status the tests read. */
export interface TrafficDoc {
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
  drops: Record<string, number>;
}
export interface ClientDoc extends TrafficDoc {
  id: string;
  remote: string;
  macs: string[];
  connectedSince: string;
}
export interface RoomDoc {
  name: string;
  clients: ClientDoc[];
  macTable: { mac: string; port: string }[];
  leases: { mac: string; ip: string; state: string }[];
  lossy: { seen: number; dropped: number; duplicated: number; reordered: number } | null;
}
export interface StatusDoc {
  totals: TrafficDoc & { rooms: number; clients: number; rejected: Record<string, number> };
  rooms: RoomDoc[];
  network: { cidr: string; gateway: string; outbound: string };
}

export async function testRelay(options: RelayOptions = {}): Promise<TestRelay> {
  const logs: LogRecord[] = [];
  const relay = await startRelay({ port: 0, host: '127.0.0.1', logLevel: 'debug', logSink: (r) => logs.push(r), ...options });
  return {
    relay,
    logs,
    url: (room = '') => `${relay.url}/${room}`,
    status: async () => (await (await fetch(`http://127.0.0.1:${relay.port}/status`)).json()) as StatusDoc,
    close: () => relay.close(),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every 10 ms for up to `ms`; throws with `what` on timeout. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export class TestClient {
  readonly frames: Buffer[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.frames.push(data as Buffer);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new TestClient(ws);
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame);
  }

  /** The next received frame matching `match` (others are discarded), within `ms`. */
  async next(match: (f: Buffer) => boolean = () => true, ms = 1000): Promise<Buffer> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.frames.length) {
        const f = this.frames.shift()!;
        if (match(f)) return f;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error('no matching frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** Frames received within `ms` (for "nothing arrives" checks). */
  async drain(ms: number): Promise<Buffer[]> {
    await sleep(ms);
    return this.frames.splice(0);
  }

  async waitClosed(ms = 2000): Promise<{ code: number; reason: string }> {
    await until(() => this.closed !== undefined, 'close', ms);
    return this.closed!;
  }

  close(): void {
    this.ws.terminate();
  }
}

/* ---- test-side packet code ---- */

export const BCAST = 'ff:ff:ff:ff:ff:ff';
export const GW_MAC = '02:76:6b:6e:65:74';

export function mac(s: string): Buffer {
  return Buffer.from(s.split(':').map((h) => parseInt(h, 16)));
}

export function macStr(b: Uint8Array, off = 0): string {
  return Array.from(b.subarray(off, off + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

export function ip(s: string): Buffer {
  return Buffer.from(s.split('.').map(Number));
}

export function ipStr(b: Uint8Array, off = 0): string {
  return Array.from(b.subarray(off, off + 4)).join('.');
}

export function eth(dst: string, src: string, type: number, payload: Uint8Array = Buffer.alloc(46)): Buffer {
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  return Buffer.concat([mac(dst), mac(src), t, payload]);
}

/** RFC 1071 checksum, written again here so the tests check the relay independently. */
export function cksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) + (i + 1 < b.length ? b[i + 1] : 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

export function ipv4(src: string, dst: string, proto: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h[8] = 64;
  h[9] = proto;
  ip(src).copy(h, 12);
  ip(dst).copy(h, 16);
  h.writeUInt16BE(cksum(h), 10);
  return Buffer.concat([h, payload]);
}

export function udp(src: string, dst: string, sport: number, dport: number, data: Uint8Array): Buffer {
  const u = Buffer.alloc(8);
  u.writeUInt16BE(sport, 0);
  u.writeUInt16BE(dport, 2);
  u.writeUInt16BE(8 + data.length, 4);
  const body = Buffer.concat([u, data]);
  const pseudo = Buffer.concat([ip(src), ip(dst), Buffer.from([0, 17, body.length >> 8, body.length & 0xff]), body]);
  body.writeUInt16BE(cksum(pseudo) || 0xffff, 6);
  return body;
}

export function icmpEcho(id: number, seq: number, data: Uint8Array): Buffer {
  const m = Buffer.concat([Buffer.from([8, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff]), data]);
  m.writeUInt16BE(cksum(m), 2);
  return m;
}

export function arpRequest(srcMac: string, srcIp: string, targetIp: string): Buffer {
  const a = Buffer.concat([Buffer.from([0, 1, 8, 0, 6, 4, 0, 1]), mac(srcMac), ip(srcIp), Buffer.alloc(6), ip(targetIp)]);
  return eth(BCAST, srcMac, 0x0806, a);
}

export const ethType = (f: Buffer): number => f.readUInt16BE(12);
export const isIpProto = (f: Buffer, proto: number): boolean => ethType(f) === 0x0800 && f[23] === proto;
