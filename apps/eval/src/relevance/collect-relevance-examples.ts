import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultFeatures, type ImportanceModel, type ResultFeatures } from '@neuromem/controller';
import { createSemanticEncoder, type SemanticModel } from '@neuromem/embeddings';
import { createMemory, type RankerModel } from 'neuromem';
import type { LocomoConversation } from '../locomo/load-locomo';
import { echoTurns } from '../locomo/echo-questions';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import { unanswerableQuestions } from './unanswerable-questions';

/** The results a calibrated score is given to: the top 10, as `search` returns by default. */
export const RESULTS_PER_QUESTION = 10;

export interface RelevanceQuestion {
  question: string;
  /** False for a question about a fact the conversation never states. */
  answerable: boolean;
  /** The top results, best first: their features, the ranker's own probability, and whether each is evidence. */
  results: Array<{ features: ResultFeatures; rankerScore: number; useful: boolean }>;
}

export interface ConversationRelevance {
  conversationId: string;
  /** The file an extra conversation came from (`--extra-data`); absent for the main data. */
  dataset?: string;
  questions: RelevanceQuestion[];
}

/**
 * Stores each conversation turn by turn and asks it its own answerable questions (categories 1-4
 * with evidence) and the unanswerable ones made from the other conversations' questions. A result
 * is useful when it is an evidence turn; nothing returned for an unanswerable question is.
 */
export async function collectRelevanceExamples(options: {
  conversations: readonly LocomoConversation[];
  /** Unanswerable questions may come from these too (e.g. the whole file when only some conversations are asked). */
  sources?: readonly LocomoConversation[];
  rankerFor?: (conversationId: string, variant: string) => Promise<RankerModel>;
  semanticFor?: (conversationId: string) => Promise<SemanticModel>;
  importanceFor?: (conversationId: string) => Promise<ImportanceModel>;
  /** Store every other question as a user turn first (see `echoTurns`). */
  echoQuestions?: boolean;
  /**
   * Unanswerable questions may be ones that name no one (see `unanswerableQuestions`): sets that ask
   * that way. Each other conversation then gives a share of about as many as this one's answerable
   * questions, so that a set of many short conversations is not mostly unanswerable.
   */
  unnamedQuestions?: boolean;
  onProgress?: (message: string) => void;
}): Promise<ConversationRelevance[]> {
  const sources = options.sources ?? options.conversations;
  const collected: ConversationRelevance[] = [];
  for (const conversation of options.conversations) {
    const ranker = options.rankerFor ? await options.rankerFor(conversation.sampleId, 'neuromem') : undefined;
    const model = options.semanticFor ? await options.semanticFor(conversation.sampleId) : undefined;
    const importance = options.importanceFor ? await options.importanceFor(conversation.sampleId) : undefined;
    const directory = mkdtempSync(join(tmpdir(), 'neuromem-relevance-'));
    try {
      const memory = await createMemory({
        path: directory,
        trackAccess: false,
        // The ranker's own scores are the material; the shipped relevance model is what this refits.
        relevance: false,
        ...(ranker ? { ranker } : {}),
        ...(importance ? { importance } : {}),
        ...(model ? { semantic: { encoder: createSemanticEncoder({ model }) } } : {}),
      });
      const userId = conversation.sampleId;
      const answerableCount = conversation.questions.filter((qa) => qa.category !== 5 && qa.evidence.length > 0).length;
      const unanswerable = options.unnamedQuestions
        ? unanswerableQuestions(conversation, sources, { unnamed: true, perSource: Math.max(1, Math.ceil(answerableCount / Math.max(1, sources.length - 1))) })
        : unanswerableQuestions(conversation, sources);
      // Echoes of unanswerable questions too: that a question was asked before says nothing about
      // whether the memory can answer it, and the gate must not learn that it does.
      const echoes = options.echoQuestions
        ? [
            ...echoTurns(conversation),
            ...echoTurns({ ...conversation, questions: unanswerable.map(({ question }) => ({ question, answer: null, evidence: [], category: 1 as const })) }).map((turn, i) => ({
              ...turn,
              diaId: `echo-unanswerable:${i}`,
            })),
          ]
        : [];
      const turns = [...conversation.sessions.flatMap((session) => session.turns), ...echoes];
      for (const turn of turns) await memory.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
      const known = new Set(conversation.sessions.flatMap((session) => session.turns.map((turn) => turn.diaId)));
      const referenceDate = questionTime(conversation);
      const ask = async (question: string, evidence: ReadonlySet<string>): Promise<RelevanceQuestion['results']> => {
        const { results } = await memory.search(question, { userId, topK: RESULTS_PER_QUESTION, referenceDate });
        const features = resultFeatures(
          question,
          results.map((result) => ({ text: result.memory, logit: result.scoreBreakdown!.logit, factors: result.scoreBreakdown!.factors })),
        );
        return results.map((result, i) => ({
          features: features[i]!,
          rankerScore: 1 / (1 + Math.exp(-result.scoreBreakdown!.logit)),
          useful: evidence.has(String(result.metadata.dia_id)),
        }));
      };
      const questions: RelevanceQuestion[] = [];
      for (const qa of conversation.questions) {
        if (qa.category === 5) continue;
        const evidence = new Set(qa.evidence.filter((id) => known.has(id)));
        if (evidence.size === 0) continue;
        questions.push({ question: qa.question, answerable: true, results: await ask(qa.question, evidence) });
      }
      for (const { question } of unanswerable) questions.push({ question, answerable: false, results: await ask(question, new Set()) });
      await memory.close();
      collected.push({ conversationId: conversation.sampleId, questions });
      options.onProgress?.(`${conversation.sampleId}: ${questions.filter((q) => q.answerable).length} answerable and ${unanswerable.length} unanswerable questions`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return collected;
}
