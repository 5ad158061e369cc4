import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScaleHeads } from '@neuromem/embeddings';
import { createMemory, type RankingExample } from 'neuromem';
import type { LocomoConversation } from '../locomo/load-locomo';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from '../systems/neuromem-variants';

/** More than any candidate pool, so every candidate comes back with its factors. */
const ALL_CANDIDATES = 1000;

export interface ConversationExamples {
  conversationId: string;
  /** One per question of categories 1-4 with resolvable evidence, in file order. */
  examples: Array<RankingExample & { evidence: string[]; ids: string[]; category: number }>;
}

/**
 * Runs NeuroMem's retrieval on every question exactly as `search` does (same memory, same
 * reference date as the eval) and keeps every candidate's factors with a label: is it evidence?
 * Labels come from LoCoMo's evidence ids, which the memory never sees.
 */
export async function extractRankingExamples(options: {
  conversations: readonly LocomoConversation[];
  variants: readonly NeuromemVariantName[];
  headsFor?: (conversationId: string) => Promise<ScaleHeads>;
  onProgress?: (message: string) => void;
}): Promise<Map<NeuromemVariantName, ConversationExamples[]>> {
  const byVariant = new Map<NeuromemVariantName, ConversationExamples[]>(options.variants.map((variant) => [variant, []]));
  for (const conversation of options.conversations) {
    const directory = mkdtempSync(join(tmpdir(), 'neuromem-fit-'));
    try {
      const heads = options.headsFor ? await options.headsFor(conversation.sampleId) : undefined;
      const open = (variant: NeuromemVariantName) => createMemory({ path: directory, excludeFactors: [...NEUROMEM_VARIANTS[variant].exclude], trackAccess: false, ...(heads ? { heads } : {}) });
      const userId = conversation.sampleId;
      const started = performance.now();
      const writer = await open('neuromem');
      for (const session of conversation.sessions) {
        for (const turn of session.turns) {
          await writer.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
        }
      }
      await writer.close();
      options.onProgress?.(`${conversation.sampleId}: ${conversation.sessions.reduce((n, s) => n + s.turns.length, 0)} turns stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);

      const known = new Set(conversation.sessions.flatMap((session) => session.turns.map((turn) => turn.diaId)));
      const referenceDate = questionTime(conversation);
      for (const variant of options.variants) {
        const memory = await open(variant);
        const examples: ConversationExamples['examples'] = [];
        for (const qa of conversation.questions) {
          if (qa.category === 5) continue;
          const evidence = qa.evidence.filter((id) => known.has(id));
          if (evidence.length === 0) continue;
          const { results } = await memory.search(qa.question, { userId, topK: ALL_CANDIDATES, referenceDate });
          const ids = results.map((result) => String(result.metadata.dia_id));
          examples.push({ candidates: results.map((result) => result.scoreBreakdown!.factors), relevant: ids.map((id) => evidence.includes(id)), evidence, ids, category: qa.category });
        }
        await memory.close();
        byVariant.get(variant)!.push({ conversationId: conversation.sampleId, examples });
        options.onProgress?.(`${conversation.sampleId}: ${examples.length} questions, factors of ${variant}`);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return byVariant;
}
