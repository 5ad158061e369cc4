import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePositiveInt } from '../cli-args';
import { loadLocomo } from '../locomo/load-locomo';
import { formatThroughputTable, measureEmbeddingThroughput } from './measure-embedding-throughput';

/** `neuromem-eval embed-speed`: Module 1's embedding throughput, as `add()` embeds. */
export function registerEmbedSpeed(program: Command): void {
  program
    .command('embed-speed')
    .description('Module 1: embedding throughput on one core, with the embedders createMemory() builds, as the memory embeds its adds')
    .requiredOption('--data <file>', 'LoCoMo data file: its turns are the texts')
    .option('--turns <n>', 'turns per timed pass', '3000')
    .option('--batch <n>', 'turns per continueSession call', '20')
    .option('--passes <n>', 'timed passes per configuration', '3')
    .option('--json <file>', 'write the results as JSON')
    .action(async (o: { data: string; turns: string; batch: string; passes: string; json?: string }) => {
      const turns = parsePositiveInt(o.turns, '--turns', 1_000_000);
      const batch = parsePositiveInt(o.batch, '--batch', 10_000);
      const texts = loadLocomo(o.data)
        .flatMap((c) => c.sessions.flatMap((s) => s.turns.map((t) => t.text)))
        .slice(0, turns);
      const rows = await measureEmbeddingThroughput(texts, { batch, passes: parsePositiveInt(o.passes, '--passes', 100) });
      console.log(formatThroughputTable(rows, texts.length, batch));
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ turns: texts.length, batch, rows }, null, 2)}\n`);
    });
}
