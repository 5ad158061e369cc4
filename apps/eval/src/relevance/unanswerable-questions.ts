import { lexicalWords } from '@neuromem/core';
import type { LocomoConversation } from '../locomo/load-locomo';

/** A question the conversation cannot answer, and where it came from. */
export interface UnanswerableQuestion {
  question: string;
  /** The conversation whose question it was (with that conversation's names). */
  source: string;
}

/**
 * Questions about facts never said in `target`: answerable questions of the other conversations,
 * asked about `target`'s people (each source speaker's name replaced by the target speaker in the
 * same position). A question is kept only when it names a speaker (it is about a person of the
 * target), its gold answer appears nowhere in the target's turns, and it hinges on at least one word
 * the target never says (a place, a thing, an event that never came up): without that, "What books
 * has John read?" asked of another John is often answerable after all. The rest of the question
 * shares topics and wording with real ones (hobbies, family, work, dates), so the gate is tested on
 * near misses, not on nonsense.
 *
 * `unnamed`: questions that name no one ("What animal joined the household?", as the paraphrase set
 * asks them) are asked as they are, about whoever the memory belongs to, under the same two checks.
 */
export function unanswerableQuestions(
  target: LocomoConversation,
  others: readonly LocomoConversation[],
  { perSource = 40, unnamed = false }: { perSource?: number; unnamed?: boolean } = {},
): UnanswerableQuestion[] {
  const text = target.sessions.flatMap((session) => session.turns.map((turn) => turn.text)).join(' ');
  const said = normalize(text);
  const vocabulary = new Set(lexicalWords(text));
  const questions: UnanswerableQuestion[] = [];
  for (const source of others) {
    if (source.sampleId === target.sampleId) continue;
    let taken = 0;
    for (const qa of source.questions) {
      if (taken >= perSource) break;
      if (qa.category === 5 || qa.answer === null) continue;
      const answer = normalize(qa.answer);
      if (answer.length < 3 || said.includes(answer)) continue;
      const renamed = renameSpeakers(qa.question, source.speakers, target.speakers) ?? (unnamed ? qa.question : undefined);
      if (renamed === undefined) continue;
      const names = new Set(target.speakers.flatMap((name) => lexicalWords(name)));
      if (lexicalWords(renamed).every((word) => names.has(word) || TIME_WORDS.has(word) || /^\d+$/.test(word) || vocabulary.has(word))) continue;
      questions.push({ question: renamed, source: source.sampleId });
      taken++;
    }
  }
  return questions;
}

/**
 * The questions a conversation lists about what its people never said: category 5 with no answer
 * and no evidence, as the first-person sets write them ("what is my brother's name?" of a user who
 * spoke only of a sister). Unlike the borrowed ones above, they are unanswerable by construction.
 * (LoCoMo's own category 5 has answers and evidence: none of its questions is one of these.)
 */
export function neverSaidQuestions(conversation: LocomoConversation): UnanswerableQuestion[] {
  return conversation.questions.filter((qa) => qa.category === 5 && qa.answer === null && qa.evidence.length === 0).map((qa) => ({ question: qa.question, source: conversation.sampleId }));
}

/** The question with each whole-word speaker name replaced; undefined when it names neither speaker. */
function renameSpeakers(question: string, from: readonly [string, string], to: readonly [string, string]): string | undefined {
  let named = false;
  let renamed = question;
  from.forEach((name, i) => {
    const pattern = new RegExp(`\\b${escapeRegExp(name)}\\b`, 'g');
    if (pattern.test(renamed)) {
      named = true;
      renamed = renamed.replace(pattern, to[i]!);
    }
  });
  return named ? renamed : undefined;
}

/** Dates say when, not what: a month or weekday the turns never spell out (their sessions are dated) is no missing fact. */
const TIME_WORDS = new Set(
  lexicalWords('january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday weekend week month year'),
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const normalize = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
