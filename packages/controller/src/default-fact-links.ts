import shipped from './default-fact-links.json';
import { parseFactPairModel, type FactPairModel } from './fact-pair-model';

let parsed: FactPairModel | undefined;

/** The command that makes the link model (a fit without `--negatives` makes the search's model instead). */
export const REMAKE_LINKS = 'regenerate it with `neuromem-eval fit-fact-pairs --negatives ../shared/datasets/locomo/locomo10-dev.json --out packages/controller/src/default-fact-links.json`';

/**
 * The fact-pair model a sleep links versions with: fitted like `defaultFactPairs()` on the
 * knowledge-update set, plus the pairs LoCoMo's dev conversations retrieve together, taken as
 * different facts at a twentieth of a labelled pair's weight (`neuromem-eval fit-fact-pairs
 * --negatives <locomo file> --out packages/controller/src/default-fact-links.json`). A link stays and
 * steers every later search, so it must not join two statements that only share a topic: friends'
 * chats return to theirs again and again. Held out by conversation, it links 0.3 % of LoCoMo's
 * co-retrieved pairs where the ordering model links 7.1 %. Checked on first use.
 */
export function defaultFactLinks(): FactPairModel {
  parsed ??= parseFactPairModel(shipped, 'default-fact-links.json', REMAKE_LINKS);
  return parsed;
}
