/**
 * Memory for owner segments' int8 rows, carved out of a few large ArrayBuffers that are kept for
 * the store's life, instead of an ArrayBuffer per segment.
 *
 * Why: V8 counts ArrayBuffer memory as "external", and every 64 MB of new external memory starts a
 * full marking of the JavaScript heap. A user's first search at a million memories reads a 6 MB
 * segment, so every tenth new user made V8 mark the application's whole heap: with 280 MB of other
 * live objects in the process, a pass over 87 new users took p95 133-159 ms; with the rows copied
 * into regions of one preallocated buffer, 32-36 ms (apps/eval/RESULTS.md, session 38). Regions
 * freed by evicted segments are reused, so a long-running process stops allocating new external
 * memory once its cache is full.
 *
 * Regions are first fit from per-chunk free lists (neighbours coalesce), in 4 KiB units. Chunks are
 * added as needed, each at least twice what the slab holds so far, up to `maxBytes` in all; past that,
 * or when no free region is large enough, `allocate` returns undefined and the caller uses an
 * ordinary buffer.
 */
export interface SegmentSlab {
  /** A view of `bytes` bytes of the slab (its contents are whatever was there), or undefined when none is free. */
  allocate(bytes: number): Int8Array | undefined;
  /** Returns a view `allocate` gave (anything else is ignored). Its bytes may be handed out again at once. */
  release(view: Int8Array): void;
  /** Drops every chunk: views given out before must not be used again. */
  reset(): void;
  /** Bytes of the chunks (what the process holds, used or free). */
  readonly reservedBytes: number;
  /** Bytes of the regions given out and not released. */
  readonly usedBytes: number;
}

const UNIT = 4096;
/** A small store's segments fit the first chunk; a large store's cache reaches its budget in a few doublings. */
const FIRST_CHUNK = 8 * 1024 * 1024;

interface Chunk {
  buffer: ArrayBuffer;
  /** Free regions as [start, length] in bytes, ordered by start, never touching one another. */
  free: Array<[number, number]>;
}

export function createSegmentSlab(options: { maxBytes: number }): SegmentSlab {
  const { maxBytes } = options;
  let chunks: Chunk[] = [];
  let reserved = 0;
  let used = 0;
  /** The region each view given out covers (its length rounded up to the unit). */
  const regions = new WeakMap<Int8Array, number>();

  function take(chunk: Chunk, size: number): number | undefined {
    const index = chunk.free.findIndex(([, length]) => length >= size);
    if (index === -1) return undefined;
    const [start, length] = chunk.free[index]!;
    if (length === size) chunk.free.splice(index, 1);
    else chunk.free[index] = [start + size, length - size];
    return start;
  }

  function addChunk(size: number): Chunk | undefined {
    const bytes = Math.min(maxBytes - reserved, Math.max(size, FIRST_CHUNK, reserved * 2));
    if (bytes < size) return undefined;
    let buffer: ArrayBuffer;
    try {
      buffer = new ArrayBuffer(bytes);
    } catch {
      return undefined; // the system refused the reservation: ordinary buffers it is
    }
    const chunk: Chunk = { buffer, free: [[0, bytes]] };
    chunks.push(chunk);
    reserved += bytes;
    return chunk;
  }

  return {
    allocate(bytes) {
      if (!(Number.isSafeInteger(bytes) && bytes > 0)) return undefined;
      const size = Math.ceil(bytes / UNIT) * UNIT;
      for (const chunk of chunks) {
        const start = take(chunk, size);
        if (start !== undefined) return give(chunk, start, bytes, size);
      }
      const chunk = addChunk(size);
      return chunk === undefined ? undefined : give(chunk, take(chunk, size)!, bytes, size);
    },

    release(view) {
      const size = regions.get(view);
      const chunk = chunks.find((c) => c.buffer === view.buffer);
      if (size === undefined || chunk === undefined) return;
      regions.delete(view);
      used -= size;
      insertFree(chunk.free, view.byteOffset, size);
    },

    reset() {
      chunks = [];
      reserved = 0;
      used = 0;
    },

    get reservedBytes() {
      return reserved;
    },
    get usedBytes() {
      return used;
    },
  };

  function give(chunk: Chunk, start: number, bytes: number, size: number): Int8Array {
    const view = new Int8Array(chunk.buffer, start, bytes);
    regions.set(view, size);
    used += size;
    return view;
  }
}

/** Puts [start, start + size) back into an ordered free list, merged with the regions it touches. */
function insertFree(free: Array<[number, number]>, start: number, size: number): void {
  let index = free.findIndex(([at]) => at > start);
  if (index === -1) index = free.length;
  const before = free[index - 1];
  const after = free[index];
  if (before !== undefined && before[0] + before[1] === start) {
    before[1] += size;
    if (after !== undefined && start + size === after[0]) {
      before[1] += after[1];
      free.splice(index, 1);
    }
  } else if (after !== undefined && start + size === after[0]) {
    free[index] = [start, size + after[1]];
  } else {
    free.splice(index, 0, [start, size]);
  }
}
