import { EDGE_TYPES, createErrorFactory, describeValue, isWellFormed, validateId, validatePositiveInt, validateScale, validateUnitInterval, type Edge, type EdgeType, type ListQuery, type NeighborQuery, type Scale } from '@neuromem/core';
import { MAX_NEIGHBOR_DEPTH } from './memory-graph';

/**
 * Type checks of the store's arguments that are not memories (those are `normalize-input`'s): a
 * wrong type gets INVALID_INPUT naming the argument, never a raw TypeError from deep inside a
 * query, and never a silent reading as "not given".
 */

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

const ORDERS: ReadonlyArray<NonNullable<ListQuery['order']>> = ['eventTime-asc', 'eventTime-desc'];

/** The parts of a `list()` query its filter does not cover (limit and offset are checked where they are used). */
export function validateListQuery(query: ListQuery | undefined): ListQuery {
  const valid = queryObject(query, 'list() query');
  if (valid.order !== undefined && !ORDERS.includes(valid.order)) throw invalid('order', `order must be ${ORDERS.join(' or ')}, got ${describeValue(valid.order)}.`);
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
