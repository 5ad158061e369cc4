import {
  createErrorFactory,
  describeValue,
  isPlainObject,
  isWellFormed,
  parseTime,
  validateKind,
  validateMetadata,
  validatePositiveInt,
  validateText,
  type JsonPrimitive,
  type Metadata,
  type MemoryFilter,
  type MemoryKind,
  type Scope,
} from '@neuromem/core';
import { IN_MEMORY_PATH } from './in-memory-path';
import type { SearchOptions, UpdateInput } from './types';

/**
 * Type checks of the options the public methods take, so a wrong type (`kinds: 'episodic'`,
 * `timeRange: null`, `search('q', null)`) gets INVALID_INPUT before anything runs, never a raw
 * TypeError, and never a silent reading as "not given".
 */

const fail = createErrorFactory('neuromem');
const invalid = (field: string, message: string) => fail('INVALID_INPUT', message, { details: { field } });

/** The options argument of `call`: an object, or undefined (read as `{}`); null, arrays and primitives are refused. */
export function optionsObject<T extends object>(value: T | undefined, call: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('options', `the options of ${call} must be an object like { userId: "alice" }, got ${describeValue(value)}.`);
  }
  return value;
}

/** `topK`, or Mem0's `limit`: each is checked when given, `topK` wins; 10 when neither is. */
export function resultCount(options: { topK?: unknown; limit?: unknown }): number {
  const topK = options.topK === undefined ? undefined : validatePositiveInt(options.topK, 'topK', 1000, 'neuromem');
  const limit = options.limit === undefined ? undefined : validatePositiveInt(options.limit, 'limit', 1000, 'neuromem');
  return topK ?? limit ?? 10;
}

/** How many memories `getAll` lists: `topK` (Mem0 3.x) or `limit`, each checked when given, `topK` wins; all when neither is. */
export function listLimit(options: { topK?: unknown; limit?: unknown }): number | undefined {
  const topK = options.topK === undefined ? undefined : validatePositiveInt(options.topK, 'topK', 1_000_000, 'neuromem');
  const limit = options.limit === undefined ? undefined : validatePositiveInt(options.limit, 'limit', 1_000_000, 'neuromem');
  return topK ?? limit;
}

/** What `update()` was asked to change: new text, metadata to merge, or both (at least one). */
export function validateUpdate(data: UpdateInput, maxChars: number): { text?: string; metadata?: Metadata } {
  if (typeof data === 'string') return { text: validateText(data, { field: 'data', maxChars, module: 'neuromem' }) };
  if (!isPlainObject(data)) throw invalid('data', `update() takes the new text or { text?, metadata? }, got ${describeValue(data)}.`);
  const { text, metadata, ...rest } = data as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw invalid(unknown, `update() takes { text?, metadata? }, not ${JSON.stringify(unknown)}.`);
  if (text === undefined && metadata === undefined) throw invalid('data', 'update() needs text, metadata or both: { text: "..." } or { metadata: { ... } }.');
  return {
    ...(text !== undefined ? { text: validateText(text, { field: 'text', maxChars, module: 'neuromem' }) } : {}),
    ...(metadata !== undefined ? { metadata: validateMetadata(metadata, { module: 'neuromem' }) } : {}),
  };
}

export function validateKinds(value: unknown): MemoryKind[] {
  if (!Array.isArray(value)) throw invalid('kinds', `kinds must be an array such as ["episodic"], got ${describeValue(value)}.`);
  // Array.from visits holes too, so `[, 'episodic']` is refused rather than read as one kind.
  return Array.from(value as unknown[], (kind) => validateKind(kind, 'neuromem'));
}

/** Epoch-ms bounds of a `timeRange`; `from` after `to` is refused (it would match nothing). */
export function validateTimeRange(value: unknown): { from?: number; to?: number } {
  if (!isPlainObject(value)) throw invalid('timeRange', `timeRange must be an object like { from: "2023-05-01", to: "2023-06-01" }, got ${describeValue(value)}.`);
  const from = value.from === undefined ? undefined : parseTime(value.from, { field: 'timeRange.from', module: 'neuromem' });
  const to = value.to === undefined ? undefined : parseTime(value.to, { field: 'timeRange.to', module: 'neuromem' });
  if (from !== undefined && to !== undefined && from > to) {
    throw invalid('timeRange', `timeRange.from (${new Date(from).toISOString()}) is after timeRange.to (${new Date(to).toISOString()}); swap them.`);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** Mem0 3.x's scope keys, which `filters` here does not take (it compares metadata). */
const SCOPE_FILTER_KEYS: Readonly<Record<string, string>> = { user_id: 'userId', agent_id: 'agentId', run_id: 'runId' };

/** Mem0's equality `filters` on metadata keys: a plain object of strings, finite numbers, booleans or null. Null means none. */
export function validateFilters(value: unknown): Record<string, JsonPrimitive> {
  if (value === null) return {};
  if (!isPlainObject(value)) throw invalid('filters', `filters must be an object like { topic: "travel" }, got ${describeValue(value)}.`);
  for (const [key, item] of Object.entries(value)) {
    // Read as a metadata key it would match nothing, silently: say where the owner goes instead.
    const scopeKey = SCOPE_FILTER_KEYS[key];
    if (scopeKey !== undefined) {
      throw invalid(`filters.${key}`, `filters compares metadata; pass the owner as ${scopeKey} beside it (for Mem0 3.x's filters: { ${key} }, use the Memory class of neuromem/mem0).`);
    }
    const ok = item === null || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)) || (typeof item === 'string' && isWellFormed(item));
    if (!ok) throw invalid('filters', `filters.${key} must be a string, finite number, boolean or null to compare metadata with, got ${describeValue(item)}.`);
  }
  return value as Record<string, JsonPrimitive>;
}

export function validateBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be true or false, got ${describeValue(value)}.`);
  return value;
}

/** The longest `maxTextChars` accepted: ten million characters would already take minutes to embed. */
const MAX_TEXT_CHARS_LIMIT = 10_000_000;

/**
 * The shape of `createMemory()`'s options (each given option has the right type); the options with
 * richer rules (ranker, excludeFactors, recencyHalfLifeDays values) are checked where they are used.
 */
export function validateMemoryOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options', `createMemory() options must be an object such as { path: "./memory" }, got ${describeValue(options)}.`);
  }
  const o = options as Record<string, unknown>;
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path.trim() === '' || o.path.includes('\u0000'))) {
    throw invalid('path', `path must be a directory path, got ${describeValue(o.path)}; leave it out for an in-memory memory.`);
  }
  if (o.maxTextChars !== undefined) validatePositiveInt(o.maxTextChars, 'maxTextChars', MAX_TEXT_CHARS_LIMIT, 'neuromem');
  if (o.trackAccess !== undefined) validateBoolean(o.trackAccess, 'trackAccess');
  if (o.writeBehind !== undefined) validateBoolean(o.writeBehind, 'writeBehind');
  if (o.readOnly !== undefined && validateBoolean(o.readOnly, 'readOnly') && (o.path === undefined || o.path === IN_MEMORY_PATH || o.store !== undefined)) {
    throw invalid('readOnly', 'readOnly opens the embedded store at path without writing it: pass path (and no store); a store you bring opens read-only itself, if it can.');
  }
  if (typeof o.embedder === 'string' && o.embedder.trim() === '')
    throw invalid('embedder', 'embedder must be an Embedder, a transformers.js model id (e.g. "Xenova/all-MiniLM-L6-v2") or a model directory, got an empty string.');
  const needs: Array<[string, string]> = [
    ['clock', 'now'],
    ['embedder', 'embedSession'],
    ['compressor', 'compress'],
    ['heads', 'project'],
    ['store', 'put'],
  ];
  // A store may also come as a function that opens one.
  for (const [field, method] of needs) {
    const value = o[field];
    if (field === 'embedder' && typeof value === 'string') continue;
    if (field === 'store' && typeof value === 'function') continue;
    if (value !== undefined && (typeof value !== 'object' || value === null || typeof (value as Record<string, unknown>)[method] !== 'function')) {
      throw invalid(field, `${field} must be an object with a ${method}() method, got ${describeValue(value)}.`);
    }
  }
  if (o.adaptation !== undefined && o.adaptation !== false) {
    if (!isPlainObject(o.adaptation)) throw invalid('adaptation', `adaptation must be false or { learningRate?, decay?, negativeWeight? }, got ${describeValue(o.adaptation)}.`);
    const { learningRate, decay, negativeWeight, ...rest } = o.adaptation as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw invalid(`adaptation.${unknown}`, `adaptation takes learningRate, decay and negativeWeight, not ${JSON.stringify(unknown)}.`);
    if (learningRate !== undefined && !(typeof learningRate === 'number' && learningRate > 0 && learningRate <= 10)) {
      throw invalid('adaptation.learningRate', `adaptation.learningRate must be a number in (0, 10], got ${describeValue(learningRate)}.`);
    }
    if (decay !== undefined && !(typeof decay === 'number' && decay >= 0 && decay < 1)) throw invalid('adaptation.decay', `adaptation.decay must be a number in [0, 1), got ${describeValue(decay)}.`);
    if (negativeWeight !== undefined && !(typeof negativeWeight === 'number' && negativeWeight >= 0 && negativeWeight <= 1)) {
      throw invalid('adaptation.negativeWeight', `adaptation.negativeWeight must be a number in [0, 1], got ${describeValue(negativeWeight)}.`);
    }
  }
  if (o.chatModel !== undefined && typeof (o.chatModel as { chat?: unknown } | null)?.chat !== 'function') {
    throw invalid('chatModel', `chatModel must be a ChatModel with a chat() method (createOpenAIChatModel(...)), got ${describeValue(o.chatModel)}.`);
  }
  if (o.preloading !== undefined && o.preloading !== false && !isPlainObject(o.preloading)) {
    throw invalid('preloading', `preloading must be false or { maxUsers?, cost?, start?, tune? }, got ${describeValue(o.preloading)}.`);
  }
  if (o.tiers !== undefined) {
    const tiers = isPlainObject(o.tiers) ? (o.tiers as Record<string, unknown>) : undefined;
    const keys = tiers ? Object.keys(tiers) : [];
    const unit = (value: unknown) => value === undefined || (typeof value === 'number' && value >= 0 && value <= 1);
    if (!tiers || keys.length === 0 || !keys.every((key) => key === 'coldBelow' || key === 'warmShare') || !unit(tiers.coldBelow) || !unit(tiers.warmShare)) {
      throw invalid('tiers', `tiers must be { coldBelow?, warmShare? }, each in [0, 1], got ${describeValue(o.tiers)}.`);
    }
  }
  if (o.background !== undefined && typeof o.background !== 'boolean') {
    if (!isPlainObject(o.background)) throw invalid('background', `background must be true, false or { idleMs?, budgetMs?, onSleep? }, got ${describeValue(o.background)}.`);
    const { idleMs, budgetMs, onSleep, ...rest } = o.background as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw invalid(`background.${unknown}`, `background takes idleMs, budgetMs and onSleep, not ${JSON.stringify(unknown)}.`);
    if (idleMs !== undefined) validatePositiveInt(idleMs, 'background.idleMs', 86_400_000, 'neuromem');
    if (budgetMs !== undefined) validatePositiveInt(budgetMs, 'background.budgetMs', 86_400_000, 'neuromem');
    if (onSleep !== undefined && typeof onSleep !== 'function') throw invalid('background.onSleep', `background.onSleep must be a function, got ${describeValue(onSleep)}.`);
  }
  const halfLives = o.recencyHalfLifeDays;
  if (halfLives !== undefined && typeof halfLives !== 'number' && !isPlainObject(halfLives)) {
    throw invalid('recencyHalfLifeDays', `recencyHalfLifeDays must be a number of days or an object like { episodic: 30 }, got ${describeValue(halfLives)}.`);
  }
}

/** The store filter a search's options name, checked. */
export function searchFilter(scope: Scope, options: SearchOptions): MemoryFilter {
  const filter: MemoryFilter = { scope };
  if (options.filters !== undefined) filter.metadata = validateFilters(options.filters);
  if (options.kinds !== undefined) filter.kinds = validateKinds(options.kinds);
  if (options.timeRange !== undefined) filter.eventTime = validateTimeRange(options.timeRange);
  return filter;
}
