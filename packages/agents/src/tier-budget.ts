import { createErrorFactory, supports, type AgentAction, type AgentJournal, type Embedder, type MemoryRecord, type MemoryStore, type Scale, type Scope } from '@neuromem/core';
import { factOf } from './consolidated-facts';
import { vectorsFromText } from './vectors-from-text';

const fail = createErrorFactory('agents');

/** Memories read, and re-tiered, per page. */
const PAGE = 1_000;

/**
 * A storage budget as tiers: the `warmShare` of an owner's memories with the highest predicted
 * utility keep their vectors (vector search finds them); the rest are cold, kept as text, words
 * and links (retrieval measures them from their text when another source brings them up).
 */
export interface TierBudget {
  /** Share of the owner's memories that keep their vectors, in [0, 1]. */
  warmShare: number;
  /** The probability that a memory will be needed again, as of `now` (e.g. `@neuromem/controller`'s `utilityOf`). */
  utility: (memory: MemoryRecord, now: number) => number;
}

export interface TierBudgetContext {
  store: MemoryStore;
  scope: Scope;
  /** The searched scale: the vectors a cold memory lacks. */
  scale: Scale;
  /** Makes a promoted memory's vectors; without one, cold memories stay cold. */
  embedder?: Embedder | undefined;
  now: number;
  /** Told every change before it is made (a sleep's journal, so that the run can be undone). */
  journal?: AgentJournal;
  /** Runs each page's changes while the owner's writes wait. Default: directly. */
  exclusive?: <T>(write: () => Promise<T>) => Promise<T>;
  /** Epoch ms (by `clock`) after which no new page is started. */
  deadline?: number;
  clock?: { now(): number };
  signal?: AbortSignal | undefined;
}

export interface TierBudgetResult {
  /** Memories of the scope within the warm share (consolidated facts, which never have vectors, left out). */
  warm: number;
  cold: number;
  /** Warm memories turned cold. */
  demoted: number;
  /** Cold memories given their vectors back (used again, so their utility rose above the line). */
  promoted: number;
  /** False when the deadline or an abort stopped it before every page was seen. */
  done: boolean;
}

/**
 * Applies a tier budget to a scope: ranks its memories by predicted utility (the newer first among
 * equals), keeps vectors for the top `warmShare`, drops them for the rest, and gives them back to
 * memories that rose above the line. Nothing is deleted and no version is made; a memory whose text
 * changed while its vectors were being made is left for the next run.
 */
export async function applyTierBudget(context: TierBudgetContext, budget: TierBudget): Promise<TierBudgetResult> {
  const { store, scope, scale, now } = context;
  if (!supports(store, 'vectorTiers')) {
    throw fail('UNSUPPORTED', 'this store cannot keep memories without their vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
  }
  const outOfTime = () => context.signal?.aborted === true || (context.deadline !== undefined && (context.clock?.now() ?? Date.now()) >= context.deadline);
  const exclusive = context.exclusive ?? ((write) => write());

  // Only what ranks a memory is kept while the scope is read: a million memories are a few dozen
  // MB here, not their texts.
  const ranked: Array<{ id: string; utility: number; eventTime: number }> = [];
  for (let after: string | undefined; ; ) {
    if (outOfTime()) return { warm: 0, cold: 0, demoted: 0, promoted: 0, done: false };
    const page = await store.list({ scope, order: 'written-asc', limit: PAGE, ...(after !== undefined ? { after } : {}) });
    for (const record of page) if (factOf(record) === undefined) ranked.push({ id: record.id, utility: budget.utility(record, now), eventTime: record.eventTime });
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  ranked.sort((a, b) => b.utility - a.utility || b.eventTime - a.eventTime);
  const keep = new Set(ranked.slice(0, Math.round(ranked.length * budget.warmShare)).map((memory) => memory.id));
  const result: TierBudgetResult = { warm: keep.size, cold: ranked.length - keep.size, demoted: 0, promoted: 0, done: true };

  for (let i = 0; i < ranked.length; i += PAGE) {
    if (outOfTime()) return { ...result, done: false };
    const ids = ranked.slice(i, i + PAGE).map((memory) => memory.id);
    const has = await store.vectors(ids, scale, { scope });
    const demote = ids.filter((id) => !keep.has(id) && has.has(id));
    // Vectors are made before the lock is taken (embedding is the slow part), from the text read here.
    const promote = context.embedder
      ? await embedEach(
          context.embedder,
          await store.getMany(
            ids.filter((id) => keep.has(id) && !has.has(id)),
            { scope },
          ),
        )
      : [];
    if (demote.length === 0 && promote.length === 0) continue;
    const actions: AgentAction[] = [
      ...demote.map((memoryId) => ({ type: 'tier' as const, memoryId, tier: 'cold' as const })),
      ...promote.map(({ record }) => ({ type: 'tier' as const, memoryId: record.id, tier: 'warm' as const })),
    ];
    await exclusive(async () => {
      await context.journal?.record(actions);
      // Re-read under the lock: a memory the owner deleted or rewrote meanwhile is left alone.
      const current = new Map((await store.getMany([...demote, ...promote.map(({ record }) => record.id)], { scope })).map((record) => [record.id, record]));
      for (const id of demote) {
        if (!current.has(id)) continue;
        await store.setVectors!(id, null, { scope });
        result.demoted++;
      }
      for (const { record, vectors } of promote) {
        if (current.get(record.id)?.text !== record.text) continue;
        await store.setVectors!(record.id, vectors, { scope });
        result.promoted++;
      }
    });
  }
  return result;
}

/** Each memory's vectors, made from its text alone. */
async function embedEach(embedder: Embedder, records: readonly MemoryRecord[]) {
  const made: Array<{ record: MemoryRecord; vectors: Partial<Record<Scale, Float32Array>> }> = [];
  for (const record of records) made.push({ record, vectors: await vectorsFromText(embedder, record.text) });
  return made;
}
