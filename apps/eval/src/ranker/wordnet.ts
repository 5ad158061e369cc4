import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('eval');

const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type Part = (typeof PARTS)[number];

/** How many of a word's senses (WordNet orders them by frequency) offer other words. */
const SENSES = 2;

/**
 * WordNet's suffix rules ("morphy"): an inflected form's candidate base forms, tried before the
 * exception lists. From WordNet's morphy(7) manual page.
 */
const SUFFIXES: Record<Part, Array<[string, string]>> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

export interface WordNet {
  /**
   * Words that can stand for `word` (any inflection): the synonyms of its most frequent senses, then
   * the words of their hypernyms ("beagle" -> "dog"; "researching" -> "inquiry", "investigate").
   * Multi-word lemmas come with spaces. [] for a word WordNet does not know.
   */
  alternatives(word: string): string[];
}

interface Synset {
  lemmas: string[];
  hypernyms: string[];
}

/**
 * Reads WordNet 3.0's database files (`index.*`, `data.*`, `*.exc`; Debian's `wordnet-base` puts
 * them in /usr/share/wordnet). A training-time input: nothing at run time reads it.
 */
export function loadWordNet(directory: string): WordNet {
  const file = (name: string) => {
    const path = join(directory, name);
    if (!existsSync(path)) throw fail('NOT_FOUND', `WordNet: ${path} is missing; install WordNet 3.0 (apt-get install wordnet-base) or pass its directory.`);
    return readFileSync(path, 'utf8');
  };
  const senses = new Map<string, string[]>(); // `${part}:${lemma}` -> synset keys, most frequent first
  const synsets = new Map<string, Synset>(); // `${part}:${offset}`
  const exceptions = new Map<string, string[]>(); // `${part}:${form}` -> base forms
  for (const part of PARTS) {
    const letter = part === 'adj' ? 'a' : part[0]!;
    for (const line of file(`index.${part}`).split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const pointers = Number(fields[3]);
      const offsets = fields.slice(6 + pointers);
      senses.set(
        `${part}:${fields[0]}`,
        offsets.slice(0, SENSES).map((offset) => `${letter}:${offset}`),
      );
    }
    for (const line of file(`data.${part}`).split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.split(' | ')[0]!.trim().split(' ');
      const words = Number.parseInt(fields[3]!, 16);
      const lemmas = Array.from({ length: words }, (_, i) => fields[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
      const at = 4 + 2 * words;
      const pointerCount = Number(fields[at]);
      const hypernyms: string[] = [];
      for (let p = 0; p < pointerCount; p++) {
        const [symbol, offset, pos] = fields.slice(at + 1 + 4 * p, at + 4 + 4 * p);
        if (symbol === '@' || symbol === '@i' || symbol === '&') hypernyms.push(`${pos === 's' ? 'a' : pos}:${offset}`);
      }
      const letter = fields[2] === 's' ? 'a' : fields[2]!;
      synsets.set(`${letter}:${fields[0]}`, { lemmas, hypernyms });
    }
    const exc = part === 'adj' ? 'adj.exc' : `${part}.exc`;
    for (const line of file(exc).split('\n')) {
      const [form, ...bases] = line.trim().split(' ');
      if (form && bases.length > 0) exceptions.set(`${part}:${form}`, bases);
    }
  }

  const basesOf = (word: string, part: Part): string[] => {
    const found = new Set<string>();
    if (senses.has(`${part}:${word}`)) found.add(word);
    for (const base of exceptions.get(`${part}:${word}`) ?? []) if (senses.has(`${part}:${base}`)) found.add(base);
    for (const [suffix, ending] of SUFFIXES[part]) {
      if (!word.endsWith(suffix)) continue;
      const base = word.slice(0, word.length - suffix.length) + ending;
      if (base.length > 1 && senses.has(`${part}:${base}`)) found.add(base);
    }
    return [...found];
  };

  return {
    alternatives(word) {
      const lower = word.toLowerCase();
      const synonyms: string[] = [];
      const broader: string[] = [];
      for (const part of PARTS) {
        for (const base of basesOf(lower, part)) {
          for (const key of senses.get(`${part}:${base}`) ?? []) {
            const synset = synsets.get(key);
            if (!synset) continue;
            synonyms.push(...synset.lemmas.filter((lemma) => lemma !== base));
            for (const parent of synset.hypernyms) broader.push(...(synsets.get(parent)?.lemmas.slice(0, 2) ?? []));
          }
        }
      }
      return [...new Set([...synonyms, ...broader].map((lemma) => lemma.replace(/_/g, ' ')))].filter((lemma) => lemma !== lower);
    },
  };
}
