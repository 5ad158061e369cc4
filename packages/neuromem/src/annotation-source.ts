import type { AnnotationInput, MemoryAnnotations } from '@neuromem/retrieval';
import type { Turn } from './normalize-messages';

/** Where `storeAdds` gets each add's entities and causal cues. */
export interface AnnotationSource {
  /**
   * Asks now for the annotations of an add that waits in the journal, when they are made on another
   * thread: the worker makes them while earlier batches are embedded and stored here, so they are
   * ready when this add's batch needs them. Annotations made in this thread are not asked for early
   * (that would only move the work into `add()`).
   */
  prefetch(turns: readonly Turn[]): void;
  /** An add's annotations, in turn order: the ones asked for early, else asked for now. */
  of(turns: readonly Turn[]): Promise<MemoryAnnotations[]>;
}

export interface AnnotationSourceOptions {
  annotate(items: readonly AnnotationInput[]): Promise<MemoryAnnotations[]>;
  /** Are annotations made on another thread now? */
  offThread(): boolean;
}

export function createAnnotationSource({ annotate, offThread }: AnnotationSourceOptions): AnnotationSource {
  // Keyed by the add's turns (the journal hands the same array to the batch that stores it); an add
  // that is never stored (a reset) takes its entry with it.
  const early = new WeakMap<readonly Turn[], Promise<MemoryAnnotations[]>>();
  const request = (turns: readonly Turn[]) => {
    const annotations = annotate(turns.map(({ text, eventTime }) => ({ text, eventTime })));
    // Awaited by the batch that stores the add; until then a failure must not surface as an unhandled rejection.
    annotations.catch(() => undefined);
    return annotations;
  };
  return {
    prefetch(turns) {
      if (offThread() && !early.has(turns)) early.set(turns, request(turns));
    },
    of(turns) {
      const asked = early.get(turns);
      if (asked === undefined) return request(turns);
      early.delete(turns);
      return asked;
    },
  };
}
