import shipped from './default-relevance.json';
import { parseRelevanceModel, type RelevanceModel } from './relevance-model';

let parsed: RelevanceModel | undefined;

/**
 * The relevance model fitted by `neuromem-eval relevance --fit` on LoCoMo's dev conversations, each
 * retrieved by a ranker and semantic model that never saw it, with unanswerable questions made from
 * the other conversations; see its `fittedOn`. Checked on first use, not on import, so a damaged
 * file is a typed error naming the command that regenerates it, raised where it is needed.
 */
export function defaultRelevance(): RelevanceModel {
  parsed ??= parseRelevanceModel(shipped, 'default-relevance.json');
  return parsed;
}
