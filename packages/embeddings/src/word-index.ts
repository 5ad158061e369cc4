/** Row numbers of a lexicon's words, looked up without a JavaScript string per word. */
export interface WordIndex {
  /** The word's row, or -1 when the lexicon does not have it. */
  find(word: string): number;
  /** Words indexed (the rows of the file). */
  readonly size: number;
}

const NEWLINE = 0x0a;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * An open-addressing hash table over the file's own newline-separated UTF-8 words. Splitting 50,000
 * words into strings and filling a `Map` took ~50 ms of every process's first `createMemory()` on
 * this machine (most of it allocation); hashing the bytes where they lie takes ~2 ms. A lookup
 * encodes the asked word once (the encoders cache words, so this runs once per distinct word).
 * Returns `undefined` when `bytes` does not hold exactly `count` non-empty words.
 */
export function createWordIndex(bytes: Uint8Array, count: number): WordIndex | undefined {
  if (count === 0) return bytes.length === 0 ? { size: 0, find: () => -1 } : undefined;
  const starts = new Uint32Array(count + 1);
  let words = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== NEWLINE) continue;
    if (i === start || words === count) return undefined;
    starts[words++] = start;
    start = i + 1;
  }
  if (words !== count) return undefined;
  // Each word's end is the next one's start minus its newline; the last one's, the block's end.
  starts[count] = bytes.length + 1;

  const capacity = 2 ** Math.ceil(Math.log2(Math.max(2, count * 2)));
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const sameWord = (row: number, key: Uint8Array, length: number) => {
    const from = starts[row]!;
    if (starts[row + 1]! - 1 - from !== length) return false;
    for (let k = 0; k < length; k++) if (bytes[from + k] !== key[k]) return false;
    return true;
  };
  for (let row = 0; row < count; row++) {
    const from = starts[row]!;
    const length = starts[row + 1]! - 1 - from;
    let slot = hashOf(bytes, from, length) & mask;
    // A repeated word keeps its last row, as a Map filled in order would.
    while (slots[slot] !== -1 && !sameWord(slots[slot]!, bytes.subarray(from, from + length), length)) slot = (slot + 1) & mask;
    slots[slot] = row;
  }

  const encoder = new TextEncoder();
  let scratch = new Uint8Array(64);
  return {
    size: count,
    find(word) {
      // UTF-8 takes at most three bytes per UTF-16 unit.
      if (scratch.length < word.length * 3) scratch = new Uint8Array(word.length * 3);
      const { written } = encoder.encodeInto(word, scratch);
      if (written === 0) return -1;
      let slot = hashOf(scratch, 0, written) & mask;
      for (let row = slots[slot]!; row !== -1; row = slots[(slot = (slot + 1) & mask)]!) {
        if (sameWord(row, scratch, written)) return row;
      }
      return -1;
    },
  };
}

/** FNV-1a over `length` bytes from `from`. */
function hashOf(bytes: Uint8Array, from: number, length: number): number {
  let hash = FNV_OFFSET;
  for (let k = 0; k < length; k++) hash = Math.imul(hash ^ bytes[from + k]!, FNV_PRIME);
  return hash >>> 0;
}
