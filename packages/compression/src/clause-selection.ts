/** A clause of one memory as a selection unit: its words [from, to), their estimated tokens, and its value per token. */
export interface RankedClause {
  item: number;
  from: number;
  to: number;
  cost: number;
  /** The keep model's probability for the clause. */
  probability: number;
  density: number;
}

/** Kept word indices per memory, and the order they were added in: the last added is cut first. */
export interface Selection {
  kept: Array<Set<number>>;
  added: Array<{ item: number; index: number }>;
  /** Tokens each memory's line costs before its words: the new line, "-" and its label. */
  lineCosts: readonly number[];
}

export function emptySelection(lineCosts: readonly number[]): Selection {
  return { kept: lineCosts.map(() => new Set<number>()), added: [], lineCosts };
}

function take(selection: Selection, item: number, index: number): void {
  selection.kept[item]!.add(index);
  selection.added.push({ item, index });
}

/** Drops the `count` words added last. */
export function cutLast(selection: Selection, count: number): void {
  for (let cut = count; cut > 0 && selection.added.length > 0; cut--) {
    const last = selection.added.pop()!;
    selection.kept[last.item]!.delete(last.index);
  }
}

/** Tokens a run costs beyond its words (cl100k): its memory's line for the first run, " …" unless it touches kept words. */
function overheadOf(selection: Selection, item: number, from: number, to: number): number {
  const kept = selection.kept[item]!;
  if (kept.size === 0) return selection.lineCosts[item]!;
  return kept.has(from - 1) || kept.has(to) ? 0 : 1;
}

/**
 * Whole clauses while the estimated tokens fit, each time the one with the most keep probability
 * per token it would cost now — its memory's line (new line, "-", label) included while that memory
 * shows nothing yet, so a dense fragment of a weak memory does not crowd out the best memory's
 * facts. A clause is kept whole or not at all, so a fact is never cut in the middle, and one that
 * does not fit leaves room for smaller ones.
 */
export function selectClauses(order: readonly RankedClause[], budget: number, selection: Selection): void {
  let estimate = 0;
  const open = [...order];
  for (;;) {
    let best = -1;
    let bestValue = -Infinity;
    open.forEach((clause, i) => {
      const extra = clause.cost + overheadOf(selection, clause.item, clause.from, clause.to);
      const value = clause.probability / (extra + CLAUSE_GAP);
      if (estimate + extra <= budget && value > bestValue) [best, bestValue] = [i, value];
    });
    if (best < 0) return;
    const [clause] = open.splice(best, 1);
    estimate += clause!.cost + overheadOf(selection, clause!.item, clause!.from, clause!.to);
    for (let index = clause!.from; index < clause!.to; index++) take(selection, clause!.item, index);
  }
}

/** Tokens counted against every clause beyond its own (separators, the " …" between fragments). */
const CLAUSE_GAP = 1;

/**
 * Adds the first words of a clause not yet kept, as many as the estimated `slack` allows (a clause
 * cut short still carries its first words, as truncation would keep them). Returns how many.
 */
export function extendWithPrefix(clause: RankedClause, slack: number, selection: Selection, wordCost: (index: number) => number): number {
  const kept = selection.kept[clause.item]!;
  let added = 0;
  for (let index = clause.from; index < clause.to; index++) {
    if (kept.has(index)) continue;
    const extra = wordCost(index) + (added === 0 ? overheadOf(selection, clause.item, index, index + 1) : 0);
    if (extra > slack) break;
    take(selection, clause.item, index);
    slack -= extra;
    added++;
  }
  return added;
}
