import { contentWords } from '@neuromem/core';
import type { NounTaxonomy } from './noun-taxonomy';

/** The nouns a question asks about, and how far a text names each. */
export interface NounCoverage {
  /** The question's nouns as WordNet lists them, in the question's order. */
  nouns: readonly string[];
  /** One number per noun of `nouns`: how far the text names it. */
  cover(text: string): number[];
}

/**
 * How far a memory names what a question asks about: for each noun of the question ("what is my
 * brother's name?" asks about a brother), 1 when the memory says the same noun, the sense's
 * `specificity` when it names a kind of it ("beagle" for "dog", "penicillin" for "medicine") or a
 * synonym, else 0. A sister is not a brother and a
 * cat is not a dog, though word vectors put them side by side: that is what the gate needs to tell a
 * fact never said from one said in other words. Undefined when the question has no noun WordNet
 * knows (or only words more often verbs: "drive", "get").
 */
export function createNounCoverage(query: string, taxonomy: NounTaxonomy): NounCoverage | undefined {
  const nouns = wordsOf(query)
    .filter((word) => taxonomy.mostlyNoun(word))
    .map((word) => ({ lemma: taxonomy.lemma(word)!, senses: taxonomy.senses(word) }));
  if (nouns.length === 0) return undefined;
  const cover = (text: string) => {
    const said = wordsOf(text).map((word) => ({ lemma: taxonomy.lemma(word), closure: taxonomy.closure(word) }));
    return nouns.map((noun) => {
      let best = 0;
      for (const word of said) {
        if (word.lemma === noun.lemma) return 1;
        for (const sense of noun.senses) if (word.closure.has(sense)) best = Math.max(best, taxonomy.specificity(sense));
      }
      return best;
    });
  };
  return { nouns: nouns.map((noun) => noun.lemma), cover };
}

/** Distinct lower-case words, stop words left out ("brother's" -> "brother", "s"). */
const wordsOf = (text: string) => contentWords(text).map(({ word }) => word);
