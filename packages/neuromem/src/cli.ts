#!/usr/bin/env node
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';
import type { SqliteMemoryStore } from '@neuromem/store';
import { createMemory, type Memory } from './create-memory';
import { formatItem, formatTable } from './cli-output';
import { registerMcpCommand } from './mcp/mcp-command';
import { registerServeCommand } from './server/serve-command';

/** Exit codes a script can branch on. */
const EXIT: Partial<Record<NeuroMemErrorCode, number>> = { INVALID_INPUT: 2, DIMENSION_MISMATCH: 2, NOT_FOUND: 3, LOCKED: 4, CONFLICT: 5, STORAGE: 6 };

interface GlobalOptions {
  db: string;
  json?: boolean;
  requireScope: boolean;
}
interface ScopeOptions {
  user?: string;
  agent?: string;
  run?: string;
}

const program = new Command()
  .name('neuromem')
  .description('Long-term memory for LLM apps, from the command line.')
  .version('0.1.0')
  .addOption(new Option('--db <dir>', 'database directory').env('NEUROMEM_DB').default('.neuromem'))
  .option('--json', 'print JSON instead of text')
  .option('--no-require-scope', 'let commands without --user reach every user (get/history by id alone, --agent or --run alone)')
  .exitOverride();

const scoped = (command: Command) => command.option('--user <id>', 'user id').option('--agent <id>', 'agent id').option('--run <id>', 'run / session id');
const ids = (o: ScopeOptions) => {
  if (globals().requireScope && !o.user) {
    throw Object.assign(new Error("pass --user <id> (--agent and --run may narrow it): a command reaches one user's memories; --no-require-scope lifts this"), { exitCode: 2 });
  }
  if (!o.user && !o.agent && !o.run) throw Object.assign(new Error('pass --user <id>, --agent <id> or --run <id>: memories always belong to someone'), { exitCode: 2 });
  return optionalIds(o);
};
/** The owner a by-id command checks: required unless --no-require-scope. */
const ownerIds = (o: ScopeOptions) => (globals().requireScope ? ids(o) : optionalIds(o));
const optionalIds = (o: ScopeOptions) => ({ ...(o.user ? { userId: o.user } : {}), ...(o.agent ? { agentId: o.agent } : {}), ...(o.run ? { runId: o.run } : {}) });
const globals = () => program.opts<GlobalOptions>();
const print = (value: unknown, text: () => string) => console.log(globals().json ? JSON.stringify(value, null, 2) : text());

async function withMemory<T>(work: (memory: Memory<SqliteMemoryStore>) => Promise<T>): Promise<T> {
  const memory = await createMemory({ path: resolve(globals().db), requireScope: globals().requireScope });
  try {
    return await work(memory);
  } finally {
    await memory.close();
  }
}

scoped(program.command('add').description('remember a text').argument('<text>'))
  .option('--time <when>', 'when it happened (ISO-8601); default now')
  .option('--role <role>', 'speaker or role', 'user')
  .option('--metadata <json>', 'metadata as a JSON object')
  .action((text: string, o: ScopeOptions & { time?: string; role: string; metadata?: string }) =>
    withMemory(async (memory) => {
      const metadata = o.metadata === undefined ? undefined : parseJsonOption(o.metadata, '--metadata');
      const result = await memory.add([{ role: o.role === 'assistant' ? 'assistant' : 'user', content: text, ...(o.role !== 'user' && o.role !== 'assistant' ? { name: o.role } : {}) }], {
        ...ids(o),
        ...(o.time ? { timestamp: o.time } : {}),
        ...(metadata ? { metadata } : {}),
      });
      print(result, () => result.results.map((item) => `added ${item.id}`).join('\n'));
    }),
  );

scoped(program.command('search').description('find memories relevant to a query').argument('<query>'))
  .option('-k, --k <n>', 'how many results', '5')
  .option('--reference-date <when>', 'the "now" of the question (ISO-8601)')
  .option('--threshold <score>', 'minimum score (0..1)')
  .action((query: string, o: ScopeOptions & { k: string; referenceDate?: string; threshold?: string }) =>
    withMemory(async (memory) => {
      const result = await memory.search(query, {
        ...ids(o),
        topK: Number(o.k),
        ...(o.referenceDate ? { referenceDate: o.referenceDate } : {}),
        ...(o.threshold ? { threshold: Number(o.threshold) } : {}),
      });
      print(result, () => (result.results.length === 0 ? 'no memories found' : result.results.map((item, i) => formatItem(item, i + 1)).join('\n')));
    }),
  );

scoped(program.command('get').description('show one memory').argument('<id>')).action((id: string, o: ScopeOptions) =>
  withMemory(async (memory) => {
    const item = await memory.get(id, ownerIds(o));
    if (!item) throw Object.assign(new Error(`no memory with id ${id}`), { exitCode: 3 });
    print(item, () => formatItem(item));
  }),
);

scoped(program.command('history').description('show how a memory changed').argument('<id>')).action((id: string, o: ScopeOptions) =>
  withMemory(async (memory) => {
    const history = await memory.history(id, ownerIds(o));
    if (history.length === 0) throw Object.assign(new Error(`no history for id ${id}`), { exitCode: 3 });
    print(history, () => history.map((h) => `${h.created_at}  ${h.action.padEnd(6)}  ${h.new_value ?? h.previous_value ?? ''}`).join('\n'));
  }),
);

program
  .command('stats')
  .description('count memories, sessions, edges and bytes on disk')
  .option('--components', 'also bytes per component (records, text index, vectors, vector indexes, graph, history); reads every page, about a second per GB')
  .action((o: { components?: boolean }) =>
    withMemory(async (memory) => {
      const stats = await memory.stats();
      const components = o.components ? await memory.store.storageBreakdown() : undefined;
      const perMemory = (bytes: number) => (stats.memories > 0 ? ` (${Math.round(bytes / stats.memories).toLocaleString('en-US')} per memory)` : '');
      // A memory without a turn vector is cold (storage tiers): text, words and links only.
      const warm = stats.vectors.turn ?? 0;
      const tiers = { warm, cold: Math.max(0, stats.memories - warm) };
      print(components ? { ...stats, tiers, components } : { ...stats, tiers }, () =>
        formatTable([
          ['memories', stats.memories],
          ['  warm (with vectors)', tiers.warm],
          ['  cold (text and links)', tiers.cold],
          ['sessions', stats.sessions],
          ['edges', stats.edges],
          ['history events', stats.historyEvents],
          ...Object.entries(stats.vectors).map(([scale, n]) => [`vectors (${scale})`, n] as const),
          ['bytes on disk', stats.bytesOnDisk],
          ...Object.entries(components ?? {}).map(([component, bytes]) => [`  ${component}`, `${bytes}${perMemory(bytes)}`] as const),
        ]),
      );
    }),
  );

scoped(program.command('retier').description("storage tiers: keep vectors for the most important share of a user's memories, the rest as text and links"))
  .requiredOption('--warm-share <share>', 'share of the memories (0..1) that keep their vectors')
  .action((o: ScopeOptions & { warmShare: string }) =>
    withMemory(async (memory) => {
      const result = await memory.retier({ ...ids(o), warmShare: Number(o.warmShare) });
      print(result, () => `${result.warm} warm, ${result.cold} cold (${result.demoted} turned cold, ${result.promoted} given their vectors back)`);
    }),
  );

program
  .command('sleep')
  .description('run the sleep agents: link the versions of changed facts, tombstone expired memories (journaled, undoable)')
  .option('--user <id>', 'only this user (default: everyone with memories stored since the last sleep, then the rest)')
  .option('--budget <ms>', 'longest the sleep may take, in milliseconds', '30000')
  .option('--undo <runId>', 'reverse a finished sleep run instead')
  .option('--runs', 'list the journal of recent sleep runs instead')
  .action((o: { user?: string; budget: string; undo?: string; runs?: boolean }) =>
    withMemory(async (memory) => {
      if (o.runs) {
        const runs = await memory.sleepRuns();
        return print(runs, () =>
          runs.length === 0 ? 'no sleep has run yet' : runs.map((run) => `${run.runId}  ${run.status.padEnd(11)} ${new Date(run.startedAt).toISOString()}  ${summarize(run.reports)}`).join('\n'),
        );
      }
      if (o.undo !== undefined) {
        const result = await memory.undoSleep(o.undo);
        return print(result, () => `undid sleep ${result.runId}: ${result.undone} actions reversed, ${result.kept} kept (expiries)`);
      }
      const bar = globals().json ? undefined : new SingleBar({ format: 'sleeping [{bar}] {value}/{total} users | {agent}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
      let started = false;
      try {
        const report = await memory.sleep({
          budgetMs: Number(o.budget),
          ...(o.user !== undefined ? { userId: o.user } : {}),
          onProgress: ({ done, users, agent }) => {
            if (!started) bar?.start(users, 0, { agent });
            started = true;
            bar?.update(done, { agent });
          },
        });
        bar?.stop();
        print(report, () => `sleep ${report.runId}: ${report.users} users, ${summarize(report.reports)} in ${report.durationMs} ms${report.done ? '' : ' (budget reached: run it again to go on)'}`);
      } catch (error) {
        bar?.stop();
        throw error;
      }
    }),
  );

/** What a sleep's agents did, summed over users: "consolidation linked 12, forgetting expired 1". */
function summarize(reports: ReadonlyArray<{ agent: string; actions: Record<string, number> }>): string {
  const totals = new Map<string, number>();
  for (const report of reports) for (const [action, count] of Object.entries(report.actions)) totals.set(`${report.agent} ${action}`, (totals.get(`${report.agent} ${action}`) ?? 0) + count);
  return (
    [...totals]
      .filter(([key]) => /linked|expired/.test(key))
      .map(([key, count]) => `${key} ${count}`)
      .join(', ') || 'nothing to do'
  );
}

scoped(program.command('export').description('write memories as JSON Lines'))
  .option('--out <file>', 'output file (default: stdout)')
  .action((o: ScopeOptions & { out?: string }) =>
    withMemory(async (memory) => {
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      let count = 0;
      const { userId, agentId, runId } = optionalIds(o);
      for await (const item of memory.export({ ...(userId ? { userId } : {}), ...(agentId ? { agentId } : {}), ...(runId ? { runId } : {}) })) {
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

program
  .command('import')
  .description('read memories from JSON Lines (as written by export)')
  .argument('<file>')
  .action((file: string) =>
    withMemory(async (memory) => {
      const content = readFileSync(file, 'utf8');
      const total = content.split('\n').filter((line) => line.trim() !== '').length;
      const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} memories', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
      bar.start(total, 0);
      try {
        const result = await memory.import(content, { onProgress: ({ done }) => bar.update(done) });
        bar.stop();
        print(result, () => `imported ${result.imported}, skipped ${result.skipped} already present`);
      } catch (error) {
        bar.stop();
        throw error;
      }
    }),
  );

registerMcpCommand(program);
registerServeCommand(program);

function parseJsonOption(value: string, name: string): Record<string, never> {
  try {
    return JSON.parse(value) as Record<string, never>;
  } catch {
    throw Object.assign(new Error(`${name} must be JSON, e.g. '{"topic":"food"}'`), { exitCode: 2 });
  }
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  const message = error instanceof Error ? error.message.replace(/^\[neuromem\](?: \[[^\]]+\])? /, '') : String(error);
  console.error(`neuromem: ${message.split('\n')[0]}`);
  process.exitCode = isNeuroMemError(error) ? (EXIT[error.code] ?? 1) : ((error as { exitCode?: number }).exitCode ?? 1);
});
