import { defaultImportance, importanceOf } from '@neuromem/controller';
import { createMemory } from './create-memory';

describe('importance decided at add (Module 3)', () => {
  it('should give each memory added without an importance the learned probability that it is needed later', async () => {
    const memory = await createMemory();
    const { results } = await memory.add(
      [
        { role: 'user', content: 'I adopted a beagle named Biscuit in May 2023.' },
        { role: 'assistant', content: 'Aw, what a cute name! How is he settling in?' },
      ],
      { userId: 'alice', runId: 's1' },
    );
    const [fact, question] = await Promise.all(results.map((r) => memory.store.get(r.id)));
    expect(fact!.importance).toBeCloseTo(importanceOf(defaultImportance(), 'I adopted a beagle named Biscuit in May 2023.'), 10);
    expect(fact!.importance).toBeGreaterThan(question!.importance);
    await memory.close();
  });

  it("should keep the caller's importance, and give every memory 0.5 with importance: false", async () => {
    const memory = await createMemory();
    const [given] = (await memory.add('Thanks!', { userId: 'alice', importance: 0.9 })).results;
    expect((await memory.store.get(given!.id))!.importance).toBe(0.9);
    await memory.close();
    const plain = await createMemory({ importance: false });
    const [flat] = (await plain.add('I adopted a beagle named Biscuit.', { userId: 'alice' })).results;
    expect((await plain.store.get(flat!.id))!.importance).toBe(0.5);
    await plain.close();
    await expect(createMemory({ importance: { format: 'neuromem.importance/v1' } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
