/*
 * bin/vkernel's vke backends: relay connections over the `ws` package.
 * `-I auto` is the relay in $VKERNEL_RELAY, or ws://127.0.0.1:8086/ (bin/vknetd's
 * default); `-I bridgeN` and `-I auto:bridgeN` are the room bridgeN there;
 * `-I ws://host:port/room` names one. The connection logic (reconnect,
 * keepalive) is shared with the browser: workers/netws.ts.
 */
import WebSocket from 'ws';
import type { NetSpec } from '../../kernel/kern/bootconfig.ts';
import { RelayNetBackend, relayUrlFor, type RelayOptions, type WsLike } from '../../workers/netws.ts';

export const DEFAULT_RELAY = 'ws://127.0.0.1:8086/';

export class NetOpenError extends Error {}

/** The relay `auto` means here. */
export function defaultRelay(env: NodeJS.ProcessEnv = process.env): string {
  return env.VKERNEL_RELAY || DEFAULT_RELAY;
}

export function nodeWsFactory(url: string): WsLike {
  /* No per-message compression: the relay refuses it, and frames are small. */
  return new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000 }) as unknown as WsLike;
}

/** One backend per -I, in order; bad interfaces are a host error before boot. */
export function openNetBackends(nets: readonly NetSpec[], opts: RelayOptions = {}, env: NodeJS.ProcessEnv = process.env): RelayNetBackend[] {
  const out: RelayNetBackend[] = [];
  for (const n of nets) {
    let url: string;
    try {
      url = relayUrlFor(n, defaultRelay(env));
    } catch (e) {
      for (const b of out) b.close();
      throw new NetOpenError(e instanceof Error ? e.message : String(e));
    }
    out.push(new RelayNetBackend(url, nodeWsFactory, opts));
  }
  return out;
}
