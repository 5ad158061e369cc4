import { Presets, SingleBar } from 'cli-progress';

export interface PhaseProgress {
  onProgress(event: { phase: string; done: number; total: number }): void;
  stop(): void;
}

/** One progress bar on stderr per phase of a long run (a new phase restarts the bar); silent when quiet. */
export function createPhaseProgress(options: { quiet?: boolean; eta?: boolean }): PhaseProgress {
  const format = options.eta ? '{phase} [{bar}] {value}/{total} | ETA {eta_formatted}' : '{phase} [{bar}] {value}/{total}';
  const bar = options.quiet ? undefined : new SingleBar({ format, stream: process.stderr, hideCursor: true, ...(options.eta ? { etaBuffer: 50 } : {}) }, Presets.shades_classic);
  let phase = '';
  return {
    onProgress(event) {
      if (!bar) return;
      if (event.phase !== phase) {
        if (phase) bar.stop();
        phase = event.phase;
        bar.start(event.total, 0, { phase });
      }
      bar.update(event.done);
    },
    stop: () => bar?.stop(),
  };
}
