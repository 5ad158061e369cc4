import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SqliteMemoryStore } from '@neuromem/store';
import type { Memory } from '../create-memory';
import type { EntityIds } from '../types';
import { failCli } from './cli-errors';
import { openCliMemory, type CliAccess } from './open-cli-memory';

export interface GlobalOptions {
  db: string;
  json?: boolean;
  requireScope: boolean;
  create?: boolean;
  wait?: string;
}

export interface ScopeOptions {
  user?: string;
  agent?: string;
  run?: string;
}

/** What every command file shares: the global options, printing, owners, and opening the memory. */
export interface CliContext {
  globals(): GlobalOptions;
  /** The result: JSON with `--json`, else `text()`. */
  print(value: unknown, text: () => string): void;
  /** The owner a command that reads or writes many memories acts for (`--user` required unless `--no-require-scope`). */
  owner(o: ScopeOptions): EntityIds;
  /** The owner a by-id command checks: required unless `--no-require-scope`, then whatever was given. */
  idOwner(o: ScopeOptions): EntityIds;
  /** Opens the memory in `--db` for `access`, runs `work`, closes it (also when `work` fails). */
  withMemory<T>(access: CliAccess, work: (memory: Memory<SqliteMemoryStore>) => Promise<T>): Promise<T>;
}

export function createCliContext(program: Command): CliContext {
  const globals = () => program.opts<GlobalOptions>();
  const given = (o: ScopeOptions): EntityIds => ({ ...(o.user ? { userId: o.user } : {}), ...(o.agent ? { agentId: o.agent } : {}), ...(o.run ? { runId: o.run } : {}) });
  const owner = (o: ScopeOptions): EntityIds => {
    if (globals().requireScope && !o.user) {
      throw failCli('INVALID_INPUT', "pass --user <id> (--agent and --run may narrow it): a command reaches one user's memories; --no-require-scope lifts this.", { details: { field: '--user' } });
    }
    if (!o.user && !o.agent && !o.run) throw failCli('INVALID_INPUT', 'pass --user <id>, --agent <id> or --run <id>: memories always belong to someone.', { details: { field: '--user' } });
    return given(o);
  };

  return {
    globals,
    print: (value, text) => console.log(globals().json ? JSON.stringify(value, null, 2) : text()),
    owner,
    idOwner: (o) => (globals().requireScope ? owner(o) : given(o)),
    async withMemory(access, work) {
      const { db, create, requireScope } = globals();
      const memory = await openCliMemory({
        directory: resolve(db),
        access,
        create: create === true,
        waitSeconds: waitSeconds(globals().wait),
        requireScope,
        onWait: (message) => console.error(`neuromem: ${message}`),
      });
      try {
        return await work(memory);
      } finally {
        await memory.close();
      }
    },
  };
}

/**
 * Checks the options every command shares before anything is opened: an empty `--db` would mean the
 * current directory, which nobody means.
 */
export function checkGlobals(options: GlobalOptions): void {
  if (options.db.trim() === '') {
    throw failCli('INVALID_INPUT', '--db is empty: pass the memory directory, e.g. --db ./.neuromem (an empty path would be the current directory).', { details: { field: '--db' } });
  }
  waitSeconds(options.wait);
}

function waitSeconds(value: string | undefined): number {
  if (value === undefined) return 0;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    throw failCli('INVALID_INPUT', `--wait takes seconds from 0 to 86400, e.g. --wait 10, got ${JSON.stringify(value)}.`, { details: { field: '--wait' } });
  }
  return seconds;
}
