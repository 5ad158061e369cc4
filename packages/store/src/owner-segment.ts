import { exactSearch, MetricKind, type Matches } from './usearch-module';
import { createErrorFactory } from '@neuromem/core';
import { quantizeUnit } from './int8-vector';
import { createKeyRowTable, type KeyRowTable } from './key-row-table';

const fail = createErrorFactory('store');

/**
 * One owner's vectors at one scale, packed for a linear scan: int8 rows (a quarter of float32; a
 * row's factor is not kept, since the scan compares by cosine, and the caller re-scores the best
 * ones exactly).
 */
export interface Segment {
  dimensions: number;
  size: number;
  keys: Float64Array;
  data: Int8Array;
  /** 1 / each row's length, NaN until `unitRow` first needs it (half of making a row's float vector). */
  inverseNorms: Float64Array;
  /** The largest key ever held: a change replayed after the segment was read from SQLite is not added twice. */
  maxKey: number;
  /**
   * Each key's row, made on the first `learn` and kept in step by `append` and `remove` from then on
   * (typed arrays, not a Map: see key-row-table.ts).
   */
  rowOfKey?: KeyRowTable;
  /**
   * The memory of each row whose memory a caller told (`learn`: the candidates of searches). A load
   * from SQLite reads keys only; joining each row to its memory there would cost every owner's first
   * search a read of scattered pages. Appended rows are not known either: a segment that follows its
   * writer holds every row the writer adds, and a string and a Map entry for each (about 100 bytes)
   * made a million memories' segments overflow their budget, for rows few searches ask about.
   */
  ids: Array<string | undefined>;
  rowOfId: Map<string, number>;
}

/** One stored vector as int8 (see `quantizeUnit`). */
export interface Int8Row {
  key: number;
  factor: number;
  data: Int8Array;
}

/**
 * An owner's int8 rows as they come from one read: the keys, and the rows back to back in the same
 * order (row i at `i * dimensions`). One buffer instead of a buffer per row: at 10,000 rows, allocating
 * a buffer per row cost more than walking the table.
 */
export interface PackedRows {
  keys: ArrayLike<number>;
  data: Int8Array;
}

/** Rows of one width packed back to back (rows of any other width are left out, as `append` would). */
export function packRows(rows: readonly Int8Row[], dimensions: number): PackedRows {
  const kept = rows.filter((row) => row.data.length === dimensions);
  const data = new Int8Array(kept.length * dimensions);
  kept.forEach((row, i) => data.set(row.data, i * dimensions));
  return { keys: kept.map((row) => row.key), data };
}

/** Memory for a segment's int8 rows. */
export type RowsAllocator = (bytes: number) => Int8Array;

function emptySegment(dimensions: number, capacity: number, rowsOf: RowsAllocator): Segment {
  return {
    dimensions,
    size: 0,
    keys: new Float64Array(capacity),
    data: rowsOf(capacity * dimensions),
    inverseNorms: new Float64Array(capacity).fill(Number.NaN),
    maxKey: 0,
    ids: [],
    rowOfId: new Map(),
  };
}

/**
 * A segment of the rows as read, copied into memory of the segments' own (`rowsOf`): the buffer SQLite
 * filled dies young, which the garbage collector frees cheaply, and a segment kept in the cache adds
 * no new external memory (see segment-slab.ts). The first append after the load grows it by copying,
 * as any full segment grows.
 */
export function fromPacked({ keys, data }: PackedRows, dimensions: number, rowsOf: RowsAllocator): Segment {
  if (data.length !== keys.length * dimensions) throw fail('STORAGE', `an owner segment read ${keys.length} keys with ${data.length} bytes of ${dimensions}-wide rows.`);
  if (keys.length === 0) return emptySegment(dimensions, 16, rowsOf);
  let maxKey = 0;
  for (let row = 0; row < keys.length; row++) maxKey = Math.max(maxKey, keys[row]!);
  const rows = rowsOf(data.length);
  rows.set(data);
  return { dimensions, size: keys.length, keys: Float64Array.from(keys), data: rows, inverseNorms: new Float64Array(keys.length).fill(Number.NaN), maxKey, ids: [], rowOfId: new Map() };
}

export function append(segment: Segment, key: number, { data }: { data: Int8Array }, rowsOf: RowsAllocator): Segment {
  const { dimensions } = segment;
  if (data.length !== dimensions) return segment; // another scale's width cannot be scored here (never written by the store)
  if (segment.size === segment.keys.length) {
    const grown = emptySegment(dimensions, grownCapacity(segment.keys.length), rowsOf);
    grown.keys.set(segment.keys);
    grown.data.set(segment.data);
    grown.inverseNorms.set(segment.inverseNorms);
    grown.size = segment.size;
    grown.maxKey = segment.maxKey;
    grown.ids = segment.ids;
    grown.rowOfId = segment.rowOfId;
    if (segment.rowOfKey) grown.rowOfKey = segment.rowOfKey;
    segment = grown;
  }
  const row = segment.size++;
  segment.data.set(data, row * dimensions);
  segment.inverseNorms[row] = Number.NaN;
  segment.keys[row] = key;
  segment.maxKey = Math.max(segment.maxKey, key);
  segment.rowOfKey?.set(key, row);
  return segment;
}

/**
 * Room for a full segment's next rows: a quarter more (at least 16 rows). Doubling left a segment
 * that grew by its writer's commits up to half empty, and the cache counts capacity: at a million
 * memories, 100 users' followed segments took 1 GB of a 768 MB budget, so writers' segments were
 * declined and searched ones evicted. A quarter costs a copy of the rows every quarter-growth, about
 * four rows copied per row appended.
 */
const grownCapacity = (capacity: number) => capacity + Math.max(16, Math.ceil(capacity / 4));

/** Swaps the last row into the removed one: order does not matter to a scan. */
export function remove(segment: Segment, key: number): Segment {
  const row = segment.rowOfKey ? segment.rowOfKey.get(key) : segment.keys.subarray(0, segment.size).indexOf(key);
  if (row === -1) return segment;
  const last = --segment.size;
  segment.rowOfKey?.delete(key);
  forget(segment, row);
  if (row !== last) {
    const { dimensions } = segment;
    segment.keys[row] = segment.keys[last]!;
    segment.inverseNorms[row] = segment.inverseNorms[last]!;
    segment.data.copyWithin(row * dimensions, last * dimensions, (last + 1) * dimensions);
    segment.rowOfKey?.set(segment.keys[row]!, row);
    const moved = segment.ids[last];
    forget(segment, last);
    if (moved !== undefined) know(segment, row, moved);
  }
  return segment;
}

/** Row `row` holds `memoryId`'s vector (a memory has one per scale: a row it had before is no longer its). */
export function know(segment: Segment, row: number, memoryId: string): void {
  const before = segment.rowOfId.get(memoryId);
  if (before !== undefined && before !== row) segment.ids[before] = undefined;
  segment.ids[row] = memoryId;
  segment.rowOfId.set(memoryId, row);
}

function forget(segment: Segment, row: number): void {
  const memoryId = segment.ids[row];
  if (memoryId === undefined) return;
  segment.ids[row] = undefined;
  if (segment.rowOfId.get(memoryId) === row) segment.rowOfId.delete(memoryId);
}

export function rowsOfKeys(segment: Segment): KeyRowTable {
  const rows = createKeyRowTable(segment.size);
  for (let row = 0; row < segment.size; row++) rows.set(segment.keys[row]!, row);
  return rows;
}

/** One int8 row as a float vector of length 1 (0 stays 0), written into `vector`. */
export function unitRow({ dimensions, data, inverseNorms }: Segment, row: number, vector: Float32Array): Float32Array {
  const start = row * dimensions;
  let scale = inverseNorms[row]!;
  if (Number.isNaN(scale)) {
    let norm = 0;
    for (let j = start; j < start + dimensions; j++) norm += data[j]! * data[j]!;
    scale = inverseNorms[row] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  for (let j = 0; j < dimensions; j++) vector[j] = data[start + j]! * scale;
  return vector;
}

/**
 * The segment's best `k` rows by cosine with the query, both as int8 (cosine ignores each row's
 * factor), in usearch's native exact search: SIMD, about 14x a JavaScript loop (0.64 ms for 10,000
 * rows of 612 dimensions). The similarities pick a short list; they are re-scored after.
 *
 * usearch's `exactSearch` reads from the start of the array's buffer (see usearch-module.ts), so rows
 * in a slab region are first copied to `scratch`, which starts its buffer: 0.44 ms for 6 MB, against
 * the full collections a buffer per segment caused (see segment-slab.ts).
 */
export function scan(segment: Segment, query: Float32Array, k: number, scratch: (bytes: number) => Int8Array): Array<{ row: number; similarity: number }> {
  const { dimensions, size, data } = segment;
  const count = Math.min(k, size);
  if (count === 0) return [];
  let rows = data.subarray(0, size * dimensions);
  if (rows.byteOffset !== 0) {
    const copy = scratch(rows.length).subarray(0, rows.length);
    copy.set(rows);
    rows = copy;
  }
  const found = exactSearch(rows, quantizeUnit(query).data, dimensions, count, MetricKind.Cos, 1) as Matches;
  return Array.from(found.keys, (row, i) => ({ row: Number(row), similarity: 1 - found.distances[i]! }));
}

/** The cosine of the unit float `query` with one int8 row (its factor cancels out). */
export function cosineWithRow({ dimensions, data }: Segment, row: number, query: Float32Array): number {
  const start = row * dimensions;
  let dot = 0;
  let norm = 0;
  for (let j = 0; j < dimensions; j++) {
    const x = data[start + j]!;
    dot += query[j]! * x;
    norm += x * x;
  }
  return norm === 0 ? 0 : dot / Math.sqrt(norm);
}
