import { basename } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import type { LocomoReport } from '../locomo/run-locomo';
import { runLocomoWithProgress } from '../locomo/run-locomo-with-progress';
import { resolveSystems } from '../systems/registry';
import type { SystemContext } from '../systems/retrieval-system';
import { PARAPHRASE_DATA } from './paraphrase-data';

export interface ParaphraseOptions {
  /** A LoCoMo-format file. Default: the shipped `data/paraphrase-v1.json`. */
  data?: string;
  /** System names from the registry, e.g. `['bm25', 'vector', 'neuromem']`. */
  systems: readonly string[];
  /** Cut-offs for recall@k. */
  ks: readonly number[];
  /** No progress bar on stderr. Default: false. */
  quiet?: boolean;
  /** Rankers fitted without each conversation (`fit-ranker --extra-data … --cv-out`), when the shipped one saw this set. */
  rankerFor?: SystemContext['rankerFor'];
}

/**
 * Evidence recall when every question is worded differently from the turn that answers it: the
 * LoCoMo protocol (`runLocomo`) on the paraphrase set, so its table reads like the `locomo` one.
 */
export async function runParaphrase(options: ParaphraseOptions): Promise<LocomoReport> {
  const data = options.data ?? PARAPHRASE_DATA;
  const systems = resolveSystems(options.systems);
  return runLocomoWithProgress({
    dataset: basename(data),
    conversations: loadLocomo(data),
    systems,
    ks: options.ks,
    quiet: options.quiet,
    ...(options.rankerFor ? { rankerFor: options.rankerFor } : {}),
  });
}
