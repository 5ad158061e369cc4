import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/**
 * WordNet 3.0's noun hierarchy, shipped in the package's `taxonomy/` folder (550 KB, made by
 * `node tools/wordnet/build-noun-taxonomy.mjs`; WordNet's license is in `taxonomy/LICENSE-WordNet`).
 * `__dirname` is src/ under jest and dist/ when built.
 */
export const DEFAULT_TAXONOMY_PATH = join(__dirname, '..', 'taxonomy', 'wordnet-nouns.txt.gz');

const FORMAT = 'neuromem.noun-taxonomy/v1';

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
    throw fail('INVALID_INPUT', `cannot read the noun taxonomy at ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseNounTaxonomy(text, options);
}

/** The taxonomy from the text of a taxonomy file (see `loadNounTaxonomy`). */
export function parseNounTaxonomy(text: string, { senses: maxSenses = 3 }: NounTaxonomyOptions = {}): NounTaxonomy {
  const lines = text.split('\n');
  const [format, synsetCount, wordCount] = lines[0]!.split('\t');
  const size = Number(synsetCount);
  if (format !== FORMAT || !Number.isInteger(size) || lines.length < 1 + size + Number(wordCount)) {
    throw fail('INVALID_INPUT', `not a ${FORMAT} file (header "${lines[0]!.slice(0, 60)}").`);
  }
  const parents: number[][] = new Array(size);
  const specificity = new Float32Array(size);
  const logAll = Math.log1p(size);
  for (let i = 0; i < size; i++) {
    const [list, descendants] = lines[1 + i]!.split('\t');
    parents[i] = list ? list.split(',').map((p) => Number.parseInt(p, 36)) : [];
    specificity[i] = 1 - Math.log1p(Number.parseInt(descendants!, 36)) / logAll;
  }
  const sensesOf = new Map<string, number[]>();
  for (let i = 1 + size; i < lines.length; i++) {
    const line = lines[i]!;
    const tab = line.indexOf('\t');
    if (tab > 0) sensesOf.set(line.slice(0, tab), line.slice(tab + 1).split(',').slice(0, maxSenses).map((s) => Number.parseInt(s, 36)));
  }

  const closures = new Map<string, ReadonlySet<number>>();
  const EMPTY: ReadonlySet<number> = new Set();
  const lemma = (word: string) => (sensesOf.has(word) ? word : ((base) => (sensesOf.has(base) ? base : undefined))(singular(word, sensesOf)));
  const senses = (word: string) => {
    const found = lemma(word);
    return found === undefined ? [] : sensesOf.get(found)!;
  };
  return {
    size,
    senses,
    lemma,
    specificity: (synset) => specificity[synset] ?? 0,
    closure(word) {
      let closure = closures.get(word);
      if (closure === undefined) {
        const found = new Set<number>();
        const stack = [...senses(word)];
        while (stack.length > 0) {
          const synset = stack.pop()!;
          if (found.has(synset)) continue;
          found.add(synset);
          stack.push(...parents[synset]!);
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
function singular(word: string, known: ReadonlyMap<string, unknown>): string {
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

/** The shipped taxonomy, read on first use (about 100 ms) and shared by every retriever in the process. */
export function defaultNounTaxonomy(): NounTaxonomy {
  shipped ??= loadNounTaxonomy();
  return shipped;
}
