import { clauseRanges, keepFeatures, splitWords, wordContexts, type KeepExample, type Word } from '@neuromem/compression';
import { normalizeAnswer } from '../answer/normalize-answer';
import type { RetrievedQuestion } from './retrieve-top-turns';

/**
 * Clause-level supervision from the dev split: every word of every retrieved top-10 turn is an
 * example, "keep" when its clause holds (part of) the question's gold answer as LoCoMo normalizes
 * it, "drop" otherwise. The compressor keeps whole clauses by their words' mean keep probability,
 * so the model learns exactly that: which clause, of which memory, answers a question like this
 * one. Turns that do not hold the answer, and questions whose answer was not retrieved, are
 * negatives too, so the memory's rank and query overlap are weighed against the clause's own cues.
 * Features are computed exactly as the compressor computes them (same query, same ranks). The
 * answer is a training label only: no feature sees it.
 */
export function keepExamples(retrieved: readonly RetrievedQuestion[]): KeepExample[] {
  const examples: KeepExample[] = [];
  for (const { question, turns } of retrieved) {
    const answer = normalizeAnswer(question.answer ?? '').split(' ').filter(Boolean);
    const words = turns.map(({ turn }) => splitWords(turn.text));
    const contexts = wordContexts(words, question.question, turns.map(({ score }) => score));
    words.forEach((list, rank) => {
      const keep = answerClauses(list, answer);
      list.forEach((_, index) => examples.push({ features: keepFeatures(index, contexts[rank]!), keep: keep.has(index) }));
    });
  }
  return examples;
}

/** Indices of the words in clauses that hold part of a contiguous occurrence of the normalized answer. */
function answerClauses(words: readonly Word[], answer: readonly string[]): Set<number> {
  const inAnswer = answerWords(words, answer);
  const keep = new Set<number>();
  for (const { from, to } of clauseRanges(words)) {
    let hit = false;
    for (let index = from; index < to && !hit; index++) hit = inAnswer.has(index);
    if (hit) for (let index = from; index < to; index++) keep.add(index);
  }
  return keep;
}

/** Indices of the words that spell the normalized answer, contiguously, in LoCoMo's normalization. */
function answerWords(words: readonly Word[], answer: readonly string[]): Set<number> {
  const spans = new Set<number>();
  if (answer.length === 0) return spans;
  const tokens: Array<{ text: string; word: number }> = [];
  words.forEach((word, index) => {
    for (const text of normalizeAnswer(word.text).split(' ')) if (text) tokens.push({ text, word: index });
  });
  for (let start = 0; start + answer.length <= tokens.length; start++) {
    if (!answer.every((text, k) => tokens[start + k]!.text === text)) continue;
    for (let index = tokens[start]!.word; index <= tokens[start + answer.length - 1]!.word; index++) spans.add(index);
  }
  return spans;
}
