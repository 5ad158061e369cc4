import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { formatItem, formatTable } from '../cli-output';
import type { CliContext, ScopeOptions } from './cli-context';
import { scoped } from './cli-options';

/**
 * `search`, `stats` and `export`: they open the memory read-only (as `get` and `history` do), so
 * they work while a server or another command holds it, and record nothing (not even accesses).
 */
export function registerReadCommands(program: Command, cli: CliContext): void {
  scoped(program.command('search').description('find memories relevant to a query').argument('<query>'))
    .option('-k, --k <n>', 'how many results', '5')
    .option('--reference-date <when>', 'the "now" of the question (ISO-8601)')
    .option('--threshold <score>', 'minimum score (0..1)')
    .action((query: string, o: ScopeOptions & { k: string; referenceDate?: string; threshold?: string }) => {
      const owner = cli.owner(o);
      return cli.withMemory('read', async (memory) => {
        const result = await memory.search(query, {
          ...owner,
          topK: Number(o.k),
          ...(o.referenceDate ? { referenceDate: o.referenceDate } : {}),
          ...(o.threshold ? { threshold: Number(o.threshold) } : {}),
        });
        cli.print(result, () => (result.results.length === 0 ? 'no memories found' : result.results.map((item, i) => formatItem(item, i + 1)).join('\n')));
      });
    });

  program
    .command('stats')
    .description('count memories, sessions, edges and bytes on disk')
    .option('--components', 'also bytes per component (records, text index, vectors, vector indexes, graph, history, free pages); reads every page, about a second per GB')
    .action((o: { components?: boolean }) =>
      cli.withMemory('read', async (memory) => {
        const stats = await memory.stats();
        const components = o.components ? await memory.store.storageBreakdown() : undefined;
        const perMemory = (bytes: number) => (stats.memories > 0 ? ` (${Math.round(bytes / stats.memories).toLocaleString('en-US')} per memory)` : '');
        // A memory without a turn vector is cold (storage tiers): text, words and links only.
        const warm = stats.vectors.turn ?? 0;
        const tiers = { warm, cold: Math.max(0, stats.memories - warm) };
        cli.print(components ? { ...stats, tiers, components } : { ...stats, tiers }, () =>
          formatTable([
            ['memories', stats.memories],
            ['  warm (with vectors)', tiers.warm],
            ['  cold (text and links)', tiers.cold],
            ['sessions', stats.sessions],
            ['edges', stats.edges],
            ['history events', stats.historyEvents],
            ...Object.entries(stats.vectors).map(([scale, n]) => [`vectors (${scale})`, n] as const),
            ['bytes on disk', stats.bytesOnDisk],
            ...Object.entries(components ?? {}).map(([component, bytes]) =>
              // Free pages (left by deletes or an upgrade) go back to the disk when a sleep compacts the file.
              component === 'free' ? (['  free pages', `${bytes}${bytes > 0 ? ' (a `neuromem sleep` gives them back)' : ''}`] as const) : ([`  ${component}`, `${bytes}${perMemory(bytes)}`] as const),
            ),
          ]),
        );
      }),
    );

  scoped(program.command('export').description('write memories as JSON Lines'))
    .option('--out <file>', 'output file (default: stdout)')
    .action((o: ScopeOptions & { out?: string }) =>
      cli.withMemory('read', async (memory) => {
        const out = o.out ? createWriteStream(o.out) : process.stdout;
        let count = 0;
        // No owner at all is every memory (an operator's backup), whatever --require-scope says.
        const owner = { ...(o.user ? { userId: o.user } : {}), ...(o.agent ? { agentId: o.agent } : {}), ...(o.run ? { runId: o.run } : {}) };
        for await (const item of memory.export(owner)) {
          if (!out.write(`${JSON.stringify(item)}\n`)) await once(out, 'drain');
          count++;
        }
        if (o.out) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
          console.error(`exported ${count} memories to ${o.out}`);
        }
      }),
    );
}
