import { createMemory } from './create-memory';

const FACTS = ['My dog Rusty got stung on the nose by a bee.', 'I bought a new laptop for work.', 'We drove to the coast in the old car.'];

describe('the wordMatch factor of search results', () => {
  it("should say how much of the question's words a result holds, in other words too", async () => {
    const memory = await createMemory();
    for (const text of FACTS) await memory.add(text, { userId: 'sam' });
    const { results } = await memory.search('what pet does she have?', { userId: 'sam' });
    const match = (text: string) => results.find((r) => r.memory === text)!.scoreBreakdown!.factors.wordMatch;
    // "pet" is near "dog" in the semantic part's words; nothing in the laptop says anything like it.
    expect(match(FACTS[0]!)).toBeGreaterThan(0.35);
    expect(match(FACTS[1]!)).toBe(0);
    await memory.close();
  });

  it('should count only the same words without a semantic part, whose word vectors it matches in', async () => {
    const memory = await createMemory({ semantic: false });
    for (const text of FACTS) await memory.add(text, { userId: 'sam' });
    const pet = await memory.search('what pet does she have?', { userId: 'sam' });
    expect(pet.results.length).toBeGreaterThan(0);
    expect(pet.results.every((r) => r.scoreBreakdown!.factors.wordMatch === 0)).toBe(true);
    // "which", "did", "we" are stop words: "car" of "car", "drive" (no "drove") is matched.
    const car = await memory.search('which car did we drive?', { userId: 'sam' });
    expect(car.results.find((r) => r.memory === FACTS[2])!.scoreBreakdown!.factors.wordMatch).toBeCloseTo(0.5, 5);
    await memory.close();
  });
});
