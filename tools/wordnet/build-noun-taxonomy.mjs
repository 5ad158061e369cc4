#!/usr/bin/env node
/**
 * Writes packages/retrieval/taxonomy/wordnet-nouns.txt.gz: WordNet 3.0's noun hierarchy (every noun
 * synset's hypernyms and instance hypernyms, "beagle" -> "hound" -> "dog" -> ... -> "animal"), each
 * synset's number of descendants, and each single-word noun's senses in WordNet's frequency order.
 * Retrieval reads it to tell that a question's "animal" names a kind of the memory's "beagle".
 *
 *   node tools/wordnet/build-noun-taxonomy.mjs [--wordnet /usr/share/wordnet] [--senses 4]
 *
 * Input: Debian's wordnet-base (apt-get install wordnet-base). WordNet 3.0 license: see
 * packages/retrieval/taxonomy/LICENSE-WordNet.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({ options: { wordnet: { type: 'string', default: '/usr/share/wordnet' }, senses: { type: 'string', default: '4' } } });
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'packages', 'retrieval', 'taxonomy', 'wordnet-nouns.txt.gz');
const maxSenses = Number(values.senses);

const read = (file) => {
  try {
    return readFileSync(join(values.wordnet, file), 'utf8').split('\n');
  } catch {
    console.error(`WordNet data not found in ${values.wordnet}: install it with 'apt-get install wordnet-base' (Debian/Ubuntu).`);
    process.exit(1);
  }
};

// data.noun: "offset lex_filenum n w_cnt(hex) word lex_id ... p_cnt ptr... | gloss"; license lines start with spaces.
const offsets = [];
const parentOffsets = [];
for (const line of read('data.noun')) {
  if (line.length === 0 || line.startsWith(' ')) continue;
  const fields = line.split(' | ')[0].split(' ');
  const words = Number.parseInt(fields[3], 16);
  let at = 4 + 2 * words;
  const pointers = Number(fields[at]);
  at += 1;
  const parents = [];
  for (let p = 0; p < pointers; p++, at += 4) {
    const symbol = fields[at];
    if ((symbol === '@' || symbol === '@i') && fields[at + 2] === 'n') parents.push(fields[at + 1]);
  }
  offsets.push(fields[0]);
  parentOffsets.push(parents);
}
const indexOf = new Map(offsets.map((offset, i) => [offset, i]));
const parents = parentOffsets.map((list) => list.map((offset) => indexOf.get(offset)).filter((i) => i !== undefined));

// Descendants: each synset counted once in each of its ancestors.
const descendants = new Uint32Array(parents.length);
for (let i = 0; i < parents.length; i++) {
  const seen = new Set();
  const stack = [...parents[i]];
  while (stack.length > 0) {
    const next = stack.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    descendants[next] += 1;
    stack.push(...parents[next]);
  }
}

// index.noun: "lemma n synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offset..." (most frequent sense first).
const words = [];
for (const line of read('index.noun')) {
  if (line.length === 0 || line.startsWith(' ')) continue;
  const fields = line.trim().split(' ');
  const lemma = fields[0];
  if (!/^[a-z][a-z'-]*$/.test(lemma)) continue; // single words only: text is matched word by word
  const synsets = Number(fields[2]);
  const senses = fields.slice(fields.length - synsets).slice(0, maxSenses).map((offset) => indexOf.get(offset));
  if (senses.some((i) => i === undefined)) throw new Error(`index.noun names a synset data.noun lacks: ${line}`);
  words.push(`${lemma}\t${senses.map((i) => i.toString(36)).join(',')}`);
}

// noun.exc: irregular plurals ("children child"); a form that is not a lemma itself takes its base's senses.
const sensesOf = new Map(words.map((line) => line.split('\t')));
for (const line of read('noun.exc')) {
  const [form, base] = line.trim().split(' ');
  if (!form || !base || sensesOf.has(form) || !sensesOf.has(base) || !/^[a-z][a-z'-]*$/.test(form)) continue;
  sensesOf.set(form, sensesOf.get(base));
  words.push(`${form}\t${sensesOf.get(base)}`);
}

const lines = [`neuromem.noun-taxonomy/v1\t${parents.length}\t${words.length}\tWordNet 3.0`];
for (let i = 0; i < parents.length; i++) lines.push(`${parents[i].map((p) => p.toString(36)).join(',')}\t${descendants[i].toString(36)}`);
lines.push(...words);
mkdirSync(dirname(out), { recursive: true });
const data = gzipSync(Buffer.from(`${lines.join('\n')}\n`), { level: 9 });
writeFileSync(out, data);
console.log(`${parents.length.toLocaleString('en-US')} noun synsets, ${words.length.toLocaleString('en-US')} words -> ${out} (${(data.length / 1024).toFixed(0)} KB)`);
