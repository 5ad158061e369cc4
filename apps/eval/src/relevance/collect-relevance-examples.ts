import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultNounTaxonomy, resultFeatures, type ImportanceModel, type ResultFeatures } from '@neuromem/controller';
import { createSemanticEncoder, type SemanticModel } from '@neuromem/embeddings';
import { createMemory, type Memory, type MemoryOptions, type RankerModel } from 'neuromem';
import type { LocomoConversation } from '../locomo/load-locomo';
import { echoTurns } from '../locomo/echo-questions';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import { neverSaidQuestions, unanswerableQuestions } from './unanswerable-questions';

/** The results a calibrated score is given to: the top 10, as `search` returns by default. */
export const RESULTS_PER_QUESTION = 10;

export interface RelevanceQuestion {
  question: string;
  /** Where it was asked, when not of the whole conversation: `small store` (see `smallStoreQuestions`). */
  setting?: 'small store';
  /** How many memories the ranker chose the results from (the search's `candidates`). */
  candidates?: number;
  /** False for a question about a fact the conversation never states. */
  answerable: boolean;
  /** The top results, best first: their features, the ranker's own probability, and whether each is evidence. */
  results: Array<{ features: ResultFeatures; rankerScore: number; useful: boolean }>;
}

export interface ConversationRelevance {
  conversationId: string;
  /** The file an extra conversation came from (`--extra-data`, `--test-data`); absent for the main data. */
  dataset?: string;
  /** A conversation of `--test-data`: scored by models fitted on the others, never fitted on, and left out of the gate's choice. */
  heldOutOnly?: boolean;
  questions: RelevanceQuestion[];
}

/**
 * Stores each conversation turn by turn and asks it its own answerable questions (categories 1-4
 * with evidence) and unanswerable ones: those it lists as never said (`neverSaidQuestions`), or else
 * ones made from the other conversations' questions. A result is useful when it is an evidence turn;
 * nothing returned for an unanswerable question is.
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
  /** Also ask each answerable question of a small store: see `smallStoreQuestions`. */
  smallStores?: boolean;
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
      const memory = await createMemory({ path: directory, ...memorySettings({ ranker, model, importance }) });
      const userId = conversation.sampleId;
      const answerableCount = conversation.questions.filter((qa) => qa.category !== 5 && qa.evidence.length > 0).length;
      // What the conversation says its people never said, when it lists that; else questions borrowed from the others.
      const neverSaid = neverSaidQuestions(conversation);
      const unanswerable =
        neverSaid.length > 0
          ? neverSaid
          : options.unnamedQuestions
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
      const ask = (question: string, evidence: ReadonlySet<string>) => resultsOf(memory, { question, userId, referenceDate, evidence });
      const questions: RelevanceQuestion[] = [];
      for (const qa of conversation.questions) {
        if (qa.category === 5) continue;
        const evidence = new Set(qa.evidence.filter((id) => known.has(id)));
        if (evidence.size === 0) continue;
        questions.push({ question: qa.question, answerable: true, ...(await ask(qa.question, evidence)) });
      }
      for (const { question } of unanswerable) questions.push({ question, answerable: false, ...(await ask(question, new Set())) });
      await memory.close();
      if (options.smallStores) questions.push(...(await smallStoreQuestions(conversation, { ranker, model, importance })));
      collected.push({ conversationId: conversation.sampleId, questions });
      options.onProgress?.(`${conversation.sampleId}: ${questions.filter((q) => q.answerable).length} answerable and ${unanswerable.length} unanswerable questions`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return collected;
}

interface FoldModels {
  ranker: RankerModel | undefined;
  model: SemanticModel | undefined;
  importance: ImportanceModel | undefined;
}

/** A memory as the examples need it: no access counts, and the ranker's own scores (the shipped relevance model is what they refit). */
function memorySettings({ ranker, model, importance }: FoldModels): MemoryOptions {
  return {
    trackAccess: false,
    relevance: false,
    ...(ranker ? { ranker } : {}),
    ...(importance ? { importance } : {}),
    ...(model ? { semantic: { encoder: createSemanticEncoder({ model }) } } : {}),
  };
}

/** The top results of a question, with their features and whether each is an evidence turn. */
async function resultsOf(
  memory: Memory,
  { question, userId, referenceDate, evidence }: { question: string; userId: string; referenceDate: number; evidence: ReadonlySet<string> },
): Promise<Pick<RelevanceQuestion, 'results' | 'candidates'>> {
  const { results, candidates } = await memory.search(question, { userId, topK: RESULTS_PER_QUESTION, referenceDate });
  const features = resultFeatures(
    question,
    results.map((result) => ({ text: result.memory, logit: result.scoreBreakdown!.logit, factors: result.scoreBreakdown!.factors })),
    // Every feature a model may read, the noun features too, so that a fit can choose among them.
    { taxonomy: defaultNounTaxonomy() },
  );
  return {
    results: results.map((result, i) => ({
      features: features[i]!,
      rankerScore: 1 / (1 + Math.exp(-result.scoreBreakdown!.logit)),
      useful: evidence.has(String(result.metadata.dia_id)),
    })),
    ...(candidates !== undefined ? { candidates } : {}),
  };
}

/** Other turns of a small store besides the evidence: a new user has told a few things, or a few dozen. */
const SMALL_STORE_OTHERS = { min: 2, max: 24 };

/**
 * Every user's memory starts small, and a gate fitted only on whole conversations (hundreds of turns)
 * reads a small one's lists differently: its candidates are every memory, the ranker's logits sit
 * lower, a few turns hold few of any question's words. So each answerable question is also asked
 * of a store holding its evidence turns and 2-24 other turns of its conversation (drawn with a seed
 * from the conversation's id), and the store is asked one question of the same conversation that it
 * cannot answer: one whose evidence it does not hold and whose gold answer none of its turns says (a
 * fact not told yet, about the same people). Both are marked `setting: 'small store'`.
 */
export async function smallStoreQuestions(conversation: LocomoConversation, models: FoldModels): Promise<RelevanceQuestion[]> {
  const random = seededRandom(conversation.sampleId);
  const turns = conversation.sessions.flatMap((session) => session.turns);
  const known = new Set(turns.map((turn) => turn.diaId));
  const answerable = conversation.questions.filter((qa) => qa.category !== 5 && qa.answer !== null && qa.evidence.some((id) => known.has(id)));
  const referenceDate = questionTime(conversation);
  const userId = conversation.sampleId;
  // One set of settings (one semantic encoder and its word cache) for all of the conversation's stores.
  const settings = memorySettings(models);
  const asked: RelevanceQuestion[] = [];
  for (const qa of answerable) {
    const evidence = new Set(qa.evidence.filter((id) => known.has(id)));
    const held = new Set(evidence);
    const others = turns.filter((turn) => !held.has(turn.diaId));
    const size = evidence.size + SMALL_STORE_OTHERS.min + Math.floor(random() * (SMALL_STORE_OTHERS.max - SMALL_STORE_OTHERS.min + 1));
    while (held.size < size && others.length > 0) held.add(others.splice(Math.floor(random() * others.length), 1)[0]!.diaId);
    const stored = turns.filter((turn) => held.has(turn.diaId));
    const said = normalized(stored.map((turn) => turn.text).join(' '));
    const untold = answerable.filter((other) => other !== qa && other.evidence.every((id) => !held.has(id)) && normalized(other.answer!).length >= 3 && !said.includes(normalized(other.answer!)));
    const memory = await createMemory(settings);
    try {
      for (const turn of stored) await memory.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
      asked.push({ question: qa.question, setting: 'small store', answerable: true, ...(await resultsOf(memory, { question: qa.question, userId, referenceDate, evidence })) });
      const other = untold[Math.floor(random() * untold.length)];
      if (other)
        asked.push({ question: other.question, setting: 'small store', answerable: false, ...(await resultsOf(memory, { question: other.question, userId, referenceDate, evidence: new Set() })) });
    } finally {
      await memory.close();
    }
  }
  return asked;
}

const normalized = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** A deterministic stream in [0, 1) from a string (LCG seeded by FNV-1a): the stores drawn follow the conversation's id alone. */
function seededRandom(seed: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619) >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
