import { performance } from 'node:perf_hooks';
import { createMemory } from 'neuromem';
import { summarize } from '../bench/bench-measure';
import type { LongSessionResult } from './scale-report';
import type { ScaleWorkload } from './scale-workload';

const WINDOW = 100;
const USER = 'long-session';

/**
 * One user's one session receiving `turns` single-turn adds in a fresh store at `directory`. A chat
 * app adds each turn as it happens, so the cost of the last add of a long conversation matters as
 * much as the first; the two windows show whether it grows with the session.
 */
export async function runLongSession(options: {
  turns: number;
  directory: string;
  durability: 'full' | 'normal';
  workload: ScaleWorkload;
  onProgress?: (done: number) => void;
}): Promise<LongSessionResult> {
  const { turns, directory, workload, onProgress } = options;
  const memory = await createMemory({ path: directory, durability: options.durability });
  try {
    const samples: number[] = [];
    for (let i = 0; i < turns; i++) {
      const { content, timestamp } = workload.turn();
      const started = performance.now();
      await memory.add([{ role: 'user', content, timestamp }], { userId: USER, runId: `${USER}-1` });
      samples.push(performance.now() - started);
      onProgress?.(i + 1);
    }
    const window = Math.min(WINDOW, Math.floor(turns / 2));
    return { turns, window, first: summarize(samples.slice(0, window)), last: summarize(samples.slice(-window)) };
  } finally {
    await memory.close();
  }
}
