/*
 * Resource limits (getrlimit/setrlimit/prlimit64). RLIM_INFINITY is ~0UL on
 * Linux; we keep limits as JS numbers with Infinity for it.
 */
export const RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
  RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
  RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
  RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16;

export interface Rlimit { cur: number; max: number }

/* Defaults as a fresh Linux login shell sees them, scaled to our machine. */
const defaults: Array<[number, number]> = [
  [Infinity, Infinity],          // CPU
  [Infinity, Infinity],          // FSIZE
  [Infinity, Infinity],          // DATA
  [8 * 1024 * 1024, Infinity],   // STACK
  [0, Infinity],                 // CORE
  [Infinity, Infinity],          // RSS
  [500, 500],                    // NPROC: a fork bomb stops here (EAGAIN)
  [1024, 4096],                  // NOFILE
  [8 * 1024 * 1024, 8 * 1024 * 1024], // MEMLOCK
  [Infinity, Infinity],          // AS
  [Infinity, Infinity],          // LOCKS
  [1000, 1000],                  // SIGPENDING
  [819200, 819200],              // MSGQUEUE
  [0, 0],                        // NICE
  [0, 0],                        // RTPRIO
  [Infinity, Infinity],          // RTTIME
];

export class Rlimits {
  readonly lim: Rlimit[] = defaults.map(([cur, max]) => ({ cur, max }));

  clone(): Rlimits {
    const r = new Rlimits();
    for (let i = 0; i < RLIM_NLIMITS; i++) r.lim[i] = { ...this.lim[i] };
    return r;
  }

  cur(which: number): number {
    return this.lim[which].cur;
  }
}
