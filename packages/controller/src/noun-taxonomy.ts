import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('controller');

/**
 * WordNet 3.0's noun hierarchy, shipped in the package's `taxonomy/` folder (553 KB, made by
 * `node tools/wordnet/build-noun-taxonomy.mjs`; WordNet's license is in `taxonomy/LICENSE-WordNet`).
 * `__dirname` is src/ under jest and dist/ when built.
 */
export const DEFAULT_TAXONOMY_PATH = join(__dirname, '..', 'taxonomy', 'wordnet-nouns.txt.gz');

const FORMAT = 'neuromem.noun-taxonomy/v2';
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

/** Reads a taxonomy file written by `tools/wordnet/build-noun-taxonomy.mjs`. */
export function loadNounTaxonomy(path: string = DEFAULT_TAXONOMY_PATH, options: NounTaxonomyOptions = {}): NounTaxonomy {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch (error) {
    throw fail('INVALID_INPUT', `cannot read the noun taxonomy at ${path}: ${(error as Error).message}; ${REMAKE}.`, { cause: error });
  }
  return parseNounTaxonomy(text, options);
}

/** The taxonomy from the text of a taxonomy file (see `loadNounTaxonomy`). */
export function parseNounTaxonomy(text: string, { senses: maxSenses = 3 }: NounTaxonomyOptions = {}): NounTaxonomy {
  // Read lazily: a process meets a few thousand words, not WordNet's 58,669, so only where each line
  // starts is found up front, and a line is parsed when first asked for (splitting and indexing the
  // whole file took 0.1-0.4 s). Word lines are sorted: a word is found by binary search.
  const starts: number[] = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  const line = (i: number) => text.slice(starts[i], (starts[i + 1] ?? text.length + 1) - 1);
  const [format, synsetCount, wordCount] = line(0).split('\t');
  const size = Number(synsetCount);
  const words = Number(wordCount);
  if (format !== FORMAT || !Number.isInteger(size) || !Number.isInteger(words) || starts.length < 1 + size + words) {
    throw fail('INVALID_INPUT', `not a ${FORMAT} file (header "${line(0).slice(0, 60)}"); ${REMAKE}.`);
  }
  const field = (text: string, n: number) => text.split('\t')[n] ?? '';

  const parentsOf = new Map<number, readonly number[]>();
  const parents = (synset: number) => {
    let list = parentsOf.get(synset);
    if (list === undefined) {
      const value = field(line(1 + synset), 0);
      list = value ? value.split(',').map((p) => Number.parseInt(p, 36)) : [];
      parentsOf.set(synset, list);
    }
    return list;
  };
  const logAll = Math.log1p(size);
  const specificity = (synset: number) => (Number.isInteger(synset) && synset >= 0 && synset < size ? 1 - Math.log1p(Number.parseInt(field(line(1 + synset), 1), 36)) / logAll : 0);

  const first = 1 + size;
  const wordAt = (i: number) => text.slice(starts[i], text.indexOf('\t', starts[i]));
  /** The line of a word, by binary search over the sorted word lines; -1 when WordNet has no such noun. */
  const find = (word: string) => {
    let [low, high] = [first, first + words - 1];
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = wordAt(middle);
      if (at === word) return middle;
      if (at < word) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };
  const parsed = new Map<string, { senses: number[]; mostlyNoun: boolean } | null>();
  const entry = (word: string) => {
    let found = parsed.get(word);
    if (found === undefined) {
      const at = find(word);
      if (at < 0) found = null;
      else {
        const [, list = '', mark] = line(at).split('\t');
        found = {
          senses: list
            .split(',')
            .slice(0, maxSenses)
            .map((sense) => Number.parseInt(sense, 36)),
          mostlyNoun: mark !== 'v',
        };
      }
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
          stack.push(...parents(synset));
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

let shipped: NounTaxonomy | undefined;
let prefetching: Promise<void> | undefined;

/** The shipped taxonomy, read on first use (about 40 ms) and shared by every gate in the process. */
export function defaultNounTaxonomy(): NounTaxonomy {
  shipped ??= loadNounTaxonomy();
  return shipped;
}

/**
 * Starts reading the shipped taxonomy in the background, once per process, so that the first
 * judgement needing it does not wait for the file (a new memory's first search otherwise paid about
 * 40 ms). The file is read and unzipped off the main thread; a failure is left for
 * `defaultNounTaxonomy()` to report, as a typed error, where it is needed.
 */
export function prefetchDefaultNounTaxonomy(): Promise<void> {
  prefetching ??= readFile(DEFAULT_TAXONOMY_PATH)
    .then((data) => promisify(gunzip)(data))
    .then(
      (text) => {
        shipped ??= parseNounTaxonomy(text.toString('utf8'));
      },
      () => undefined,
    );
  return prefetching;
}
