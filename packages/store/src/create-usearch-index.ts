import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Index, MetricKind } from './usearch-module';
import { SCALARS, checkIndexFile, unloadable, type UsearchQuantization } from './check-usearch-file';
import { createErrorFactory, isNeuroMemError, validateVector, type VectorIndex, type VectorMatch } from '@neuromem/core';

const fail = createErrorFactory('store');

export type { UsearchQuantization };

export interface UsearchIndexOptions {
  /** Length of every vector. Required. */
  dimensions: number;
  /** File loaded on open (if it exists) and written by `flush()`. Omitted: in-memory only. */
  path?: string;
  /** How vectors are stored: `'f32'` (default, full precision), `'f16'` (half the memory) or `'i8'` (quarter; recall caps near 0.93). */
  quantization?: UsearchQuantization;
  /** HNSW neighbours per node (M). Default 16. A loaded file keeps the value it was built with. */
  connectivity?: number;
  /** Beam width while inserting (efConstruction). Default 128. */
  expansionAdd?: number;
  /** Beam width while searching (ef); higher is slower and more exact. Default 64. */
  expansionSearch?: number;
  /** Threads usearch may use for one `add` batch (0 = all cores). One query always runs on one thread. Default 1: a graph built by several threads differs from run to run. */
  threads?: number;
  /**
   * Threads for a bulk `add` of at least 256 vectors: a rebuild, or the catch-up of an index opened
   * after many writes (0 = all cores, the default). Two cores insert 1.9x faster than one, at the same
   * recall@10 (0.955 on 30k turn vectors); the exact graph then differs from run to run.
   */
  bulkThreads?: number;
}

/**
 * An HNSW cosine index backed by usearch. It is derived data: the durable store can always rebuild
 * it, so a file that cannot be loaded raises `STORAGE` rather than being repaired. `close()` does
 * not flush; the owner decides when the file is written.
 */
export async function createUsearchIndex(options: UsearchIndexOptions): Promise<VectorIndex> {
  const { dimensions, path, quantization = 'f32', connectivity = 16, expansionAdd = 128, expansionSearch = 64, threads = 1, bulkThreads = 0 } = options;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw fail('INVALID_INPUT', `dimensions must be a positive integer, got ${String(dimensions)}.`);
  if (!Object.hasOwn(SCALARS, quantization)) throw fail('INVALID_INPUT', `quantization must be 'f32', 'f16' or 'i8', got ${String(quantization)}.`);
  for (const [field, value, min] of [
    ['connectivity', connectivity, 2],
    ['expansionAdd', expansionAdd, 1],
    ['expansionSearch', expansionSearch, 1],
    ['threads', threads, 0],
    ['bulkThreads', bulkThreads, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw fail('INVALID_INPUT', `${field} must be an integer >= ${min}, got ${String(value)}.`, { details: { field } });
  }
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw fail('INVALID_INPUT', 'path must be a non-empty string or omitted for an in-memory index.');

  let native: Index | undefined = new Index({
    dimensions,
    metric: MetricKind.Cos,
    quantization: SCALARS[quantization].kind,
    connectivity,
    expansion_add: expansionAdd,
    expansion_search: expansionSearch,
    multi: false,
  });
  if (path !== undefined && existsSync(path)) {
    try {
      checkIndexFile(path, dimensions, quantization);
      native.load(path); // not `view`: a memory-mapped index is read-only
    } catch (error) {
      if (isNeuroMemError(error)) throw error;
      throw unloadable(path, error instanceof Error ? error.message : String(error), error);
    }
  }

  const live = (): Index => {
    if (native === undefined) throw fail('CLOSED', 'this vector index was closed; open a new one with createUsearchIndex().');
    return native;
  };

  return {
    specVersion: 'neuromem.vector-index/v1',
    dimensions,
    capabilities: { persistent: path !== undefined, approximate: true },
    size: () => live().size(),
    has(key) {
      const index = live();
      return isKey(key) && (index.contains(BigInt(key)) as boolean);
    },

    async add(keys, vectors) {
      live();
      // Everything is checked and copied before usearch is touched, so a bad batch adds nothing.
      // A repeated key keeps its last vector: usearch would silently store both copies.
      checkKeys(keys);
      if (keys.length !== vectors.length) throw fail('INVALID_INPUT', `got ${keys.length} keys but ${vectors.length} vectors; pass one vector per key.`);
      const batch = new Map(keys.map((key, i) => [key, validateVector(vectors[i], dimensions, { field: `vectors[${i}]`, module: 'store' })] as const));
      if (batch.size === 0) return;
      const entries = [...batch];
      const addThreads = entries.length >= BULK_ADD ? bulkThreads : threads;
      // Large batches go in slices with a turn of the event loop between them, so a rebuild or an
      // import never freezes the process for seconds (HNSW insertion costs ~0.5-1 ms per vector).
      for (let start = 0; start < entries.length; start += ADD_SLICE) {
        if (start > 0) await yieldToEventLoop();
        const index = live();
        const slice = entries.slice(start, start + ADD_SLICE);
        const bigKeys = BigUint64Array.from(slice, ([key]) => BigInt(key));
        // Unit length before storing, so f16/i8 never see values outside their range.
        const flat = new Float32Array(slice.length * dimensions);
        slice.forEach(([, vector], row) => flat.set(normalized(vector), row * dimensions));
        // usearch (multi: false) throws on an existing key; replacing means removing it first.
        removeVerified(
          index,
          [...bigKeys].filter((key) => index.contains(key) as boolean),
        );
        try {
          index.add(bigKeys, flat, addThreads);
        } catch (error) {
          throw fail('STORAGE', `usearch could not add ${slice.length} vectors (${String(error)}); the replaced keys are now missing, rebuild the index from the durable store.`, {
            cause: error,
            details: { drift: true },
          });
        }
      }
    },

    async remove(keys) {
      const index = live();
      checkKeys(keys);
      const present = keys.map((key) => BigInt(key)).filter((key) => index.contains(key) as boolean);
      removeVerified(index, [...new Set(present)]);
      return new Set(present).size;
    },

    async search(vector, k, { filter } = {}) {
      const index = live();
      const query = normalized(validateVector(vector, dimensions, { field: 'query vector', module: 'store' }));
      if (!Number.isInteger(k) || k < 1) throw fail('INVALID_INPUT', `k must be a positive integer, got ${String(k)}.`, { details: { field: 'k' } });
      const size = index.size();
      if (size === 0) return [];
      const wanted = Math.min(k, size);
      if (filter === undefined) return toMatches(index.search(query, wanted, 1), undefined, wanted);
      // usearch has no filter predicate: oversample, post-filter, and double until k keys pass.
      // Guarantee: at breadth == size the beam (ef >= size) visits every node reachable from the
      // entry point, in tests every live node even after removing 99%. There is no scan fallback
      // (vectors live only inside usearch and keys cannot be enumerated), so a filter passing few
      // keys of a large index costs up to a full-size search: give such scopes their own index.
      for (let breadth = Math.min(size, Math.max(wanted * 4, 32)); ; breadth = Math.min(size, breadth * 2)) {
        const matches = toMatches(index.search(query, breadth, 1), filter, wanted);
        if (matches.length >= wanted || breadth >= size) return matches;
      }
    },

    async flush(flushOptions = {}) {
      const index = live();
      if (path === undefined) return;
      // Save beside the target, fsync, then rename over it: a crash leaves the old file or the new
      // one, never half of one. A stale `.tmp-<pid>` from a crashed run is never read here.
      const tmp = `${path}.tmp-${process.pid}`;
      try {
        mkdirSync(dirname(path), { recursive: true });
        index.save(tmp);
        fsync(tmp, 'r+');
        await flushOptions.beforeReplace?.(tmp);
        renameSync(tmp, path);
      } catch (error) {
        rmSync(tmp, { force: true });
        throw fail('STORAGE', `could not save the vector index to ${path} (${String(error)}); the previous file is unchanged.`, { cause: error, details: { path } });
      }
      fsync(dirname(path), 'r', true); // makes the rename itself durable where the OS allows it
    },

    async close() {
      native = undefined; // idempotent; drops the native index so its memory can be reclaimed
    },
  };
}

/** Vectors per native `add` call; one slice takes tens of milliseconds at most. */
const ADD_SLICE = 64;
/** An `add` of this many vectors or more is a bulk load (see `bulkThreads`). */
const BULK_ADD = 256;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Removes keys known to be present and checks that they are gone. usearch 2.25 could report 0 for
 * a present key (stale tombstones in its key table) and later spin forever in `remove`; 2.26.2
 * fixes that, and this check turns any such drift into an error the store answers with a rebuild
 * instead of an index that silently disagrees with SQLite.
 */
function removeVerified(index: Index, keys: readonly bigint[]): void {
  if (keys.length === 0) return;
  const removed = index.remove(BigUint64Array.from(keys)) as number[];
  const stuck = keys.filter((key, i) => removed[i] !== 1 || (index.contains(key) as boolean));
  if (stuck.length > 0) {
    throw fail(
      'STORAGE',
      `usearch did not remove ${stuck.length} of ${keys.length} present keys (first: ${String(stuck[0])}); the vector index disagrees with the durable store and must be rebuilt from it.`,
      { details: { drift: true } },
    );
  }
}

const isKey = (key: unknown): key is number => typeof key === 'number' && Number.isSafeInteger(key) && key >= 0;

function checkKeys(keys: readonly number[]): void {
  if (!Array.isArray(keys)) throw fail('INVALID_INPUT', 'keys must be an array of non-negative integers.', { details: { field: 'keys' } });
  const bad = keys.findIndex((key) => !isKey(key));
  if (bad >= 0) throw fail('INVALID_INPUT', `keys[${bad}] must be a non-negative safe integer, got ${String(keys[bad])}.`, { details: { field: 'keys', index: bad } });
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) ** 2;
  norm = Math.sqrt(norm);
  return vector.map((x) => x / norm);
}

function toMatches(found: { keys: BigUint64Array; distances: Float32Array }, filter: ((key: number) => boolean) | undefined, limit: number): VectorMatch[] {
  const out: VectorMatch[] = [];
  for (let i = 0; i < found.keys.length && out.length < limit; i++) {
    const key = Number(found.keys[i]);
    // usearch reports 1 - cosine; quantization can push it a hair outside [0, 2].
    if (filter === undefined || filter(key)) out.push({ key, similarity: Math.max(-1, Math.min(1, 1 - (found.distances[i] as number))) });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

function fsync(path: string, flags: string, bestEffort = false): void {
  try {
    const fd = openSync(path, flags);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (!bestEffort) throw error;
  }
}
