import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { CliContext } from './cli-context';

/** `sleep`: run the sleep agents (with a progress bar), list their journal, or undo a run. */
export function registerSleepCommand(program: Command, cli: CliContext): void {
  program
    .command('sleep')
    .description('run the sleep agents: link the versions of changed facts, tombstone expired memories (journaled, undoable)')
    .option('--user <id>', 'only this user (default: everyone with memories stored since the last sleep, then the rest)')
    .option('--budget <ms>', 'longest the sleep may take, in milliseconds', '30000')
    .option(
      '--warm-share <share>',
      "a storage budget: only this share (0-1) of each user's memories keeps its vectors, the most useful by the learned utility; the rest fade to text, words and links (undoable)",
    )
    .option('--undo <runId>', 'reverse a finished sleep run instead')
    .option('--runs', 'list the journal of recent sleep runs instead')
    .action((o: { user?: string; budget: string; warmShare?: string; undo?: string; runs?: boolean }) =>
      cli.withMemory('write', async (memory) => {
        if (o.runs) {
          const runs = await memory.sleepRuns();
          return cli.print(runs, () =>
            runs.length === 0 ? 'no sleep has run yet' : runs.map((run) => `${run.runId}  ${run.status.padEnd(11)} ${new Date(run.startedAt).toISOString()}  ${summarize(run.reports)}`).join('\n'),
          );
        }
        if (o.undo !== undefined) {
          const result = await memory.undoSleep(o.undo);
          return cli.print(result, () => `undid sleep ${result.runId}: ${result.undone} actions reversed, ${result.kept} kept (expiries, retired facts)`);
        }
        const bar = cli.globals().json ? undefined : new SingleBar({ format: 'sleeping [{bar}] {value}/{total} users | {agent}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        let started = false;
        try {
          const report = await memory.sleep({
            budgetMs: Number(o.budget),
            ...(o.user !== undefined ? { userId: o.user } : {}),
            ...(o.warmShare !== undefined ? { warmShare: Number(o.warmShare) } : {}),
            onProgress: ({ done, users, agent }) => {
              if (!started) bar?.start(users, 0, { agent });
              started = true;
              bar?.update(done, { agent });
            },
          });
          bar?.stop();
          cli.print(
            report,
            () => `sleep ${report.runId}: ${report.users} users, ${summarize(report.reports)} in ${report.durationMs} ms${report.done ? '' : ' (budget reached: run it again to go on)'}`,
          );
        } catch (error) {
          bar?.stop();
          throw error;
        }
      }),
    );
}

/** What a sleep's agents did, summed over users: "consolidation linked 12, forgetting expired 1". */
function summarize(reports: ReadonlyArray<{ agent: string; actions: Record<string, number> }>): string {
  const totals = new Map<string, number>();
  for (const report of reports) for (const [action, count] of Object.entries(report.actions)) totals.set(`${report.agent} ${action}`, (totals.get(`${report.agent} ${action}`) ?? 0) + count);
  return (
    [...totals]
      .filter(([key, count]) => /linked|expired/.test(key) || (/demoted|promoted/.test(key) && count > 0))
      .map(([key, count]) => `${key} ${count}`)
      .join(', ') || 'nothing to do'
  );
}
