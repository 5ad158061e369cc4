import type { ImportanceModel } from '@neuromem/controller';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSemanticEncoder, type ScaleHeads, type SemanticModel } from '@neuromem/embeddings';
import { createMemory, type Memory, type RankingExample } from 'neuromem';
import type { LocomoConversation } from '../locomo/load-locomo';
import { echoTurns } from '../locomo/echo-questions';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from '../systems/neuromem-variants';

/** More than any candidate pool, so every candidate comes back with its factors. */
const ALL_CANDIDATES = 1000;

export interface ConversationExamples {
  conversationId: string;
  /** Where the conversation comes from, when not the main LoCoMo file (held-out recall is told per dataset). */
  dataset?: string;
  /** One per question of categories 1-4 with resolvable evidence, in file order. */
  examples: Array<RankingExample & { evidence: string[]; ids: string[]; category: number; reworded?: boolean }>;
}

export interface ExtractOptions {
  conversations: readonly LocomoConversation[];
  variants: readonly NeuromemVariantName[];
  headsFor?: (conversationId: string) => Promise<ScaleHeads>;
  /** The semantic model trained without the conversation (as `locomo --semantic-cv`). */
  semanticFor?: (conversationId: string) => Promise<SemanticModel>;
  /** The importance model fitted without the conversation (as `locomo --importance-cv`). */
  importanceFor?: (conversationId: string) => Promise<ImportanceModel>;
  /** Store every other question as a user turn first (see `echoTurns`): the ranker then learns they answer nothing. */
  echoQuestions?: boolean;
  /**
   * Also ask, for every n-th turn, the turn's own text and a few of its words (self-supervised; 0:
   * none). A ranker fitted on questions alone never sees a query that is a memory's own words, and
   * one with a hidden layer may then rank that memory below others; these examples (category 0)
   * teach it that such a query finds its memory.
   */
  selfQueries?: number;
  /**
   * Also ask each question reworded by this function (from the question and its evidence turns'
   * texts; undefined: no reworded copy), labelled with the same evidence: see `rewordQuestion`.
   */
  reword?: (question: string, evidence: readonly string[]) => string | undefined;
  onProgress?: (message: string) => void;
}

/**
 * Runs NeuroMem's retrieval on every question exactly as `search` does (same memory, same
 * reference date as the eval) and keeps every candidate's factors with a label: is it evidence?
 * Labels come from LoCoMo's evidence ids, which the memory never sees.
 */
export async function extractRankingExamples(options: ExtractOptions): Promise<Map<NeuromemVariantName, ConversationExamples[]>> {
  const byVariant = new Map<NeuromemVariantName, ConversationExamples[]>(options.variants.map((variant) => [variant, []]));
  for (const conversation of options.conversations) {
    const heads = options.headsFor ? await options.headsFor(conversation.sampleId) : undefined;
    const model = options.semanticFor ? await options.semanticFor(conversation.sampleId) : undefined;
    const importance = options.importanceFor ? await options.importanceFor(conversation.sampleId) : undefined;
    // Variants that share an embedder read one store; one with another semantic setting gets its own.
    const byEmbedder = new Map<string, NeuromemVariantName[]>();
    for (const variant of options.variants) {
      const key = JSON.stringify(semanticSetting(variant) ?? 'default');
      byEmbedder.set(key, [...(byEmbedder.get(key) ?? []), variant]);
    }
    for (const variants of byEmbedder.values()) {
      const setting = semanticSetting(variants[0]!);
      const semantic = setting === false ? false : model ? { ...setting, encoder: createSemanticEncoder({ model }) } : setting;
      const directory = mkdtempSync(join(tmpdir(), 'neuromem-fit-'));
      try {
        const open = (variant: NeuromemVariantName) =>
          createMemory({
            path: directory,
            excludeFactors: [...NEUROMEM_VARIANTS[variant].exclude],
            trackAccess: false,
            ...(heads ? { heads } : {}),
            ...(importance ? { importance } : {}),
            ...(semantic !== undefined ? { semantic } : {}),
          });
        await fill(await open(variants[0]!), conversation, options.onProgress, options.echoQuestions ?? false);
        for (const variant of variants) {
          const memory = await open(variant);
          const examples = [...(await examplesOf(memory, conversation, options.reword)), ...(await selfExamplesOf(memory, conversation, options.selfQueries ?? 0))];
          await memory.close();
          byVariant.get(variant)!.push({ conversationId: conversation.sampleId, examples });
          options.onProgress?.(`${conversation.sampleId}: ${examples.length} questions, factors of ${variant}`);
        }
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }
  }
  return byVariant;
}

const semanticSetting = (variant: NeuromemVariantName): false | { weight: number } | undefined => {
  const chosen = NEUROMEM_VARIANTS[variant] as { semantic?: false | { weight: number } };
  return chosen.semantic;
};

/** Stores the conversation turn by turn, as an app would while it happens. */
async function fill(writer: Memory, conversation: LocomoConversation, onProgress: ((message: string) => void) | undefined, echo: boolean): Promise<void> {
  const started = performance.now();
  const userId = conversation.sampleId;
  const turns = [...conversation.sessions.flatMap((session) => session.turns), ...(echo ? echoTurns(conversation) : [])];
  for (const turn of turns) await writer.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
  await writer.close();
  onProgress?.(`${conversation.sampleId}: ${conversation.sessions.reduce((n, s) => n + s.turns.length, 0)} turns stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Every candidate's factors for every answerable question (and its reworded copy), labelled by LoCoMo's evidence. */
async function examplesOf(memory: Memory, conversation: LocomoConversation, reword: ExtractOptions['reword']): Promise<ConversationExamples['examples']> {
  const textOf = new Map(conversation.sessions.flatMap((session) => session.turns.map((turn) => [turn.diaId, turn.text])));
  const referenceDate = questionTime(conversation);
  const examples: ConversationExamples['examples'] = [];
  for (const qa of conversation.questions) {
    if (qa.category === 5) continue;
    const evidence = qa.evidence.filter((id) => textOf.has(id));
    if (evidence.length === 0) continue;
    const reworded = reword?.(
      qa.question,
      evidence.map((id) => textOf.get(id)!),
    );
    for (const question of reworded ? [qa.question, reworded] : [qa.question]) {
      const { results } = await memory.search(question, { userId: conversation.sampleId, topK: ALL_CANDIDATES, referenceDate });
      const ids = results.map((result) => String(result.metadata.dia_id));
      const example = { candidates: results.map((result) => result.scoreBreakdown!.factors), relevant: ids.map((id) => evidence.includes(id)), evidence, ids, category: qa.category };
      examples.push(question === qa.question ? example : { ...example, reworded: true });
    }
  }
  return examples;
}

/** Every n-th turn asked twice: its whole text, and every other word of it (at most 8). */
async function selfExamplesOf(memory: Memory, conversation: LocomoConversation, every: number): Promise<ConversationExamples['examples']> {
  if (every <= 0) return [];
  const referenceDate = questionTime(conversation);
  const turns = conversation.sessions.flatMap((session) => session.turns).filter((_, i) => i % every === 0);
  const examples: ConversationExamples['examples'] = [];
  for (const turn of turns) {
    const words = turn.text.split(/\s+/).filter(Boolean);
    const some = words
      .filter((_, i) => i % 2 === 1)
      .slice(0, 8)
      .join(' ');
    for (const query of [turn.text, some]) {
      if (query.trim() === '') continue;
      const { results } = await memory.search(query, { userId: conversation.sampleId, topK: ALL_CANDIDATES, referenceDate });
      const ids = results.map((result) => String(result.metadata.dia_id));
      if (!ids.includes(turn.diaId)) continue;
      examples.push({ candidates: results.map((result) => result.scoreBreakdown!.factors), relevant: ids.map((id) => id === turn.diaId), evidence: [turn.diaId], ids, category: 0 });
    }
  }
  return examples;
}
