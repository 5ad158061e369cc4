/**
 * Exports what the semantic encoder is trained and cross-validated on (see README.md beside this
 * file), as the TypeScript encoder sees it: each text as its words' lexicon vectors (or subword
 * guesses) with their SIF prior weights.
 *
 *   node export-pairs.mjs --data path/to/locomo10-dev.json [--wordnet /usr/share/wordnet] [--out dir]
 *
 * Output in --out (outside the repository: part of it is derived from LoCoMo): `vectors.f32` (one
 * 100-d row per distinct word), `texts.json` (per text: rows and prior weights), `pairs.json`
 * (positive pairs, each tagged with its source and conversation), `folds.json` (per conversation:
 * its turns and its questions' evidence, for held-out recall) and `meta.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocomo } from '../../../apps/eval/src/locomo/load-locomo';
import { createSifWeighting, semanticWords } from '../../../packages/embeddings/src/semantic-words';
import { loadSemanticLexicon } from '../../../packages/embeddings/src/semantic-lexicon';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    wordnet: { type: 'string', default: '/usr/share/wordnet' },
    lexicon: { type: 'string' },
    out: { type: 'string', default: '/tmp/neuromem-semantic-encoder/pairs' },
    'max-wordnet-pairs': { type: 'string', default: '120000' },
    'max-distill-texts': { type: 'string', default: '40000' },
    'eval-data': { type: 'string', default: resolve(__dirname, '../../../apps/eval/data/paraphrase-v1.json') },
  },
});
if (values.data === undefined) {
  console.error('usage: node export-pairs.mjs --data path/to/locomo10-dev.json [--wordnet dir] [--lexicon file.nmlx] [--out dir]');
  process.exit(2);
}
const out = resolve(values.out!);
mkdirSync(out, { recursive: true });
const lexicon = loadSemanticLexicon(...(values.lexicon ? [values.lexicon] : []));
const weighting = createSifWeighting(lexicon);
const dimensions = lexicon.dimensions;

// Every distinct word once, as the encoder would see it.
const wordRows = new Map<string, number>();
const rows: number[] = [];
const rowOf = (word: string): number => {
  let row = wordRows.get(word);
  if (row === undefined) {
    const vector = new Float64Array(dimensions);
    lexicon.addWord(word, 1, vector);
    row = wordRows.size;
    wordRows.set(word, row);
    rows.push(...vector);
  }
  return row;
};
const texts: Array<{ rows: number[]; weights: number[] }> = [];
const strings: string[] = [];
const textIndex = new Map<string, number>();
const textOf = (text: string): number | undefined => {
  const known = textIndex.get(text);
  if (known !== undefined) return known;
  const words = semanticWords(text);
  if (words.length === 0) return undefined;
  textIndex.set(text, texts.length);
  strings.push(text);
  texts.push({ rows: words.map(rowOf), weights: words.map((word) => Number(weighting.weightOf(word).toPrecision(5))) });
  return texts.length - 1;
};

interface Pair { a: number; b: number; source: string; conversation?: string }
const pairs: Pair[] = [];
const pair = (a: string, b: string, source: string, conversation?: string) => {
  const [i, j] = [textOf(a), textOf(b)];
  if (i !== undefined && j !== undefined && i !== j) pairs.push({ a: i, b: j, source, ...(conversation ? { conversation } : {}) });
};

// LoCoMo: question <-> each evidence turn, observation <-> each turn it cites.
type Conversation = ReturnType<typeof loadLocomo>[number];
interface Fold { id: string; turns: number[]; questions: Array<{ q: number; evidence: number[]; category: number }> }
/** Each turn's text as the encoder sees it (`Speaker: text`), by dialogue id. */
const turnTextsOf = (conversation: Conversation) => {
  const turnText = new Map<string, string>();
  for (const session of conversation.sessions) for (const turn of session.turns) turnText.set(turn.diaId, `${turn.speaker}: ${turn.text}`);
  return turnText;
};
/** A conversation's turns and its questions' evidence, for held-out recall. */
const foldOf = (conversation: Conversation): Fold => {
  const turnText = turnTextsOf(conversation);
  const fold: Fold = { id: conversation.sampleId, turns: [...turnText.values()].map((text) => textOf(text)!).filter((i) => i !== undefined), questions: [] };
  for (const question of conversation.questions) {
    const evidence = question.evidence.map((id) => turnText.get(id)).filter((text): text is string => text !== undefined);
    const q = textOf(question.question);
    if (q !== undefined && evidence.length > 0 && question.category !== 5) fold.questions.push({ q, evidence: evidence.map((text) => textOf(text)!), category: question.category });
  }
  return fold;
};
const locomo = loadLocomo(values.data);
const folds: Fold[] = [];
for (const conversation of locomo) {
  folds.push(foldOf(conversation));
  const turnText = turnTextsOf(conversation);
  for (const question of conversation.questions) {
    for (const id of question.evidence) if (turnText.has(id)) pair(question.question, turnText.get(id)!, 'question-evidence', conversation.sampleId);
  }
  for (const observation of conversation.observations) {
    for (const id of observation.diaIds) if (turnText.has(id)) pair(observation.text, turnText.get(id)!, 'observation-turn', conversation.sampleId);
  }
}
const locomoPairs = pairs.length;

// WordNet: a word and its definition, its synonyms, its hypernyms (beagle ~ hound ~ dog).
// Texts a teacher model embeds for distillation (teacher-vectors.mjs): every LoCoMo text, tagged with its
// conversation so that a fold never learns from the teacher's view of its held-out conversation, and
// WordNet's example sentences and definitions.
const distill: Array<{ text: number; conversation?: string }> = [];
const distilled = new Set<number>();
const distillText = (text: string, conversation?: string) => {
  const index = textOf(text);
  if (index === undefined || distilled.has(index)) return;
  distilled.add(index);
  distill.push({ text: index, ...(conversation ? { conversation } : {}) });
};
for (const conversation of locomo) {
  for (const session of conversation.sessions) for (const turn of session.turns) distillText(`${turn.speaker}: ${turn.text}`, conversation.sampleId);
  for (const question of conversation.questions) distillText(question.question, conversation.sampleId);
  for (const observation of conversation.observations) distillText(observation.text, conversation.sampleId);
}

interface Synset { lemmas: string[]; gloss: string; hypernyms: string[]; examples: string[] }
const synsets = new Map<string, Synset>();
for (const [pos, letter] of [['noun', 'n'], ['verb', 'v'], ['adj', 'a'], ['adv', 'r']] as const) {
  for (const line of readFileSync(join(values.wordnet!, `data.${pos}`), 'utf8').split('\n')) {
    if (line.startsWith('  ') || !line.includes(' | ')) continue;
    const [head, gloss] = [line.slice(0, line.indexOf(' | ')), line.slice(line.indexOf(' | ') + 3)];
    const fields = head.split(' ');
    const count = parseInt(fields[3]!, 16);
    const lemmas = Array.from({ length: count }, (_, i) => fields[4 + 2 * i]!.replace(/\(.*\)$/, '').replace(/_/g, ' '));
    const pointers = Number(fields[4 + 2 * count]);
    const hypernyms: string[] = [];
    for (let p = 0; p < pointers; p++) {
      const [symbol, offset, target] = fields.slice(5 + 2 * count + 4 * p, 9 + 2 * count + 4 * p);
      if (symbol === '@' || symbol === '@i') hypernyms.push(`${target}${offset}`);
    }
    const definition = gloss.split(/;\s*"/)[0]!.trim();
    const examples = [...gloss.matchAll(/"([^"]{12,})"/g)].map((match) => match[1]!.trim());
    synsets.set(`${letter}${fields[0]}`, { lemmas, gloss: definition, hypernyms, examples });
  }
}
const wordnet: Array<[string, string, string]> = [];
for (const synset of synsets.values()) {
  const [first, ...rest] = synset.lemmas;
  if (!first) continue;
  for (const lemma of synset.lemmas) wordnet.push([lemma, synset.gloss, 'wordnet-gloss']);
  for (const other of rest) wordnet.push([first, other, 'wordnet-synonym']);
  for (const hypernym of synset.hypernyms) {
    const parent = synsets.get(hypernym);
    if (parent?.lemmas[0]) wordnet.push([first, parent.lemmas[0], 'wordnet-hypernym']);
  }
}
// A fixed-seed sample, so the same inputs give the same export.
let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
for (let i = wordnet.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [wordnet[i], wordnet[j]] = [wordnet[j]!, wordnet[i]!];
}
for (const [a, b, source] of wordnet.slice(0, Number(values['max-wordnet-pairs']))) pair(a, b, source);

// Then WordNet's sentences for the teacher: every example, then definitions, in a fixed-seed order.
const sentences = [...synsets.values()].flatMap((synset) => synset.examples);
const definitions = [...synsets.values()].map((synset) => synset.gloss);
for (const list of [sentences, definitions]) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}
for (const text of [...sentences, ...definitions]) {
  if (distill.length >= Number(values['max-distill-texts'])) break;
  distillText(text);
}

// Conversations measured but never trained on (by default the paraphrase set shipped with the eval).
const evalFolds = values['eval-data'] ? loadLocomo(values['eval-data']).map(foldOf) : [];

writeFileSync(join(out, 'vectors.f32'), Buffer.from(Float32Array.from(rows).buffer));
writeFileSync(join(out, 'texts.json'), JSON.stringify(texts));
writeFileSync(join(out, 'pairs.json'), JSON.stringify(pairs));
writeFileSync(join(out, 'folds.json'), JSON.stringify(folds));
writeFileSync(join(out, 'strings.json'), JSON.stringify(strings));
writeFileSync(join(out, 'eval-folds.json'), JSON.stringify(evalFolds));
writeFileSync(join(out, 'distill.json'), JSON.stringify(distill));
const components = lexicon.header.commonComponents;
writeFileSync(join(out, 'meta.json'), JSON.stringify({ dimensions, lexicon: lexicon.id, weighting: weighting.id, commonComponents: components, words: wordRows.size, texts: texts.length, distillTexts: distill.length, pairs: { locomo: locomoPairs, wordnet: pairs.length - locomoPairs } }, null, 2));
console.log(`exported ${texts.length} texts (${wordRows.size} distinct words), ${locomoPairs} LoCoMo pairs and ${pairs.length - locomoPairs} WordNet pairs to ${out}`);
