import type { CausalCue } from '@neuromem/core';
import { detectCausalCue } from './detect-causal-cue';
import { extractEntities } from './extract-entities';

/** What a store is given beside a memory's text so it can link it into the graph. */
export interface MemoryAnnotations {
  /** Normalized entity keys (`name:caroline`, `date:2023-05-07`, `number:42`). */
  entities: string[];
  /** Present when the text opens with a causal cue. */
  causalCue?: CausalCue;
}

/**
 * The language processing of a write, done by the caller so that a store runs none: the entities a
 * text mentions (relative dates resolved against when it happened, not when it was stored) and the
 * causal cue it opens with.
 */
export function annotateMemory(text: string, options: { eventTime: number }): MemoryAnnotations {
  const cue = detectCausalCue(text);
  return { entities: extractEntities(text, { eventTime: options.eventTime }), ...(cue ? { causalCue: cue } : {}) };
}
