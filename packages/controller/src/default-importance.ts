import shipped from './default-importance.json';
import { parseImportanceModel, type ImportanceModel } from './importance-model';

let parsed: ImportanceModel | undefined;

/**
 * The importance model fitted by `neuromem-eval fit-importance` on LoCoMo's dev conversations (a
 * turn is needed when a later question cites it); see its `fittedOn`. Checked on first use.
 */
export function defaultImportance(): ImportanceModel {
  parsed ??= parseImportanceModel(shipped, 'default-importance.json');
  return parsed;
}
