/*
 * A client: one WebSocket connection, one port on its room's switch. It
 * applies the framing rules (binary only, 14..maxFrame bytes) and the rate
 * limits before a frame reaches the switch, and drops frames it cannot send
 * fast enough rather than buffering without bound.
 */
import type { WebSocket, RawData } from 'ws';
import { ETHER_HEADER_LEN } from './ether.ts';
import { ClientLimiter } from './limits.ts';
import type { Logger } from './log.ts';
import { formatMac } from './mac.ts';
import type { ResolvedOptions } from './options.ts';
import { firstTime, type Port } from './port.ts';
import type { Room } from './room.ts';
import { Traffic } from './stats.ts';

/* A reader this far behind loses frames instead of making the relay queue them (TCP will retransmit). */
const MAX_BUFFERED = 1 << 20;
const CLOSE_NORMAL = 1000;
const CLOSE_POLICY = 1008;

export interface ClientInit {
  id: string;
  remote: string;
  origin: string | undefined;
  ws: WebSocket;
  room: Room;
  opts: ResolvedOptions;
  log: Logger;
  totals: Traffic;
  onClose: (c: Client) => void;
}

export class Client implements Port {
  readonly id: string;
  readonly remote: string;
  readonly origin: string | undefined;
  readonly room: Room;
  readonly traffic: Traffic;
  readonly notes = new Set<string>();
  readonly since: number;
  lastActivity: number;
  private readonly ws: WebSocket;
  private readonly limiter: ClientLimiter;
  private closing = false;
  private closeReason: string | undefined;

  constructor(private readonly init: ClientInit) {
    ({ id: this.id, remote: this.remote, origin: this.origin, ws: this.ws, room: this.room } = init);
    this.traffic = new Traffic(init.totals);
    this.since = this.lastActivity = init.opts.now();
    this.limiter = new ClientLimiter(init.opts, this.since);
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('ping', () => (this.lastActivity = init.opts.now()));
    this.ws.on('close', (code, reason) => this.onClosed(code, reason.toString()));
    this.ws.on('error', (err) => init.log.debug('socket-error', { client: this.id, error: err.message }));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const now = this.init.opts.now();
    this.lastActivity = now;
    const frame = toBuffer(data);
    this.traffic.countIn(frame.length);
    if (!isBinary) return this.traffic.drop('text');
    if (frame.length < ETHER_HEADER_LEN) return this.traffic.drop('runt');
    if (frame.length > this.init.opts.maxFrame) return this.traffic.drop('oversize');
    const limited = this.limiter.admit(frame.length, now);
    if (!limited) return this.switchFrame(frame);
    this.traffic.drop(limited);
    if (firstTime(this, limited)) this.init.log.info('limit', { room: this.room.name, client: this.id, limit: limited });
    if (this.limiter.abusive()) this.close(CLOSE_POLICY, 'sustained rate-limit abuse');
  }

  /* A bug in a parser must cost one frame, never the relay and every room on it. */
  private switchFrame(frame: Buffer): void {
    try {
      this.room.ingress(this, frame);
    } catch (e) {
      this.init.log.error('frame-error', { room: this.room.name, client: this.id, error: (e as Error).stack ?? String(e), frame: frame.subarray(0, 64).toString('hex') });
    }
  }

  deliver(frame: Buffer): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.traffic.drop('backpressure');
      return;
    }
    this.ws.send(frame, { binary: true });
    this.traffic.countOut(frame.length);
  }

  /** Close with a code and reason; the reason is logged on disconnect. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    this.ws.close(code, reason);
    /* A peer that never answers the close handshake is cut off. */
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  checkIdle(now: number): void {
    if (this.init.opts.idleMs > 0 && now - this.lastActivity >= this.init.opts.idleMs) this.close(CLOSE_NORMAL, 'idle timeout');
  }

  private onClosed(code: number, reason: string): void {
    this.closing = true;
    this.room.leave(this);
    this.init.log.info('disconnect', {
      room: this.room.name, client: this.id, code, reason: this.closeReason ?? (reason || 'closed by client'),
      framesIn: this.traffic.framesIn, framesOut: this.traffic.framesOut, drops: this.traffic.dropTotal(),
    });
    this.init.onClose(this);
  }

  macs(): string[] {
    return this.room.table.macsOf(this).map(formatMac);
  }
}

/* ws hands binary messages as a Buffer by default; fragments and ArrayBuffers are normalised anyway. */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
