import { supports, type AgentAction, type Embedder, type MemoryStore, type Scale } from '@neuromem/core';
import type { SleepStep } from './sleep-journal';
import { vectorsFromText } from './vectors-from-text';

export interface UndoCounts {
  /** Memory and link actions reversed (or found already reversed: a memory gone, a link absent). */
  undone: number;
  /** Actions left as they are: expiries, which their owner asked for. */
  kept: number;
}

/**
 * Reverses the steps' actions, newest first. Each reversal is idempotent, so a rollback that is
 * itself interrupted can simply run again. Only what the agents added is removed: a memory a user
 * wrote is never purged here (agents `put` only their own consolidated memories), and agents journal
 * only links that did not exist before, so no other run's link is taken away. Agents' own progress
 * (`state`) goes back to where it was, so the next sleep does the undone work again.
 */
export async function undoSteps(store: MemoryStore, steps: readonly SleepStep[], options: { embedder?: Embedder; scale: Scale }): Promise<UndoCounts> {
  const counts: UndoCounts = { undone: 0, kept: 0 };
  for (const step of [...steps].reverse()) {
    const scope = { userId: step.userId };
    for (const action of [...step.actions].reverse()) {
      const undone = await undoAction(store, action, scope, options);
      // An agent's progress is bookkeeping, not something the user sees: restored, not counted.
      if (action.type === 'state') continue;
      if (undone) counts.undone++;
      else counts.kept++;
    }
  }
  return counts;
}

async function undoAction(store: MemoryStore, action: AgentAction, scope: { userId: string }, options: { embedder?: Embedder; scale: Scale }): Promise<boolean> {
  switch (action.type) {
    case 'put':
      // Purged, not tombstoned: the memory was derived by the agent, and undo means it never was.
      await ignoreNotFound(store.purge(action.memoryId, { scope }));
      return true;
    case 'revise': {
      // Facts have no vectors (they are reached through their versions): the text goes back alone.
      await ignoreNotFound(store.update(action.memoryId, { text: action.before.text, metadata: action.before.metadata }, { scope }));
      return true;
    }
    case 'retire':
      return false;
    case 'link':
      await store.unlink([{ from: action.from, to: action.to, type: action.edgeType }]);
      return true;
    case 'tier': {
      if (!supports(store, 'vectorTiers')) return true;
      if (action.tier === 'warm') {
        await ignoreNotFound(store.setVectors(action.memoryId, null, { scope }));
        return true;
      }
      const record = await store.get(action.memoryId, { scope });
      if (!record) return true;
      if (!options.embedder) return false;
      await ignoreNotFound(store.setVectors(action.memoryId, await vectorsFromText(options.embedder, record.text), { scope }));
      return true;
    }
    case 'expire':
      return false;
    case 'state':
      if (supports(store, 'userState')) await store.writeUserState(action.userId, action.key, action.before);
      return true;
  }
}

async function ignoreNotFound(pending: Promise<unknown>): Promise<void> {
  try {
    await pending;
  } catch (error) {
    if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
  }
}
