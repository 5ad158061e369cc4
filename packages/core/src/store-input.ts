import { createErrorFactory } from './errors';
import type { MemoryKind, MemoryRecord, Metadata, Scale, SourcePointer } from './memory';
import type { CausalCue, MemoryPatch, NewMemory } from './memory-store';
import { isWellFormed, parseTime, validateId, validateKind, validateMetadata, validateScale, validateScope, validateText, validateUnitInterval, validateVector } from './validate';
import { normalizeInPlace } from './vector-math';

/**
 * The checks every `MemoryStore` runs on what it is asked to write, shared so that each store
 * refuses the same input with the same typed error, and stores only what passed.
 */

const fail = createErrorFactory('store');

/**
 * A `NewMemory` after every check passed and every default was filled in: the fields its first
 * version's record will hold, plus what the store derives or links from.
 */
export interface ValidMemory extends Pick<MemoryRecord, 'id' | 'text' | 'kind' | 'scale' | 'scope' | 'role' | 'eventTime' | 'importance' | 'metadata' | 'source'> {
  vectors: Array<[Scale, Float32Array]>;
  tokens: Float32Array[] | null;
  sessionVector: Float32Array | null;
  entities: string[];
  causalCue: CausalCue | null;
}

export interface StoreInputRules {
  vectorScales: Readonly<Partial<Record<Scale, number>>>;
  maxTextChars: number;
  now: number;
  generateId: () => string;
}

/** Checks the whole batch before anything is written, so one bad item rejects all of them. */
export function normalizeBatch(items: readonly NewMemory[], rules: StoreInputRules): ValidMemory[] {
  if (!Array.isArray(items)) throw fail('INVALID_INPUT', 'put() takes an array of memories.');
  const ids = new Set<string>();
  // Array.from: a hole is checked (and refused) as undefined, where map would skip it and store the rest.
  const batch = Array.from(items).map((item, i) => {
    const memory = normalizeMemory(item, rules, `items[${i}]`);
    if (ids.has(memory.id)) throw fail('CONFLICT', `id ${memory.id} appears twice in one batch.`, { details: { id: memory.id } });
    ids.add(memory.id);
    return memory;
  });
  // Each session vector replaces the one before it, so within a batch only a session's last one is
  // written: the others would be written and removed again in the same transaction.
  const sessionsSeen = new Set<string>();
  for (let i = batch.length - 1; i >= 0; i--) {
    const memory = batch[i]!;
    if (memory.sessionVector === null) continue;
    const session = JSON.stringify([memory.scope.userId ?? null, memory.scope.agentId ?? null, memory.scope.sessionId]);
    if (sessionsSeen.has(session)) memory.sessionVector = null;
    sessionsSeen.add(session);
  }
  return batch;
}

function normalizeMemory(item: NewMemory, rules: StoreInputRules, at: string): ValidMemory {
  if (typeof item !== 'object' || item === null) throw fail('INVALID_INPUT', `${at} must be an object.`);
  const text = validateText(item.text, { field: `${at}.text`, maxChars: rules.maxTextChars, module: 'store' });
  const eventTime = item.eventTime === undefined ? rules.now : parseTime(item.eventTime, { field: `${at}.eventTime`, module: 'store' });
  // The store runs no language processing: entities and causal cues are what the caller extracted.
  const entities = item.entities === undefined ? [] : normalizeEntities(item.entities, at);
  const cue = normalizeCausalCue(item.causalCue, at);
  return {
    id: item.id === undefined ? rules.generateId() : validateId(item.id, 'store', `${at}.id`),
    text,
    kind: item.kind === undefined ? 'episodic' : validateKind(item.kind, 'store'),
    scale: item.scale === undefined ? 'turn' : validateScale(item.scale, 'store'),
    scope: validateScope(item.scope, { required: true, module: 'store' }),
    role: normalizeRole(item.role, at),
    eventTime,
    importance: item.importance === undefined ? 0.5 : validateUnitInterval(item.importance, `${at}.importance`, 'store'),
    metadata: validateMetadata(item.metadata, { module: 'store' }),
    source: normalizeSource(item.source, at),
    vectors: normalizeVectors(item.vectors, rules.vectorScales, at),
    tokens: normalizeTokens(item.tokens, rules.vectorScales, at),
    sessionVector: normalizeSessionVector(item.sessionVector, item.scope, rules.vectorScales, at),
    entities,
    causalCue: cue,
  };
}

export interface ValidPatch {
  tokens?: Float32Array[] | null;
  text?: string;
  importance?: number;
  metadata?: Metadata;
  kind?: MemoryKind;
  vectors: Array<[Scale, Float32Array]>;
  entities?: string[];
}

export function normalizePatch(patch: MemoryPatch, rules: Pick<StoreInputRules, 'vectorScales' | 'maxTextChars'>): ValidPatch {
  if (typeof patch !== 'object' || patch === null) throw fail('INVALID_INPUT', 'update() takes a patch object such as { text }.');
  const known = new Set(['text', 'importance', 'metadata', 'kind', 'vectors', 'tokens', 'entities']);
  const unknown = Object.keys(patch).filter((key) => !known.has(key));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `unknown patch field(s): ${unknown.join(', ')}.`);
  const valid: ValidPatch = { vectors: normalizeVectors(patch.vectors, rules.vectorScales, 'patch') };
  if (patch.tokens !== undefined) valid.tokens = normalizeTokens(patch.tokens, rules.vectorScales, 'patch');
  if (patch.text !== undefined) valid.text = validateText(patch.text, { field: 'patch.text', maxChars: rules.maxTextChars, module: 'store' });
  if (patch.importance !== undefined) valid.importance = validateUnitInterval(patch.importance, 'patch.importance', 'store');
  if (patch.metadata !== undefined) valid.metadata = validateMetadata(patch.metadata, { module: 'store' });
  if (patch.kind !== undefined) valid.kind = validateKind(patch.kind, 'store');
  if (patch.entities !== undefined) valid.entities = normalizeEntities(patch.entities, 'patch');
  if (valid.text === undefined && valid.importance === undefined && valid.metadata === undefined && valid.kind === undefined) {
    throw fail('INVALID_INPUT', 'the patch changes nothing; pass text, importance, metadata or kind.');
  }
  return valid;
}

/** Vectors by scale, checked against the store's scales and sizes, normalized to unit length. */
export function normalizeVectors(vectors: NewMemory['vectors'], scales: StoreInputRules['vectorScales'], at: string): Array<[Scale, Float32Array]> {
  if (vectors === undefined) return [];
  if (typeof vectors !== 'object' || vectors === null) throw fail('INVALID_INPUT', `${at}.vectors must be an object keyed by scale.`);
  return Object.entries(vectors).map(([scale, vector]) => {
    if (scale === 'token' || scale === 'session') {
      throw fail('INVALID_INPUT', `${at}.vectors.${scale}: pass ${scale === 'token' ? 'token vectors as `tokens`' : "the session's vector as `sessionVector`"}, not under vectors.`);
    }
    const dimensions = scales[scale as Scale];
    if (dimensions === undefined) {
      throw fail('INVALID_INPUT', `${at}.vectors.${scale}: this store indexes ${Object.keys(scales).join(', ') || 'no scales'}; open it with vectorScales.${scale} to store that scale.`);
    }
    // Stored unit-length, so exact scans are plain dot products.
    return [scale as Scale, normalizeInPlace(Float32Array.from(validateVector(vector, dimensions, { field: `${at}.vectors.${scale}`, module: 'store' })))];
  });
}

/** A turn of 10k words keeps its first 4096 token vectors; the store is not a token archive. */
const MAX_TOKENS = 4096;

function normalizeTokens(tokens: unknown, scales: StoreInputRules['vectorScales'], at: string): Float32Array[] | null {
  if (tokens === undefined || tokens === null) return null;
  const dimensions = scales.token;
  if (dimensions === undefined) throw fail('INVALID_INPUT', `${at}.tokens: this store keeps no token vectors; open it with vectorScales.token.`);
  if (!Array.isArray(tokens) || tokens.length > MAX_TOKENS) throw fail('INVALID_INPUT', `${at}.tokens must be an array of at most ${MAX_TOKENS} vectors.`);
  return Array.from(tokens as unknown[]).map((vector, i) => normalizeInPlace(Float32Array.from(validateVector(vector, dimensions, { field: `${at}.tokens[${i}]`, module: 'store' }))));
}

function normalizeSessionVector(vector: unknown, scope: unknown, scales: StoreInputRules['vectorScales'], at: string): Float32Array | null {
  if (vector === undefined || vector === null) return null;
  const dimensions = scales.session;
  if (dimensions === undefined) throw fail('INVALID_INPUT', `${at}.sessionVector: this store indexes no sessions; open it with vectorScales.session.`);
  if ((scope as { sessionId?: unknown } | undefined)?.sessionId === undefined) throw fail('INVALID_INPUT', `${at}.sessionVector needs scope.sessionId: only sessions have session vectors.`);
  return normalizeInPlace(Float32Array.from(validateVector(vector, dimensions, { field: `${at}.sessionVector`, module: 'store' })));
}

function normalizeCausalCue(cue: unknown, at: string): CausalCue | null {
  if (cue === undefined || cue === 0) return null;
  if (typeof cue === 'number') return { direction: 'consequence', weight: validateUnitInterval(cue, `${at}.causalCue`, 'store') };
  const candidate = cue as CausalCue;
  if (typeof cue !== 'object' || cue === null || !['consequence', 'explanation'].includes(candidate.direction)) {
    throw fail('INVALID_INPUT', `${at}.causalCue must be a weight in [0, 1] or { direction: 'consequence' | 'explanation', weight }.`);
  }
  const weight = validateUnitInterval(candidate.weight, `${at}.causalCue.weight`, 'store');
  return weight === 0 ? null : { direction: candidate.direction, weight };
}

function normalizeEntities(entities: unknown, at: string): string[] {
  const list: unknown[] = Array.isArray(entities) ? Array.from(entities as unknown[]) : [];
  if (!Array.isArray(entities) || list.some((e) => typeof e !== 'string' || e.trim() === '' || e.length > 200 || !isWellFormed(e))) {
    throw fail('INVALID_INPUT', `${at}.entities must be an array of non-empty, well-formed strings (at most 200 characters each).`);
  }
  return [...new Set((list as string[]).map((e) => e.trim().toLowerCase()))].slice(0, 32);
}

/** SQLite would store a lone surrogate as U+FFFD, so a role with one is refused rather than rewritten. */
function normalizeRole(role: unknown, at: string): string | null {
  if (role === undefined || role === null) return null;
  if (typeof role !== 'string' || role.trim() === '' || role.length > 128 || !isWellFormed(role)) {
    throw fail('INVALID_INPUT', `${at}.role must be a non-empty, well-formed string of at most 128 characters.`);
  }
  return role;
}

function normalizeSource(source: unknown, at: string): SourcePointer | null {
  if (source === undefined || source === null) return null;
  const types = ['message', 'import', 'derived', 'api'];
  const candidate = source as SourcePointer;
  if (typeof source !== 'object' || !types.includes(candidate.type) || (candidate.ref !== undefined && (typeof candidate.ref !== 'string' || !isWellFormed(candidate.ref)))) {
    throw fail('INVALID_INPUT', `${at}.source must be { type: ${types.join(' | ')}, ref?: string }.`);
  }
  return candidate.ref === undefined ? { type: candidate.type } : { type: candidate.type, ref: candidate.ref };
}
