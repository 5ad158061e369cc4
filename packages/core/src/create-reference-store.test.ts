import { createReferenceStore } from './create-reference-store';
import { testMemoryStore } from './testing/test-memory-store';

// The contract's plainest implementation: every optional capability's tests show as skipped.
testMemoryStore({
  name: 'reference in-memory store',
  create: ({ dimensions, clock }) => Promise.resolve(createReferenceStore({ vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock })),
  capabilities: {
    persistent: false,
    textSearch: false,
    graphActivation: false,
    sessionSearch: false,
    tokenVectors: false,
    batchNeighbors: false,
    neighborIds: false,
    userState: true,
    vectorTiers: true,
    compaction: false,
    userStateSwap: true,
  },
});
