/** The source of "now" for everything time-dependent, injectable so tests control time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  /** Moves time forward by `ms` milliseconds (negative values are rejected). */
  advance(ms: number): void;
  /** Jumps to an absolute time. */
  set(epochMs: number): void;
}

/**
 * A clock that only moves when told to. Each `now()` call still returns a strictly increasing value
 * when `tick` is set, which keeps transaction times ordered in tests that do many writes at "the same" time.
 */
export function createManualClock(startEpochMs: number, options: { tick?: number } = {}): ManualClock {
  let current = startEpochMs;
  const tick = options.tick ?? 0;
  return {
    now() {
      const value = current;
      current += tick;
      return value;
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`[neuromem] [clock] advance() needs a non-negative number, got ${ms}`);
      current += ms;
    },
    set(epochMs) {
      current = epochMs;
    },
  };
}
