import { join } from 'node:path';
import { createPhaseProgress } from '../phase-progress';
import { PARAPHRASE_DATA } from '../paraphrase/paraphrase-data';
import { loadUpdateSet, runUpdates, type UpdatesOptions, type UpdatesReport } from './run-updates';

/** The shipped knowledge-update set (`data/updates-v1.json`, LoCoMo format, written for this project). */
export const UPDATES_DATA = join(PARAPHRASE_DATA, '..', 'updates-v1.json');

/** `runUpdates` with a progress bar per system (every turn stored and every question asked is a step). */
export async function runUpdatesWithProgress(options: Omit<UpdatesOptions, 'onProgress'> & { quiet: boolean }): Promise<UpdatesReport> {
  const set = loadUpdateSet(options.data);
  const chosen = options.conversations ? set.conversations.filter((c) => options.conversations!.includes(c.sampleId)) : set.conversations;
  const turns = chosen.reduce((sum, c) => sum + c.sessions.reduce((n, s) => n + s.turns.length, 0), 0);
  const questions = set.questions.filter((q) => chosen.some((c) => c.sampleId === q.conversation)).length;
  const progress = createPhaseProgress({ quiet: options.quiet });
  const done = new Map<string, number>();
  try {
    return await runUpdates({
      ...options,
      onProgress: ({ system }) => {
        done.set(system, (done.get(system) ?? 0) + 1);
        progress.onProgress({ phase: system, done: done.get(system)!, total: turns + questions });
      },
    });
  } finally {
    progress.stop();
  }
}
