import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseNameList } from '../cli-args';
import { foldModels } from '../cli-folds';
import { currentCommit } from '../scale/scale-measures';
import { resolveSystems } from '../systems/registry';
import { createPhaseProgress } from '../phase-progress';
import { PARAPHRASE_DATA } from '../paraphrase/paraphrase-data';
import { formatUpdatesTable, loadUpdateSet, runUpdates, type UpdatesOptions, type UpdatesReport } from './run-updates';

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

/** `neuromem-eval updates`: is the current (or previous) statement of a changed fact first, before and after a sleep. */
export function registerUpdates(program: Command): void {
  program
    .command('updates')
    .description('Module 5: knowledge updates: is the current (or previous) statement of a changed fact first, before and after a sleep')
    .option('--data <file>', 'knowledge-update set (LoCoMo format, qa items with "update"; default: the shipped data/updates-v1.json)')
    .option('--systems <names>', 'comma-separated systems', 'bm25,neuromem,neuromem-sleep')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--ranker-cv <dir>', 'NeuroMem uses <dir>/<sample_id>/<variant>.json rankers, fitted without that conversation')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress bar')
    .action(async (o: { data?: string; systems: string; conversations?: string; rankerCv?: string; json?: string; quiet?: boolean }) => {
      const data = o.data ?? UPDATES_DATA;
      const report = await runUpdatesWithProgress({
        data,
        context: foldModels(o),
        systems: resolveSystems(parseNameList(o.systems, '--systems')),
        ...(o.conversations ? { conversations: parseNameList(o.conversations, '--conversations') } : {}),
        quiet: o.quiet ?? false,
      });
      console.log(formatUpdatesTable(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ ...report, commit: currentCommit(), measuredAt: new Date().toISOString() }, null, 2)}\n`);
    });
}
