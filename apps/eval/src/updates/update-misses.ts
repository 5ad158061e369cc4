import { lexicalWords } from '@neuromem/core';
import type { UpdateQuestion } from './run-updates';

/**
 * Why a question about a changed fact missed at rank 1:
 * - `order`: the first result states another value of the asked fact (a version came first, the
 *   ordering of versions is at fault);
 * - `relevance`: the first result is about something else, though a statement of the asked value is
 *   among the first ten (retrieval is at fault);
 * - `absent`: no statement of the asked value is among the first ten.
 */
export type MissCause = 'order' | 'relevance' | 'absent';

export const MISS_CAUSES: readonly MissCause[] = ['order', 'relevance', 'absent'];

/** The misses of one kind of question, by cause; `noSharedWord`: the `relevance` misses whose first statement of the value found shares no content word with the question. */
export type MissCounts = Record<MissCause, number> & { noSharedWord: number };

export const emptyMissCounts = (): MissCounts => ({ order: 0, relevance: 0, absent: 0, noSharedWord: 0 });

export interface MissContext {
  /** The turns that state any value of each fact, by fact label (every question's evidence, pooled). */
  turnsOfFact: ReadonlyMap<string, ReadonlySet<string>>;
  /** A turn's text, by its id. */
  textOf: (turnId: string) => string | undefined;
}

/** Every question's evidence pooled by fact: the turns that state some value of it. */
export function turnsOfFacts(questions: readonly UpdateQuestion[]): Map<string, Set<string>> {
  const turns = new Map<string, Set<string>>();
  for (const question of questions) {
    if (question.fact === null) continue;
    const set = turns.get(question.fact) ?? new Set<string>();
    for (const id of question.evidence) set.add(id);
    turns.set(question.fact, set);
  }
  return turns;
}

/**
 * Why `ranked` (the first ten results, best first) missed `question` at rank 1, or `undefined` for a
 * hit; and whether the first statement of the asked value it holds shares a content word with the
 * question (a miss without one needs meaning, not words, to be found).
 */
export function missCause(question: UpdateQuestion, ranked: readonly string[], context: MissContext): { cause: MissCause; sharesWord: boolean } | undefined {
  const evidence = new Set(question.evidence);
  const found = ranked.findIndex((id) => evidence.has(id));
  if (found === 0) return undefined;
  if (found < 0) return { cause: 'absent', sharesWord: false };
  const asked = new Set(lexicalWords(question.question));
  const sharesWord = lexicalWords(context.textOf(ranked[found]!) ?? '').some((word) => asked.has(word));
  const versions = question.fact === null ? undefined : context.turnsOfFact.get(question.fact);
  return { cause: versions?.has(ranked[0]!) ? 'order' : 'relevance', sharesWord };
}

/**
 * What a sleep's version links join, by the set's labels: two statements of one fact (`oneFact`),
 * of two different facts (`differentFacts`), or a turn no question cites (`uncited`: a restatement
 * the set does not label, or a link that should not be).
 */
export interface LinkCounts {
  total: number;
  oneFact: number;
  differentFacts: number;
  uncited: number;
}

export const emptyLinkCounts = (): LinkCounts => ({ total: 0, oneFact: 0, differentFacts: 0, uncited: 0 });

/** Adds each link (newer turn, older turn) to `counts` by what the set says its two turns state. */
export function countLinks(links: ReadonlyArray<readonly [string, string]>, turnsOfFact: ReadonlyMap<string, ReadonlySet<string>>, counts: LinkCounts): void {
  const factsOfTurn = new Map<string, string[]>();
  for (const [fact, turns] of turnsOfFact) for (const turn of turns) factsOfTurn.set(turn, [...(factsOfTurn.get(turn) ?? []), fact]);
  for (const [newer, older] of links) {
    counts.total++;
    const [a, b] = [factsOfTurn.get(newer), factsOfTurn.get(older)];
    if (a === undefined || b === undefined) counts.uncited++;
    else if (a.some((fact) => b.includes(fact))) counts.oneFact++;
    else counts.differentFacts++;
  }
}
