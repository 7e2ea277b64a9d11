/*
 * Per-client rate limits: two token buckets (frames/s and bytes/s, each with
 * one second of burst) and an abuse detector. Excess frames are dropped, not
 * queued, so a flood costs the relay almost nothing; only a client that keeps
 * overrunning its buckets for `abuseSeconds` consecutive seconds is closed.
 */
import type { DropReason } from './stats.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  take(n: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

export interface LimitConfig {
  fps: number;
  bps: number;
  abuseSeconds: number;
}

const WINDOW_MS = 1000;

export class ClientLimiter {
  private readonly frames: TokenBucket;
  private readonly bytes: TokenBucket;
  private windowStart: number;
  private droppedThisWindow = false;
  private abusiveWindows = 0;

  constructor(private readonly cfg: LimitConfig, now: number) {
    this.frames = new TokenBucket(cfg.fps, cfg.fps, now);
    /* The byte bucket must hold at least one maximum frame or big frames could never pass. */
    this.bytes = new TokenBucket(cfg.bps, Math.max(cfg.bps, 65536), now);
    this.windowStart = now;
  }

  /** Admit a frame of `len` bytes, or name the limit it broke. */
  admit(len: number, now: number): DropReason | undefined {
    this.roll(now);
    let reason: DropReason | undefined;
    if (!this.frames.take(1, now)) reason = 'rate-fps';
    else if (!this.bytes.take(len, now)) reason = 'rate-bps';
    if (reason) this.droppedThisWindow = true;
    return reason;
  }

  /* Count one-second windows that had drops; a clean window forgives. */
  private roll(now: number): void {
    if (now - this.windowStart < WINDOW_MS) return;
    const missed = Math.floor((now - this.windowStart) / WINDOW_MS);
    this.abusiveWindows = this.droppedThisWindow && missed === 1 ? this.abusiveWindows + 1 : 0;
    this.droppedThisWindow = false;
    this.windowStart += missed * WINDOW_MS;
  }

  /** True once the client has been over its limits for abuseSeconds in a row. */
  abusive(): boolean {
    return this.abusiveWindows >= this.cfg.abuseSeconds;
  }
}
