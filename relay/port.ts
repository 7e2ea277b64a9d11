/* A switch port: a WebSocket client, or the room's built-in gateway. */
import type { Traffic } from './stats.ts';
import type { PortRef } from './switch.ts';

export interface Port extends PortRef {
  readonly traffic: Traffic;
  /** Things already logged about this port, so repeated events are logged once. */
  readonly notes: Set<string>;
  /** Hand a frame to this port; `from` is the port it came in on. */
  deliver(frame: Buffer, from: Port): void;
}

/* Bound the notes so a client cycling through events cannot grow them. */
const MAX_NOTES = 64;

/** True the first time `key` is noted for `port` (and so should be logged). */
export function firstTime(port: Port, key: string): boolean {
  if (port.notes.has(key) || port.notes.size >= MAX_NOTES) return false;
  port.notes.add(key);
  return true;
}
