/**
 * @jest-environment node
 */
// jest's own default environment, not the repository's jest-environment-onnx.cjs: a user's test
// suite runs createMemory() like this, with typed arrays of another realm than native modules see.
import { runInThisContext } from 'node:vm';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';

describe("createMemory under jest's default node environment", () => {
  it("should run in a sandbox whose typed arrays are not the main realm's", () => {
    // runInThisContext evaluates in the main realm, where native modules live; the repository's
    // environment shares this constructor with the sandbox, jest's default does not.
    expect(runInThisContext('Float32Array')).not.toBe(Float32Array);
  });

  it('should add and search with the default embedder and its trained heads', async () => {
    const memory = await createMemory();
    try {
      expect(memory.embedder.id).toMatch(/:linear:[0-9a-f]{12}:/);
      await memory.add('I adopted a beagle named Biscuit', { userId: 'alice' });
      await memory.add('The quarterly tax filing deadline moved to April', { userId: 'alice' });
      const { results } = await memory.search('what pet did I adopt?', { userId: 'alice' });
      expect(results[0]?.memory).toBe('I adopted a beagle named Biscuit');
    } finally {
      await memory.close();
    }
  });

  it('should reopen a durable memory and find what it stored', async () => {
    const dir = createTempDir();
    try {
      const first = await createMemory({ path: dir.path });
      await first.add([{ role: 'user', name: 'Maya', content: 'My clutch failed, so I missed the train.' }], { userId: 'maya', runId: 'chat-1' });
      await first.close();
      const again = await createMemory({ path: dir.path });
      const { results } = await again.search('why did Maya miss the train?', { userId: 'maya' });
      expect(results[0]?.memory).toBe('My clutch failed, so I missed the train.');
      await again.close();
    } finally {
      dir.remove();
    }
  });
});
