/* vknetd, the WebSocket Ethernet relay: the API for tests, `npm start` and bin/vknetd. */
export { startRelay, type Relay } from './server.ts';
export { OptionError, DEFAULTS, type RelayOptions, type LossySpec } from './options.ts';
export type { OutboundNat } from './nat.ts';
export type { LogRecord, LogLevel } from './log.ts';
