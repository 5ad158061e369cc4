import { Presets, SingleBar } from 'cli-progress';
import { countSteps, runLocomo, type LocomoReport, type RunOptions } from './run-locomo';

export interface ProgressRunOptions extends Omit<RunOptions, 'onProgress'> {
  /** No progress bar on stderr. Default: false. */
  quiet?: boolean;
}

/** `runLocomo` with a progress bar on stderr, as every recall command of the CLI shows it. */
export async function runLocomoWithProgress(options: ProgressRunOptions): Promise<LocomoReport> {
  const { quiet, ...run } = options;
  const bar = quiet ? undefined : new SingleBar({ format: '{system} {conversation} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar?.start(countSteps(run.conversations, run.systems.length), 0, { system: '', conversation: '' });
  try {
    return await runLocomo({ ...run, onProgress: (step) => bar?.increment(step) });
  } finally {
    bar?.stop();
  }
}
