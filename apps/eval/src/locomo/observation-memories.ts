import type { LocomoConversation, LocomoTurn } from './load-locomo';

/**
 * The conversation as a fact-extracting app (Mem0's `add` with an LLM, say) would have stored it:
 * its observations, the short facts LoCoMo's annotators distilled from the turns ("Caroline attended
 * an LGBTQ support group recently…"), in place of the turns. Each observation becomes a memory of
 * its session, said by the person it is about, at the session's time, with the id `O<session>:<n>`.
 * A question's evidence becomes the observations that cite an evidence turn; a question whose
 * evidence no observation cites is left out. The systems still never see questions or answers.
 */
export function asObservationMemories(conversation: LocomoConversation): LocomoConversation {
  const sessionTime = new Map(conversation.sessions.map((session) => [session.n, session.time]));
  const citing = new Map<string, string[]>();
  const bySession = new Map<number, LocomoTurn[]>();
  for (const observation of conversation.observations) {
    const time = sessionTime.get(observation.session);
    if (time === undefined) continue;
    const turns = bySession.get(observation.session) ?? [];
    const diaId = `O${observation.session}:${turns.length + 1}`;
    turns.push({ diaId, speaker: observation.speaker, text: observation.text, session: observation.session, time });
    bySession.set(observation.session, turns);
    for (const cited of observation.diaIds) citing.set(cited, [...(citing.get(cited) ?? []), diaId]);
  }
  const sessions = conversation.sessions.flatMap((session) => {
    const turns = bySession.get(session.n);
    return turns ? [{ n: session.n, time: session.time, turns }] : [];
  });
  const questions = conversation.questions.flatMap((question) => {
    const evidence = [...new Set(question.evidence.flatMap((id) => citing.get(id) ?? []))];
    // Adversarial questions (no answer in the conversation) have no evidence to map and stay as they are.
    if (question.category === 5) return [{ ...question, evidence }];
    return evidence.length > 0 ? [{ ...question, evidence }] : [];
  });
  return { ...conversation, sessions, questions, observations: [] };
}
