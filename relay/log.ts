/*
 * Structured logging: one JSON object per line on stderr, so an operator can
 * pipe the relay's log into jq or a collector. Info carries the events a
 * person wants (connects, leases, limits); debug adds per-frame detail.
 */

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

export type LogFields = Record<string, string | number | boolean | null | undefined | object>;

export interface LogRecord extends LogFields {
  t: string;
  level: LogLevel;
  event: string;
}

export type LogSink = (rec: LogRecord) => void;

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export class Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly sink: LogSink = (rec) => process.stderr.write(`${JSON.stringify(rec)}\n`),
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level] && level !== 'silent';
  }

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    this.sink({ t: new Date().toISOString(), level, event, ...fields });
  }

  error(event: string, fields?: LogFields): void {
    this.log('error', event, fields);
  }

  warn(event: string, fields?: LogFields): void {
    this.log('warn', event, fields);
  }

  info(event: string, fields?: LogFields): void {
    this.log('info', event, fields);
  }

  debug(event: string, fields?: LogFields): void {
    this.log('debug', event, fields);
  }
}
