import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import { LEXICON_COMMAND, readLexiconFile, type LexiconHeader } from './lexicon-file';
import { pairLexicons } from './paired-lexicon';
import { subwordBuckets } from './subword-ngrams';

const fail = createErrorFactory('embeddings');

/**
 * 100-d GloVe 6B word vectors (public domain) for the 50,000 most frequent words, int8 with a scale
 * per row, plus a subword table for the rest, in the package's `lexicon/` folder. Made by
 * `npm run build:lexicon`; `__dirname` is src/ under jest and dist/ when built.
 */
export const GLOVE_LEXICON_PATH = join(__dirname, '..', 'lexicon', 'glove-6b-100d-50k.nmlx');

/**
 * The default lexicon: the GloVe file paired with the Universal Sentence Encoder lite's view of the
 * same 50,000 words (each said alone, projected on its first 100 principal directions), 200-d in
 * all. Made by `npm run build:lexicon -- --teacher`.
 */
export const DEFAULT_LEXICON_PATH = join(__dirname, '..', 'lexicon', 'use-lite-100d-50k.nmlx');

/** How a word found its vector. */
export type WordSource = 'known' | 'subword';

/** Word vectors by word, with a fallback for words outside the vocabulary. */
export interface SemanticLexicon {
  /** Identity of the vectors (file checksum): part of every encoder id built on them. */
  readonly id: string;
  readonly dimensions: number;
  /** Words with their own vector. */
  readonly size: number;
  readonly header: Readonly<LexiconHeader>;
  /** Frequency rank in the source vocabulary (1 = most frequent); undefined for unknown words. */
  rank(word: string): number | undefined;
  /**
   * Adds `weight` × the word's vector into `into`: its own row when known, else the mean of its
   * character n-gram rows (fastText-style). Returns where the vector came from.
   */
  addWord(word: string, weight: number, into: Float64Array): WordSource;
}

const loaded = new Map<string, SemanticLexicon>();

/**
 * Loads a lexicon file once per process (later calls with the same path share it); a file that
 * extends another (`pairedWith`) comes paired with it (`pairLexicons`). A missing, truncated or
 * altered file is a `STORAGE` error naming the command that regenerates it.
 */
export function loadSemanticLexicon(path: string = DEFAULT_LEXICON_PATH): SemanticLexicon {
  const cached = loaded.get(path);
  if (cached) return cached;
  const file = loadLexiconFile(path);
  const paired = file.header.pairedWith;
  let lexicon: SemanticLexicon = file;
  if (paired) {
    const basePath = join(dirname(path), paired.file);
    if (basePath === path) throw fail('STORAGE', `the lexicon ${path} says it extends itself; regenerate it with \`${LEXICON_COMMAND} -- --teacher\`.`, { details: { path } });
    // The base is kept as a lexicon of its own too: memories written with it alone share it.
    // `pairLexicons` refuses a base that extends another, so no chain of files is followed.
    const base = loaded.get(basePath) ?? loadLexiconFile(basePath);
    lexicon = pairLexicons(base, file);
    loaded.set(basePath, base);
  }
  loaded.set(path, lexicon);
  return lexicon;
}

function loadLexiconFile(path: string): SemanticLexicon {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fail('STORAGE', `cannot read the lexicon ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); regenerate it with \`${LEXICON_COMMAND}\` or reinstall @neuromem/embeddings.`, {
      cause: error,
      details: { path },
    });
  }
  return semanticLexiconFrom(bytes, path);
}

/** A lexicon from a file's bytes (tests build small ones in memory). */
export function semanticLexiconFrom(bytes: Uint8Array, origin: string): SemanticLexicon {
  const { header, wordIndex, ranks, wordVectors, wordScales, bucketVectors, bucketScales } = readLexiconFile(bytes, origin);
  const { dimensions, buckets, ngrams } = header;

  const addRow = (vectors: Int8Array, row: number, factor: number, into: Float64Array) => {
    const base = row * dimensions;
    for (let d = 0; d < dimensions; d++) into[d]! += vectors[base + d]! * factor;
  };

  return {
    id: `${header.source.name}-${header.count}:${header.sha256.slice(0, 12)}`,
    dimensions,
    size: wordIndex.size,
    header,
    rank: (word) => {
      const i = wordIndex.find(word);
      return i < 0 ? undefined : ranks[i]!;
    },
    addWord(word, weight, into) {
      const i = wordIndex.find(word);
      if (i >= 0) {
        addRow(wordVectors, i, weight * wordScales[i]!, into);
        return 'known';
      }
      const rows = subwordBuckets(word, ngrams, buckets);
      for (const row of rows) addRow(bucketVectors, row, (weight * bucketScales[row]!) / rows.length, into);
      return 'subword';
    },
  };
}
