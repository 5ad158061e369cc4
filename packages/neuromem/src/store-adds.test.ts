import { createReferenceStore, type Embedder, type Scope } from '@neuromem/core';
import type { SessionStates } from './session-states';
import { createStoreAdds, type CheckedAdd } from './store-adds';

/** A two-dimensional embedder whose session vector is the number of turns embedded so far. */
function countingEmbedder(): Embedder {
  const vector = () => Float32Array.of(1, 0);
  return {
    specVersion: 'neuromem.embedder/v1',
    id: 'counting',
    scales: { turn: 2, session: 2 },
    async embedSession(turns) {
      return { turns: turns.map(() => ({ vectors: { turn: vector() } })), session: vector() };
    },
    async embedQuery() {
      return { vectors: { turn: vector(), session: vector() } };
    },
  };
}

/** Session states that record what each add asked for, and give a session vector only when asked. */
function recordingSessions(embedder: Embedder) {
  const asked: Array<{ sessionId?: string; session?: boolean }> = [];
  const sessions: SessionStates = {
    async embed(scope: Scope, texts, options = {}) {
      asked.push({ sessionId: scope.sessionId, session: options.session });
      const { turns, session } = await embedder.embedSession(texts);
      return { embedding: { turns, ...(options.session === false ? {} : { session }) }, keep: () => undefined };
    },
    forget: () => undefined,
    clear: () => undefined,
  };
  return { sessions, asked };
}

const add = (sessionId: string | undefined, text: string): CheckedAdd => ({
  scope: { userId: 'alice', ...(sessionId ? { sessionId } : {}) },
  turns: [{ text, role: 'user', eventTime: Date.parse('2024-05-01T10:00:00Z'), metadata: {} }],
});

describe('createStoreAdds', () => {
  it("should ask for a session's vector on its last add in a batch only, and store every add", async () => {
    const embedder = countingEmbedder();
    const store = createReferenceStore({ vectorScales: { turn: 2, session: 2 } });
    const put = store.put.bind(store);
    const withSessionVector: string[] = [];
    store.put = async (items) => {
      for (const item of items) if (item.sessionVector) withSessionVector.push(item.text);
      return put(items);
    };
    const { sessions, asked } = recordingSessions(embedder);
    const storeAdds = createStoreAdds({
      store,
      embedder,
      sessions,
      tracker: undefined,
      importanceModel: undefined,
      coldBelow: undefined,
      annotate: async (items) => items.map(() => ({ entities: [] })),
    });
    const stored = await storeAdds([add('trip', 'We fly to Lisbon.'), add('work', 'The launch is Friday.'), add('trip', 'The hotel is by the river.'), add(undefined, 'A note.')]);
    expect(stored).toHaveLength(4);
    expect(asked).toEqual([
      { sessionId: 'trip', session: false },
      { sessionId: 'work', session: true },
      { sessionId: 'trip', session: true },
      { sessionId: undefined, session: false },
    ]);
    expect(withSessionVector).toEqual(['The launch is Friday.', 'The hotel is by the river.']);
    expect(await store.count({ scope: { userId: 'alice' } })).toBe(4);
  });
});
