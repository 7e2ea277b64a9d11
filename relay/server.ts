/*
 * startRelay(): the HTTP server, the WebSocket handshake (room, origin and
 * capacity checks before any socket is accepted), the rooms, and the
 * housekeeping timer for idle clients, MAC aging, lease expiry and empty rooms.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Client } from './client.ts';
import { handleHttp, ISOLATION_HEADERS, rejectUpgrade } from './http.ts';
import { formatIp } from './ipv4.ts';
import { Logger } from './log.ts';
import { resolveOptions, roomFromPath, type RelayOptions, type ResolvedOptions } from './options.ts';
import { isLoopback, originAllowed } from './origin.ts';
import { Room } from './room.ts';
import { Traffic } from './stats.ts';
import { buildStatus } from './status.ts';

const CLOSE_GOING_AWAY = 1001;
const MAX_SWEEP_MS = 1000;
const CLOSE_WAIT_MS = 1000;

export interface Relay {
  readonly port: number;
  readonly host: string;
  /** ws://host:port — append /<room>. */
  readonly url: string;
  status(): object;
  /** Close every client with 1001 and stop listening. */
  close(): Promise<void>;
}

class RelayServer {
  readonly log: Logger;
  readonly rooms = new Map<string, Room>();
  readonly clients = new Set<Client>();
  readonly totals = new Traffic();
  readonly rejected: Record<string, number> = {};
  readonly started: number;
  readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;

  constructor(readonly opts: ResolvedOptions) {
    this.log = new Logger(opts.logLevel, opts.logSink);
    this.started = opts.now();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.hardMaxPayload, perMessageDeflate: false, clientTracking: false });
    /* "Every HTTP response" includes the 101 that starts a WebSocket. */
    this.wss.on('headers', (headers) => headers.push(...Object.entries(ISOLATION_HEADERS).map(([k, v]) => `${k}: ${v}`)));
    this.http = createServer((req, res) => handleHttp(req, res, {
      status: () => this.status(),
      originAllowed: (o, h) => this.originOk(o, h),
    }));
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => socket.destroy());
    const sweepMs = Math.max(10, Math.min(MAX_SWEEP_MS, opts.idleMs > 0 ? opts.idleMs / 4 : MAX_SWEEP_MS, opts.macAgingMs / 4));
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref();
  }

  private originOk(origin: string | undefined, host: string | undefined): boolean {
    return originAllowed(origin, host, this.opts.allowOrigins, !isLoopback(this.opts.host));
  }

  status(): object {
    return buildStatus({ started: this.started, opts: this.opts, rooms: this.rooms, clients: this.clients, totals: this.totals, connections: this.nextId - 1, rejected: this.rejected });
  }

  private refuse(socket: Duplex, code: number, why: string, fields: Record<string, string | undefined>): void {
    this.rejected[why] = (this.rejected[why] ?? 0) + 1;
    this.log.info('refused', { why, status: code, ...fields });
    rejectUpgrade(socket, code, why);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const origin = req.headers.origin;
    const name = roomFromPath(new URL(req.url ?? '/', 'http://relay').pathname);
    if (name === undefined) return this.refuse(socket, 404, 'bad room name', { remote, url: req.url });
    if (!this.originOk(origin, req.headers.host)) return this.refuse(socket, 403, 'origin not allowed', { remote, origin });
    const room = this.rooms.get(name);
    if (!room && this.rooms.size >= this.opts.maxRooms && !this.evictEmptyRoom()) return this.refuse(socket, 503, 'too many rooms', { remote, room: name });
    if (room && room.clients.size >= this.opts.clientsPerRoom) return this.refuse(socket, 503, 'room full', { remote, room: name });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, name, remote, origin));
  }

  private accept(ws: WebSocket, name: string, remote: string, origin: string | undefined): void {
    const room = this.roomFor(name);
    /* Checked again: another handshake may have filled the room meanwhile. */
    if (room.clients.size >= this.opts.clientsPerRoom) {
      ws.close(1013, 'room full');
      return;
    }
    const client = new Client({
      id: `c${this.nextId++}`, remote, origin, ws, room, opts: this.opts, log: this.log, totals: this.totals,
      onClose: (c) => this.clients.delete(c),
    });
    this.clients.add(client);
    room.join(client);
    this.log.info('connect', { room: name, client: client.id, remote, origin });
  }

  private roomFor(name: string): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = new Room(name, this.opts, this.log);
      this.rooms.set(name, room);
      this.log.info('room-created', { room: name, lossy: room.impairment ? room.impairment.spec : undefined });
    }
    return room;
  }

  /* At the room limit, an empty (lingering) room makes way for a new one. */
  private evictEmptyRoom(): boolean {
    for (const r of this.rooms.values()) {
      if (r.clients.size === 0) {
        this.removeRoom(r, 'evicted for a new room');
        return true;
      }
    }
    return false;
  }

  private removeRoom(r: Room, why: string): void {
    this.rooms.delete(r.name);
    r.impairment?.release();
    this.log.info('room-removed', { room: r.name, why });
  }

  private sweep(): void {
    const now = this.opts.now();
    for (const c of this.clients) c.checkIdle(now);
    for (const r of this.rooms.values()) {
      r.sweep();
      if (r.emptySince !== undefined && now - r.emptySince >= this.opts.roomLingerMs) this.removeRoom(r, 'empty');
    }
  }

  /* Give clients a moment to complete the close handshake so they see 1001, not a reset. */
  private async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.clients) c.close(CLOSE_GOING_AWAY, 'relay shutting down');
    await this.drain(CLOSE_WAIT_MS);
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    this.log.info('stopped', { connections: this.nextId - 1 });
  }
}

/** Start a relay and resolve once it listens. Options are validated first (OptionError). */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const opts = resolveOptions(options);
  const s = new RelayServer(opts);
  await new Promise<void>((resolve, reject) => {
    s.http.once('error', reject);
    s.http.listen(opts.port, opts.host, () => resolve());
  });
  const addr = s.http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  s.log.info('listening', {
    url: `ws://${host}:${addr.port}/`, network: `${formatIp(opts.dhcp.network.base)}/${opts.dhcp.network.prefix}`, gateway: formatIp(opts.dhcp.gateway), dhcp: opts.dhcp.enabled,
    outbound: 'none: frames for addresses beyond a room are dropped',
  });
  return { port: addr.port, host: addr.address, url: `ws://${host}:${addr.port}`, status: () => s.status(), close: () => s.close() };
}
