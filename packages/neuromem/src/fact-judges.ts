import { createSameFactJudge, defaultFactChanges, defaultFactLinks, defaultFactPairs, parseFactPairModel, semanticRangeOf, type FactPairModel } from '@neuromem/controller';
import type { Embedder } from '@neuromem/core';
import { restatementJudge, type SameFactJudge } from '@neuromem/retrieval';

/**
 * Module 3's "same fact" decision as the memory uses it: `order` for retrieval (the model's fitted
 * threshold) and `link` for a sleep, whose links stay and steer every later search, so they are made
 * only at even odds or better, and by default by the stricter model fitted to refuse statements that
 * only share a topic (`defaultFactLinks()`). A model passed as `factPairs` serves both. `changed`
 * tells retrieval whether the newer of two same-fact statements gives a new value
 * (`defaultFactChanges()`). With `factPairs: false`, both are the restatement rule and nothing is
 * judged a change.
 */
export function factJudges(factPairs: FactPairModel | false | undefined, embedder: Embedder): { order: SameFactJudge; link: SameFactJudge; changed?: SameFactJudge } {
  if (factPairs === false) return { order: restatementJudge, link: restatementJudge };
  const model = factPairs === undefined ? defaultFactPairs() : parseFactPairModel(factPairs, 'options.factPairs');
  const linkModel = factPairs === undefined ? defaultFactLinks() : model;
  const range = semanticRangeOf(embedder, 'turn');
  return {
    order: createSameFactJudge(model, range),
    link: createSameFactJudge(linkModel, range, { threshold: 0.5 }),
    changed: createSameFactJudge(defaultFactChanges(), range, { threshold: 0.5 }),
  };
}
