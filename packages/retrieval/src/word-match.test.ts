import { contentWords } from '@neuromem/core';
import { createWordMatcher, WORD_MATCH_FLOOR, type WordSpace } from './word-match';

/** A toy word space: each word has a direction of its own, and the words of a group share a second one (cosine 0.64 between them). */
function toySpace(groups: string[][], weights: Record<string, number> = {}): WordSpace {
  const own = new Map<string, number>();
  const size = 256;
  return {
    vectorOf(word) {
      if (!own.has(word)) own.set(word, groups.length + own.size);
      const vector = new Float32Array(size);
      const group = groups.findIndex((words) => words.includes(word));
      if (group >= 0) {
        vector[group] = 0.8;
        vector[own.get(word)!] = 0.6;
      } else vector[own.get(word)!] = 1;
      return vector;
    },
    weightOf: (word) => weights[word] ?? 1,
  };
}

describe('word match', () => {
  it('should find a memory that says the asked word in other words', () => {
    const space = toySpace([['pet', 'dog', 'beagle']]);
    const match = createWordMatcher(space, 'what kind of pet do I own?');
    // "kind" and "own" are matched by nothing here; "pet" by "beagle".
    expect(match('I adopted a beagle named Biscuit')).toBeGreaterThan(0);
    expect(match('My favourite food is ramen')).toBe(0);
    expect(match('the pet shop was closed')).toBeGreaterThan(match('I adopted a beagle named Biscuit'));
  });

  it('should weigh each query word by how much it says', () => {
    const space = toySpace([], { brother: 4, job: 1, new: 0.2 });
    const match = createWordMatcher(space, 'my brother has a new job');
    expect(match('my brother lives in Denver')).toBeCloseTo(4 / 5.2, 5);
    expect(match('a new job')).toBeCloseTo(1.2 / 5.2, 5);
  });

  it('should count the same word (any form of it) fully and a far word not at all', () => {
    const space = toySpace([]);
    const match = createWordMatcher(space, 'running shoes');
    expect(match('She runs in new shoes')).toBe(1);
    expect(match('a quiet afternoon')).toBe(0);
    expect(WORD_MATCH_FLOOR).toBeGreaterThan(0);
  });

  it('should match only the same words, each alike, without a word space', () => {
    const match = createWordMatcher(undefined, 'my beagle chews shoes');
    expect(match('The beagle is asleep')).toBeCloseTo(1 / 3, 5);
    expect(match('a dog chewing a shoe')).toBeCloseTo(2 / 3, 5);
  });

  it('should give 0 for a query or a memory with no content words', () => {
    const space = toySpace([]);
    expect(createWordMatcher(space, 'what is it?')('a beagle')).toBe(0);
    expect(createWordMatcher(space, 'beagle')('')).toBe(0);
    expect(contentWords('The, and of!')).toEqual([]);
  });
});
