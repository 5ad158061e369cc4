import type { FactPairStatement, SemanticRange } from './fact-pair-features';
import { fitFactPairs, type FactPairModel } from './fact-pair-model';

/**
 * Module 3's second question about two statements of one fact: did the value change ("I've left the
 * airport coach, I teach driving now" after "the airport coach is the best job I've had"), or is the
 * newer one the same value said again ("still my favourite spot")? Retrieval promotes a newer
 * statement far above its rank only for a change: a restatement answers as well as the statement it
 * repeats, and a benchmark that cites one turn per fact (LoCoMo) counts the first telling.
 *
 * The same eight pair features and model format as the fact-pair model, fitted by
 * `neuromem-eval fit-fact-pairs --changes-out <file>` on the pairs of statements a knowledge-update
 * set cites for one fact, labelled "changed" when no question cites both (they give two values).
 * As a judge, it is `createSameFactJudge(model, semanticRange, { threshold: 0.5 })`: its own
 * probability, not moved to a fitted cut-off.
 */
export function fitFactChanges(
  examples: ReadonlyArray<{ older: FactPairStatement; newer: FactPairStatement; changed: boolean }>,
  options: { semanticRange?: SemanticRange; note?: Record<string, unknown> } = {},
): FactPairModel {
  const model = fitFactPairs(
    examples.map(({ older, newer, changed }) => ({ older, newer, same: changed })),
    options,
  );
  const { same, ...rest } = model.fittedOn ?? {};
  return { ...model, fittedOn: { ...rest, changed: same } };
}
