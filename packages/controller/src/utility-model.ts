import { DAY_MS } from '@neuromem/core';
import { fitLogistic, parseLogistic, predictLogistic, type LogisticModel } from './logistic-model';
import { modelDocument } from './model-document';

/**
 * What predicts that a memory will be needed again: how important it looked when it was written,
 * how old it is, how often it has been returned, and how long ago it last was (all but importance
 * as log1p of days or counts).
 */
export const UTILITY_FEATURES = ['importance', 'age', 'accesses', 'idle'] as const;
export type UtilityFeature = (typeof UTILITY_FEATURES)[number];

/** The parts of a memory the utility reads. */
export interface UtilityInput {
  importance: number;
  eventTime: number;
  accessCount: number;
  lastAccessedAt: number | null;
}

export function utilityFeatures(memory: UtilityInput, now: number): Record<UtilityFeature, number> {
  const days = (from: number) => Math.log1p(Math.max(0, now - from) / DAY_MS);
  return {
    importance: memory.importance,
    age: days(memory.eventTime),
    accesses: Math.log1p(memory.accessCount),
    idle: days(memory.lastAccessedAt ?? memory.eventTime),
  };
}

/** A memory's predicted future utility: the probability that it will be needed again. */
export function utilityOf(model: LogisticModel<UtilityFeature>, memory: UtilityInput, now: number): number {
  return predictLogistic(model, utilityFeatures(memory, now));
}

/** Fits the utility on memories labelled by whether they were needed after `now`. */
export function fitUtility(examples: ReadonlyArray<{ memory: UtilityInput; now: number; needed: boolean }>, l2 = 1e-3): LogisticModel<UtilityFeature> {
  return fitLogistic(
    examples.map((example) => ({ x: utilityFeatures(example.memory, example.now), y: example.needed })),
    UTILITY_FEATURES,
    l2,
  );
}

/**
 * The forgetting utility as a file: which memories keep their vectors when a storage budget says
 * only some may. Fitted by `neuromem-eval tiers --replay --utility-out <file>` (a memory is needed
 * when a later question cites it, its accesses made by the earlier questions).
 */
export interface UtilityModel {
  format: 'neuromem.utility/v1';
  model: LogisticModel<UtilityFeature>;
  fittedOn?: Record<string, unknown>;
}

const REMAKE = 'regenerate it with `neuromem-eval tiers --data <locomo.json> --replay --policies utility --utility-out <file>`';

/** Checks a model read from JSON: a broken file fails here, naming the command that remakes it. */
export function parseUtilityModel(value: unknown, source = 'utility model'): UtilityModel {
  const model = modelDocument<UtilityModel>(value, { format: 'neuromem.utility/v1', kind: 'utility', source, remake: REMAKE });
  return { format: 'neuromem.utility/v1', model: parseLogistic(model.model, UTILITY_FEATURES, `${source}.model`, REMAKE), ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}) };
}
