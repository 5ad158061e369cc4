import type { MemoryOptions } from './types';

/**
 * SQLite's name for a database that lives only in memory. Users who know it pass it as `path` (or
 * as Mem0's `dbPath`); taken literally it would make a directory named ":memory:" beside their code,
 * and a memory that persists.
 */
export const IN_MEMORY_PATH = ':memory:';

/** The options with `path: ':memory:'` taken to mean what leaving `path` out means. */
export function withoutInMemoryPath(options: MemoryOptions): MemoryOptions {
  if (options.path !== IN_MEMORY_PATH) return options;
  const { path: _inMemory, ...rest } = options;
  return rest;
}
