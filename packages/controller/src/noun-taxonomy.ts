import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { createErrorFactory } from '@neuromem/core';
import { decodeNounTaxonomy } from './noun-taxonomy-file';

const fail = createErrorFactory('controller');

/**
 * WordNet 3.0's noun hierarchy, shipped in the package's `taxonomy/` folder (made by `node
 * tools/wordnet/build-noun-taxonomy.mjs`; WordNet's license is in `taxonomy/LICENSE-WordNet`).
 * `__dirname` is src/ under jest and dist/ when built.
 */
export const DEFAULT_TAXONOMY_PATH = join(__dirname, '..', 'taxonomy', 'wordnet-nouns.bin.gz');

const REMAKE = 'regenerate it with `node tools/wordnet/build-noun-taxonomy.mjs`';

/** Which nouns name kinds of which: "animal" above "beagle", "parent" above "mum", "country" above "Iceland". */
export interface NounTaxonomy {
  /** Noun synsets in all. */
  readonly size: number;
  /**
   * The noun's synsets (its first `senses`, most frequent first) and every synset above them,
   * for a lower-case word, plural or singular ("puppies", "children"); empty when WordNet has no
   * such noun. The same Set object each time.
   */
  closure(word: string): ReadonlySet<number>;
  /** The noun's first `senses` synsets (most frequent first), or none. */
  senses(word: string): readonly number[];
  /** The noun's form in WordNet ("puppies" -> "puppy"), or undefined when WordNet has no such noun. */
  lemma(word: string): string | undefined;
  /**
   * Whether a word WordNet knows as a noun is used as one at least as often as as a verb or an
   * adjective (by WordNet's sense-tagged counts): "dog", "brother", but not "drive", "get", "name".
   */
  mostlyNoun(word: string): boolean;
  /**
   * How narrow a synset is, 0..1: 1 - log(1 + descendants) / log(1 + all synsets). "entity" is 0,
   * "animal" 0.2, "dog" 0.5, a leaf 1. A match through a broad word says little.
   */
  specificity(synset: number): number;
}

export interface NounTaxonomyOptions {
  /** Senses of a word taken, most frequent first (WordNet lists up to dozens; the file keeps 4). */
  senses?: number;
}

/** Reads a gzipped taxonomy file written by `tools/wordnet/build-noun-taxonomy.mjs`. */
export function loadNounTaxonomy(path: string = DEFAULT_TAXONOMY_PATH, options: NounTaxonomyOptions = {}): NounTaxonomy {
  let data: Uint8Array;
  try {
    const zipped = readFileSync(path);
    data = gunzipSync(zipped, unzipOptions(zipped));
  } catch (error) {
    throw fail('INVALID_INPUT', `cannot read the noun taxonomy at ${path}: ${(error as Error).message}; ${REMAKE}.`, { cause: error });
  }
  return parseNounTaxonomy(data, options);
}

/**
 * The taxonomy from a taxonomy file's bytes, unzipped (see `encodeNounTaxonomy`). Nothing is parsed
 * up front: the file's tables are views of its bytes, a word is found by binary search and a
 * word's senses and closure are made when first asked for.
 */
export function parseNounTaxonomy(data: Uint8Array, { senses: maxSenses = 3 }: NounTaxonomyOptions = {}): NounTaxonomy {
  const tables = decodeNounTaxonomy(data);
  const { synsets: size, parentStart, parents, descendants, wordStart, senseStart, senses: senseLinks, otherUse, wordBytes } = tables;
  const logAll = Math.log1p(size);
  const specificity = (synset: number) => (Number.isInteger(synset) && synset >= 0 && synset < size ? 1 - Math.log1p(descendants[synset]!) / logAll : 0);

  /** -1, 0 or 1 as the word stored at `index` sorts before, equal to or after `word` (UTF-16 units; stored words are ASCII). */
  const compareAt = (index: number, word: string) => {
    const from = wordStart[index]!;
    const length = wordStart[index + 1]! - from;
    const shared = Math.min(length, word.length);
    for (let i = 0; i < shared; i++) {
      const difference = wordBytes[from + i]! - word.charCodeAt(i);
      if (difference !== 0) return difference < 0 ? -1 : 1;
    }
    return length === word.length ? 0 : length < word.length ? -1 : 1;
  };
  /** The word's index by binary search over the sorted words; -1 when WordNet has no such noun. */
  const find = (word: string) => {
    let [low, high] = [0, tables.words - 1];
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareAt(middle, word);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };
  const parsed = new Map<string, { senses: number[]; mostlyNoun: boolean } | null>();
  const entry = (word: string) => {
    let found = parsed.get(word);
    if (found === undefined) {
      const at = find(word);
      // A link past the last synset (a damaged file) is left out.
      found =
        at < 0
          ? null
          : { senses: [...senseLinks.subarray(senseStart[at]!, Math.min(senseStart[at + 1]!, senseStart[at]! + maxSenses))].filter((sense) => sense < size), mostlyNoun: otherUse[at] === 0 };
      // Words seen in memories are few thousand in a long chat; the cap keeps a server's map bounded.
      if (parsed.size >= MAX_CACHED_WORDS) parsed.clear();
      parsed.set(word, found);
    }
    return found;
  };
  const known = { has: (word: string) => entry(word) !== null };

  const closures = new Map<string, ReadonlySet<number>>();
  const EMPTY: ReadonlySet<number> = new Set();
  const lemma = (word: string) => (known.has(word) ? word : ((base) => (known.has(base) ? base : undefined))(singular(word, known)));
  const senses = (word: string) => {
    const found = lemma(word);
    return found === undefined ? [] : entry(found)!.senses;
  };
  return {
    size,
    senses,
    lemma,
    mostlyNoun: (word) => {
      const found = lemma(word);
      return found !== undefined && entry(found)!.mostlyNoun && (entry(word)?.mostlyNoun ?? true);
    },
    specificity,
    closure(word) {
      let closure = closures.get(word);
      if (closure === undefined) {
        const found = new Set<number>();
        const stack = [...senses(word)];
        while (stack.length > 0) {
          const synset = stack.pop()!;
          if (found.has(synset)) continue;
          found.add(synset);
          for (let i = parentStart[synset]!; i < parentStart[synset + 1]!; i++) if (parents[i]! < size) stack.push(parents[i]!);
        }
        closure = found.size === 0 ? EMPTY : found;
        // Words seen in memories are few thousand in a long chat; the cap keeps a server's map bounded.
        if (closures.size >= MAX_CACHED_WORDS) closures.clear();
        closures.set(word, closure);
      }
      return closure;
    },
  };
}

const MAX_CACHED_WORDS = 50_000;

/** WordNet's regular noun endings ("morphy"): the first base form the taxonomy knows, else the word. */
function singular(word: string, known: { has(word: string): boolean }): string {
  for (const [suffix, base] of PLURAL_ENDINGS) {
    if (word.length > suffix.length + 1 && word.endsWith(suffix)) {
      const candidate = word.slice(0, -suffix.length) + base;
      if (known.has(candidate)) return candidate;
    }
  }
  return word;
}

const PLURAL_ENDINGS: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['ses', 's'],
  ['xes', 'x'],
  ['zes', 'z'],
  ['men', 'man'],
  ['s', ''],
];

/**
 * Unzipped in one chunk of the file's own size (gzip's last four bytes): in zlib's default 16 KB
 * chunks the shipped file took twice as long, each chunk a round trip to the main thread.
 */
function unzipOptions(zipped: Uint8Array): { chunkSize: number } {
  const size = zipped.byteLength >= 4 ? new DataView(zipped.buffer, zipped.byteOffset + zipped.byteLength - 4, 4).getUint32(0, true) : 0;
  return { chunkSize: Math.min(Math.max(size, 64 * 1024), 64 * 1024 * 1024) };
}

let shipped: NounTaxonomy | undefined;
let prefetching: Promise<void> | undefined;

/** The shipped taxonomy, read on first use (about 15 ms, most of it unzipping) and shared by every gate in the process. */
export function defaultNounTaxonomy(): NounTaxonomy {
  shipped ??= loadNounTaxonomy();
  return shipped;
}

/**
 * Starts reading the shipped taxonomy in the background, once per process, so that the first
 * judgement needing it does not wait for the file (unzipping it takes ~10 ms). The file is read and unzipped off the main thread; a failure is left for
 * `defaultNounTaxonomy()` to report, as a typed error, where it is needed.
 */
export function prefetchDefaultNounTaxonomy(): Promise<void> {
  prefetching ??= readFile(DEFAULT_TAXONOMY_PATH)
    .then((zipped) => promisify(gunzip)(zipped, unzipOptions(zipped)))
    .then(
      (data) => {
        try {
          shipped ??= parseNounTaxonomy(data);
        } catch {
          // A damaged file: defaultNounTaxonomy() reads it again and says so where it is needed.
        }
      },
      () => undefined,
    );
  return prefetching;
}
