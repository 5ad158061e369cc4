import type { EdgeType } from '@neuromem/core';
import { graphOf } from './test-support';
import { personalizedPageRank } from './personalized-pagerank';

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

describe('personalizedPageRank', () => {
  it('should keep most activation on the seed and spread it to linked memories only', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['x', 'y'],
    ]);
    const result = personalizedPageRank(graph, new Map([['a', 1]]));
    expect([...result.keys()]).toEqual(['a', 'b', 'c']);
    expect(result.get('a')!).toBeGreaterThan(result.get('b')!);
    expect(result.get('b')!).toBeGreaterThan(result.get('c')!);
    expect(sum(result.values())).toBeCloseTo(1, 6);
  });

  it('should flow against edge direction too', () => {
    const result = personalizedPageRank(
      graphOf([
        ['b', 'a'],
        ['c', 'b'],
      ]),
      new Map([['a', 1]]),
    );
    expect([...result.keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('should favour memories linked to several seeds, and strongly linked ones', () => {
    const graph = graphOf([
      ['s1', 'both'],
      ['s2', 'both'],
      ['s1', 'one'],
      ['s1', 'strong', 'same_entity', 1],
      ['s1', 'weak', 'same_entity', 0.1],
    ]);
    const result = personalizedPageRank(
      graph,
      new Map([
        ['s1', 1],
        ['s2', 1],
      ]),
    );
    expect(result.get('both')!).toBeGreaterThan(result.get('one')!);
    expect(result.get('strong')! / result.get('weak')!).toBeCloseTo(10, 6); // transition probability follows edge weight
  });

  it('should split the restart by seed weight', () => {
    const graph = graphOf([
      ['a', 'hub'],
      ['b', 'hub'],
    ]);
    const result = personalizedPageRank(
      graph,
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
    expect(result.get('a')!).toBeGreaterThan(result.get('b')!);
  });

  it('should follow only the asked edge types, and not part_of by default', () => {
    const graph = graphOf(
      [
        ['a', 'b', 'next'],
        ['a', 'c', 'causes'],
        ['a', 'session', 'part_of'],
        ['d', 'session', 'part_of'],
      ],
      ['session'],
    );
    expect([...personalizedPageRank(graph, new Map([['a', 1]])).keys()].sort()).toEqual(['a', 'b', 'c']);
    expect([...personalizedPageRank(graph, new Map([['a', 1]]), { types: ['causes'] }).keys()].sort()).toEqual(['a', 'c']);
    const throughSession = personalizedPageRank(graph, new Map([['a', 1]]), { types: ['part_of'] });
    expect([...throughSession.keys()].sort()).toEqual(['a', 'd']); // the session node carries the flow but is not returned
    expect(sum(throughSession.values())).toBeLessThan(1);
  });

  it('should gather no further than depth hops', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
    ]);
    expect([...personalizedPageRank(graph, new Map([['a', 1]])).keys()].sort()).toEqual(['a', 'b', 'c']);
    expect([...personalizedPageRank(graph, new Map([['a', 1]]), { depth: 1 }).keys()].sort()).toEqual(['a', 'b']);
    expect([...personalizedPageRank(graph, new Map([['a', 1]]), { depth: 3 }).keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should send activation stranded on an isolated seed back to the seeds', () => {
    const result = personalizedPageRank(
      graphOf([['a', 'b']]),
      new Map([
        ['a', 1],
        ['b', 0],
        ['c', 0],
      ]),
    );
    expect(sum(result.values())).toBeCloseTo(1, 6);
    const alone = graphOf([], [], ['solo']);
    expect(personalizedPageRank(alone, new Map([['solo', 2]]))).toEqual(new Map([['solo', 1]]));
  });

  it('should ignore unknown seeds and return nothing without a usable seed', () => {
    const graph = graphOf([['a', 'b']]);
    expect(
      [
        ...personalizedPageRank(
          graph,
          new Map([
            ['a', 1],
            ['ghost', 5],
          ]),
        ).keys(),
      ].sort(),
    ).toEqual(['a', 'b']);
    expect(personalizedPageRank(graph, new Map())).toEqual(new Map());
    expect(personalizedPageRank(graph, new Map([['ghost', 1]]))).toEqual(new Map());
    expect(
      personalizedPageRank(
        graph,
        new Map([
          ['a', 0],
          ['b', 0],
        ]),
      ),
    ).toEqual(new Map());
  });

  it('should reject bad seeds and options with INVALID_INPUT', () => {
    const graph = graphOf([['a', 'b']]);
    const invalid = { code: 'INVALID_INPUT' };
    for (const weight of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => personalizedPageRank(graph, new Map([['a', weight]]))).toThrow(expect.objectContaining(invalid));
    }
    expect(() => personalizedPageRank(graph, new Map([['', 1]]))).toThrow(expect.objectContaining(invalid));
    expect(() => personalizedPageRank(graph, { a: 1 } as unknown as Map<string, number>)).toThrow(expect.objectContaining(invalid));
    const seeds = new Map([['a', 1]]);
    for (const options of [
      { restart: 0 },
      { restart: 1 },
      { restart: Number.NaN },
      { iterations: 0 },
      { iterations: 1.5 },
      { maxNodes: -3 },
      { depth: 0 },
      { depth: 99 },
      { types: ['knows'] as unknown as EdgeType[] },
    ]) {
      expect(() => personalizedPageRank(graph, seeds, options)).toThrow(expect.objectContaining(invalid));
    }
  });

  describe('near a hub', () => {
    const hub = graphOf(Array.from({ length: 5000 }, (_, i): [string, string] => ['hub', `leaf-${i}`]));

    it('should gather at most maxNodes nodes around a hub seed', () => {
      const result = personalizedPageRank(hub, new Map([['hub', 1]]));
      expect(result.size).toBe(400);
      expect(result.has('hub')).toBe(true);
      expect(sum(result.values())).toBeCloseTo(1, 6);
      expect(personalizedPageRank(hub, new Map([['hub', 1]]), { maxNodes: 50 }).size).toBe(50);
    });

    it('should stay bounded when a hub is reached from a leaf', () => {
      const result = personalizedPageRank(hub, new Map([['leaf-7', 1]]), { maxNodes: 100 });
      expect(result.size).toBe(100);
      expect([...result.keys()].slice(0, 2).sort()).toEqual(['hub', 'leaf-7']);
    });

    it('should not let a hub seed crowd out the neighbours of the other seeds', () => {
      const graph = graphOf([...Array.from({ length: 5000 }, (_, i): [string, string] => ['hub', `leaf-${i}`]), ['other', 'friend']]);
      const result = personalizedPageRank(
        graph,
        new Map([
          ['hub', 1],
          ['other', 1],
        ]),
        { maxNodes: 20 },
      );
      expect(result.size).toBeLessThanOrEqual(20);
      expect(result.has('friend')).toBe(true);
    });
  });
});
