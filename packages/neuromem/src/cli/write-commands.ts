import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { CliContext, ScopeOptions } from './cli-context';
import { failCli } from './cli-errors';
import { parseJsonOption, scoped } from './cli-options';

/** `add`, `import` (which start a memory where there is none) and `retier`: they hold the memory's lock while they run. */
export function registerWriteCommands(program: Command, cli: CliContext): void {
  scoped(program.command('add').description('remember a text').argument('<text>'))
    .option('--time <when>', 'when it happened (ISO-8601); default now')
    .option('--role <role>', 'speaker or role', 'user')
    .option('--metadata <json>', 'metadata as a JSON object')
    .action((text: string, o: ScopeOptions & { time?: string; role: string; metadata?: string }) => {
      const owner = cli.owner(o);
      const metadata = o.metadata === undefined ? undefined : parseJsonOption(o.metadata, '--metadata');
      return cli.withMemory('create', async (memory) => {
        const result = await memory.add([{ role: o.role === 'assistant' ? 'assistant' : 'user', content: text, ...(o.role !== 'user' && o.role !== 'assistant' ? { name: o.role } : {}) }], {
          ...owner,
          ...(o.time ? { timestamp: o.time } : {}),
          ...(metadata ? { metadata } : {}),
        });
        cli.print(result, () => result.results.map((item) => `added ${item.id}`).join('\n'));
      });
    });

  program
    .command('import')
    .description('read memories from JSON Lines (as written by export)')
    .argument('<file>')
    .action((file: string) => {
      const content = readInput(file);
      return cli.withMemory('create', async (memory) => {
        const total = content.split('\n').filter((line) => line.trim() !== '').length;
        const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} memories', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(total, 0);
        try {
          const result = await memory.import(content, { onProgress: ({ done }) => bar.update(done) });
          bar.stop();
          cli.print(result, () => `imported ${result.imported}, skipped ${result.skipped} already present`);
        } catch (error) {
          bar.stop();
          throw error;
        }
      });
    });

  scoped(
    program.command('retier').description("storage tiers: keep vectors for the most useful share of a user's memories (learned utility: importance, age, accesses), the rest as text, words and links"),
  )
    .requiredOption('--warm-share <share>', 'share of the memories (0..1) that keep their vectors')
    .action((o: ScopeOptions & { warmShare: string }) => {
      const owner = cli.owner(o);
      return cli.withMemory('write', async (memory) => {
        const result = await memory.retier({ ...owner, warmShare: Number(o.warmShare) });
        cli.print(result, () => `${result.warm} warm, ${result.cold} cold (${result.demoted} turned cold, ${result.promoted} given their vectors back)`);
      });
    });
}

/** The import file, read before the memory is opened: a mistyped name must not start an empty memory. */
function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw failCli('NOT_FOUND', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path of the JSON Lines file to import.`, {
      cause: error,
      details: { path: file },
    });
  }
}
