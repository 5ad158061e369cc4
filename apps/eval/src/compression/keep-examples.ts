import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import { keepFeatures, splitWords, type KeepExample } from '@neuromem/compression';
import type { LocomoConversation } from '../locomo/load-locomo';
import type { RetrievedQuestion } from './retrieve-top-turns';

/**
 * Word-level supervision derived from the dev split, as LLMLingua-2 derives it from compressions:
 * LoCoMo's observations are human-checked compressions of the turns they cite, so a word of an
 * evidence turn is "keep" when it survives into an observation of that turn or into the answer,
 * and "drop" otherwise. Only evidence turns give examples: which memory matters is retrieval's
 * job (its score weights every word); this model learns which words of a memory carry it.
 * Features are computed exactly as the compressor computes them (same query, same ranks).
 */
export function keepExamples(conversation: LocomoConversation, retrieved: readonly RetrievedQuestion[]): KeepExample[] {
  const observed = new Map<string, Set<string>>();
  for (const observation of conversation.observations) {
    const keys = splitWords(observation.text).map((word) => word.key);
    for (const id of observation.diaIds) {
      const set = observed.get(id) ?? new Set<string>();
      keys.forEach((key) => set.add(key));
      observed.set(id, set);
    }
  }
  const examples: KeepExample[] = [];
  for (const { question, turns } of retrieved) {
    const evidence = new Set(question.evidence);
    const answerKeys = new Set(splitWords(question.answer ?? '').map((word) => word.key));
    const queryKeys = new Set(splitWords(question.question).map((word) => word.key).filter((key) => key.length > 0 && !ENGLISH_STOP_WORDS.has(key)));
    const words = turns.map(({ turn }) => splitWords(turn.text));
    const itemFrequency = new Map<string, number>();
    for (const list of words) for (const key of new Set(list.map((word) => word.key))) itemFrequency.set(key, (itemFrequency.get(key) ?? 0) + 1);
    turns.forEach(({ turn }, rank) => {
      if (!evidence.has(turn.diaId)) return;
      const kept = new Set([...(observed.get(turn.diaId) ?? []), ...answerKeys]);
      const context = { words: words[rank]!, query: queryKeys, itemFrequency, items: turns.length, rank };
      words[rank]!.forEach((word, index) => {
        examples.push({ features: keepFeatures(index, context), keep: word.key.length > 0 && kept.has(word.key) });
      });
    });
  }
  return examples;
}
