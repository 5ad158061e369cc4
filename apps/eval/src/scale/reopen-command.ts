import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePositiveInt } from '../cli-args';
import { formatReopenTable, runReopen } from './run-reopen';

/** `neuromem-eval reopen`: what a restart costs (see `runReopen`). */
export function registerReopen(program: Command): void {
  program
    .command('reopen')
    .description('open an existing memory (e.g. one `scale --keep` left) in a fresh process and time the open and the first searches, optionally with the page cache dropped')
    .requiredOption('--path <dir>', 'the memory directory')
    .option('--users <n>', 'users of the scale workload that filled it', '100')
    .option('--seed <n>', 'seed of that workload', '42')
    .option('--searches <n>', 'searches after the open, by seeded random users', '5')
    .option('--drop-caches', 'empty the Linux page cache first (needs root): a cold open')
    .option('--prefetch', "call memory.prefetch() for each user before their first search (timed apart), as an app does when a user's session opens")
    .option('--json <file>', 'write the results as JSON')
    .action(async (o: { path: string; users: string; seed: string; searches: string; dropCaches?: boolean; prefetch?: boolean; json?: string }) => {
      const report = await runReopen({
        path: o.path,
        users: parsePositiveInt(o.users, '--users', 1_000_000),
        seed: parsePositiveInt(o.seed, '--seed', 2 ** 31),
        searches: parsePositiveInt(o.searches, '--searches', 10_000),
        dropCaches: o.dropCaches === true,
        prefetch: o.prefetch === true,
      });
      console.log(formatReopenTable(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    });
}
