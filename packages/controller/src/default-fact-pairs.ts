import shipped from './default-fact-pairs.json';
import { parseFactPairModel, type FactPairModel } from './fact-pair-model';

let parsed: FactPairModel | undefined;

/**
 * The fact-pair model fitted by `neuromem-eval fit-fact-pairs` on the first five conversations of the
 * knowledge-update set (`apps/eval/data/updates-v1.json`); see its `fittedOn`. Checked on first use.
 */
export function defaultFactPairs(): FactPairModel {
  parsed ??= parseFactPairModel(shipped, 'default-fact-pairs.json');
  return parsed;
}
