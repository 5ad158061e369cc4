/**
 * Collects the weighted features of one text and projects them into a dense vector.
 *
 * Sub-linear TF needs to know how often each feature occurred before it is written, so features
 * are counted first. An open-addressing table over typed arrays does that without one object or
 * string per feature, and is reused across texts: `drainInto` empties it in O(features).
 */
export interface FeatureBag {
  /** Records one occurrence of the feature `hash` (a mixed 32-bit hash) with its weight. */
  add(hash: number, weight: number): void;
  /**
   * Adds each feature to `target[bucket]` as ±meanWeight × (1 + ln tf), then empties the bag.
   * Bits 1..31 of the hash pick the bucket and bit 0 the sign, so colliding features cancel
   * out on average instead of piling up.
   */
  drainInto(target: Float64Array): void;
}

const INITIAL_CAPACITY = 1024;
// A 100k-character text grows the table to ~10 MB; don't keep that alive for the next short text.
const MAX_RETAINED_CAPACITY = 1 << 16;

export function createFeatureBag(): FeatureBag {
  let capacity = INITIAL_CAPACITY;
  let keys = new Uint32Array(capacity);
  let sums = new Float64Array(capacity);
  // A count of 0 marks an empty slot, so no separate occupancy array is needed.
  let counts = new Uint32Array(capacity);
  // Occupied slots in insertion order: makes draining cheap and the float summation order fixed.
  let order = new Int32Array(capacity >>> 1);
  let size = 0;

  const allocate = (newCapacity: number) => {
    capacity = newCapacity;
    keys = new Uint32Array(capacity);
    sums = new Float64Array(capacity);
    counts = new Uint32Array(capacity);
    order = new Int32Array(capacity >>> 1);
  };

  const findSlot = (hash: number): number => {
    const mask = capacity - 1;
    let slot = hash & mask;
    while (counts[slot] !== 0 && keys[slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  };

  const grow = () => {
    const oldKeys = keys;
    const oldSums = sums;
    const oldCounts = counts;
    const oldOrder = order;
    const oldSize = size;
    allocate(capacity * 2);
    for (let i = 0; i < oldSize; i++) {
      const from = oldOrder[i] as number;
      const slot = findSlot(oldKeys[from] as number);
      keys[slot] = oldKeys[from] as number;
      sums[slot] = oldSums[from] as number;
      counts[slot] = oldCounts[from] as number;
      order[i] = slot;
    }
  };

  return {
    add(hash, weight) {
      if (weight === 0) return;
      const slot = findSlot(hash);
      if (counts[slot] === 0) {
        keys[slot] = hash;
        sums[slot] = weight;
        counts[slot] = 1;
        order[size++] = slot;
        if (size * 2 >= capacity) grow();
      } else {
        sums[slot] = (sums[slot] as number) + weight;
        counts[slot] = (counts[slot] as number) + 1;
      }
    },

    drainInto(target) {
      const dimensions = target.length;
      for (let i = 0; i < size; i++) {
        const slot = order[i] as number;
        const hash = keys[slot] as number;
        const tf = counts[slot] as number;
        // Mean weight, because one n-gram can come from words of different lengths or stop-word status.
        const value = ((sums[slot] as number) / tf) * (1 + Math.log(tf));
        const bucket = (hash >>> 1) % dimensions;
        target[bucket] = (target[bucket] as number) + ((hash & 1) === 0 ? value : -value);
        counts[slot] = 0;
      }
      size = 0;
      if (capacity > MAX_RETAINED_CAPACITY) allocate(INITIAL_CAPACITY);
    },
  };
}
