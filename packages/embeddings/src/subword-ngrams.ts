import { fmix32, hashSeed, hashStep } from './hash';

const SUBWORD = hashSeed(11);
const START = 0x3c; // '<'
const END = 0x3e; // '>'

/** Character n-gram sizes of the subword fallback, counting the `<` `>` word markers. */
export interface NgramRange {
  min: number;
  max: number;
}

/**
 * The hashed buckets of a word's character n-grams (`<word>` marked, code points), as fastText
 * does: "beagles" shares `<bea`, `eagl`, `gles>`... with "beagle". A word shorter than `min` is one
 * n-gram. Used both to train the subword table and to read it, so the two always agree.
 */
export function subwordBuckets(word: string, { min, max }: NgramRange, buckets: number): number[] {
  const points = [START, ...[...word].map((char) => char.codePointAt(0)!), END];
  if (points.length < min) return [fmix32(points.reduce(hashStep, SUBWORD)) % buckets];
  const out: number[] = [];
  for (let start = 0; start + min <= points.length; start++) {
    let h = SUBWORD;
    for (let end = start; end < Math.min(start + max, points.length); end++) {
      h = hashStep(h, points[end]!);
      if (end - start + 1 >= min) out.push(fmix32(h) % buckets);
    }
  }
  return out;
}
