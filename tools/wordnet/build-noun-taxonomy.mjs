#!/usr/bin/env node
/**
 * Writes packages/controller/taxonomy/wordnet-nouns.bin.gz: WordNet 3.0's noun hierarchy (every noun
 * synset's hypernyms and instance hypernyms, "beagle" -> "hound" -> "dog" -> ... -> "animal"), each
 * synset's number of descendants, and each single-word noun's senses in WordNet's frequency order,
 * marked when the word is more often a verb or an adjective ("drive", "get", "driving").
 * The relevance gate reads it to tell whether what a question asks about ("my dog", "my brother")
 * was ever named, or a kind of it ("beagle"), rather than only something near it ("cat", "sister").
 *
 *   node tools/wordnet/build-noun-taxonomy.mjs [--wordnet /usr/share/wordnet] [--senses 4]
 *
 * The file is @neuromem/controller's binary format (`encodeNounTaxonomy`, read from the built
 * package: run `npm run build` first), gzipped.
 * Input: Debian's wordnet-base (apt-get install wordnet-base). WordNet 3.0 license: see
 * packages/controller/taxonomy/LICENSE-WordNet. The output is the same bytes on every run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

// The format is @neuromem/controller's own (`encodeNounTaxonomy`), from its build.
const { encodeNounTaxonomy } = await import('../../packages/controller/dist/index.js').catch(() => {
  console.error('packages/controller is not built: run `npm run build` first (this writes its taxonomy format through the built package).');
  process.exit(1);
});

const { values } = parseArgs({ options: { wordnet: { type: 'string', default: '/usr/share/wordnet' }, senses: { type: 'string', default: '4' } } });
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'packages', 'controller', 'taxonomy', 'wordnet-nouns.bin.gz');
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

// index.<pos>: "lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offset..." (most frequent
// sense first). tagsense_cnt counts the senses seen in WordNet's sense-tagged corpus: how often the
// word is used that way at all.
const indexLines = (pos) => read(`index.${pos}`).filter((line) => line.length > 0 && !line.startsWith(' '));
const taggedSenses = (pos) => {
  const tagged = new Map();
  for (const line of indexLines(pos)) {
    const fields = line.trim().split(' ');
    tagged.set(fields[0], Number(fields[5 + Number(fields[3])]));
  }
  return tagged;
};
const verbTags = taggedSenses('verb');
const adjectiveTags = taggedSenses('adj');
// Irregular verb forms ("drove drive", "got get").
const verbBase = new Map();
for (const line of read('verb.exc')) {
  const [form, base] = line.trim().split(' ');
  if (form && base && !verbBase.has(form)) verbBase.set(form, base);
}
/** The verb a form may be ("driving" -> "drive", "asked" -> "ask"): WordNet's regular endings, then its exceptions. */
const verbsOf = (word) => {
  const bases = [word];
  for (const [suffix, ends] of [
    ['ing', ['', 'e']],
    ['ed', ['', 'e']],
    ['es', ['', 'e']],
    ['s', ['']],
  ]) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) for (const end of ends) bases.push(word.slice(0, -suffix.length) + end);
  }
  if (verbBase.has(word)) bases.push(verbBase.get(word));
  return bases.filter((base) => verbTags.has(base));
};
const otherUse = (word) => Math.max(0, adjectiveTags.get(word) ?? 0, ...verbsOf(word).map((base) => verbTags.get(base)));

const words = [];
const nounTags = new Map();
for (const line of indexLines('noun')) {
  const fields = line.trim().split(' ');
  const lemma = fields[0];
  if (!/^[a-z][a-z'-]*$/.test(lemma)) continue; // single words only: text is matched word by word
  const synsets = Number(fields[2]);
  const senses = fields
    .slice(fields.length - synsets)
    .slice(0, maxSenses)
    .map((offset) => indexOf.get(offset));
  if (senses.some((i) => i === undefined)) throw new Error(`index.noun names a synset data.noun lacks: ${line}`);
  const tags = Number(fields[5 + Number(fields[3])]);
  nounTags.set(lemma, tags);
  words.push([lemma, senses, tags < otherUse(lemma)]);
}

// noun.exc: irregular plurals ("children child"); a form that is not a lemma itself takes its base's senses.
const sensesOf = new Map(words.map(([lemma, senses]) => [lemma, senses]));
for (const line of read('noun.exc')) {
  const [form, base] = line.trim().split(' ');
  if (!form || !base || sensesOf.has(form) || !sensesOf.has(base) || !/^[a-z][a-z'-]*$/.test(form)) continue;
  sensesOf.set(form, sensesOf.get(base));
  words.push([form, sensesOf.get(base), (nounTags.get(base) ?? 0) < otherUse(form)]);
}

// Sorted by UTF-16 code units (byte order for these ASCII words), so a reader finds a word by binary search.
words.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const encoded = encodeNounTaxonomy({
  parents,
  descendants: [...descendants],
  words: words.map(([word, senses, mostlyNotNoun]) => ({ word, senses, mostlyNoun: !mostlyNotNoun })),
});
mkdirSync(dirname(out), { recursive: true });
const data = gzipSync(encoded, { level: 9 });
writeFileSync(out, data);
const marked = words.filter(([, , mostlyNotNoun]) => mostlyNotNoun).length;
console.log(
  `${parents.length.toLocaleString('en-US')} noun synsets, ${words.length.toLocaleString('en-US')} words (${marked.toLocaleString('en-US')} more often verbs or adjectives) -> ${out} (${(data.length / 1024).toFixed(0)} KB)`,
);
