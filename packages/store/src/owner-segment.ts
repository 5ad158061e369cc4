import { exactSearch, MetricKind, type Matches } from './usearch-module';
import { createErrorFactory } from '@neuromem/core';
import { quantizeUnit } from './int8-vector';
import { createKeyRowTable, type KeyRowTable } from './key-row-table';

const fail = createErrorFactory('store');

/**
 * One owner's vectors at one scale, packed for a linear scan: int8 rows (a quarter of float32; a
 * row's factor is not kept, since the scan compares by cosine, and the caller re-scores the best
 * ones exactly).
 *
 * The rows live in blocks of one size (`rowsPerBlock` rows, about 128 KiB), the last of which may be
 * shorter: a segment grows by a block, or by growing its short last block, never by copying all its
 * rows into a larger buffer. One buffer per segment grown by a quarter at a time left a followed
 * writer's segment 12 % empty on average (the cache counts capacity) and copied every row about four
 * times; at a million memories the 100 users' segments then overflowed their 768 MB budget and
 * evicted one another, and the regions the copies left behind kept the process's memory 220 MB above
 * what the segments used.
 */
export interface Segment {
  dimensions: number;
  size: number;
  /** Rows in each block but the last, which holds at most as many. */
  rowsPerBlock: number;
  blocks: Int8Array[];
  keys: Float64Array;
  /** 1 / each row's length, NaN until `unitRow` first needs it (half of making a row's float vector). */
  inverseNorms: Float64Array;
  /** The largest key ever held: a change replayed after the segment was read from SQLite is not added twice. */
  maxKey: number;
  /** Whether `keys` ascend, row by row (see `rowOf`). */
  sorted: boolean;
  /**
   * Each key's row, made when `rowOf` first needs it on a segment whose keys no longer ascend, and
   * kept in step by `append` and `remove` from then on (typed arrays, not a Map: see key-row-table.ts).
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

/** Memory for a segment's blocks of int8 rows (see segment-slab.ts). */
export interface BlockMemory {
  allocate(bytes: number): Int8Array;
  /** Takes back a block `allocate` gave, once no segment uses it. */
  release(block: Int8Array): void;
}

/** A full block's bytes: 32 pages of the slab, about 200 turn vectors. */
export const BLOCK_BYTES = 128 * 1024;

const rowsPerBlockOf = (dimensions: number, blockBytes: number) => Math.max(1, Math.floor(blockBytes / dimensions));

function emptySegment(dimensions: number, blockBytes: number): Segment {
  return {
    dimensions,
    size: 0,
    rowsPerBlock: rowsPerBlockOf(dimensions, blockBytes),
    blocks: [],
    sorted: true,
    keys: new Float64Array(FIRST_ROWS),
    inverseNorms: new Float64Array(FIRST_ROWS).fill(Number.NaN),
    maxKey: 0,
    ids: [],
    rowOfId: new Map(),
  };
}

/**
 * A segment of the rows as read, copied into blocks of the segments' own memory: the buffer SQLite
 * filled dies young, which the garbage collector frees cheaply, and a segment kept in the cache adds
 * no new external memory (see segment-slab.ts). The last block holds what is left over, exactly.
 */
export function fromPacked({ keys, data }: PackedRows, dimensions: number, memory: BlockMemory, blockBytes: number): Segment {
  if (data.length !== keys.length * dimensions) throw fail('STORAGE', `an owner segment read ${keys.length} keys with ${data.length} bytes of ${dimensions}-wide rows.`);
  const segment = emptySegment(dimensions, blockBytes);
  if (keys.length === 0) return segment;
  const blockLength = segment.rowsPerBlock * dimensions;
  for (let at = 0; at < data.length; at += blockLength) {
    const block = memory.allocate(Math.min(blockLength, data.length - at));
    block.set(data.subarray(at, at + block.length));
    segment.blocks.push(block);
  }
  let maxKey = 0;
  for (let row = 0; row < keys.length; row++) {
    if (row > 0 && keys[row]! <= keys[row - 1]!) segment.sorted = false;
    maxKey = Math.max(maxKey, keys[row]!);
  }
  segment.size = keys.length;
  segment.keys = Float64Array.from(keys);
  segment.inverseNorms = new Float64Array(keys.length).fill(Number.NaN);
  segment.maxKey = maxKey;
  return segment;
}

/** Rows the segment has room for. */
const capacityOf = ({ blocks, rowsPerBlock, dimensions }: Segment) => (blocks.length === 0 ? 0 : (blocks.length - 1) * rowsPerBlock + blocks.at(-1)!.length / dimensions);

/** Bytes of its blocks. */
export const blockBytesOf = ({ blocks }: Segment) => blocks.reduce((sum, block) => sum + block.byteLength, 0);

/** Adds a row at the end; the segment is changed in place. */
export function append(segment: Segment, key: number, { data }: { data: Int8Array }, memory: BlockMemory): Segment {
  const { dimensions, rowsPerBlock, blocks } = segment;
  if (data.length !== dimensions) return segment; // another scale's width cannot be scored here (never written by the store)
  if (segment.size === capacityOf(segment)) {
    const last = blocks.at(-1);
    const lastRows = last === undefined ? 0 : last.length / dimensions;
    if (last !== undefined && lastRows < rowsPerBlock) {
      // A short last block grows (a small segment stays small); the rows before it do not move.
      const grown = memory.allocate(Math.min(rowsPerBlock, grownCapacity(lastRows)) * dimensions);
      grown.set(last);
      blocks[blocks.length - 1] = grown;
      memory.release(last);
    } else {
      blocks.push(memory.allocate((last === undefined ? Math.min(rowsPerBlock, FIRST_ROWS) : rowsPerBlock) * dimensions));
    }
  }
  if (segment.size === segment.keys.length) {
    const capacity = grownCapacity(segment.keys.length);
    segment.keys = grownArray(segment.keys, capacity, 0);
    segment.inverseNorms = grownArray(segment.inverseNorms, capacity, Number.NaN);
  }
  if (segment.size > 0 && key <= segment.keys[segment.size - 1]!) segment.sorted = false;
  const row = segment.size++;
  const { block, offset } = locate(segment, row);
  block.set(data, offset);
  segment.inverseNorms[row] = Number.NaN;
  segment.keys[row] = key;
  segment.maxKey = Math.max(segment.maxKey, key);
  segment.rowOfKey?.set(key, row);
  return segment;
}

/** Rows a new segment's first block and key array have room for. */
const FIRST_ROWS = 16;

/**
 * A short last block, and the key arrays, grow by a quarter (at least 16 rows): a small owner's
 * segment costs about what its rows do.
 */
const grownCapacity = (capacity: number) => capacity + Math.max(FIRST_ROWS, Math.ceil(capacity / 4));

function grownArray(array: Float64Array, capacity: number, fill: number): Float64Array {
  const grown = new Float64Array(capacity).fill(fill);
  grown.set(array);
  return grown;
}

/** The block that holds `row`, and where in it the row starts. */
function locate({ blocks, rowsPerBlock, dimensions }: Segment, row: number): { block: Int8Array; offset: number } {
  const index = Math.floor(row / rowsPerBlock);
  return { block: blocks[index]!, offset: (row - index * rowsPerBlock) * dimensions };
}

/** Swaps the last row into the removed one: order does not matter to a scan. */
export function remove(segment: Segment, key: number): Segment {
  // Out of order and without a table, one removal scans the keys rather than build the table.
  const row = segment.sorted || segment.rowOfKey ? rowOf(segment, key) : segment.keys.subarray(0, segment.size).indexOf(key);
  if (row === -1) return segment;
  const last = --segment.size;
  segment.rowOfKey?.delete(key);
  forget(segment, row);
  if (row !== last) {
    const { dimensions } = segment;
    segment.sorted = false;
    segment.keys[row] = segment.keys[last]!;
    segment.inverseNorms[row] = segment.inverseNorms[last]!;
    const from = locate(segment, last);
    const to = locate(segment, row);
    to.block.set(from.block.subarray(from.offset, from.offset + dimensions), to.offset);
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

/**
 * The row of `key`, or -1. A segment's keys ascend until a removal swaps its last row into another
 * place: a load reads them in key order (checked as it copies them) and an append's key is above every
 * key held. Then a binary search finds a key. After such a removal a table of every key's row is made,
 * once, and kept in step: what every owner's first `learn` made before, 1.3 ms and ~390 KB for
 * 10,000 rows (a fifth of a first search's extra cost at a million memories).
 */
export function rowOf(segment: Segment, key: number): number {
  if (!segment.sorted) return (segment.rowOfKey ??= rowsOfKeys(segment)).get(key);
  const { keys } = segment;
  let low = 0;
  let high = segment.size - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = keys[middle]!;
    if (found === key) return middle;
    if (found < key) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

function rowsOfKeys(segment: Segment): KeyRowTable {
  const rows = createKeyRowTable(segment.size);
  for (let row = 0; row < segment.size; row++) rows.set(segment.keys[row]!, row);
  return rows;
}

/** One int8 row as a float vector of length 1 (0 stays 0), written into `vector`. */
export function unitRow(segment: Segment, row: number, vector: Float32Array): Float32Array {
  const { dimensions, inverseNorms } = segment;
  const { block, offset } = locate(segment, row);
  let scale = inverseNorms[row]!;
  if (Number.isNaN(scale)) {
    let norm = 0;
    for (let j = offset; j < offset + dimensions; j++) norm += block[j]! * block[j]!;
    scale = inverseNorms[row] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  for (let j = 0; j < dimensions; j++) vector[j] = block[offset + j]! * scale;
  return vector;
}

/**
 * The segment's best `k` rows by cosine with the query, both as int8 (cosine ignores each row's
 * factor), in usearch's native exact search: SIMD, about 14x a JavaScript loop (0.64 ms for 10,000
 * rows of 612 dimensions). The similarities pick a short list; they are re-scored after.
 *
 * usearch's `exactSearch` reads from the start of the array's buffer (see usearch-module.ts), and
 * wants the rows in one array: blocks are copied to `scratch`, which starts its buffer (0.44 ms for
 * 6 MB). A segment of one block of its own buffer is scanned where it is.
 */
export function scan(segment: Segment, query: Float32Array, k: number, scratch: (bytes: number) => Int8Array): Array<{ row: number; similarity: number }> {
  const { dimensions, size, blocks } = segment;
  const count = Math.min(k, size);
  if (count === 0) return [];
  const length = size * dimensions;
  let rows: Int8Array;
  if (blocks.length === 1 && blocks[0]!.byteOffset === 0) {
    rows = blocks[0]!.subarray(0, length);
  } else {
    rows = scratch(length).subarray(0, length);
    let at = 0;
    for (const block of blocks) {
      const take = Math.min(block.length, length - at);
      if (take <= 0) break;
      rows.set(take === block.length ? block : block.subarray(0, take), at);
      at += take;
    }
  }
  const found = exactSearch(rows, quantizeUnit(query).data, dimensions, count, MetricKind.Cos, 1) as Matches;
  return Array.from(found.keys, (row, i) => ({ row: Number(row), similarity: 1 - found.distances[i]! }));
}

/** The cosine of the unit float `query` with one int8 row (its factor cancels out). */
export function cosineWithRow(segment: Segment, row: number, query: Float32Array): number {
  const { dimensions } = segment;
  const { block, offset } = locate(segment, row);
  let dot = 0;
  let norm = 0;
  for (let j = 0; j < dimensions; j++) {
    const x = block[offset + j]!;
    dot += query[j]! * x;
    norm += x * x;
  }
  return norm === 0 ? 0 : dot / Math.sqrt(norm);
}
