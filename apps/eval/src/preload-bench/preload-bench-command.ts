import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseIntList } from '../cli-args';
import { currentCommit } from '../scale/scale-measures';
import { formatPreloadBench, runPreloadBench } from './run-preload-bench';

/** `neuromem-eval preload-bench`: the pre-loading agent's hit rate and the first-search latency it saves. */
export function registerPreloadBench(program: Command): void {
  program
    .command('preload-bench')
    .description("Module 5: the pre-loading agent's hit rate and first-search latency, against no pre-loading and a fixed recency baseline")
    .option('--memories <n>', 'memories stored before the simulation', '10000')
    .option('--users <n>', 'users they belong to', '100')
    .option('--days <n>', 'simulated days (the first is for learning only)', '4')
    .option('--seed <n>', 'random seed', '7')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress lines')
    .action(async (o: { memories: string; users: string; days: string; seed: string; json?: string; quiet?: boolean }) => {
      const report = await runPreloadBench({
        memories: parseIntList(o.memories, '--memories', 10_000_000)[0]!,
        users: parseIntList(o.users, '--users', 100_000)[0]!,
        days: parseIntList(o.days, '--days', 365)[0]!,
        seed: parseIntList(o.seed, '--seed', 2 ** 31)[0]!,
        ...(o.quiet ? {} : { onPhase: (phase: string) => console.error(`preload-bench: ${phase}`) }),
      });
      console.log(formatPreloadBench(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ ...report, commit: currentCommit(), measuredAt: new Date().toISOString() }, null, 2)}\n`);
    });
}
