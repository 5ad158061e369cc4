import { importanceFeatures } from './importance-features';

describe('importanceFeatures', () => {
  it('should tell a first-person fact with names and numbers from a question back and a reaction', () => {
    const fact = importanceFeatures('I adopted a beagle named Biscuit in May 2023 and we moved to Porto.');
    expect(fact).toMatchObject({ question: 0, number: 1, reaction: 0 });
    expect(fact.firstPerson).toBeGreaterThan(0);
    expect(fact.names).toBeGreaterThan(0);
    expect(fact.eventVerbs).toBeGreaterThan(0);
    const question = importanceFeatures('Wow, that sounds fun! What did you do there?');
    expect(question).toMatchObject({ question: 1, questionShare: 0.5, reaction: 1, number: 0 });
    expect(question.secondPerson).toBeGreaterThan(0);
    expect(question.exclamation).toBe(0.5);
  });

  it('should not count a sentence-initial capital or "I" as a name', () => {
    expect(importanceFeatures('Yesterday I ran. Then I slept.').names).toBe(0);
  });

  it('should give finite features for empty, emoji-only and non-Latin text', () => {
    for (const text of ['', '🎉🎉', '今日は雨です。', '   ']) expect(Object.values(importanceFeatures(text)).every(Number.isFinite)).toBe(true);
  });
});
