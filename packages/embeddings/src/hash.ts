/**
 * 32-bit FNV-1a over whole UTF-16 code units or code points, finished with murmur3's fmix32.
 * FNV-1a is cheap enough to run incrementally over every character n-gram without building
 * strings; fmix32 repairs its weak low bits so `hash % dimensions` and the sign bit are both
 * close to uniform and independent of each other.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Starting state for one feature family, so "paint" the word and "paint" the n-gram never share a hash. */
export function hashSeed(family: number): number {
  return Math.imul(FNV_OFFSET ^ family, FNV_PRIME) >>> 0;
}

/** Folds one code unit, code point or earlier hash into the running state. */
export function hashStep(state: number, value: number): number {
  return Math.imul(state ^ value, FNV_PRIME) >>> 0;
}

/** Running state after every UTF-16 code unit of `text`. */
export function hashString(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Avalanche step from murmur3: every input bit flips about half of the output bits. */
export function fmix32(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
