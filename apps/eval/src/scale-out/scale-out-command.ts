import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parseIntList, parsePositiveInt } from '../cli-args';
import { formatScaleOutTable } from './format-scale-out';
import { runScaleOut } from './run-scale-out';
import { runScaleOutWorker, type WorkerTask } from './scale-out-worker';

/**
 * `neuromem-eval scale-out`, and the hidden `scale-out-worker` it starts in each worker process
 * (the same executable, so a worker runs exactly the code the parent does).
 */
export function registerScaleOut(program: Command): void {
  program
    .command('scale-out')
    .description('1, 2, 4... worker processes share one Postgres-backed memory, adding and searching at once: throughput, latency, lost writes, cross-user results')
    .requiredOption('--store <kind>', 'a postgres:// URL of a server with pgvector, or postgres (PGlite served on loopback by this process; one worker only)')
    .option('--workers <list>', 'worker counts', '1,2,4')
    .option('--users <n>', 'users, shared by every worker', '20')
    .option('--adds <n>', 'single-turn adds per worker', '200')
    .option('--searches <n>', 'searches per worker, interleaved with its adds', '100')
    .option('--session-turns <n>', 'turns per session', '10')
    .option('--seed <n>', 'seed of the generated chat', '42')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress output')
    .action(async (o: { store: string; workers: string; users: string; adds: string; searches: string; sessionTurns: string; seed: string; json?: string; quiet?: boolean }) => {
      const report = await runScaleOut({
        store: o.store,
        workerCounts: parseIntList(o.workers, '--workers', 64),
        users: parsePositiveInt(o.users, '--users', 1_000_000),
        addsPerWorker: parsePositiveInt(o.adds, '--adds', 1_000_000),
        searchesPerWorker: parsePositiveInt(o.searches, '--searches', 1_000_000),
        sessionTurns: parsePositiveInt(o.sessionTurns, '--session-turns', 10_000),
        seed: parsePositiveInt(o.seed, '--seed', 2 ** 31),
        // The bundled CLI this module is part of: workers start it again.
        cli: fileURLToPath(import.meta.url),
        ...(o.quiet ? {} : { onProgress: (message: string) => console.error(message) }),
      });
      console.log(formatScaleOutTable(report));
      if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
      const broken = report.rows.some((row) => row.lost > 0 || row.crossUser > 0 || row.errors > 0);
      if (broken) process.exitCode = 1;
    });

  // One worker process of scale-out (started by it, not by hand).
  program
    .command('scale-out-worker', { hidden: true })
    .argument('<task>')
    .action((task: string) => runScaleOutWorker(JSON.parse(task) as WorkerTask));
}
