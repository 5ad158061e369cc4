import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('controller');

/** What a taxonomy file holds, as plain lists (see `encodeNounTaxonomy`). */
export interface NounTaxonomySource {
  /** Each synset's broader synsets (hypernyms and instance hypernyms), by synset number. */
  parents: ReadonlyArray<readonly number[]>;
  /** Each synset's number of descendants. */
  descendants: readonly number[];
  /** Single-word nouns, sorted by UTF-16 code units (byte order for the ASCII words WordNet has). */
  words: ReadonlyArray<{ word: string; senses: readonly number[]; mostlyNoun: boolean }>;
}

/**
 * The same as typed-array views of the file's own bytes: a word is found by binary search over
 * `wordBytes`, a synset's parents are `parents[parentStart[s]..parentStart[s+1])`, and nothing is
 * parsed up front.
 */
export interface NounTaxonomyTables {
  synsets: number;
  words: number;
  parentStart: Uint32Array;
  parents: Uint32Array;
  descendants: Uint32Array;
  wordStart: Uint32Array;
  senseStart: Uint32Array;
  senses: Uint32Array;
  /** 1 where the word is more often a verb or an adjective than a noun. */
  otherUse: Uint8Array;
  wordBytes: Uint8Array;
}

/** "NMNT": the first four bytes of a taxonomy file. */
const MAGIC = 0x544e4d4e;
export const TAXONOMY_FORMAT_VERSION = 3;
/** Written as a little-endian u32; read back as another number on a big-endian machine. */
const BYTE_ORDER = 0x01020304;
const HEADER_WORDS = 8;
/** A list longer than a byte can count (WordNet's longest: 6 parents, 33 letters, the 4 senses kept). */
const MAX_LIST = 255;
const REMAKE = 'regenerate it with `node tools/wordnet/build-noun-taxonomy.mjs`';

/**
 * The binary taxonomy file (format 3, before gzip): a header of eight little-endian u32 (magic,
 * version, a byte-order mark, synsets, parent links, words, sense links, word bytes); the parent
 * links, descendant counts and sense links as u32 arrays; then one byte per synset (its number of
 * parents) and three per word (its length, its number of senses, whether it is more often a verb
 * or an adjective); then the words' bytes. Reading it is making views and summing the counts: the
 * text format it replaces spent ~25 ms of the main thread finding its 140,786 lines before the first
 * word could be looked up. Lengths rather than offsets keep it as small gzipped (the offsets
 * doubled it).
 */
export function encodeNounTaxonomy(source: NounTaxonomySource): Uint8Array {
  const synsets = source.parents.length;
  if (source.descendants.length !== synsets) throw fail('INVALID_INPUT', 'encodeNounTaxonomy: one descendant count per synset.');
  const encoded = source.words.map(({ word }) => Buffer.from(word, 'utf8'));
  for (let i = 1; i < source.words.length; i++) {
    if (!(source.words[i - 1]!.word < source.words[i]!.word))
      throw fail('INVALID_INPUT', `encodeNounTaxonomy: words must be sorted and distinct ("${source.words[i - 1]!.word}", "${source.words[i]!.word}").`);
  }
  const inRange = (synset: number) => Number.isInteger(synset) && synset >= 0 && synset < synsets;
  const counted = (length: number, what: string) => {
    if (length > MAX_LIST) throw fail('INVALID_INPUT', `encodeNounTaxonomy: ${what} is longer than ${MAX_LIST}.`);
    return length;
  };
  const parentCount = source.parents.reduce((sum, list) => sum + list.length, 0);
  const senseCount = source.words.reduce((sum, entry) => sum + entry.senses.length, 0);
  const wordByteCount = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
  const words = source.words.length;
  const out = new Uint8Array((HEADER_WORDS + parentCount + synsets + senseCount) * 4 + synsets + 3 * words + wordByteCount);
  const view = new DataView(out.buffer);
  let at = 0;
  const put = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  [MAGIC, TAXONOMY_FORMAT_VERSION, BYTE_ORDER, synsets, parentCount, words, senseCount, wordByteCount].forEach(put);
  for (const list of source.parents) {
    for (const parent of list) {
      if (!inRange(parent)) throw fail('INVALID_INPUT', `encodeNounTaxonomy: parent ${parent} is not a synset.`);
      put(parent);
    }
  }
  for (const count of source.descendants) put(count);
  for (const entry of source.words) {
    for (const sense of entry.senses) {
      if (!inRange(sense)) throw fail('INVALID_INPUT', `encodeNounTaxonomy: "${entry.word}" names sense ${sense}, which is not a synset.`);
      put(sense);
    }
  }
  for (const list of source.parents) out[at++] = counted(list.length, "a synset's parent list");
  for (const bytes of encoded) out[at++] = counted(bytes.length, 'a word');
  for (const entry of source.words) out[at++] = counted(entry.senses.length, "a word's sense list");
  for (const entry of source.words) out[at++] = entry.mostlyNoun ? 0 : 1;
  for (const bytes of encoded) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * Views of a taxonomy file's bytes (see `encodeNounTaxonomy`), checked: the header, the length and
 * that the lists' lengths add up to their tables, so a lookup never reads past a table (a link to a
 * synset past the last is skipped where it is read). A file that fails is `INVALID_INPUT`, naming
 * the command that remakes it.
 */
export function decodeNounTaxonomy(data: Uint8Array): NounTaxonomyTables {
  const bad = (why: string) => fail('INVALID_INPUT', `not a noun taxonomy file (${why}); ${REMAKE}.`);
  const magic = data.byteLength >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) : undefined;
  if (magic !== MAGIC) throw bad(startsWith(data, TEXT_FORMAT) ? 'the text format of earlier releases' : 'no NMNT header');
  if (data.byteLength < HEADER_WORDS * 4) throw bad(`${data.byteLength} bytes`);
  // Typed-array views need their offset aligned to 4: a Buffer from a pool may not be.
  const bytes = data.byteOffset % 4 === 0 ? data : data.slice();
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_WORDS * 4);
  const word = (i: number) => header.getUint32(i * 4, true);
  if (word(1) !== TAXONOMY_FORMAT_VERSION) throw bad(`format ${word(1)}, expected ${TAXONOMY_FORMAT_VERSION}`);
  if (new Uint32Array(bytes.buffer, bytes.byteOffset + 8, 1)[0] !== BYTE_ORDER) throw bad('written for another byte order');
  const [synsets, parentCount, words, senseCount, wordByteCount] = [word(3), word(4), word(5), word(6), word(7)];
  const expected = (HEADER_WORDS + parentCount + synsets + senseCount) * 4 + synsets + 3 * words + wordByteCount;
  if (bytes.byteLength !== expected) throw bad(`${bytes.byteLength} bytes where the header says ${expected}`);
  let at = bytes.byteOffset + HEADER_WORDS * 4;
  const take32 = (length: number) => {
    const array = new Uint32Array(bytes.buffer, at, length);
    at += length * 4;
    return array;
  };
  const take8 = (length: number) => {
    const array = new Uint8Array(bytes.buffer, at, length);
    at += length;
    return array;
  };
  const parents = take32(parentCount);
  const descendants = take32(synsets);
  const senses = take32(senseCount);
  const parentStart = startsOf(take8(synsets), parentCount, 'parent', bad);
  const wordStart = startsOf(take8(words), wordByteCount, 'word', bad);
  const senseStart = startsOf(take8(words), senseCount, 'sense', bad);
  const otherUse = take8(words);
  const wordBytes = take8(wordByteCount);
  return { synsets, words, parentStart, parents, descendants, wordStart, senseStart, senses, otherUse, wordBytes };
}

/** How the text files of earlier releases began. */
const TEXT_FORMAT = 'neuromem.noun-taxonomy/';

function startsWith(data: Uint8Array, prefix: string): boolean {
  return data.byteLength >= prefix.length && [...prefix].every((char, i) => data[i] === char.charCodeAt(0));
}

/** Where each list starts, from the lengths, and the end: lengths that do not add up to the table's size fail. */
function startsOf(lengths: Uint8Array, total: number, what: string, bad: (why: string) => Error): Uint32Array {
  const starts = new Uint32Array(lengths.length + 1);
  let sum = 0;
  for (let i = 0; i < lengths.length; i++) starts[i + 1] = sum += lengths[i]!;
  if (sum !== total) throw bad(`${what} lists add up to ${sum}, not ${total}`);
  return starts;
}
