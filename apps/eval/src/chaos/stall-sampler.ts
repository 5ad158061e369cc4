import { percentile } from '../bench/bench-measure';

/**
 * Measures how late a 5 ms timer fires: how long the event loop was held. Unlike
 * `monitorEventLoopDelay`, pausing is exact: the first tick after `resume()` measures from
 * `resume()`, not from before the pause.
 */
export function createStallSampler(intervalMs = 5) {
  const lateness: number[] = [];
  let paused = true;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (!paused) lateness.push(Math.max(0, now - last - intervalMs));
    last = now;
  }, intervalMs);
  return {
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      last = performance.now();
    },
    /** Stops sampling; p99 and max of the lateness in ms. */
    stop() {
      clearInterval(timer);
      const sorted = [...lateness].sort((a, b) => a - b);
      return { samples: sorted.length, p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
    },
  };
}
