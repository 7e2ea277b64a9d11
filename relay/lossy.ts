/*
 * Test impairment for a room: drop, duplicate and reorder frames with given
 * probabilities, from a seeded PRNG so a failing TCP test can be replayed.
 * Three numbers are drawn for every frame whatever happens to it, so the
 * decisions depend only on the seed and the frame sequence, not on timing.
 */
import type { LossySpec } from './options.ts';

/* A held-back frame is released by the next frame, or after this long if none comes. */
const REORDER_FLUSH_MS = 20;

/** xorshift32 (Marsaglia 2003), the seed scrambled so 0 and small seeds work. */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = (Math.imul(seed ^ 0x9e37_79b9, 0x85eb_ca6b) >>> 0) || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 0x1_0000_0000;
  }
}

export interface LossyStats {
  seen: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}

export class Impairment {
  readonly stats: LossyStats = { seen: 0, dropped: 0, duplicated: 0, reordered: 0 };
  private readonly rng: Prng;
  private held: { frame: Buffer; forward: (f: Buffer) => void; dup: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly spec: LossySpec) {
    this.rng = new Prng(spec.seed);
  }

  /** Pass a frame through the impairment; `forward` delivers it (maybe twice, maybe later). */
  process(frame: Buffer, forward: (f: Buffer) => void): void {
    const d = this.rng.next();
    const u = this.rng.next();
    const r = this.rng.next();
    this.stats.seen++;
    if (d < this.spec.drop) {
      this.stats.dropped++;
      return;
    }
    const dup = u < this.spec.dup;
    if (dup) this.stats.duplicated++;
    if (r < this.spec.reorder && !this.held) {
      this.stats.reordered++;
      this.hold(frame, forward, dup);
      return;
    }
    forward(frame);
    if (dup) forward(frame);
    this.release();
  }

  private hold(frame: Buffer, forward: (f: Buffer) => void, dup: boolean): void {
    this.held = { frame, forward, dup };
    this.timer = setTimeout(() => this.release(), REORDER_FLUSH_MS);
    this.timer.unref();
  }

  /** Deliver the held frame, now behind whatever overtook it. */
  release(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    clearTimeout(this.timer);
    h.forward(h.frame);
    if (h.dup) h.forward(h.frame);
  }
}
