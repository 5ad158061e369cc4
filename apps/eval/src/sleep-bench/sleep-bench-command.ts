import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseIntList, parseShare } from '../cli-args';
import { currentCommit } from '../scale/scale-measures';
import { formatSleepBench, runSleepBench } from './run-sleep-bench';

/** `neuromem-eval sleep-bench`: sleep throughput, and foreground latency while a background sleep runs. */
export function registerSleepBench(program: Command): void {
  program
    .command('sleep-bench')
    .description('Module 5: sleep throughput, and foreground search latency while a background sleep runs')
    .option('--memories <n>', 'memories stored before the sleep', '10000')
    .option('--users <n>', 'users they belong to', '100')
    .option('--queries <n>', 'timed searches per phase', '200')
    .option('--seed <n>', 'random seed', '7')
    .option('--warm-share <share>', "both sleeps work to a storage budget: this share (0-1) of each user's memories keeps its vectors")
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress lines')
    .action(async (o: { memories: string; users: string; queries: string; seed: string; warmShare?: string; json?: string; quiet?: boolean }) => {
      const warmShare = o.warmShare === undefined ? undefined : parseShare(o.warmShare, '--warm-share');
      const report = await runSleepBench({
        memories: parseIntList(o.memories, '--memories', 10_000_000)[0]!,
        users: parseIntList(o.users, '--users', 1_000_000)[0]!,
        queries: parseIntList(o.queries, '--queries', 100_000)[0]!,
        seed: parseIntList(o.seed, '--seed', 2 ** 31)[0]!,
        ...(warmShare !== undefined ? { warmShare } : {}),
        ...(o.quiet ? {} : { onPhase: (phase: string) => console.error(`sleep-bench: ${phase}`) }),
      });
      console.log(formatSleepBench(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ ...report, commit: currentCommit(), measuredAt: new Date().toISOString() }, null, 2)}\n`);
    });
}
