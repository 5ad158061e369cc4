/**
 * A graph of English words from WordNet 3.0 (Debian's wordnet-base), for retrofitting word vectors:
 * a word is joined to the other words of its senses (synonyms), to the words of those senses'
 * hypernyms, similar adjectives and derivationally related forms, and an inflected form to its
 * lemma ("moved" to "move"). A word's first senses count most (WordNet's index lists them by
 * frequency in a tagged corpus), so "live" leans on "reside" and "dwell" more than on its rarer
 * senses. Antonyms are left out: they occur in the same contexts already, and retrofitting would
 * pull them closer still.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WordGraph {
  /** Each word's neighbours and the weight of each edge (symmetric: an edge is in both lists). */
  neighbours: Map<string, Map<string, number>>;
  edges: number;
}

const POS = ['noun', 'verb', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];
const POS_OF: Record<string, Pos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

interface Synset {
  words: string[];
  /** Semantic pointers (the whole synset) and lexical ones (one word of it to one word of another). */
  pointers: Array<{ symbol: string; target: string; from: number; to: number }>;
}

/** WordNet's suffix rules for a form not in the exception lists (its `morphy`). */
const SUFFIXES: Record<Pos, Array<[string, string]>> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};

/** Weight of a word's sense by its rank among the word's senses of one part of speech (1 first). */
const senseWeight = (rank: number) => 1 / rank;
/** Relations beyond synonymy count half as much as sharing a sense. */
const RELATED = 0.5;
const RELATION_SYMBOLS = new Set(['@', '@i', '&', '+', '$']);

/**
 * Reads WordNet from `dir` (the `data.*`, `index.*` and `*.exc` files) and joins the given words
 * (single words: the lexicon holds no phrases), each word's first `maxSenses` senses of each part of
 * speech.
 */
export function readWordGraph(dir: string, words: Iterable<string>, maxSenses = 3): WordGraph {
  const vocabulary = new Set(words);
  const keep = (word: string) => vocabulary.has(word);
  const synsets = new Map<string, Synset>();
  const lemmas = new Map<Pos, Set<string>>();
  for (const pos of POS) {
    lemmas.set(pos, new Set());
    for (const line of readFileSync(join(dir, `data.${pos}`), 'utf8').split('\n')) {
      if (line.startsWith('  ') || line.trim() === '') continue;
      const fields = line.slice(0, line.indexOf(' | ') === -1 ? line.length : line.indexOf(' | ')).trim().split(' ');
      const offset = fields[0]!;
      const type = fields[2]!;
      const wordCount = Number.parseInt(fields[3]!, 16);
      const words: string[] = [];
      for (let w = 0; w < wordCount; w++) words.push(fields[4 + 2 * w]!.toLowerCase().replace(/\(.*\)$/, ''));
      let at = 4 + 2 * wordCount;
      const pointerCount = Number(fields[at++]);
      const pointers: Synset['pointers'] = [];
      for (let p = 0; p < pointerCount; p++, at += 4) {
        const sourceTarget = fields[at + 3]!;
        pointers.push({
          symbol: fields[at]!,
          target: `${POS_OF[fields[at + 2]!]}:${fields[at + 1]}`,
          from: Number.parseInt(sourceTarget.slice(0, 2), 16),
          to: Number.parseInt(sourceTarget.slice(2), 16),
        });
      }
      synsets.set(`${POS_OF[type]}:${offset}`, { words, pointers });
    }
  }
  const sensesOf = new Map<string, Array<{ synset: string; weight: number }>>();
  for (const pos of POS) {
    for (const line of readFileSync(join(dir, `index.${pos}`), 'utf8').split('\n')) {
      if (line.startsWith('  ') || line.trim() === '') continue;
      const fields = line.trim().split(' ');
      const lemma = fields[0]!;
      lemmas.get(pos)!.add(lemma);
      const senseCount = Number(fields[2]);
      const offsets = fields.slice(fields.length - senseCount);
      const senses = sensesOf.get(lemma) ?? [];
      offsets.slice(0, maxSenses).forEach((offset, i) => senses.push({ synset: `${pos}:${offset}`, weight: senseWeight(i + 1) }));
      sensesOf.set(lemma, senses);
    }
  }

  const neighbours = new Map<string, Map<string, number>>();
  let edges = 0;
  const link = (a: string, b: string, weight: number) => {
    if (a === b || !keep(a) || !keep(b)) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = neighbours.get(x) ?? new Map<string, number>();
      if (!list.has(y)) edges += x < y ? 1 : 0;
      list.set(y, Math.max(list.get(y) ?? 0, weight));
      neighbours.set(x, list);
    }
  };
  for (const [lemma, senses] of sensesOf) {
    if (!keep(lemma)) continue;
    for (const { synset: id, weight } of senses) {
      const synset = synsets.get(id);
      if (!synset) continue;
      for (const other of synset.words) link(lemma, other, weight);
      const self = synset.words.indexOf(lemma) + 1;
      for (const pointer of synset.pointers) {
        if (!RELATION_SYMBOLS.has(pointer.symbol)) continue;
        // A lexical pointer (from/to > 0) joins one word of this synset to one word of the target.
        if (pointer.from > 0 && pointer.from !== self) continue;
        const target = synsets.get(pointer.target);
        if (!target) continue;
        const words = pointer.to > 0 ? [target.words[pointer.to - 1]!] : target.words;
        for (const other of words) link(lemma, other, weight * RELATED);
      }
    }
  }

  // Inflected forms to their lemmas: the exception lists, then the suffix rules.
  const exceptions = new Map<string, string[]>();
  for (const pos of POS) {
    for (const line of readFileSync(join(dir, `${pos}.exc`), 'utf8').split('\n')) {
      const [form, ...bases] = line.trim().split(' ');
      if (form && bases.length > 0) exceptions.set(form, [...(exceptions.get(form) ?? []), ...bases]);
    }
  }
  const lemmaOf = (form: string): string[] => {
    const found = new Set(exceptions.get(form) ?? []);
    for (const pos of POS) {
      for (const [suffix, ending] of SUFFIXES[pos]) {
        if (form.endsWith(suffix) && form.length > suffix.length + 1) {
          const base = form.slice(0, -suffix.length) + ending;
          if (lemmas.get(pos)!.has(base)) found.add(base);
        }
      }
    }
    found.delete(form);
    return [...found];
  };
  for (const word of vocabulary) {
    for (const base of lemmaOf(word)) link(word, base, 1);
  }
  return { neighbours, edges };
}
