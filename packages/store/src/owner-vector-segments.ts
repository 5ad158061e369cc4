import { createLruCache, type Scale, type VectorMatch } from '@neuromem/core';
import { quantizeUnit } from './int8-vector';
import { append, BLOCK_BYTES, blockBytesOf, cosineWithRow, fromPacked, know, remove, rowOf, scan, unitRow, type BlockMemory, type PackedRows, type Segment } from './owner-segment';
import { createSegmentSlab } from './segment-slab';

export { packRows, type Int8Row, type PackedRows } from './owner-segment';

/** Whose vector it is: the user and agent of its memory or session (either may be absent). */
export interface VectorOwner {
  userId: string | null;
  agentId: string | null;
}

/** A vector change the segments must follow, with its owner (see `DerivedChanges`). */
export interface OwnedVectorChange {
  scale: Scale;
  key: number;
  /** The memory (or session node) whose vector it is. */
  memoryId: string;
  owner: VectorOwner;
  vector?: Float32Array;
}

/** Reads an owner's int8 rows at a scale from SQLite (at most `limit`, of `dimensions` bytes each). */
export type OwnedRowsReader = (scale: Scale, owner: VectorOwner, limit: number, dimensions: number) => PackedRows;

/** An owner with more vectors than a segment may hold: searched through the ANN index instead. */
const TOO_LARGE = 'too-large';
type Entry = Segment | typeof TOO_LARGE;

const segmentId = (scale: Scale, userId: string | null, agentId: string | null) => JSON.stringify([scale, userId, agentId]);

/**
 * Per-owner vector segments: the answer to "a user's search costs what that user's memories cost".
 * An owner-scoped vector search scans the owner's segment (read from SQLite in one query the first
 * time, then kept in step with every commit) instead of filtering the store-wide index, whose cost
 * grows with everyone's memories. Segments live in an LRU cache within a byte budget; owners larger
 * than `maxRows` are left to the ANN index.
 */
export function createOwnerVectorSegments(options: {
  budgetBytes: number;
  maxRows: number;
  /** With it, segments follow their writers (see `follow`); without, they are read at a search only. */
  readOwned?: OwnedRowsReader;
  /** Bytes of a segment's full block of rows (see owner-segment.ts); smaller in tests, to make many. */
  blockBytes?: number;
}) {
  const { maxRows, budgetBytes, readOwned, blockBytes = BLOCK_BYTES } = options;
  // A known memory costs about 100 bytes (its id, shared with the caller's strings, a slot and a Map entry).
  const costOf = (entry: Entry) =>
    entry === TOO_LARGE ? 64 : blockBytesOf(entry) + entry.keys.byteLength + entry.inverseNorms.byteLength + (entry.rowOfKey?.byteLength ?? 0) + entry.rowOfId.size * 100;
  // Rows live in the slab (see segment-slab.ts), which can hold the whole budget and the segment
  // loaded before the cache evicts others to make room for it.
  const slab = createSegmentSlab({ maxBytes: budgetBytes + Math.max(SLAB_HEADROOM, budgetBytes / 4) });
  const memory: BlockMemory = { allocate: (bytes) => slab.allocate(bytes) ?? new Int8Array(bytes), release: (block) => slab.release(block) };
  const releaseAll = (entry: Entry) => entry !== TOO_LARGE && entry.blocks.forEach(memory.release);
  /** A segment of the rows read, or TOO_LARGE past `maxRows` (a read asks for one row more to tell). */
  const entryOf = (rows: PackedRows, dimensions: number): Entry => (rows.keys.length > maxRows ? TOO_LARGE : fromPacked(rows, dimensions, memory, blockBytes));
  // Where a scan copies slab rows for usearch (see scan): one buffer, grown to the largest segment.
  let scratch = new Int8Array(0);
  const scratchOf = (bytes: number) => (scratch.length >= bytes ? scratch : (scratch = new Int8Array(Math.max(bytes, scratch.length * 2))));
  /** A segment `reinsert` puts back: its rows stay where they are. */
  let kept: Entry | undefined;
  /** Segments a writer's commit read but the budget had no room for, with their cost then (see `follow`). */
  const declined = new Map<string, number>();
  const cache = createLruCache<string, Entry>({
    maxCost: budgetBytes,
    costOf,
    onEvict: (_, entry) => {
      if (entry !== kept) releaseAll(entry);
    },
  });

  /** Deleted and set again, so the cache counts its cost anew; a segment replaced (by TOO_LARGE) gives its blocks back. */
  function reinsert(id: string, entry: Entry): void {
    kept = entry;
    try {
      cache.delete(id);
      cache.set(id, entry);
    } finally {
      kept = undefined;
    }
  }

  /** Segments a change to this owner's vectors touches: the user's, the user-and-agent's, the agent's. */
  function idsOf({ scale, owner }: OwnedVectorChange): string[] {
    const ids: string[] = [];
    if (owner.userId !== null) ids.push(segmentId(scale, owner.userId, null));
    if (owner.agentId !== null) ids.push(segmentId(scale, null, owner.agentId));
    if (owner.userId !== null && owner.agentId !== null) ids.push(segmentId(scale, owner.userId, owner.agentId));
    return ids;
  }

  /**
   * Brings the segments of a user who just wrote into the cache, when the budget has room for them
   * without evicting anyone: a user who writes is about to search (a chat stores its turn, then
   * asks), and a first search that reads a 10,000-row segment from SQLite costs it 10-15 ms at a
   * million memories, three times a later one. The read happens once per user and process (the
   * segment then follows commits), so a write pays it instead of a search; a user made in this
   * process has an empty segment, which costs nothing to read. Only a user's own segments follow:
   * the agent-only one is not laid out for a read by owner (see vector-reads.ts).
   */
  function follow(add: OwnedVectorChange, read: OwnedRowsReader): void {
    const { scale, owner, vector } = add;
    if (owner.userId === null || vector === undefined) return;
    const owners: VectorOwner[] = [{ userId: owner.userId, agentId: null }];
    if (owner.agentId !== null) owners.push(owner);
    for (const followed of owners) {
      const id = segmentId(scale, followed.userId, followed.agentId);
      if (cache.get(id) !== undefined) continue;
      // Not read again while the room it lacked is still lacking: a busy writer must not re-read it per commit.
      const lacked = declined.get(id);
      if (lacked !== undefined && budgetBytes - cache.cost < lacked) continue;
      let entry: Entry;
      try {
        entry = entryOf(read(scale, followed, maxRows + 1, vector.length), vector.length);
      } catch {
        continue; // the write is committed; the user's first search reads the segment and reports what fails
      }
      const cost = costOf(entry);
      if (cache.cost + cost > budgetBytes) {
        releaseAll(entry);
        declined.set(id, cost);
        continue;
      }
      declined.delete(id);
      cache.set(id, entry);
    }
  }

  /** Re-inserted after a change, so the cache's byte count follows the segment's capacity. */
  function change(id: string, edit: (segment: Segment) => Entry): void {
    const entry = cache.get(id);
    if (entry === undefined || entry === TOO_LARGE) return;
    reinsert(id, edit(entry));
  }

  return {
    /**
     * The owner's `k` best keys by cosine with the unit `query`; undefined when the owner has more
     * than `maxRows` vectors. `load(limit)` reads the owner's int8 rows (at most `limit`) from SQLite
     * when no segment is cached. With `rescore`, an int8 scan picks that many rows and the float query's
     * cosine with each row orders them: for a store that keeps its vectors as int8 (the same bytes),
     * that is the order a read of the stored vectors would give, without reading them. Without it,
     * the int8 similarities are returned for the caller to re-score.
     */
    nearest(scale: Scale, owner: VectorOwner, query: Float32Array, k: number, load: (limit: number, dimensions: number) => PackedRows, rescore?: number): VectorMatch[] | undefined {
      const id = segmentId(scale, owner.userId, owner.agentId);
      let entry = cache.get(id);
      if (entry === undefined) {
        entry = entryOf(load(maxRows + 1, query.length), query.length);
        cache.set(id, entry);
      }
      if (entry === TOO_LARGE) return undefined;
      if (rescore === undefined) return scan(entry, query, k, scratchOf).map(({ row, similarity }) => ({ key: entry.keys[row]!, similarity }));
      const segment = entry;
      return scan(segment, query, Math.max(k, rescore), scratchOf)
        .map(({ row }) => ({ key: segment.keys[row]!, similarity: cosineWithRow(segment, row, query) }))
        .sort((a, b) => b.similarity - a.similarity || a.key - b.key)
        .slice(0, k);
    },

    /**
     * The vectors of those memories the owner's cached segment holds and knows (see `learn`), each its
     * stored int8 row scaled to length 1 (the direction the store's own read gives, whose length is
     * within int8 rounding of 1): nothing is read. The segment follows every commit, so a memory it
     * holds is current. Other memories, or an owner with no segment in memory, give none.
     */
    vectorsOf(scale: Scale, owner: VectorOwner, memoryIds: readonly string[]): Map<string, Float32Array> {
      const found = new Map<string, Float32Array>();
      const entry = cache.get(segmentId(scale, owner.userId, owner.agentId));
      if (entry === undefined || entry === TOO_LARGE) return found;
      const held: Array<[memoryId: string, row: number]> = [];
      for (const memoryId of memoryIds) {
        const row = entry.rowOfId.get(memoryId);
        if (row !== undefined) held.push([memoryId, row]);
      }
      // One buffer for all of them, each vector a view of it: a search asks for a few hundred, and a
      // typed array of its own per vector costs an allocation outside the heap and a finalizer each.
      const buffer = new Float32Array(held.length * entry.dimensions);
      held.forEach(([memoryId, row], i) => found.set(memoryId, unitRow(entry, row, buffer.subarray(i * entry.dimensions, (i + 1) * entry.dimensions))));
      return found;
    },

    /**
     * Tells the owner's cached segment which memory some of its keys belong to (as SQLite said), so
     * `vectorsOf` answers for them from then on. Keys it does not hold are passed over.
     */
    learn(scale: Scale, owner: VectorOwner, pairs: ReadonlyArray<{ key: number; memoryId: string }>): void {
      const id = segmentId(scale, owner.userId, owner.agentId);
      const entry = cache.get(id);
      if (entry === undefined || entry === TOO_LARGE || pairs.length === 0) return;
      for (const { key, memoryId } of pairs) {
        const row = rowOf(entry, key);
        if (row !== -1) know(entry, row, memoryId);
      }
      // Counted again, with what it learned.
      reinsert(id, entry);
    },

    /** Follows a commit: appends its new vectors and drops its removed ones from cached segments. */
    apply(adds: readonly OwnedVectorChange[], removals: readonly OwnedVectorChange[]): void {
      for (const removal of removals) for (const id of idsOf(removal)) change(id, (segment) => remove(segment, removal.key));
      for (const add of adds) {
        for (const id of idsOf(add)) {
          change(id, (segment) => {
            if (add.key <= segment.maxKey) return segment; // read from SQLite after this commit: already in
            return segment.size >= maxRows ? TOO_LARGE : append(segment, add.key, quantizeUnit(add.vector!), memory);
          });
        }
      }
      // After the appends: a segment read now already holds this commit's rows.
      if (readOwned) for (const add of adds) follow(add, readOwned);
    },

    /** Bytes the cached segments cost, as the budget counts them. */
    get bytes() {
      return cache.cost;
    },

    clear: () => {
      declined.clear();
      cache.clear();
      slab.reset();
      scratch = new Int8Array(0);
    },
  };
}

/** Room for rows beyond the cache's budget: a segment is made before the cache evicts others for it. */
const SLAB_HEADROOM = 32 * 1024 * 1024;
