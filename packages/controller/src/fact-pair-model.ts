import { createErrorFactory, type Embedder, type Scale } from '@neuromem/core';
import { FACT_PAIR_FEATURES, factPairFeatures, type FactPairFeature, type FactPairStatement, type SemanticRange } from './fact-pair-features';
import { fitLogistic, parseLogistic, predictLogistic, type LogisticModel } from './logistic-model';

const fail = createErrorFactory('controller');

/**
 * Module 3's merge decision, learned: the probability that two statements of one owner are about the
 * same fact (where someone lives, who employs them), whether they give the same value or a new one.
 * Retrieval orders such statements as a query asks (the current first, the one before for "used
 * to"); the sleep's consolidation links them. Fitted by `neuromem-eval fit-fact-pairs` on pairs of
 * memories retrieved together, labelled by whether a knowledge-update set cites both for one fact.
 */
export interface FactPairModel {
  format: 'neuromem.fact-pairs/v1';
  model: LogisticModel<FactPairFeature>;
  fittedOn?: Record<string, unknown>;
}

/** Fits the model on labelled pairs (`same`: both statements are about one fact). */
export function fitFactPairs(
  examples: ReadonlyArray<{ older: FactPairStatement; newer: FactPairStatement; same: boolean }>,
  options: { semanticRange?: SemanticRange; features?: readonly FactPairFeature[]; l2?: number; note?: Record<string, unknown> } = {},
): FactPairModel {
  const rows = examples.map((example) => ({ x: factPairFeatures(example.older, example.newer, options.semanticRange), y: example.same }));
  return {
    format: 'neuromem.fact-pairs/v1',
    model: fitLogistic(rows, options.features ?? FACT_PAIR_FEATURES, options.l2 ?? 1e-3),
    fittedOn: { pairs: rows.length, same: rows.filter((row) => row.y).length, ...options.note },
  };
}

/** The semantic part's range at `scale` in the embedder's vectors, if it has a part named `semantic`. */
export function semanticRangeOf(embedder: Pick<Embedder, 'parts'>, scale: Scale): SemanticRange {
  return embedder.parts?.find((part) => part.name === 'semantic')?.ranges[scale];
}

/** The model as a judge for retrieval and consolidation: P(same fact) of a pair, `older` said first. */
export function createSameFactJudge(model: FactPairModel, semanticRange: SemanticRange): (older: FactPairStatement, newer: FactPairStatement) => number {
  return (older, newer) => predictLogistic(model.model, factPairFeatures(older, newer, semanticRange));
}

const REMAKE = 'regenerate it with `neuromem-eval fit-fact-pairs --out <file>`';

/** Checks a model read from JSON: a broken file fails here, naming the command that remakes it. */
export function parseFactPairModel(value: unknown, source = 'fact-pair model'): FactPairModel {
  const model = value as Partial<FactPairModel> | null;
  if (typeof model !== 'object' || model === null || model.format !== 'neuromem.fact-pairs/v1') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem fact-pair model (expected format "neuromem.fact-pairs/v1"); ${REMAKE}.`);
  }
  return { format: 'neuromem.fact-pairs/v1', model: parseLogistic(model.model, FACT_PAIR_FEATURES, `${source}.model`, REMAKE), ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}) };
}
