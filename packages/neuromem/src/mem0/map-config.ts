import { homedir } from 'node:os';
import { join } from 'node:path';
import { createErrorFactory, describeValue, isPlainObject } from '@neuromem/core';
import type { MemoryOptions } from '../types';
import { MEM0_DEFAULT_PROVIDERS, MEM0_PROVIDERS, type Mem0Section } from './providers';
import type { Mem0Config } from './types';
import { IN_MEMORY_PATH } from '../in-memory-path';

const fail = createErrorFactory('mem0');
const invalid = (field: string, message: string) => fail('INVALID_INPUT', message, { details: { field } });

const SECTIONS = Object.keys(MEM0_PROVIDERS) as Mem0Section[];
const TOP_LEVEL_KEYS = [...SECTIONS, 'version', 'disableHistory', 'historyDbPath', 'customInstructions', 'neuromem'];

/** What a Mem0 config comes to here. */
export interface MappedConfig {
  /** The memory's directory; undefined when it lives in memory or in a store `neuromem` brought. */
  directory: string | undefined;
  /** `createMemory()`'s options (without `path`, which `directory` carries). */
  options: MemoryOptions;
  /** `history()` answers `[]`, as Mem0's with `disableHistory`. */
  disableHistory: boolean;
  /** Whether a search counts its results as accesses (done by the drop-in itself: it over-fetches). */
  trackAccess: boolean;
  /** Sections the config set that NeuroMem does not use (an LLM, an embedding API, a reranker). */
  unused: Mem0Section[];
}

/** Where `new Memory()` keeps its collections when the config names no place (Mem0 writes to `~/.mem0`): one directory each. */
export function defaultMem0Directory(): string {
  return join(homedir(), '.neuromem', 'mem0');
}

/** A collection's name, which names its directory under `defaultMem0Directory()`; Mem0's default is "memories". */
function collectionOf(config: Mem0Config): string {
  const name = config.vectorStore?.config?.collectionName ?? 'memories';
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw invalid('vectorStore.config.collectionName', `vectorStore.config.collectionName names a directory here: use letters, digits, ".", "_" and "-" (at most 128), got ${describeValue(name)}.`);
  }
  return name;
}

/**
 * Checks a Mem0 3.x config and maps it to `createMemory()`'s options: Mem0's default vector store
 * (`memory`, SQLite on disk) becomes NeuroMem's store, in the directory `vectorStore.config.dbPath`
 * or else `~/.neuromem/mem0/<collectionName>` (a directory per collection, so collections stay
 * apart, as in Mem0's other stores); the LLM, embedder, reranker and history settings are checked
 * (a provider Mem0 does not know is refused) and otherwise not used. `neuromem` passes NeuroMem's
 * own options.
 */
export function mapMem0Config(given: Mem0Config | undefined): MappedConfig {
  const config: Mem0Config = given ?? {};
  if (!isPlainObject(config as unknown))
    throw invalid('config', `new Memory(config) takes a Mem0 config object such as { vectorStore: { provider: "memory", config: { dbPath: "./memories" } } }, got ${describeValue(config)}.`);
  const unknown = Object.keys(config).filter((key) => !TOP_LEVEL_KEYS.includes(key));
  if (unknown.length > 0) throw invalid(unknown[0]!, `the Mem0 config has no ${unknown.map((key) => JSON.stringify(key)).join(', ')}; its keys are ${TOP_LEVEL_KEYS.join(', ')}.`);
  const providers = Object.fromEntries(SECTIONS.map((section) => [section, providerOf(config, section)])) as Record<Mem0Section, string | undefined>;
  for (const key of ['version', 'historyDbPath', 'customInstructions'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'string') throw invalid(key, `${key} must be a string, got ${describeValue(config[key])}.`);
  }
  if (config.disableHistory !== undefined && typeof config.disableHistory !== 'boolean')
    throw invalid('disableHistory', `disableHistory must be true or false, got ${describeValue(config.disableHistory)}.`);
  const extras: MemoryOptions = config.neuromem ?? {};
  if (!isPlainObject(extras as unknown)) throw invalid('neuromem', `neuromem takes createMemory()'s options, e.g. { path: "./memories" }, got ${describeValue(extras)}.`);
  const { path, trackAccess, ...own } = extras;
  if (trackAccess !== undefined && typeof trackAccess !== 'boolean') throw invalid('neuromem.trackAccess', `neuromem.trackAccess must be true or false, got ${describeValue(trackAccess)}.`);
  const brought = own.store !== undefined;
  const dbPath = config.vectorStore?.config?.dbPath;
  if (dbPath !== undefined && (typeof dbPath !== 'string' || dbPath.trim() === ''))
    throw invalid('vectorStore.config.dbPath', `vectorStore.config.dbPath must be a path or ":memory:", got ${describeValue(dbPath)}.`);
  if ((path !== undefined || brought) && dbPath !== undefined) {
    throw invalid('vectorStore.config.dbPath', 'pass either vectorStore.config.dbPath or neuromem.path / neuromem.store, not both: they name two places for the same memories.');
  }
  if (path === undefined && !brought && providers.vectorStore !== 'memory') {
    throw fail(
      'UNSUPPORTED',
      `vectorStore.provider "${providers.vectorStore}" is a store Mem0 writes to; NeuroMem keeps memories in its own store. Leave vectorStore out (SQLite on disk), use provider "memory" with config.dbPath, or pass neuromem: { store } (e.g. createPostgresStore() from @neuromem/store-postgres for PostgreSQL).`,
      { details: { field: 'vectorStore.provider' } },
    );
  }
  const directory = brought ? undefined : (path ?? (dbPath === IN_MEMORY_PATH ? undefined : (dbPath ?? join(defaultMem0Directory(), collectionOf(config)))));
  const unused = (['embedder', 'llm', 'reranker'] as const).filter((section) => config[section] !== undefined && !(section === 'embedder' && own.embedder !== undefined));
  return {
    directory,
    // The drop-in over-fetches to apply Mem0's filters, so it counts accesses itself, for what it returns.
    options: { ...own, trackAccess: false },
    disableHistory: config.disableHistory ?? false,
    trackAccess: trackAccess ?? true,
    unused,
  };
}

/** The section's provider, lower-cased as Mem0's factories read it; refused when Mem0 has no such provider. */
function providerOf(config: Mem0Config, section: Mem0Section): string | undefined {
  const value: unknown = config[section];
  if (value === undefined) return section === 'vectorStore' ? MEM0_DEFAULT_PROVIDERS.vectorStore : undefined;
  if (!isPlainObject(value)) throw invalid(section, `${section} must be { provider, config }, got ${describeValue(value)}.`);
  const { provider, config: settings } = value;
  if (settings !== undefined && !isPlainObject(settings)) throw invalid(`${section}.config`, `${section}.config must be an object, got ${describeValue(settings)}.`);
  if (provider === undefined && section !== 'reranker') return MEM0_DEFAULT_PROVIDERS[section];
  if (typeof provider !== 'string') throw invalid(`${section}.provider`, `${section}.provider must be the name of one of Mem0's providers, got ${describeValue(provider)}.`);
  const name = provider.toLowerCase();
  const known: readonly string[] = MEM0_PROVIDERS[section];
  if (!known.includes(name)) throw invalid(`${section}.provider`, `${section}.provider "${provider}" is not a Mem0 provider; Mem0's are ${known.join(', ')}.`);
  return name;
}
