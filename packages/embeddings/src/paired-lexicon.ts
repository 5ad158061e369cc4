import { createErrorFactory } from '@neuromem/core';
import { LEXICON_COMMAND, type LexiconHeader } from './lexicon-file';
import type { SemanticLexicon } from './semantic-lexicon';

const fail = createErrorFactory('embeddings');

/**
 * Two lexicons of the same words as one: a word's vector is its base row beside its extension row,
 * each half scaled by 1/√2, so two unit halves make a unit whole and a cosine is the mean of the
 * halves' cosines. Unknown words take each half's own subword guess. Ranks, and so the SIF weights,
 * are the base's. The extension's header says which base it was built for (`pairedWith`) and holds
 * what was measured on the pair: its common component and subword fit.
 *
 * Why a pair and not one file: the base alone stays the lexicon it always was (byte for byte, and so
 * the same id), so memories written with it still open, and the pair costs only the extension's bytes.
 */
export function pairLexicons(base: SemanticLexicon, extension: SemanticLexicon): SemanticLexicon {
  const paired = extension.header.pairedWith;
  if (paired === undefined || paired.id !== base.id || extension.size !== base.size || base.header.pairedWith !== undefined) {
    throw fail(
      'STORAGE',
      `lexicon ${extension.id} does not extend ${base.id} (it extends ${paired?.id ?? 'nothing'}); rebuild it with \`${LEXICON_COMMAND} -- --teacher\` or reinstall @neuromem/embeddings.`,
      { details: { base: base.id, extension: extension.id } },
    );
  }
  const dimensions = base.dimensions + extension.dimensions;
  const header: LexiconHeader = {
    ...base.header,
    dimensions,
    source: {
      name: `${base.header.source.name}+${extension.header.source.name}`,
      license: `${base.header.source.license}; ${extension.header.source.license}`,
      vocabulary: base.header.source.vocabulary,
    },
    commonComponents: paired.commonComponents,
    ...(paired.subwordFit ? { subwordFit: paired.subwordFit } : {}),
    pairedWith: paired, // so that a pair is never taken for a base
    sha256: `${base.header.sha256}+${extension.header.sha256}`,
  };
  // Each half is read into its own scratch row, then copied beside the other, scaled.
  const half = Math.SQRT1_2;
  const first = new Float64Array(base.dimensions);
  const second = new Float64Array(extension.dimensions);
  return {
    id: `${base.id}+${extension.id}`,
    dimensions,
    size: base.size,
    header,
    rank: base.rank,
    addWord(word, weight, into) {
      first.fill(0);
      second.fill(0);
      const source = base.addWord(word, weight * half, first);
      extension.addWord(word, weight * half, second);
      for (let d = 0; d < first.length; d++) into[d]! += first[d]!;
      for (let d = 0; d < second.length; d++) into[first.length + d]! += second[d]!;
      return source;
    },
  };
}
