import BetterSqlite3 from 'better-sqlite3';
import { graphOf } from './test-support';
import { personalizedPageRank } from './personalized-pagerank';

describe('createMemoryGraph', () => {
  it('should tell memories, sessions and unknown ids apart without reading their links', () => {
    const graph = graphOf(
      [
        ['a', 'b'],
        ['a', 's', 'part_of'],
      ],
      ['s'],
    );
    const kinds = graph.kindsOf(['a', 's', 'ghost', 'a']);
    expect(kinds).toEqual(
      new Map([
        ['a', 'memory'],
        ['s', 'session'],
        ['ghost', undefined],
      ]),
    );
    expect(graph.isCached('a')).toBe(false);
  });

  it("should learn the kinds of a node's neighbours from its links, and ask SQLite again once one is dropped", () => {
    const graph = graphOf(
      [
        ['a', 'b'],
        ['a', 's', 'part_of'],
        ['c', 'a'],
      ],
      ['s'],
    );
    const probe = new BetterSqlite3(':memory:');
    const statements = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown[] };
    probe.close();
    const all = jest.spyOn(statements, 'all');
    const kindQueries = () => all.mock.contexts.filter((statement) => (statement as { source: string }).source.includes('WHEN EXISTS')).length;
    try {
      graph.prefetch(['a']);
      const before = kindQueries();
      expect(graph.kindsOf(['b', 's', 'c'])).toEqual(
        new Map([
          ['b', 'memory'],
          ['s', 'session'],
          ['c', 'memory'],
        ]),
      );
      expect(kindQueries()).toBe(before);
      graph.invalidate({ nodesAdded: [], nodesDropped: ['b'], edges: [] });
      graph.kindsOf(['b']);
      expect(kindQueries()).toBe(before + 1);
    } finally {
      all.mockRestore();
    }
  });

  it('should find only the edges whose both ends are in the lists, once each', () => {
    const graph = graphOf([
      ['a', 'b', 'next'],
      ['b', 'c', 'same_entity', 0.5],
      ['c', 'x'],
      ['x', 'a'],
    ]);
    const among = graph.edgesAmong(['a', 'b', 'c'], ['a', 'b', 'c']);
    expect(among.map(({ from, to, type, weight }) => [from, to, type, weight]).sort()).toEqual([
      ['a', 'b', 'next', 1],
      ['b', 'c', 'same_entity', 0.5],
    ]);
    expect(graph.edgesAmong([], ['a'])).toEqual([]);
  });

  it('should walk typed links without caching a partial neighbourhood that a later walk would trust', () => {
    const graph = graphOf([
      ['a', 'b', 'next'],
      ['a', 'c', 'same_entity'],
      ['d', 'a', 'next'],
    ]);
    const typed = graph.neighborsOfMany(['a'], { types: ['next'], depth: 1 }).get('a')!;
    expect(typed.map((n) => n.id).sort()).toEqual(['b', 'd']);
    expect(graph.isCached('a')).toBe(false);
    const all = graph.neighborsOfMany(['a'], { depth: 1 }).get('a')!;
    expect(all.map((n) => n.id).sort()).toEqual(['b', 'c', 'd']);
    expect(all.find((n) => n.id === 'c')!.via).toMatchObject({ from: 'a', to: 'c', type: 'same_entity', weight: 1 });
  });

  it('should give personalized PageRank the same answer whether the neighbourhoods were read before or not', () => {
    const edges: Array<[string, string]> = [];
    for (let i = 0; i < 60; i++) edges.push([`m${i}`, `m${(i * 7 + 3) % 60}`], [`m${i}`, `m${(i + 1) % 60}`]);
    const seeds = new Map([
      ['m0', 1],
      ['m5', 0.5],
    ]);
    const cold = personalizedPageRank(graphOf(edges), seeds, { maxNodes: 40 });
    const warmGraph = graphOf(edges);
    warmGraph.prefetch(edges.flat());
    const warm = personalizedPageRank(warmGraph, seeds, { maxNodes: 40 });
    expect([...cold.keys()]).toEqual([...warm.keys()]);
    for (const [id, p] of cold) expect(warm.get(id)).toBeCloseTo(p, 12);
  });
});
