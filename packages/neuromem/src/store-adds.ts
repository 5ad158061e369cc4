import type { Embedder, MemoryKind, MemoryRecord, MemoryStore, NewMemory, Scope } from '@neuromem/core';
import type { AnnotationInput, MemoryAnnotations } from '@neuromem/retrieval';
import { importanceOf, type ImportanceModel } from '@neuromem/controller';
import type { CorpusTracker } from './corpus-tracker';
import type { Turn } from './normalize-messages';
import { sessionKey, type SessionStates } from './session-states';
import { storedTokens } from './stored-tokens';

/** One checked `add()`: its turns, where they belong, and the ids they take (the store makes them when absent). */
export interface CheckedAdd {
  scope: Scope;
  turns: Turn[];
  importance?: number;
  kind?: MemoryKind;
  ids?: string[];
}

export interface StoreAddsContext {
  store: MemoryStore;
  embedder: Embedder;
  sessions: SessionStates;
  tracker: CorpusTracker | undefined;
  importanceModel: ImportanceModel | undefined;
  coldBelow: number | undefined;
  /** Entities and causal cues of the turns (`annotateMemory`), possibly on another thread (see `leaseAnnotator`). */
  annotate(items: readonly AnnotationInput[]): Promise<MemoryAnnotations[]>;
}

/**
 * Embeds adds after the turns their sessions already hold and stores them in one `put` (all or
 * none), in order: each turn with its vectors, tokens, entities and importance, each add's last
 * turn with its session's new vector. Callers run it on the memory's write queue.
 */
export function createStoreAdds({ store, embedder, sessions, tracker, importanceModel, coldBelow, annotate }: StoreAddsContext) {
  return async function storeAdds(adds: readonly CheckedAdd[]): Promise<MemoryRecord[]> {
    const observed: string[] = [];
    // Started first: on a worker thread the annotations are made while the turns are embedded here.
    const annotating = annotate(adds.flatMap(({ turns }) => turns.map(({ text, eventTime }) => ({ text, eventTime }))));
    // Awaited below; until then a failure must not surface as an unhandled rejection.
    annotating.catch(() => undefined);
    try {
      const embedded: Array<Omit<NewMemory, 'entities' | 'causalCue'>> = [];
      const lastOfSession = lastAddOfEachSession(adds);
      for (const [a, { scope, turns, importance, kind, ids }] of adds.entries()) {
        // Earlier turns of the session give the new ones their context (and the session its vector:
        // made for the session's last add in the batch only, since the store keeps only that one).
        const { embedding, keep } = await sessions.embed(
          scope,
          turns.map((turn) => turn.text),
          { session: lastOfSession.has(a) },
        );
        // Kept at once, so a later add of the same session in this batch follows these turns, and the
        // words counted, so later adds are weighed by the same statistics as when added one at a time
        // (a batch embedded on stale counts gets near-identical vectors at a memory's start). A failed put undoes both.
        keep();
        const texts = turns.map((turn) => turn.text);
        tracker?.observe(texts);
        observed.push(...texts);
        turns.forEach((turn, i) => {
          // The caller's importance, else the learned write decision's P(needed later), else the store's default.
          const weight = importance ?? (importanceModel ? importanceOf(importanceModel, turn.text) : undefined);
          const cold = coldBelow !== undefined && (weight ?? 0.5) < coldBelow;
          embedded.push({
            ...(ids ? { id: ids[i]! } : {}),
            text: turn.text,
            scope,
            role: turn.role,
            eventTime: turn.eventTime,
            metadata: turn.metadata,
            ...(cold ? {} : { vectors: embedding.turns[i]!.vectors, ...storedTokens(embedder, store, embedding.turns[i]!.tokens) }),
            ...(i === turns.length - 1 && embedding.session && scope.sessionId !== undefined ? { sessionVector: embedding.session } : {}),
            source: { type: 'message' as const },
            ...(weight !== undefined ? { importance: weight } : {}),
            ...(kind !== undefined ? { kind } : {}),
          });
        });
      }
      const annotations = await annotating;
      return await store.put(embedded.map((item, i): NewMemory => ({ ...item, ...annotations[i]! })));
    } catch (error) {
      // Nothing was stored: the sessions' states go back to what the store holds (read again on their
      // next add), and the word counts to what they were.
      for (const { scope } of adds) sessions.forget(scope);
      tracker?.replace(observed, []);
      throw error;
    }
  };
}

/** The index of each session's last add in a batch (adds without a session have no session vector). */
function lastAddOfEachSession(adds: readonly CheckedAdd[]): Set<number> {
  const last = new Map<string, number>();
  adds.forEach(({ scope }, a) => {
    if (scope.sessionId !== undefined) last.set(sessionKey(scope), a);
  });
  return new Set(last.values());
}
