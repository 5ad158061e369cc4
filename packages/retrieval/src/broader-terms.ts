import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import type { NounTaxonomy } from './noun-taxonomy';

/**
 * Scores how far a memory names kinds of what the query asks about: "what animal joined the
 * household?" against "we got a puppy, a little beagle" — "animal" is above "puppy" and "beagle" in
 * WordNet, though no word and little of their vectors' direction is shared. For each noun of the
 * query, the narrowest of its senses (`specificity`) that some other word of the memory falls under
 * (or shares a sense with: "flat" and "apartment"); the score is their mean over the query's nouns,
 * 0..1. A word the query and memory both say is left to the lexical factors. Undefined when the
 * query has no noun WordNet knows.
 */
export function broaderTermsScorer(query: string, taxonomy: NounTaxonomy): ((text: string) => number) | undefined {
  const nouns = contentWords(query).flatMap((word) => {
    const lemma = taxonomy.lemma(word);
    return lemma === undefined ? [] : [{ lemma, senses: taxonomy.senses(word) }];
  });
  if (nouns.length === 0) return undefined;
  return (text) => {
    const words = contentWords(text);
    let total = 0;
    for (const noun of nouns) {
      let best = 0;
      for (const word of words) {
        const closure = taxonomy.closure(word);
        if (closure.size === 0 || taxonomy.lemma(word) === noun.lemma) continue;
        for (const sense of noun.senses) if (closure.has(sense)) best = Math.max(best, taxonomy.specificity(sense));
      }
      total += best;
    }
    return total / nouns.length;
  };
}

const WORD = /[a-z]+/g;

/** Distinct lower-case words, stop words left out. */
function contentWords(text: string): string[] {
  const words = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(WORD)) if (word.length > 1 && !ENGLISH_STOP_WORDS.has(word)) words.add(word);
  return [...words];
}
