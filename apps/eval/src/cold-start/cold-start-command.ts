import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePositiveInt } from '../cli-args';
import { createPhaseProgress } from '../phase-progress';
import { formatColdStartTable, runColdStart } from './run-cold-start';

/** `neuromem-eval cold-start`: what a fresh process pays before its first answer (issue 14's `createMemory()` cold start). */
export function registerColdStart(program: Command): void {
  program
    .command('cold-start')
    .description("a fresh process's import, createMemory(), first add and first searches, on a new memory and reopened, each in its own process")
    .option('--runs <n>', 'pairs of processes (a new memory, then reopened)', '7')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress bar')
    .action(async (o: { runs: string; json?: string; quiet?: boolean }) => {
      const runs = parsePositiveInt(o.runs, '--runs', 1_000);
      const progress = createPhaseProgress({ quiet: o.quiet });
      const report = await runColdStart({ runs, onRun: (done) => progress.onProgress({ phase: 'cold starts', done, total: runs }) });
      progress.stop();
      console.log(formatColdStartTable(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    });
}
