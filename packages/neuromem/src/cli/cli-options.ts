import type { Command } from 'commander';
import { failCli } from './cli-errors';

/** Adds the owner options (`--user`, `--agent`, `--run`) to a command. */
export const scoped = (command: Command) => command.option('--user <id>', 'user id').option('--agent <id>', 'agent id').option('--run <id>', 'run / session id');

export function parseJsonOption(value: string, name: string): Record<string, never> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw failCli('INVALID_INPUT', `${name} must be JSON, e.g. '{"topic":"food"}'.`, { details: { field: name } });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw failCli('INVALID_INPUT', `${name} must be a JSON object, e.g. '{"topic":"food"}'.`, { details: { field: name } });
  return parsed as Record<string, never>;
}
