import { emptySelection, extendWithPrefix, selectClauses, type RankedClause } from './clause-selection';

/** A clause whose keep probability gives it `density` at the ranking's 4-token overhead. */
const clause = (item: number, from: number, to: number, cost: number, density: number): RankedClause => ({ item, from, to, cost, density, probability: density * (cost + 4) });

describe('selectClauses', () => {
  it('should keep whole clauses densest first and skip one that does not fit for a smaller one after it', () => {
    const order = [clause(1, 0, 3, 6, 0.9), clause(0, 0, 10, 20, 0.5), clause(0, 10, 12, 3, 0.2)];
    const selection = emptySelection([2, 2]);
    selectClauses(order, 14, selection);
    expect([...selection.kept[1]!]).toEqual([0, 1, 2]);
    expect([...selection.kept[0]!]).toEqual([10, 11]);
    expect(selection.added.at(-1)).toEqual({ item: 0, index: 11 });
  });

  it('should not charge a gap for a clause that touches kept words', () => {
    const selection = emptySelection([2]);
    selectClauses([clause(0, 0, 2, 4, 0.9), clause(0, 2, 4, 4, 0.8)], 10, selection);
    expect(selection.kept[0]!.size).toBe(4);
  });

  it("should prefer the best memory's next fact to a denser fragment of a memory not shown yet", () => {
    // Memory 1's clause is denser on its own, but showing it costs its 10-token line and label.
    const order = [clause(1, 0, 2, 2, 0.5), clause(0, 2, 6, 6, 0.3)];
    const selection = emptySelection([10, 10]);
    selection.kept[0]!.add(0).add(1);
    selectClauses(order, 14, selection);
    expect([...selection.kept[0]!]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(selection.kept[1]!.size).toBe(0);
  });

  it("should charge a memory's first clause for its line and label", () => {
    const selection = emptySelection([9, 2]);
    selectClauses([clause(0, 0, 2, 4, 0.9), clause(1, 0, 2, 4, 0.8)], 12, selection);
    expect(selection.kept[0]!.size).toBe(0);
    expect(selection.kept[1]!.size).toBe(2);
  });
});

describe('extendWithPrefix', () => {
  it('should add the first words of a clause while the slack lasts', () => {
    const selection = emptySelection([2]);
    expect(extendWithPrefix(clause(0, 0, 5, 5, 0.5), 5, selection, () => 1)).toBe(3);
    expect([...selection.kept[0]!]).toEqual([0, 1, 2]);
  });
});
