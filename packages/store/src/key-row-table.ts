/**
 * A map from vector keys (non-negative safe integers) to row numbers, kept in typed arrays: open
 * addressing with linear probing, deletion by backward shift (no tombstones).
 *
 * Why not a `Map`: an owner segment of 10,000 rows needs one, and as a JavaScript Map it is about
 * 0.46 MB of heap that lives as long as the segment is cached. At a million memories every user
 * searched for the first time added one, and the growing old space made V8 mark a large heap again
 * and again: with 280 MB of other live objects, a cold pass over 87 users took p95 147 ms instead of
 * 37 (apps/eval/RESULTS.md, session 38). Typed arrays are one buffer the collector never walks.
 */
export interface KeyRowTable {
  /** The row of `key`, or -1. */
  get(key: number): number;
  set(key: number, row: number): void;
  delete(key: number): void;
  readonly size: number;
  /** Bytes of its two buffers. */
  readonly byteLength: number;
}

const EMPTY = -1;

export function createKeyRowTable(expected = 16): KeyRowTable {
  let capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  let keys = new Float64Array(capacity).fill(EMPTY);
  let rows = new Int32Array(capacity);
  let size = 0;

  // Multiplicative hashing on the low 32 bits and the rest: keys are dense integers, often in runs.
  const slotOf = (key: number, mask: number) => (Math.imul((key >>> 0) ^ Math.floor(key / 4_294_967_296), 0x9e3779b1) >>> 0) & mask;

  function find(key: number): number {
    const mask = capacity - 1;
    for (let slot = slotOf(key, mask); ; slot = (slot + 1) & mask) {
      const held = keys[slot]!;
      if (held === key || held === EMPTY) return slot;
    }
  }

  function grow(): void {
    const oldKeys = keys;
    const oldRows = rows;
    capacity *= 2;
    keys = new Float64Array(capacity).fill(EMPTY);
    rows = new Int32Array(capacity);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] === EMPTY) continue;
      const slot = find(oldKeys[i]!);
      keys[slot] = oldKeys[i]!;
      rows[slot] = oldRows[i]!;
    }
  }

  return {
    get(key) {
      const slot = find(key);
      return keys[slot] === EMPTY ? -1 : rows[slot]!;
    },
    set(key, row) {
      if (!(Number.isSafeInteger(key) && key >= 0)) throw new RangeError(`a key-row table holds non-negative safe integers, got ${key}`);
      let slot = find(key);
      if (keys[slot] === EMPTY) {
        // At most half full: probes stay short.
        if ((size + 1) * 2 > capacity) {
          grow();
          slot = find(key);
        }
        size++;
        keys[slot] = key;
      }
      rows[slot] = row;
    },
    delete(key) {
      const mask = capacity - 1;
      let hole = find(key);
      if (keys[hole] === EMPTY) return;
      size--;
      // Backward shift: move later entries of the probe run into the hole when their home slot
      // allows it, so a lookup never stops early at a gap.
      for (let slot = (hole + 1) & mask; keys[slot] !== EMPTY; slot = (slot + 1) & mask) {
        const home = slotOf(keys[slot]!, mask);
        const between = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
        if (between) continue;
        keys[hole] = keys[slot]!;
        rows[hole] = rows[slot]!;
        hole = slot;
      }
      keys[hole] = EMPTY;
    },
    get size() {
      return size;
    },
    get byteLength() {
      return keys.byteLength + rows.byteLength;
    },
  };
}
