import { createErrorFactory } from './errors';
import { inScope } from './in-scope';
import { EDGE_TYPES, type Edge, type EdgeType, type JsonPrimitive, type MemoryKind, type MemoryRecord, type Scale, type Scope } from './memory';
import type { ListQuery, MemoryFilter, NeighborQuery } from './memory-store';
import { describeValue, isPlainObject, isWellFormed, validateId, validateKind, validatePositiveInt, validateScale, validateScope, validateUnitInterval } from './validate';

/**
 * Type checks of a store's arguments that are not memories (those are `store-input`'s), shared by
 * every store: a wrong type gets INVALID_INPUT naming the argument, never a raw TypeError from deep
 * inside a query, and never a silent reading as "not given".
 */

/** How many hops a `neighbors` walk may take. */
export const MAX_NEIGHBOR_DEPTH = 6;

const fail = createErrorFactory('store');
const invalid = (field: string, message: string) => fail('INVALID_INPUT', message, { details: { field } });

/** An options or query argument: an object; undefined only when `optional` (then `{}`). */
export function queryObject<T extends object>(value: T | undefined, field: string, optional = true): T {
  if (value === undefined && optional) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `${field} must be an object, got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * An array argument (ids, edges); its items are checked by the caller. Holes read as `undefined`,
 * so the item check refuses them instead of `map` skipping them.
 */
export function arrayArgument<T>(value: readonly T[], field: string): T[] {
  if (!Array.isArray(value)) throw invalid(field, `${field} must be an array, got ${describeValue(value)}.`);
  return Array.from(value);
}

const ORDERS: ReadonlyArray<NonNullable<ListQuery['order']>> = ['eventTime-asc', 'eventTime-desc', 'written-asc'];

/** The parts of a `list()` query its filter does not cover (limit and offset are checked where they are used). */
export function validateListQuery(query: ListQuery | undefined): ListQuery {
  const valid = queryObject(query, 'list() query');
  if (valid.order !== undefined && !ORDERS.includes(valid.order)) throw invalid('order', `order must be ${ORDERS.join(', ')}, got ${describeValue(valid.order)}.`);
  if (valid.after !== undefined) {
    if (valid.order !== 'written-asc') throw invalid('after', "after pages in write order: pass order: 'written-asc' with it.");
    validateId(valid.after, 'store', 'after');
  }
  return valid;
}

const DIRECTIONS: ReadonlyArray<NonNullable<NeighborQuery['direction']>> = ['out', 'in', 'both'];

export function validateNeighborQuery(query: NeighborQuery | undefined): NeighborQuery {
  const valid = queryObject(query, 'neighbors() query');
  if (valid.depth !== undefined) validatePositiveInt(valid.depth, 'depth', MAX_NEIGHBOR_DEPTH, 'store');
  if (valid.limit !== undefined) validatePositiveInt(valid.limit, 'limit', 100_000, 'store');
  if (valid.direction !== undefined && !DIRECTIONS.includes(valid.direction)) throw invalid('direction', `direction must be ${DIRECTIONS.join(', ')}, got ${describeValue(valid.direction)}.`);
  if (valid.types !== undefined && (!Array.isArray(valid.types) || Array.from(valid.types).some((type) => !EDGE_TYPES.includes(type)))) {
    throw invalid('types', `types must be an array of edge types among ${EDGE_TYPES.join(', ')}, got ${describeValue(valid.types)}.`);
  }
  return valid;
}

/** `vectorScales`: dimensions per known scale. */
export function validateScales(scales: unknown): Partial<Record<Scale, number>> {
  if (typeof scales !== 'object' || scales === null) throw fail('INVALID_INPUT', 'vectorScales must be an object such as { turn: 384 }.');
  const valid: Partial<Record<Scale, number>> = {};
  for (const [scale, dimensions] of Object.entries(scales)) {
    valid[validateScale(scale, 'store')] = validatePositiveInt(dimensions, `vectorScales.${scale}`, 65_536, 'store');
  }
  return Object.freeze(valid);
}

/** One edge of `link()`, with its transaction time. */
export function validateEdge(edge: { from: string; to: string; type: EdgeType; weight: number; label?: string | null }, i: number, now: number): Edge {
  if (typeof edge !== 'object' || edge === null) throw fail('INVALID_INPUT', `edges[${i}] must be an object.`);
  const from = validateId(edge.from, 'store', `edges[${i}].from`);
  const to = validateId(edge.to, 'store', `edges[${i}].to`);
  if (from === to) throw fail('INVALID_INPUT', `edges[${i}] links ${from} to itself.`);
  if (!EDGE_TYPES.includes(edge.type)) throw fail('INVALID_INPUT', `edges[${i}].type must be one of ${EDGE_TYPES.join(', ')}.`);
  const weight = validateUnitInterval(edge.weight, `edges[${i}].weight`, 'store');
  if (edge.label !== undefined && edge.label !== null && (typeof edge.label !== 'string' || edge.label.length > 200 || !isWellFormed(edge.label))) {
    throw fail('INVALID_INPUT', `edges[${i}].label must be a well-formed string of at most 200 characters, got ${describeValue(edge.label)}.`);
  }
  const label = edge.label ?? null;
  return { from, to, type: edge.type, weight, label, createdAt: now };
}

/** Which edge `unlink` removes: the link's ends and type (a pair has at most one edge per type). */
export type EdgeKey = Pick<Edge, 'from' | 'to' | 'type'>;

/** Checks an edge to remove; its ends need not exist (removing what is not there is a no-op). */
export function validateEdgeKey(edge: EdgeKey, i: number): EdgeKey {
  if (typeof edge !== 'object' || edge === null) throw fail('INVALID_INPUT', `edges[${i}] must be an object with from, to and type.`);
  const from = validateId(edge.from, 'store', `edges[${i}].from`);
  const to = validateId(edge.to, 'store', `edges[${i}].to`);
  if (!EDGE_TYPES.includes(edge.type)) throw fail('INVALID_INPUT', `edges[${i}].type must be one of ${EDGE_TYPES.join(', ')}.`);
  return { from, to, type: edge.type };
}

/** A filter after every check, with the fields it does not set left out. */
export interface ValidFilter {
  scope: Scope;
  kinds?: MemoryKind[];
  scales?: Scale[];
  eventTime: { from?: number; to?: number };
  metadata: Array<[string, JsonPrimitive]>;
}

const METADATA_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks a `MemoryFilter` (a store then translates it to its own query language). */
export function validateFilter(filter: MemoryFilter = {}): ValidFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw invalid('filter', `the filter must be an object such as { scope: { userId: "alice" } }, got ${describeValue(filter)}.`);
  }
  const valid: ValidFilter = { scope: validateScope(filter.scope, { module: 'store' }), eventTime: {}, metadata: [] };
  if (filter.kinds !== undefined) valid.kinds = listOf(filter.kinds, 'kinds').map((kind) => validateKind(kind, 'store'));
  if (filter.scales !== undefined) valid.scales = listOf(filter.scales, 'scales').map((scale) => validateScale(scale, 'store'));
  if (filter.eventTime !== undefined && !isPlainObject(filter.eventTime)) {
    throw invalid('eventTime', `eventTime must be an object like { from, to } in epoch milliseconds, got ${describeValue(filter.eventTime)}.`);
  }
  const { from, to } = filter.eventTime ?? {};
  if (from !== undefined) valid.eventTime.from = finiteTime(from, 'eventTime.from');
  if (to !== undefined) valid.eventTime.to = finiteTime(to, 'eventTime.to');
  if (from !== undefined && to !== undefined && from > to) throw invalid('eventTime', `eventTime.from (${from}) is after eventTime.to (${to}); swap them.`);
  if (filter.metadata !== undefined && !isPlainObject(filter.metadata)) {
    throw invalid('filters.metadata', `the metadata filter must be an object like { topic: "travel" }, got ${describeValue(filter.metadata)}.`);
  }
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    if (!METADATA_KEY.test(key)) throw invalid('filters.metadata', `metadata filter key ${JSON.stringify(key)} must be 1-64 letters, digits, "_" or "-".`);
    const ok = value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && isWellFormed(value));
    if (!ok) throw invalid('filters.metadata', `metadata filter ${key} must be a well-formed string, finite number, boolean or null.`);
    valid.metadata.push([key, value]);
  }
  return valid;
}

/**
 * Whether a record passes a filter: the reference semantics every store's query must match, and
 * the check for memories reached by graph walks rather than a filtered query (an edge may lead out
 * of the asked scope or time window, and those must not leak in).
 */
export function matchesFilter(record: MemoryRecord, filter: MemoryFilter | ValidFilter): boolean {
  const { scope, kinds, scales, eventTime, metadata } = filter;
  if (scope && !inScope(record.scope, scope)) return false;
  if (kinds && !kinds.includes(record.kind)) return false;
  if (scales && !scales.includes(record.scale)) return false;
  if (eventTime?.from !== undefined && record.eventTime < eventTime.from) return false;
  if (eventTime?.to !== undefined && record.eventTime >= eventTime.to) return false;
  const pairs = Array.isArray(metadata) ? metadata : Object.entries(metadata ?? {});
  for (const [key, value] of pairs) if (!Object.hasOwn(record.metadata, key) || record.metadata[key] !== value) return false;
  return true;
}

function finiteTime(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, `${field} must be epoch milliseconds, got ${describeValue(value)}.`);
  return value;
}

/** Array.from, so holes are checked as `undefined` instead of skipped by `map`. */
function listOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, `${field} must be an array, got ${describeValue(value)}.`);
  return Array.from(value as unknown[]);
}
