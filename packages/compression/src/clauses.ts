import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import { FILLERS } from './word-lists';
import type { Word } from './words';

/** Where a clause ends: after sentence ends, commas, semicolons, colons and dashes (then closing quotes or brackets). */
const CLAUSE_END = /(?:[.!?;:,]|[-—–]+)["')\]”]*$/;
/** Periods that end no clause: initials ("J.K.", "U.S.") and the titles and abbreviations before a name or word. */
const NOT_AN_END = /^(?:(?:\p{Lu}\.){2,}|Mr\.|Mrs\.|Ms\.|Dr\.|St\.|Jr\.|Sr\.|Prof\.|Mt\.|vs\.)$/u;
/** One initial ends no clause before a name ("John F. Kennedy"); "I." or "plan A." at a sentence's end still does. */
const continues = (text: string, next: string | undefined) => NOT_AN_END.test(text) || (/^\p{Lu}\.$/u.test(text) && text !== 'I.' && next !== undefined && /^\p{Lu}\p{Ll}/u.test(next));
/** A list's inner item: one or two words and a comma ("salads, sandwiches, and desserts"). */
const LIST_ITEM_WORDS = 2;

/**
 * A memory's clauses as word ranges. The clause is the compressor's unit: kept whole, it keeps a
 * fact's words together, and one clause is small enough that a 25 % budget still reaches past the
 * first few memories. A list's items stay one clause: "loss, identity, and connection" is one fact,
 * and split at its commas it was kept in part or not at all.
 */
export function clauseRanges(words: readonly Word[]): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = [];
  let from = 0;
  for (let index = 0; index < words.length; index++) {
    const text = words[index]!.text;
    if (index < words.length - 1 && (!CLAUSE_END.test(text) || continues(text, words[index + 1]!.text))) continue;
    ranges.push({ from, to: index + 1 });
    from = index + 1;
  }
  return joinLists(words, ranges);
}

/** Joins each short comma item that follows a comma to the clauses on both sides: the list it is part of. */
function joinLists(words: readonly Word[], ranges: ReadonlyArray<{ from: number; to: number }>): Array<{ from: number; to: number }> {
  const endsWithComma = (k: number) => /,["')\]”]*$/.test(words[ranges[k]!.to - 1]!.text);
  // An item names something: "so yeah," between two commas is talk, not a list.
  const namesSomething = (k: number) => words.slice(ranges[k]!.from, ranges[k]!.to).some(({ key }) => key.length > 0 && !ENGLISH_STOP_WORDS.has(key) && !FILLERS.has(key));
  const isInnerItem = (k: number) => k > 0 && k + 1 < ranges.length && ranges[k]!.to - ranges[k]!.from <= LIST_ITEM_WORDS && endsWithComma(k) && endsWithComma(k - 1) && namesSomething(k);
  // "faith and strength" after "love,": a list's last two items, joined by "and" / "or".
  const isLastPair = (k: number) =>
    k > 0 && ranges[k]!.to - ranges[k]!.from <= LIST_ITEM_WORDS + 2 && endsWithComma(k - 1) && /^(?:and|or)$/i.test(words[ranges[k]!.from + 1]?.text ?? '') && namesSomething(k);
  const joined: Array<{ from: number; to: number }> = [];
  for (let k = 0; k < ranges.length; k++) {
    const previous = joined.at(-1);
    // Joined to the clause before when it is an inner item, the item or end after one, or a last pair.
    if (previous && (isInnerItem(k) || isInnerItem(k - 1) || isLastPair(k))) previous.to = ranges[k]!.to;
    else joined.push({ ...ranges[k]! });
  }
  return joined;
}
