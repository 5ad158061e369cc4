import { dot, type Embedder, type ScaleEmbedding } from '@neuromem/core';
import type { LocomoConversation } from '../locomo/load-locomo';
import { mean, recallAtK } from '../metrics/retrieval-metrics';
import { maxSim, rankBy } from './embedding-metrics';

/** Builds the embedder to evaluate on one conversation (so cross-validated heads can differ per conversation). */
export type EmbedderForConversation = (conversationId: string) => Promise<Embedder>;

export interface EmbeddingVariantResult {
  /** Turn used as a query finds its own session first, among its conversation's sessions (null: no session vectors). */
  consistencyAt1: number | null;
  /** Evidence recall@10 ranking turns directly at the turn scale. */
  turnRecallAt10: number;
  /** Evidence recall@10 ranking turns by token MaxSim (when the embedder has token vectors). */
  tokenRecallAt10: number | null;
  /** Share of evidence sessions among the top-10 sessions at the session scale. */
  sessionRecallAt10: number | null;
  /** Evidence recall@10 taking the top-3 sessions first, then ranking only their turns. */
  sessionsThenTurnsRecallAt10: number | null;
  turns: number;
  questions: number;
  /** Turns embedded per second (whole sessions, all scales). */
  turnsPerSecond: number;
}

const SESSIONS_FIRST = 3;

/** Module 1's own measurements, straight on the Embedder API (no store, no scoring on top). */
export async function evaluateEmbedder(conversations: readonly LocomoConversation[], embedderFor: EmbedderForConversation): Promise<EmbeddingVariantResult> {
  const consistency: number[] = [];
  const byScale = { turn: [] as number[], token: [] as number[], session: [] as number[], sessionsThenTurns: [] as number[] };
  let hasTokens = false;
  let embedMs = 0;
  let turnCount = 0;
  for (const conversation of conversations) {
    const embedder = await embedderFor(conversation.sampleId);
    const turns: Array<{ diaId: string; session: number; embedding: ScaleEmbedding }> = [];
    const sessions: Array<{ n: number; vector: Float32Array }> = [];
    const started = performance.now();
    for (const session of conversation.sessions) {
      const result = await embedder.embedSession(session.turns.map((turn) => `${turn.speaker}: ${turn.text}`));
      result.turns.forEach((embedding, i) => turns.push({ diaId: session.turns[i]!.diaId, session: session.n, embedding }));
      if (result.session) sessions.push({ n: session.n, vector: result.session });
    }
    embedMs += performance.now() - started;
    turnCount += turns.length;
    hasTokens ||= turns.some((t) => (t.embedding.tokens?.length ?? 0) > 0);

    if (sessions.length > 0) {
      for (const session of conversation.sessions) {
        for (const turn of session.turns) {
          const query = await embedder.embedQuery(`${turn.speaker}: ${turn.text}`);
          const best = rankBy(sessions.map((s) => dot(query.vectors.session!, s.vector)))[0]!;
          consistency.push(sessions[best]!.n === session.n ? 1 : 0);
        }
      }
    }

    const sessionOf = new Map(turns.map((t) => [t.diaId, t.session]));
    for (const qa of conversation.questions) {
      if (qa.category === 5) continue;
      const evidence = qa.evidence.filter((id) => sessionOf.has(id));
      if (evidence.length === 0) continue;
      const query = await embedder.embedQuery(qa.question);
      const turnScores = turns.map((t) => dot(query.vectors.turn!, t.embedding.vectors.turn!));
      const turnRanking = rankBy(turnScores).map((i) => turns[i]!.diaId);
      byScale.turn.push(recallAtK(turnRanking, evidence, 10));
      if (hasTokens && query.tokens) {
        byScale.token.push(
          recallAtK(
            rankBy(turns.map((t) => maxSim(query.tokens!, t.embedding.tokens ?? []))).map((i) => turns[i]!.diaId),
            evidence,
            10,
          ),
        );
      }
      if (sessions.length > 0) {
        const sessionOrder = rankBy(sessions.map((s) => dot(query.vectors.session!, s.vector))).map((i) => sessions[i]!.n);
        const wanted = new Set(evidence.map((id) => sessionOf.get(id)!));
        byScale.session.push([...wanted].filter((n) => sessionOrder.slice(0, 10).includes(n)).length / wanted.size);
        const first = new Set(sessionOrder.slice(0, SESSIONS_FIRST));
        byScale.sessionsThenTurns.push(
          recallAtK(
            turnRanking.filter((id) => first.has(sessionOf.get(id)!)),
            evidence,
            10,
          ),
        );
      }
    }
  }
  return {
    consistencyAt1: consistency.length > 0 ? round(mean(consistency)) : null,
    turnRecallAt10: round(mean(byScale.turn)),
    tokenRecallAt10: hasTokens ? round(mean(byScale.token)) : null,
    sessionRecallAt10: byScale.session.length > 0 ? round(mean(byScale.session)) : null,
    sessionsThenTurnsRecallAt10: byScale.sessionsThenTurns.length > 0 ? round(mean(byScale.sessionsThenTurns)) : null,
    turns: turnCount,
    questions: byScale.turn.length,
    turnsPerSecond: Math.round(turnCount / (embedMs / 1000)),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
