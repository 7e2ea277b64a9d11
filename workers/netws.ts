/*
 * vke's relay backend: one WebSocket to vknetd (docs/relay.md), one binary
 * message per raw Ethernet frame. Written against the browser's WebSocket
 * API only, so the kernel worker uses it with the browser's WebSocket and
 * bin/vkernel with the `ws` package (platform/node/netws.ts).
 *
 * The connection comes back by itself: a lost or refused connection is
 * retried with exponential backoff (250 ms doubling to 30 s, with jitter), and
 * the link state follows the connection. A quiet guest sends a keepalive frame
 * (14 bytes to the gateway MAC, ethertype 0x88b5) so the relay neither closes
 * it as idle nor ages its MAC out.
 */
import type { NetSpec } from '../kernel/kern/bootconfig.ts';
import type { NetBackend, NetBackendHandlers } from '../kernel/platform.ts';

/** The part of the WebSocket API used here (browser WebSocket and `ws` both have it). */
export interface WsLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WsFactory = (url: string) => WsLike;

export interface RelayOptions {
  /** Send a keepalive after this long without sending anything (ms). */
  keepaliveMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Drop outgoing frames while more than this many bytes wait in the socket. */
  maxBuffered?: number;
  /** Host-side notes (connection lost, refused). */
  log?: (msg: string) => void;
}

const WS_OPEN = 1;
/** The relay's gateway port (docs/relay.md): 02:76:6b:6e:65:74, "\x02vknet". */
export const GATEWAY_MAC = Uint8Array.of(0x02, 0x76, 0x6b, 0x6e, 0x65, 0x74);
export const ETHERTYPE_KEEPALIVE = 0x88b5;
export const DEFAULT_RELAY_PORT = 8086;

/** The bare 14-byte frame that keeps a quiet guest known to the relay. */
export function keepaliveFrame(mac: Uint8Array): Uint8Array {
  const f = new Uint8Array(14);
  f.set(GATEWAY_MAC, 0);
  f.set(mac.subarray(0, 6), 6);
  f[12] = ETHERTYPE_KEEPALIVE >> 8;
  f[13] = ETHERTYPE_KEEPALIVE & 0xff;
  return f;
}

export class RelayNetBackend implements NetBackend {
  readonly tapUnit = -1;
  private ws: WsLike | null = null;
  private handlers: NetBackendHandlers | null = null;
  private mac: Uint8Array = new Uint8Array(6);
  private up = false;
  private closed = false;
  private backoff: number;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private kaTimer: ReturnType<typeof setInterval> | null = null;
  private lastSend = 0;
  private readonly keepaliveMs: number;
  private readonly backoffMin: number;
  private readonly backoffMax: number;
  private readonly maxBuffered: number;
  /** Counters, for tests and the host's notes. */
  readonly stats = { connects: 0, sent: 0, received: 0, dropped: 0, keepalives: 0 };

  constructor(readonly description: string, private readonly factory: WsFactory, private readonly opts: RelayOptions = {}) {
    this.keepaliveMs = opts.keepaliveMs ?? 30_000;
    this.backoffMin = opts.backoffMinMs ?? 250;
    this.backoffMax = opts.backoffMaxMs ?? 30_000;
    this.maxBuffered = opts.maxBuffered ?? 1 << 20;
    this.backoff = this.backoffMin;
    this.connect();
  }

  get linkUp(): boolean {
    return this.up;
  }

  attach(h: NetBackendHandlers, mac: Uint8Array): void {
    this.handlers = h;
    this.mac = mac.slice(0, 6);
    /* Announce the MAC at once, so the switch learns it before the first real frame. */
    if (this.up) this.sendKeepalive();
  }

  detach(): void {
    this.handlers = null;
  }

  send(frame: Uint8Array): boolean {
    const ws = this.ws;
    if (!this.up || !ws || ws.readyState !== WS_OPEN || ws.bufferedAmount > this.maxBuffered) {
      this.stats.dropped++;
      return false;
    }
    /* A private copy: the socket may send later than the caller reuses its buffer. */
    ws.send(frame.slice());
    this.stats.sent++;
    this.lastSend = Date.now();
    return true;
  }

  close(): void {
    this.closed = true;
    this.handlers = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopKeepalive();
    const ws = this.ws;
    this.ws = null;
    this.up = false;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      ws.onerror = () => {};
      try { ws.close(1000, 'vkernel halted'); } catch { /* already gone */ }
    }
  }

  private connect(): void {
    if (this.closed) return;
    let ws: WsLike;
    try {
      ws = this.factory(this.description);
    } catch (e) {
      this.opts.log?.(`${this.description}: ${e instanceof Error ? e.message : String(e)}`);
      this.retry();
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.opened();
    ws.onmessage = (ev) => this.message(ev.data);
    ws.onerror = () => { /* onclose follows and retries */ };
    ws.onclose = () => this.lost(ws);
  }

  private opened(): void {
    this.up = true;
    this.stats.connects++;
    this.backoff = this.backoffMin;
    this.sendKeepalive();
    this.startKeepalive();
    this.handlers?.link(true);
  }

  private message(data: unknown): void {
    let frame: Uint8Array;
    if (data instanceof ArrayBuffer) frame = new Uint8Array(data);
    else if (data instanceof Uint8Array) frame = data.slice();
    else return; /* text: not a frame */
    this.stats.received++;
    this.handlers?.receive(frame);
  }

  private lost(ws: WsLike): void {
    if (ws !== this.ws) return;
    this.ws = null;
    const wasUp = this.up;
    this.up = false;
    this.stopKeepalive();
    if (wasUp) {
      this.opts.log?.(`${this.description}: connection lost, reconnecting`);
      this.handlers?.link(false);
    }
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.backoff * (0.75 + Math.random() / 2);
    this.backoff = Math.min(this.backoff * 2, this.backoffMax);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, wait);
  }

  private startKeepalive(): void {
    this.stopKeepalive();
    const tick = Math.max(10, Math.floor(this.keepaliveMs / 2));
    this.kaTimer = setInterval(() => {
      if (Date.now() - this.lastSend >= this.keepaliveMs) this.sendKeepalive();
    }, tick);
  }

  private stopKeepalive(): void {
    if (this.kaTimer) clearInterval(this.kaTimer);
    this.kaTimer = null;
  }

  private sendKeepalive(): void {
    if (this.mac.every((b) => b === 0)) return; /* not attached yet: no source address */
    if (this.send(keepaliveFrame(this.mac))) this.stats.keepalives++;
  }
}

/** Is this -I interface one a relay serves (a URL, auto, or a bridgeN room)? */
export function isRelayIface(iface: string): boolean {
  return /^wss?:\/\//.test(iface) || iface === 'auto' || /^bridge\d+$/.test(iface);
}

/**
 * The relay URL of an -I spec. `auto` is the default relay (base), its room
 * the -I bridgeX (address1) if given; `bridgeN` as the interface is that room
 * on the default relay; a ws:// URL is used as is, with bridgeX as its room
 * when the URL names none.
 */
export function relayUrlFor(spec: NetSpec, base: string): string {
  const room = (b: string, r: string | undefined): string => {
    const u = new URL(b);
    if (r && (u.pathname === '/' || u.pathname === '')) u.pathname = `/${r}`;
    return u.href;
  };
  if (/^wss?:\/\//.test(spec.iface)) return room(spec.iface, spec.bridge);
  if (/^bridge\d+$/.test(spec.iface)) return room(base, spec.iface);
  if (spec.iface === 'auto') return room(base, spec.bridge);
  throw new Error(`Unable to open ${spec.iface}: only relay interfaces (auto, bridgeN, ws://host:port/room) are supported`);
}
