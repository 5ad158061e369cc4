import { createLruCache, type Embedder, type MemoryStore, type Scope, type SessionEmbedding, type SessionState } from '@neuromem/core';
import { keepsTokens } from './stored-tokens';

/** Sessions whose running state stays in memory (a few KB each); older ones are rebuilt on their next add. */
const DEFAULT_MAX_SESSIONS = 2000;

export interface SessionStates {
  /**
   * Embeds an add's turns after the turns its session already holds. `keep()` once they are stored
   * moves the session's state past them; an add that fails to store leaves the state as it was.
   * `session: false` when the caller will not store this add's session vector (a later add of the
   * same session in its batch will): the embedder may skip it.
   */
  embed(scope: Scope, texts: readonly string[], options?: { session?: boolean }): Promise<{ embedding: SessionEmbedding; keep(): void }>;
  /** The session's earlier turns changed (edited or deleted): rebuild its state on the next add. */
  forget(scope: Scope): void;
  clear(): void;
}

/** One string per session: its user, agent and session id. */
export const sessionKey = (scope: Scope): string => JSON.stringify([scope.userId ?? null, scope.agentId ?? null, scope.sessionId ?? null]);

/**
 * Keeps each session's embedder state between adds, so an add costs its own turns whether the session
 * holds 3 turns or 3,000. A session not seen since the process started (or evicted) is read back from
 * the store once. Without a session id the add's turns are their own context, as before; an embedder
 * without `continueSession` gets the whole session every time.
 */
export function createSessionStates(options: { embedder: Embedder; store: MemoryStore; maxSessions?: number }): SessionStates {
  const { embedder, store } = options;
  const states = createLruCache<string, SessionState>({ maxCost: options.maxSessions ?? DEFAULT_MAX_SESSIONS });
  const earlierTexts = async (scope: Scope) => (await store.list({ scope, order: 'eventTime-asc' })).map((record) => record.text);
  // Token vectors an embedder can compute again are not stored (see `storedTokens`): not made either.
  const tokens = keepsTokens(embedder, store);

  return {
    async embed(scope, texts, options = {}) {
      const keep = () => undefined;
      if (scope.sessionId === undefined) return { embedding: await embedder.embedSession(texts, { tokens }), keep };
      if (!embedder.continueSession) {
        const earlier = await earlierTexts(scope);
        return { embedding: await embedder.embedSession([...earlier, ...texts], { from: earlier.length, tokens }), keep };
      }
      const key = sessionKey(scope);
      let state = states.get(key);
      if (state === undefined) {
        const earlier = await earlierTexts(scope);
        if (earlier.length > 0) state = (await embedder.continueSession(earlier, undefined, { tokens: false, session: false })).state;
      }
      const embedding = await embedder.continueSession(texts, state, { tokens, ...(options.session === false ? { session: false } : {}) });
      return { embedding, keep: () => states.set(key, embedding.state) };
    },
    forget(scope) {
      if (scope.sessionId !== undefined) states.delete(sessionKey(scope));
    },
    clear: () => states.clear(),
  };
}
