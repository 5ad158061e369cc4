import shipped from './default-fact-changes.json';
import { parseFactPairModel, type FactPairModel } from './fact-pair-model';

let parsed: FactPairModel | undefined;

/** The command that makes the change model. */
export const REMAKE_CHANGES = 'regenerate it with `neuromem-eval fit-fact-pairs --changes-out packages/controller/src/default-fact-changes.json`';

/**
 * The change model (`fitFactChanges`) fitted by `neuromem-eval fit-fact-pairs` on the same-fact pairs
 * of the first five conversations of the knowledge-update set (`apps/eval/data/updates-v1.json`); see
 * its `fittedOn`. Checked on first use.
 */
export function defaultFactChanges(): FactPairModel {
  parsed ??= parseFactPairModel(shipped, 'default-fact-changes.json', REMAKE_CHANGES);
  return parsed;
}
