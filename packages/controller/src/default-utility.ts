import shipped from './default-utility.json';
import { parseUtilityModel, type UtilityModel } from './utility-model';

let parsed: UtilityModel | undefined;

/**
 * The forgetting utility fitted by `neuromem-eval tiers --replay` on LoCoMo's dev conversations (the
 * first half of each conversation's questions asked, the second half's evidence is what was needed);
 * see its `fittedOn`. Checked on first use.
 */
export function defaultUtility(): UtilityModel {
  parsed ??= parseUtilityModel(shipped, 'default-utility.json');
  return parsed;
}
