import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createMemory } from 'neuromem';
import { sessionRunId, turnMessage } from '../locomo/turn-message';
import type { SystemFactory } from './retrieval-system';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from './neuromem-variants';

/**
 * NeuroMem as a user gets it from `createMemory()`, durable in a directory, fed turn by turn with
 * the speaker and the session's date. A variant only switches off parts the facade exposes; with
 * cross-validation folds it also brings the ranker fitted without this conversation.
 */
export function neuromemSystem(variantName: NeuromemVariantName = 'neuromem'): SystemFactory {
  const variant = NEUROMEM_VARIANTS[variantName];
  return async ({ conversation, directory, headsFor, rankerFor }) => {
    const heads = headsFor ? await headsFor(conversation.sampleId) : undefined;
    const ranker = 'ranker' in variant ? variant.ranker : rankerFor ? await rankerFor(conversation.sampleId, variantName) : undefined;
    const memory = await createMemory({
      path: directory,
      excludeFactors: [...variant.exclude],
      ...(ranker ? { ranker } : {}),
      ...(heads ? { heads } : {}),
      trackAccess: false,
    });
    const userId = conversation.sampleId;
    return {
      async add(turn) {
        await memory.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
      },
      async search(question, k, referenceTime) {
        const { results } = await memory.search(question, { userId, topK: k, referenceDate: referenceTime });
        return results.map((result) => String(result.metadata.dia_id));
      },
      async storageBytes() {
        // Measured closed, as the data rests on disk: close() checkpoints SQLite's WAL and saves the index.
        await memory.close();
        return readdirSync(directory).reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
      },
      close: () => memory.close(),
    };
  };
}
