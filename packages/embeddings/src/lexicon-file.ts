import { createHash } from 'node:crypto';
import { createErrorFactory } from '@neuromem/core';
import type { NgramRange } from './subword-ngrams';
import { createWordIndex, type WordIndex } from './word-index';

const fail = createErrorFactory('embeddings');

const MAGIC = 'NMLX';
const VERSION = 1;
/** The command that regenerates the shipped lexicon, named by every error about a bad file. */
export const LEXICON_COMMAND = 'npm run build:lexicon';

/** What a lexicon file says about itself (its JSON header). */
export interface LexiconHeader {
  dimensions: number;
  /** Words in the file, most frequent first. */
  count: number;
  /** Rows of the subword table (hashed character n-grams). */
  buckets: number;
  ngrams: NgramRange;
  /** Where the vectors come from and under which license. */
  source: { name: string; license: string; vocabulary: number; url?: string };
  /** SIF common component(s) to remove from sentence vectors (unit vectors), fitted at build time. */
  commonComponents: number[][];
  /** How well the subword table stands in for words it never saw (build-time measurement). */
  subwordFit?: { heldOutWords: number; meanCosine: number };
  /**
   * This file extends another (same words, same order): each word's row goes beside that lexicon's
   * (see `pairLexicons`). What the pair needs is measured on the pair and kept here.
   */
  pairedWith?: PairedWith;
  /** SHA-256 of everything after the header. */
  sha256: string;
}

/** The lexicon a file extends, and what their pair needs at encode time. */
export interface PairedWith {
  /** File name of the base lexicon, in the same folder. */
  file: string;
  /** The base lexicon's id, checked when the pair is made. */
  id: string;
  /** The pair's SIF common component(s), over both halves. */
  commonComponents: number[][];
  subwordFit?: { heldOutWords: number; meanCosine: number };
}

/** A lexicon as plain arrays: int8 rows with one float scale each (row ≈ int8 × scale). */
export interface LexiconData {
  header: Omit<LexiconHeader, 'sha256' | 'count' | 'buckets' | 'dimensions'> & { dimensions: number };
  words: string[];
  /** Frequency rank of each word in the source vocabulary (1 = most frequent), for SIF weights. */
  ranks: Uint32Array;
  wordVectors: Int8Array;
  wordScales: Float32Array;
  bucketVectors: Int8Array;
  bucketScales: Float32Array;
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/**
 * Writes a lexicon as: `NMLX`, version (u32), header length (u32), JSON header, then 4-byte aligned
 * sections — words (UTF-8, newline-separated), ranks (u32), word scales (f32), word vectors (i8),
 * bucket scales (f32), bucket vectors (i8). Little-endian throughout.
 */
export function writeLexiconFile(data: LexiconData): Buffer {
  const { dimensions } = data.header;
  const count = data.words.length;
  const buckets = data.bucketScales.length;
  if (data.ranks.length !== count || data.wordScales.length !== count || data.wordVectors.length !== count * dimensions || data.bucketVectors.length !== buckets * dimensions) {
    throw fail('INVALID_INPUT', 'lexicon arrays disagree with its word count, bucket count or dimensions.');
  }
  if (data.words.some((word) => word.length === 0 || word.includes('\n'))) throw fail('INVALID_INPUT', 'lexicon words must be non-empty and contain no newline.');
  const words = Buffer.from(data.words.join('\n'), 'utf8');
  const sections = [
    words,
    Buffer.alloc(pad4(words.length)),
    bytesOf(data.ranks),
    bytesOf(data.wordScales),
    bytesOf(data.wordVectors),
    Buffer.alloc(pad4(data.wordVectors.length)),
    bytesOf(data.bucketScales),
    bytesOf(data.bucketVectors),
  ];
  const payload = Buffer.concat(sections);
  const header: LexiconHeader = { ...data.header, count, buckets, sha256: createHash('sha256').update(payload).digest('hex') };
  const json = Buffer.from(JSON.stringify({ ...header, wordsBytes: words.length }), 'utf8');
  const preamble = Buffer.alloc(12);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(VERSION, 4);
  preamble.writeUInt32LE(json.length + pad4(json.length), 8);
  return Buffer.concat([preamble, json, Buffer.alloc(pad4(json.length), 0x20), payload]);
}

/** A lexicon file as read: its arrays are views of the file's bytes, its words an index over them. */
export type LexiconFileContents = Omit<LexiconData, 'words' | 'header'> & { header: LexiconHeader; wordIndex: WordIndex };

/**
 * Reads and checks a lexicon file's bytes; `origin` names the file in errors. The arrays view
 * `bytes` itself when its sections fall on 4-byte boundaries there (a file read whole into its own
 * buffer), so a 7.5 MB file is not copied again.
 */
export function readLexiconFile(bytes: Uint8Array, origin: string): LexiconFileContents {
  const corrupt = (why: string) =>
    fail('STORAGE', `the lexicon ${origin} is unusable (${why}); regenerate it with \`${LEXICON_COMMAND}\` or reinstall @neuromem/embeddings.`, { details: { path: origin } });
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (file.length < 12 || file.toString('latin1', 0, 4) !== MAGIC) throw corrupt('not a NeuroMem lexicon file');
  if (file.readUInt32LE(4) !== VERSION) throw corrupt(`format version ${file.readUInt32LE(4)}, expected ${VERSION}`);
  const headerBytes = file.readUInt32LE(8);
  if (12 + headerBytes > file.length) throw corrupt('truncated header');
  let header: LexiconHeader & { wordsBytes: number };
  try {
    header = JSON.parse(file.toString('utf8', 12, 12 + headerBytes)) as LexiconHeader & { wordsBytes: number };
  } catch {
    throw corrupt('unreadable header');
  }
  const { dimensions, count, buckets, wordsBytes } = header;
  if (![dimensions, count, buckets, wordsBytes].every((n) => Number.isInteger(n) && n >= 0) || dimensions < 1) throw corrupt('impossible sizes in the header');
  let payload: Uint8Array = file.subarray(12 + headerBytes);
  const expected = wordsBytes + pad4(wordsBytes) + count * 8 + count * dimensions + pad4(count * dimensions) + buckets * 4 + buckets * dimensions;
  if (payload.length !== expected) throw corrupt(`${payload.length} payload bytes, expected ${expected}`);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) throw corrupt('checksum mismatch');

  // Typed views need 4-byte alignment, which a slice of a shared buffer (a small test file) may lack.
  if (payload.byteOffset % 4 !== 0) payload = Uint8Array.from(payload);
  const { buffer, byteOffset } = payload;
  let offset = byteOffset;
  const take = (length: number) => ((offset += length), offset - length);
  const wordIndex = createWordIndex(new Uint8Array(buffer, take(wordsBytes), wordsBytes), count);
  if (wordIndex === undefined) throw corrupt(`its word list does not hold the ${count} words its header says`);
  take(pad4(wordsBytes));
  const ranks = new Uint32Array(buffer, take(count * 4), count);
  const wordScales = new Float32Array(buffer, take(count * 4), count);
  const wordVectors = new Int8Array(buffer, take(count * dimensions), count * dimensions);
  take(pad4(count * dimensions));
  const bucketScales = new Float32Array(buffer, take(buckets * 4), buckets);
  const bucketVectors = new Int8Array(buffer, take(buckets * dimensions), buckets * dimensions);
  return { header, wordIndex, ranks, wordVectors, wordScales, bucketVectors, bucketScales };
}

const bytesOf = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** Int8 rows with one scale per row: the largest magnitude maps to 127. */
export function quantizeRows(rows: Float32Array, dimensions: number): { vectors: Int8Array; scales: Float32Array } {
  const count = rows.length / dimensions;
  const vectors = new Int8Array(rows.length);
  const scales = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    let max = 0;
    for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(rows[r * dimensions + d]!));
    const scale = max / 127;
    scales[r] = scale;
    if (scale > 0) for (let d = 0; d < dimensions; d++) vectors[r * dimensions + d] = Math.round(rows[r * dimensions + d]! / scale);
  }
  return { vectors, scales };
}
