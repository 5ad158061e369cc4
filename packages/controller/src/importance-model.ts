import { fitLogistic, parseLogistic, predictLogistic, type LogisticModel } from './logistic-model';
import { modelDocument } from './model-document';
import { IMPORTANCE_FEATURES, importanceFeatures, type ImportanceFeature } from './importance-features';

/**
 * Module 3's write decision, learned: the probability that a new memory will be needed later,
 * stored as its `importance` (0..1). Fitted on which conversation turns LoCoMo's questions later
 * cite as evidence, from the text alone (`IMPORTANCE_FEATURES`).
 */
export interface ImportanceModel {
  format: 'neuromem.importance/v1';
  model: LogisticModel<ImportanceFeature>;
  fittedOn?: Record<string, unknown>;
}

/** The probability that a memory with this text will be needed later. */
export function importanceOf(model: ImportanceModel, text: string): number {
  return predictLogistic(model.model, importanceFeatures(text));
}

/** Fits the model on texts labelled by whether they were needed later (e.g. cited as evidence). */
export function fitImportance(
  examples: ReadonlyArray<{ text: string; needed: boolean }>,
  options: { features?: readonly ImportanceFeature[]; l2?: number; note?: Record<string, unknown> } = {},
): ImportanceModel {
  const rows = examples.map((example) => ({ x: importanceFeatures(example.text), y: example.needed }));
  return {
    format: 'neuromem.importance/v1',
    model: fitLogistic(rows, options.features ?? IMPORTANCE_FEATURES, options.l2 ?? 1e-3),
    fittedOn: { texts: rows.length, needed: rows.filter((row) => row.y).length, ...options.note },
  };
}

const REMAKE = 'regenerate it with `neuromem-eval fit-importance --data <locomo.json> --out <file>`';

/** Checks a model read from JSON: a broken file fails here, naming the command that remakes it. */
export function parseImportanceModel(value: unknown, source = 'importance model'): ImportanceModel {
  const model = modelDocument<ImportanceModel>(value, { format: 'neuromem.importance/v1', kind: 'importance', source, remake: REMAKE });
  return { format: 'neuromem.importance/v1', model: parseLogistic(model.model, IMPORTANCE_FEATURES, `${source}.model`, REMAKE), ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}) };
}
