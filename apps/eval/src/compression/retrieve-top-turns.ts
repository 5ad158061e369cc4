import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory } from 'neuromem';
import type { LocomoConversation, LocomoQuestion, LocomoTurn } from '../locomo/load-locomo';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import type { SystemContext } from '../systems/retrieval-system';

export interface RetrievedQuestion {
  question: LocomoQuestion;
  /** The top turns, best first, with the ranker's probability (what `context()` gives the compressor). */
  turns: Array<{ turn: LocomoTurn; score: number }>;
}

/**
 * Stores a conversation in NeuroMem (one `add()` per session) and returns the top-k turns for each
 * question of categories 1-4, as `memory.context()` would see them. With fold heads and rankers,
 * the conversation is retrieved by models that never saw it.
 */
export async function retrieveTopTurns(
  conversation: LocomoConversation,
  options: { k: number; headsFor?: SystemContext['headsFor']; rankerFor?: SystemContext['rankerFor'] },
): Promise<RetrievedQuestion[]> {
  const directory = mkdtempSync(join(tmpdir(), 'neuromem-compression-'));
  try {
    const heads = options.headsFor ? await options.headsFor(conversation.sampleId) : undefined;
    const ranker = options.rankerFor ? await options.rankerFor(conversation.sampleId, 'neuromem') : undefined;
    const memory = await createMemory({ path: directory, trackAccess: false, ...(heads ? { heads } : {}), ...(ranker ? { ranker } : {}) });
    const userId = conversation.sampleId;
    const byId = new Map<string, LocomoTurn>();
    for (const session of conversation.sessions) {
      for (const turn of session.turns) byId.set(turn.diaId, turn);
      await memory.add(session.turns.map(turnMessage), { userId, runId: sessionRunId(session.n) });
    }
    const referenceDate = questionTime(conversation);
    const retrieved: RetrievedQuestion[] = [];
    for (const question of conversation.questions) {
      if (question.category === 5 || question.answer === null) continue;
      const { results } = await memory.search(question.question, { userId, topK: options.k, referenceDate });
      // The ranker's probability, as context() hands the compressor (its keep model was fitted on that scale).
      const rankerScore = (logit: number) => 1 / (1 + Math.exp(-logit));
      retrieved.push({
        question,
        turns: results.flatMap((r) => (byId.has(String(r.metadata.dia_id)) ? [{ turn: byId.get(String(r.metadata.dia_id))!, score: rankerScore(r.scoreBreakdown!.logit) }] : [])),
      });
    }
    await memory.close();
    return retrieved;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
