import { FEATURE_GROUPS, HAND_SET_RANKER, type Feature, type RankerModel } from 'neuromem';

export interface NeuromemVariant {
  /** Factors switched off (not computed, their candidate sources skipped). */
  exclude: readonly Feature[];
  /** A fixed ranker instead of a fitted one (the `unfitted` baseline). */
  ranker?: RankerModel;
  /** The default embedder's semantic part (`createMemory({ semantic })`): false = words only. */
  semantic?: false | { weight: number };
  /** Sleeps (`memory.sleep()`) once every turn is stored, before any question. */
  sleep?: true;
  /** The sleep's storage budget (`sleep({ warmShare })`): the forgetting agent keeps vectors for this share of memories. */
  warmShare?: number;
  /** `createMemory({ factPairs: false })`: only near-identical restatements count as one fact. */
  factPairs?: false;
  /** The variant whose fitted ranker it uses (it changes nothing the ranker reads). */
  rankerOf?: string;
}

/**
 * NeuroMem and its ablations. Each ablation switches a part off and, under `--ranker-cv`, uses a
 * ranker fitted without it, so the table shows what the part contributes after refitting.
 */
export const NEUROMEM_VARIANTS = {
  neuromem: { exclude: [] },
  'neuromem-no-time': { exclude: FEATURE_GROUPS.time },
  'neuromem-no-graph': { exclude: FEATURE_GROUPS.graph },
  'neuromem-single-scale': { exclude: FEATURE_GROUPS.multiScale },
  'neuromem-no-lexical': { exclude: FEATURE_GROUPS.lexical },
  /** Without the learned write-time importance (Module 3) as a ranking factor. */
  'neuromem-no-importance': { exclude: ['importance'] },
  'neuromem-unfitted': { exclude: [], ranker: HAND_SET_RANKER },
  'neuromem-lexical': { exclude: [], semantic: false },
  'neuromem-semantic-0.3': { exclude: [], semantic: { weight: 0.3 } },
  /** Module 5: NeuroMem after a sleep (consolidation links the versions of each fact). */
  'neuromem-sleep': { exclude: [], sleep: true, rankerOf: 'neuromem' },
  /** A sleep under a storage budget: half the memories, the least useful by the learned utility, fade to text, words and links. */
  'neuromem-sleep-half': { exclude: [], sleep: true, warmShare: 0.5, rankerOf: 'neuromem' },
  /** A sleep that leaves every memory cold (text, words and links only): the smallest store tiers make. */
  'neuromem-sleep-cold': { exclude: [], sleep: true, warmShare: 0, rankerOf: 'neuromem' },
  /** Without Module 3's learned "same fact" model: a fact's versions are ordered only when near-identical. */
  'neuromem-no-fact-pairs': { exclude: [], factPairs: false, rankerOf: 'neuromem' },
  /** The shipped ranker with token MaxSim left at 0: what the short list's token vectors buy. */
  'neuromem-no-token-maxsim': { exclude: ['tokenMaxSim'], rankerOf: 'neuromem' },
} as const satisfies Record<string, NeuromemVariant>;

export type NeuromemVariantName = keyof typeof NEUROMEM_VARIANTS;

/** Variants whose ranker is fitted (the file name of each fold's model is the variant name). */
export const FITTED_VARIANTS = (Object.keys(NEUROMEM_VARIANTS) as NeuromemVariantName[]).filter((name) => !('ranker' in NEUROMEM_VARIANTS[name]) && !('rankerOf' in NEUROMEM_VARIANTS[name]));
