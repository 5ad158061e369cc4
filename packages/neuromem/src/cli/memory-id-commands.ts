import type { Command } from 'commander';
import { formatItem } from '../cli-output';
import type { EntityIds } from '../types';
import type { CliContext, ScopeOptions } from './cli-context';
import { failCli } from './cli-errors';
import { parseJsonOption, scoped } from './cli-options';
import { MIN_ID_PREFIX, resolveMemoryId } from './resolve-memory-id';

const ID_ARGUMENT = `memory id, or a unique prefix of it (${MIN_ID_PREFIX}+ characters)`;

/** The same words for an unknown id and another owner's, so ids cannot be probed. */
const noMemory = (id: string) =>
  failCli('NOT_FOUND', `no memory with id ${id}: none of this owner's current memories has that id or starts with it; check the id (${MIN_ID_PREFIX}+ characters of it will do) and --user.`, {
    details: { id },
  });

/** `get`, `history`, `update` and `delete`: one memory, named by its id or a prefix of it. */
export function registerMemoryIdCommands(program: Command, cli: CliContext): void {
  scoped(program.command('get').description('show one memory').argument('<id>', ID_ARGUMENT)).action((given: string, o: ScopeOptions) => {
    const owner = cli.idOwner(o);
    return cli.withMemory('read', async (memory) => {
      const id = await resolveMemoryId(memory.store, given, owner, { includeDeleted: false, notFound: () => noMemory(given) });
      const item = await memory.get(id, owner);
      if (!item) throw noMemory(given); // expired since it was resolved
      cli.print(item, () => formatItem(item));
    });
  });

  scoped(program.command('history').description('show how a memory changed, deleted ones too').argument('<id>', ID_ARGUMENT)).action((given: string, o: ScopeOptions) => {
    const owner = cli.idOwner(o);
    return cli.withMemory('read', async (memory) => {
      const notFound = () =>
        failCli('NOT_FOUND', `no history for id ${given}: no memory of this owner, current or deleted, has that id or starts with it; check the id and --user.`, { details: { id: given } });
      const id = await resolveMemoryId(memory.store, given, owner, { includeDeleted: true, notFound });
      const history = await memory.history(id, owner);
      cli.print(history, () => history.map((h) => `${h.created_at}  ${h.action.padEnd(6)}  ${h.new_value ?? h.previous_value ?? ''}`).join('\n'));
    });
  });

  scoped(
    program
      .command('update')
      .description('change a memory: new text (embedded again) and/or metadata merged over its own; the old version stays in its history')
      .argument('<id>', ID_ARGUMENT)
      .argument('[text]', 'the new text'),
  )
    .option('--metadata <json>', 'metadata to merge over the memory\'s own, as a JSON object, e.g. \'{"topic":"food"}\'')
    .action((given: string, text: string | undefined, o: ScopeOptions & { metadata?: string }) => {
      const metadata = o.metadata === undefined ? undefined : parseJsonOption(o.metadata, '--metadata');
      if (text === undefined && metadata === undefined) {
        throw failCli('INVALID_INPUT', 'update needs the new text, --metadata <json>, or both, e.g. neuromem update <id> "I live in Porto now" --user alice.', { details: { field: 'text' } });
      }
      const owner = cli.idOwner(o);
      return cli.withMemory('write', async (memory) => {
        const id = await resolveMemoryId(memory.store, given, owner, { includeDeleted: false, notFound: () => noMemory(given) });
        const result = await memory.update(id, metadata === undefined ? text! : { ...(text !== undefined ? { text } : {}), metadata }, owner);
        const item = await memory.get(id, owner);
        cli.print({ id, ...result, ...(item ? { memory: item } : {}) }, () => `updated ${id}${item ? `: ${item.memory}` : ''}`);
      });
    });

  scoped(program.command('delete').description('delete a memory (it stays in its history)').argument('<id>', ID_ARGUMENT)).action((given: string, o: ScopeOptions) => {
    const owner: EntityIds = cli.idOwner(o);
    return cli.withMemory('write', async (memory) => {
      const id = await resolveMemoryId(memory.store, given, owner, { includeDeleted: false, notFound: () => noMemory(given) });
      const result = await memory.delete(id, owner);
      cli.print({ id, ...result }, () => `deleted ${id}`);
    });
  });
}
