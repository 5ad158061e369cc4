#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { checkGlobals, createCliContext, type GlobalOptions } from './cli/cli-context';
import { failCli, reportError } from './cli/cli-errors';
import { registerMemoryIdCommands } from './cli/memory-id-commands';
import { registerReadCommands } from './cli/read-commands';
import { registerSleepCommand } from './cli/sleep-command';
import { registerWriteCommands } from './cli/write-commands';
import { registerMcpCommand } from './mcp/mcp-command';
import { registerServeCommand } from './server/serve-command';

/** Commander's own message (unknown command, missing argument), printed our way once parsing fails. */
let parseError = '';

const program = new Command()
  .name('neuromem')
  .description('Long-term memory for LLM apps, from the command line.')
  .version('0.1.0')
  .addOption(new Option('--db <dir>', 'database directory').env('NEUROMEM_DB').default('.neuromem'))
  .option('--json', 'print JSON instead of text; errors too, as { "error": { "code", "message" } } on stdout')
  .option('--no-require-scope', 'let commands without --user reach every user (get/history by id alone, --agent or --run alone)')
  .option('--create', 'let commands other than add and import start an empty memory where --db holds none')
  .option('--wait <seconds>', 'when another process holds the memory, wait up to this long for it before failing (commands that write)')
  .configureOutput({ outputError: (message) => void (parseError = message) })
  .configureHelp({ sortSubcommands: true })
  .exitOverride()
  .hook('preAction', () => checkGlobals(program.opts<GlobalOptions>()));

const cli = createCliContext(program);
registerWriteCommands(program, cli);
registerReadCommands(program, cli);
registerMemoryIdCommands(program, cli);
registerSleepCommand(program, cli);
registerMcpCommand(program);
registerServeCommand(program);

// `neuromem export | head`: the reader has all it wants. Whatever was written is committed, so stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// `--json` as parsed, or as typed when parsing failed before the options were read.
const json = () => program.opts<GlobalOptions>().json === true || process.argv.slice(2).includes('--json');

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    if (error.exitCode === 0) return;
    const message = (parseError || error.message).replace(/^error: /, '').trim();
    process.exitCode = reportError(failCli('INVALID_INPUT', `${message} (see neuromem --help)`, { details: { commander: error.code } }), json());
    return;
  }
  process.exitCode = reportError(error, json());
});
