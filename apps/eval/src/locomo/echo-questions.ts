import { DAY_MS } from '@neuromem/core';
import type { LocomoConversation, LocomoTurn } from './load-locomo';

/**
 * The chat case LoCoMo leaves out: a user's own questions become memories too. Every other
 * question of the conversation is stored as a user turn of one last session, an hour after the
 * conversation's last one (so before the questions are asked), before any question is asked. Such
 * a turn is never evidence: it repeats the question's words and answers nothing, so a retriever
 * that ranks it first crowds out the fact it asked about.
 */
export function echoTurns(conversation: LocomoConversation): LocomoTurn[] {
  const last = conversation.sessions.at(-1)!;
  return conversation.questions.filter((_, i) => i % 2 === 0).map((qa, i) => ({ diaId: `echo:${i}`, speaker: 'user', text: qa.question, session: last.n + 1, time: last.time + DAY_MS / 24 }));
}
