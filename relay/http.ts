/*
 * The relay's plain HTTP side: GET /status (JSON), GET /healthz, and the
 * refusals of WebSocket handshakes. Every response carries COOP/COEP/CORP so
 * a cross-origin-isolated page (which the kernel's SharedArrayBuffer needs)
 * may fetch from the relay, and the relay's own pages are isolated too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export interface HttpContext {
  status: () => object;
  /** Whether a page from `origin` may read our JSON (CORS), by the same rule as the handshake. */
  originAllowed: (origin: string | undefined, host: string | undefined) => boolean;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): void {
  const path = new URL(req.url ?? '/', 'http://relay').pathname;
  const origin = req.headers.origin;
  const headers: Record<string, string> = { ...ISOLATION_HEADERS };
  if (origin && ctx.originAllowed(origin, req.headers.host)) headers['Access-Control-Allow-Origin'] = origin;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, headers, { error: 'method not allowed' });
  if (path === '/status') return send(res, 200, headers, ctx.status());
  if (path === '/healthz') return send(res, 200, headers, { ok: true });
  /* A plain GET on a room path is someone opening the URL in a browser: say what it is. */
  send(res, req.headers.upgrade ? 400 : 426, headers, { error: 'this is vknetd, a WebSocket Ethernet relay: connect with ws://host:port/<room>' });
}

function send(res: ServerResponse, code: number, headers: Record<string, string>, body: object): void {
  const text = `${JSON.stringify(body, null, 1)}\n`;
  res.writeHead(code, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Refuse a WebSocket handshake with a plain HTTP error (the headers included) and close. */
export function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    ...Object.entries(ISOLATION_HEADERS).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
