import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitRanker, scoreWithRanker, type RankerModel } from 'neuromem';
import { FEATURES, type Feature } from 'neuromem';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from '../systems/neuromem-variants';
import type { ConversationExamples } from './extract-ranking-examples';

export interface FoldResult {
  variant: NeuromemVariantName;
  /** Held-out evidence recall@k over categories 1-4 (ranking the extracted candidates). */
  recall: Record<number, number>;
}

export interface FitResult {
  /** Fitted on every conversation: what ships. */
  models: Map<NeuromemVariantName, RankerModel>;
  /** Per variant: recall of the held-out conversation's ranking, pooled over folds. */
  heldOut: FoldResult[];
}

const KS = [1, 5, 10, 20];

/**
 * Fits each variant's ranker on all conversations (the shipped model) and, for cross-validation,
 * once per conversation without it; the fold models go to `<cvDirectory>/<conversation>/<variant>.json`.
 */
export function fitRankers(byVariant: ReadonlyMap<NeuromemVariantName, ConversationExamples[]>, options: { cvDirectory?: string; note?: Record<string, unknown> }): FitResult {
  const models = new Map<NeuromemVariantName, RankerModel>();
  const heldOut: FoldResult[] = [];
  for (const [variant, conversations] of byVariant) {
    const features = featuresOf(variant);
    const all = conversations.flatMap((c) => c.examples);
    models.set(variant, fitRanker(all, { features, note: { conversations: conversations.map((c) => c.conversationId), ...options.note } }));
    const hits = KS.map(() => 0);
    let questions = 0;
    for (const fold of conversations) {
      const training = conversations.filter((c) => c !== fold).flatMap((c) => c.examples);
      if (training.length === 0) continue;
      const model = fitRanker(training, { features, note: { heldOut: fold.conversationId, ...options.note } });
      if (options.cvDirectory) {
        mkdirSync(join(options.cvDirectory, fold.conversationId), { recursive: true });
        writeFileSync(join(options.cvDirectory, fold.conversationId, `${variant}.json`), `${JSON.stringify(model, null, 1)}\n`);
      }
      for (const example of fold.examples) {
        const order = example.candidates.map((candidate, i) => ({ id: example.ids[i]!, score: scoreWithRanker(model, candidate).logit })).sort((a, b) => b.score - a.score);
        KS.forEach((k, j) => {
          const top = new Set(order.slice(0, k).map((entry) => entry.id));
          hits[j]! += example.evidence.filter((id) => top.has(id)).length / example.evidence.length;
        });
        questions++;
      }
    }
    if (questions > 0) heldOut.push({ variant, recall: Object.fromEntries(KS.map((k, j) => [k, hits[j]! / questions])) });
  }
  return { models, heldOut };
}

/** A variant's ranker reads every factor its retrieval computes. */
export function featuresOf(variant: NeuromemVariantName): Feature[] {
  const excluded = new Set<Feature>(NEUROMEM_VARIANTS[variant].exclude);
  return FEATURES.filter((name) => !excluded.has(name));
}
