import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSemanticEncoder, type SemanticModel } from '@neuromem/embeddings';
import { factInMetadata } from '@neuromem/agents';
import { createMemory, type MemoryOptions } from 'neuromem';
import { sessionRunId, turnMessage } from '../locomo/turn-message';
import type { SystemFactory } from './retrieval-system';
import { NEUROMEM_VARIANTS, type NeuromemVariant, type NeuromemVariantName } from './neuromem-variants';

/**
 * NeuroMem as a user gets it from `createMemory()`, durable in a directory, fed turn by turn with
 * the speaker and the session's date. A variant only switches off parts the facade exposes; with
 * cross-validation folds it also brings the ranker fitted without this conversation.
 */
export function neuromemSystem(variantName: NeuromemVariantName = 'neuromem'): SystemFactory {
  const variant = NEUROMEM_VARIANTS[variantName];
  return async ({ conversation, directory, headsFor, rankerFor, semanticFor, importanceFor, store }) => {
    const heads = headsFor ? await headsFor(conversation.sampleId) : undefined;
    const semanticModel = semanticFor ? await semanticFor(conversation.sampleId) : undefined;
    const importance = importanceFor ? await importanceFor(conversation.sampleId) : undefined;
    const ranker = 'ranker' in variant ? variant.ranker : rankerFor ? await rankerFor(conversation.sampleId, 'rankerOf' in variant ? variant.rankerOf : variantName) : undefined;
    const opener = store?.opener(`${conversation.sampleId}_${variantName}`);
    const memory = await createMemory({
      ...(opener ? { store: opener } : { path: directory }),
      excludeFactors: [...variant.exclude],
      ...(ranker ? { ranker } : {}),
      ...(heads ? { heads } : {}),
      ...(importance ? { importance } : {}),
      ...semanticOption(variant, semanticModel),
      trackAccess: false,
      ...('factPairs' in variant ? { factPairs: variant.factPairs } : {}),
    });
    const userId = conversation.sampleId;
    /** Each stored turn's memory id and turn id, for the links a sleep makes. */
    const turnOf = new Map<string, string>();
    return {
      async add(turn) {
        const { results } = await memory.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
        for (const result of results) turnOf.set(result.id, turn.diaId);
      },
      async search(question, k, referenceTime) {
        const { results } = await memory.search(question, { userId, topK: k, referenceDate: referenceTime });
        return results.map((result) => String(result.metadata.dia_id));
      },
      async context(question, k, referenceTime) {
        // A budget no top-k reaches: the measure is what the memories take, not what a budget cuts.
        const context = await memory.context(question, { userId, topK: k, referenceDate: referenceTime, tokenBudget: 1_000_000, gate: false });
        const turns: string[] = [];
        for (const source of context.sources) {
          const fact = factInMetadata(source.metadata);
          const versions = fact ? await Promise.all(fact.timeline.map((version) => memory.get(version.memoryId, { userId }))) : [source];
          for (const version of versions) if (version && context.text.includes(version.memory)) turns.push(String(version.metadata.dia_id));
        }
        return { tokens: context.tokens, turns };
      },
      ...('sleep' in variant
        ? {
            async settle() {
              await memory.sleep({ userId, budgetMs: 600_000, ...('warmShare' in variant ? { warmShare: variant.warmShare } : {}) });
            },
            async versionLinks() {
              const links: Array<[string, string]> = [];
              for (const [id, turn] of turnOf) {
                for (const edge of await memory.store.edges(id, { scope: { userId } })) {
                  const older = edge.type === 'supersedes' && edge.from === id ? turnOf.get(edge.to) : undefined;
                  if (older !== undefined) links.push([turn, older]);
                }
              }
              return links;
            },
          }
        : {}),
      async storageBytes() {
        // PostgreSQL counts its tables and indexes; SQLite is measured closed, as the data rests on
        // disk (close() checkpoints its WAL and saves the index).
        if (opener) return (await memory.stats()).bytesOnDisk;
        await memory.close();
        return readdirSync(directory).reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
      },
      close: () => memory.close(),
    };
  };
}

/** The variant's semantic setting; under cross-validation the semantic model trained without this conversation. */
function semanticOption(variant: NeuromemVariant, model: SemanticModel | undefined): Pick<MemoryOptions, 'semantic'> {
  if (!('semantic' in variant) || variant.semantic === undefined) return model ? { semantic: { encoder: createSemanticEncoder({ model }) } } : {};
  if (variant.semantic === false) return { semantic: false };
  return { semantic: { ...variant.semantic, ...(model ? { encoder: createSemanticEncoder({ model }) } : {}) } };
}
