import { createErrorFactory, type Embedder, type Scale } from '@neuromem/core';
import { FACT_PAIR_FEATURES, factPairFeatures, type FactPairFeature, type FactPairStatement, type SemanticRange } from './fact-pair-features';
import { fitLogistic, parseLogistic, predictLogistic, type LogisticModel } from './logistic-model';
import { modelDocument } from './model-document';

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
  /**
   * The probability from which two statements are taken for one fact: the one with the best F1 on
   * the training pairs (same-fact pairs are rare, so it sits well below 0.5).
   */
  threshold: number;
  fittedOn?: Record<string, unknown>;
}

/**
 * Fits the model on labelled pairs (`same`: both statements are about one fact). A pair's `weight`
 * (default 1) counts it that many times: pairs taken as different facts without a label for each
 * (another set's co-retrieved statements, see `neuromem-eval fit-fact-pairs --negatives`) count less.
 */
export function fitFactPairs(
  examples: ReadonlyArray<{ older: FactPairStatement; newer: FactPairStatement; same: boolean; weight?: number }>,
  options: { semanticRange?: SemanticRange; features?: readonly FactPairFeature[]; l2?: number; note?: Record<string, unknown> } = {},
): FactPairModel {
  const rows = examples.map((example) => ({ x: factPairFeatures(example.older, example.newer, options.semanticRange), y: example.same, weight: example.weight ?? 1 }));
  const model = fitLogistic(rows, options.features ?? FACT_PAIR_FEATURES, options.l2 ?? 1e-3);
  return {
    format: 'neuromem.fact-pairs/v1',
    model,
    threshold: bestF1Threshold(
      rows.map((row) => predictLogistic(model, row.x)),
      rows.map((row) => row.y),
      rows.map((row) => row.weight),
    ),
    fittedOn: { pairs: rows.length, same: rows.filter((row) => row.y).length, ...options.note },
  };
}

/** The score cut-off with the best F1, each example counted `weights[i]` times (default 1; ties: the higher cut-off, fewer false merges). */
export function bestF1Threshold(scores: readonly number[], labels: readonly boolean[], weights?: readonly number[]): number {
  const order = scores.map((score, i) => ({ score, positive: labels[i]!, weight: weights?.[i] ?? 1 })).sort((a, b) => b.score - a.score);
  const positives = order.reduce((sum, entry) => sum + (entry.positive ? entry.weight : 0), 0);
  let best = { f1: -1, threshold: 0.5 };
  let truePositives = 0;
  let chosen = 0;
  order.forEach((entry, i) => {
    chosen += entry.weight;
    if (entry.positive) truePositives += entry.weight;
    // Cut only between distinct scores.
    if (i + 1 < order.length && order[i + 1]!.score === entry.score) return;
    const f1 = (2 * truePositives) / (chosen + positives);
    if (f1 > best.f1) best = { f1, threshold: entry.score };
  });
  return best.threshold;
}

/** The semantic part's range at `scale` in the embedder's vectors, if it has a part named `semantic`. */
export function semanticRangeOf(embedder: Pick<Embedder, 'parts'>, scale: Scale): SemanticRange {
  return embedder.parts?.find((part) => part.name === 'semantic')?.ranges[scale];
}

/**
 * The model as a judge for retrieval and consolidation, `older` said first: its probability moved on
 * the logit scale so that the fitted `threshold` (or `options.threshold`) reads 0.5 (callers take 0.5
 * and above for "same").
 */
export function createSameFactJudge(model: FactPairModel, semanticRange: SemanticRange, options: { threshold?: number } = {}): (older: FactPairStatement, newer: FactPairStatement) => number {
  const threshold = options.threshold ?? model.threshold;
  const shift = Math.log(threshold / (1 - threshold));
  return (older, newer) => {
    const p = predictLogistic(model.model, factPairFeatures(older, newer, semanticRange));
    return 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) - shift)));
  };
}

const REMAKE = 'regenerate it with `neuromem-eval fit-fact-pairs --out <file>`';

/**
 * Checks a model read from JSON: a broken file fails here, naming the command that remakes it
 * (`remake`, for a file made another way: the link model needs `--negatives`).
 */
export function parseFactPairModel(value: unknown, source = 'fact-pair model', remake = REMAKE): FactPairModel {
  const model = modelDocument<FactPairModel>(value, { format: 'neuromem.fact-pairs/v1', kind: 'fact-pair', source, remake });
  const threshold = model.threshold;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) throw fail('INVALID_INPUT', `${source}.threshold must be a probability in (0, 1); ${remake}.`);
  return { format: 'neuromem.fact-pairs/v1', model: parseLogistic(model.model, FACT_PAIR_FEATURES, `${source}.model`, remake), threshold, ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}) };
}
