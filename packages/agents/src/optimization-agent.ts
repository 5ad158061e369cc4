import { supports, type AgentReport, type MemoryAgent } from '@neuromem/core';

/**
 * Optimization: once the users are done, the store gives back the space deletes, expiries and
 * dropped vectors left, saves its derived indexes and refreshes its planner's statistics
 * (capability `compaction`; a store without it is left alone). Nothing a user sees changes, so
 * nothing is journaled. Reward: bytes on disk after the sleep, reported before and after.
 */
export function createOptimizationAgent(): MemoryAgent {
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'optimization',
    reach: 'store',
    async run({ store, clock }): Promise<AgentReport> {
      const started = clock.now();
      if (!supports(store, 'compaction')) return { agent: 'optimization', actions: {}, durationMs: 0, done: true };
      const { bytesBefore, bytesAfter, rewritten } = await store.compact();
      return { agent: 'optimization', actions: { bytesBefore, bytesAfter, rewritten: rewritten ? 1 : 0 }, durationMs: clock.now() - started, done: true };
    },
  };
}
