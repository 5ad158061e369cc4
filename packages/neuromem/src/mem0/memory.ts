import { createErrorFactory, describeValue, isPlainObject, systemClock, type Metadata } from '@neuromem/core';
import type { Memory as NeuroMemMemory } from '../memory';
import type { MemoryItem, Message } from '../types';
import { EXPIRATION_DATE, isExpiredOn, normalizeExpirationDate } from './expiration-date';
import { mapMem0Config, type MappedConfig } from './map-config';
import { matchesFilter } from './match-filter';
import { mem0Messages } from './mem0-messages';
import { addOwner, deleteAllOwner, flagOf, optionsOf, rejectTopLevelIds, thresholdOf, topKOf, withoutIdentity } from './mem0-options';
import { resolveFilters, type ResolvedFilters } from './resolve-filters';
import { openShared, type MemoryHandle } from './shared-memories';
import { filterPayload, toMem0History, toMem0Item } from './to-mem0-item';
import type { Mem0AddOptions, Mem0Config, Mem0Entity, Mem0GetAllOptions, Mem0HistoryItem, Mem0MemoryItem, Mem0SearchOptions, Mem0SearchResult, Mem0UpdateOptions } from './types';

const fail = createErrorFactory('mem0');

/** Candidates a search reads to fill `topK` after filters and expiry, as Mem0 over-fetches (1,000: the most a search of the memory returns). */
const fetchSize = (topK: number) => Math.min(1000, Math.max(topK * 4, 60));
const UPDATE_KEYS = ['text', 'data', 'metadata', 'expirationDate'];
const warned = new Set<string>();

/**
 * Mem0 3.x's open-source `Memory`, on NeuroMem: `new Memory(config)` takes Mem0's config, and
 * every method takes Mem0's arguments and answers in Mem0's shapes, so switching is the import.
 * Nothing calls an LLM: `add` stores the messages themselves (what Mem0 does with `infer: false`),
 * embedded offline. Memories are kept on disk by default. MEM0.md lists every difference.
 * (A class, unlike the rest of NeuroMem, because Mem0 users write `new Memory()`.)
 */
export class Memory {
  readonly #config: MappedConfig;
  readonly #handle: MemoryHandle;
  #closed = false;

  constructor(config: Mem0Config = {}) {
    this.#config = mapMem0Config(config);
    this.#handle = openShared(this.#config.directory, this.#config.options);
    if (this.#config.unused.length > 0) {
      warnOnce(
        'unused',
        `neuromem/mem0 does not use the config's ${this.#config.unused.join(', ')}: it stores the messages themselves (no LLM) and embeds them offline with its own model. See MEM0.md.`,
      );
    }
  }

  /** Mem0's `Memory.fromConfig`: the same as `new Memory(config)`, which checks the config as strictly. */
  static fromConfig(config: Mem0Config): Memory {
    return new Memory(config);
  }

  /** Stores each message (system and blank ones left out) as a memory; both `infer` values store the messages themselves. */
  async add(messages: string | Message[], options: Mem0AddOptions): Promise<Mem0SearchResult> {
    const o = optionsOf(options, 'add()');
    const turns = mem0Messages(messages);
    const owner = addOwner(o);
    const metadata: Metadata = withoutIdentity(o.metadata);
    if (o.expirationDate !== undefined && o.expirationDate !== null) metadata[EXPIRATION_DATE] = normalizeExpirationDate(o.expirationDate);
    flagOf(o.infer, 'infer');
    if (turns.length === 0) return { results: [] };
    const memory = await this.#memory();
    const { results } = await memory.add(turns, { ...owner, metadata, ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}) });
    return { results: results.map((item) => ({ id: item.id, memory: item.memory, metadata: { event: 'ADD' } })) };
  }

  /** The memory, expired or not (as in Mem0); null for unknown and deleted ids. */
  async get(memoryId: string): Promise<Mem0MemoryItem | null> {
    const item = await (await this.#memory()).get(memoryId);
    return item ? toMem0Item(item) : null;
  }

  /** The owner's memories in the order they happened, `topK` (default 20) of them, filtered as `search`. */
  async getAll(options: Mem0GetAllOptions): Promise<Mem0SearchResult> {
    const o = optionsOf(options, 'getAll()');
    rejectTopLevelIds(o, 'getAll');
    const topK = topKOf(o.topK);
    const filters = resolveFilters(o.filters);
    const showExpired = flagOf(o.showExpired, 'showExpired');
    const memory = await this.#memory();
    const lists = await Promise.all(filters.scopes.map((scope) => memory.getAll(scope)));
    const items = lists.length === 1 ? lists[0]!.results : distinct(lists.flatMap((list) => list.results)).sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    return {
      results: this.#visible(items, filters, showExpired)
        .slice(0, topK)
        .map((item) => toMem0Item(item)),
    };
  }

  /** The owner's memories most likely to be useful for the query, best first; `score` is that probability (MEM0.md). */
  async search(query: string, options: Mem0SearchOptions): Promise<Mem0SearchResult> {
    const o = optionsOf(options, 'search()');
    rejectTopLevelIds(o, 'search');
    const threshold = thresholdOf(o.threshold);
    const topK = topKOf(o.topK);
    const filters = resolveFilters(o.filters);
    const showExpired = flagOf(o.showExpired, 'showExpired');
    const explain = flagOf(o.explain, 'explain');
    flagOf(o.rerank, 'rerank');
    if (topK === 0) return { results: [] };
    const memory = await this.#memory();
    const found = await Promise.all(
      filters.scopes.map((scope) => memory.search(query, { ...scope, topK: fetchSize(topK), filters: filters.equality, ...(o.referenceDate !== undefined ? { referenceDate: o.referenceDate } : {}) })),
    );
    const items = found.length === 1 ? found[0]!.results : distinct(found.flatMap((result) => result.results)).sort((a, b) => b.score! - a.score!);
    const results = this.#visible(items, filters, showExpired)
      .filter((item) => threshold === undefined || item.score! >= threshold)
      .slice(0, topK);
    // Counted here, for what is returned: the memory itself would count every candidate read.
    if (this.#config.trackAccess && results.length > 0) await memory.store.recordAccess(results.map((item) => item.id));
    return { results: results.map((item) => toMem0Item(item, { explain })) };
  }

  /** New text (re-embedded), metadata merged over the memory's, and/or its expiration date (`null` clears it). */
  async update(memoryId: string, config: string | Mem0UpdateOptions): Promise<{ message: string }> {
    const options: unknown = typeof config === 'string' ? { text: config } : config;
    if (!isPlainObject(options)) throw fail('INVALID_INPUT', `update() takes the new text or { text, metadata, expirationDate }, got ${describeValue(options)}.`, { details: { field: 'config' } });
    const unknown = Object.keys(options).find((key) => !UPDATE_KEYS.includes(key));
    if (unknown !== undefined) throw fail('INVALID_INPUT', `update() takes ${UPDATE_KEYS.join(', ')}, not ${JSON.stringify(unknown)}.`, { details: { field: unknown } });
    const { data, metadata, expirationDate } = options as Mem0UpdateOptions;
    let text = (options as Mem0UpdateOptions).text;
    if (data !== undefined && data !== null) {
      warnOnce('data', 'update(id, { data }) is deprecated in Mem0; pass { text } instead.', 'DeprecationWarning');
      text ??= data;
    }
    if ((text === undefined || text === null) && (metadata === undefined || metadata === null) && expirationDate === undefined) {
      throw fail('INVALID_INPUT', 'At least one of text, metadata, or expirationDate must be provided.', { details: { field: 'config' } });
    }
    if (typeof text === 'string' && text.trim() === '') {
      throw fail('INVALID_INPUT', 'update() got empty text: a memory needs words to be found by; delete() it instead.', { details: { field: 'text' } });
    }
    const change: Metadata = withoutIdentity(metadata);
    if (expirationDate !== undefined) change[EXPIRATION_DATE] = expirationDate === null ? null : normalizeExpirationDate(expirationDate);
    const changesMetadata = (metadata !== undefined && metadata !== null) || expirationDate !== undefined;
    await (await this.#memory()).update(memoryId, { ...(text !== undefined && text !== null ? { text } : {}), ...(changesMetadata ? { metadata: change } : {}) });
    return { message: 'Memory updated successfully!' };
  }

  async delete(memoryId: string): Promise<{ message: string }> {
    await (await this.#memory()).delete(memoryId);
    return { message: 'Memory deleted successfully!' };
  }

  /** Deletes every memory of the owner (`userId`, `agentId`, `runId`: every id given must match). */
  async deleteAll(options: Mem0Entity): Promise<{ message: string }> {
    const owner = deleteAllOwner(optionsOf(options, 'deleteAll()'));
    await (await this.#memory()).deleteAll(owner);
    return { message: 'Memories deleted successfully!' };
  }

  /** The memory's changes, newest first, as Mem0's SQLite history rows; `[]` for unknown ids (and with `disableHistory`). */
  async history(memoryId: string): Promise<Mem0HistoryItem[]> {
    const memory = await this.#memory();
    if (this.#config.disableHistory) return [];
    return toMem0History(await memory.history(memoryId));
  }

  /** Deletes every memory of every owner in this store, as Mem0's `reset()`. */
  async reset(): Promise<void> {
    await (await this.#memory()).reset();
  }

  /** Mem0 Platform's project settings: the open-source Memory has none (Mem0's OSS refuses it too). */
  async updateProject(_options: Record<string, unknown> = {}): Promise<never> {
    throw fail('UNSUPPORTED', 'updateProject() is a Mem0 Platform call; the open-source Memory has no project to update.');
  }

  /** NeuroMem's own: releases the store (the last instance on a directory closes it). Mem0 has no close; a process may also just exit. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.release();
  }

  async #memory(): Promise<NeuroMemMemory> {
    if (this.#closed) throw fail('CLOSED', 'this Memory was closed; create a new one with new Memory(config).');
    return this.#handle.memory();
  }

  /** What the filters let through, expired memories left out unless `showExpired`. */
  #visible(items: readonly MemoryItem[], filters: ResolvedFilters, showExpired: boolean): MemoryItem[] {
    const now = (this.#config.options.clock ?? systemClock).now();
    return items.filter((item) => (showExpired || !isExpiredOn(item.metadata[EXPIRATION_DATE], now)) && matchesFilter(filterPayload(item), filters.filter));
  }
}

/** Each item once (several scopes may reach the same memory). */
function distinct(items: readonly MemoryItem[]): MemoryItem[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

function warnOnce(key: string, message: string, type = 'Warning'): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { type, code: `NEUROMEM_MEM0_${key.toUpperCase()}` });
}
