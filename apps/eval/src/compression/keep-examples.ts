import { clauseCandidates, clauseSimilarities, createTiktokenCounter, splitWords, wordTokens, type KeepExample, type Word } from '@neuromem/compression';
import type { TextEncoder } from '@neuromem/core';
import { normalizeAnswer } from '../answer/normalize-answer';
import type { RetrievedQuestion } from './retrieve-top-turns';

const counter = createTiktokenCounter();
const wordCost = (text: string) => wordTokens(counter, text);

/**
 * Clause-level supervision from the dev split: every clause of every retrieved top-10 turn is an
 * example, "keep" when it holds (part of) the question's gold answer as LoCoMo normalizes it, "drop"
 * otherwise. Turns that do not hold the answer, and questions whose answer was not retrieved, are
 * negatives too, so the memory's rank and query overlap are weighed against the clause's own cues.
 * Features are computed exactly as the compressor computes them (same query, same ranks, same
 * token costs). The answer is a training label only: no feature sees it.
 */
export async function keepExamples(retrieved: readonly RetrievedQuestion[], semantic?: TextEncoder): Promise<KeepExample[]> {
  const examples: KeepExample[] = [];
  for (const { question, turns } of retrieved) {
    const answer = normalizeAnswer(question.answer ?? '')
      .split(' ')
      .filter(Boolean);
    const words = turns.map(({ turn }) => splitWords(turn.text));
    const inAnswer = words.map((list) => answerWords(list, answer));
    const similarity = semantic ? await clauseSimilarities(semantic, question.question, words) : undefined;
    for (const { item, from, to, features } of clauseCandidates(
      words,
      question.question,
      turns.map(({ score }) => score),
      wordCost,
      similarity,
    )) {
      let keep = false;
      for (let index = from; index < to && !keep; index++) keep = inAnswer[item]!.has(index);
      examples.push({ features, keep });
    }
  }
  return examples;
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
