/*
 * The load average (BSD's loadav in kern_synch.c): every 5 seconds the
 * number of runnable threads is folded into three exponentially decaying
 * averages over 1, 5 and 15 minutes. The kernel loop samples it as it runs;
 * an idle stretch (no loop runs) is caught up on the next look, with the
 * run queue as it is then (empty, or it would not have been idle).
 */
export const LOADAV_INTERVAL_MS = 5000;
/* vm.loadavg's fixed-point scale (struct loadavg's fscale). */
export const FSCALE = 2048;
const CEXP = [Math.exp(-5 / 60), Math.exp(-5 / 300), Math.exp(-5 / 900)];

export class LoadAvg {
  readonly ldavg = [0, 0, 0];
  private next = LOADAV_INTERVAL_MS;

  /** Fold in nrun for every interval boundary up to now (uptime ms). */
  update(now: number, nrun: number): void {
    let steps = 0;
    while (now >= this.next && steps++ < 1000) {
      for (let i = 0; i < 3; i++) this.ldavg[i] = this.ldavg[i] * CEXP[i] + nrun * (1 - CEXP[i]);
      this.next += LOADAV_INTERVAL_MS;
    }
    if (now >= this.next) this.next = now - (now % LOADAV_INTERVAL_MS) + LOADAV_INTERVAL_MS;
  }

  /** struct loadavg { fixpt_t ldavg[3]; long fscale; }: 24 bytes on LP64. */
  encode(): Uint8Array {
    const b = new Uint8Array(24);
    const dv = new DataView(b.buffer);
    this.ldavg.forEach((v, i) => dv.setUint32(i * 4, Math.round(v * FSCALE), true));
    dv.setBigInt64(16, BigInt(FSCALE), true);
    return b;
  }
}
