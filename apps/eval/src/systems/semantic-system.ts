import { createSemanticEncoder } from '@neuromem/embeddings';
import { createExactIndex } from '@neuromem/store';
import type { SystemFactory } from './retrieval-system';

/**
 * The semantic part of NeuroMem's default embedder alone (the trained encoder over the word-vector
 * lexicon; the fold's model under `--semantic-cv`): one vector per turn ("Speaker: text"), exact
 * cosine top-k. What meaning alone finds, beside what the whole ranking does with it.
 */
export const createSemanticSystem: SystemFactory = async ({ conversation, semanticFor }) => {
  const encoder = createSemanticEncoder(semanticFor ? { model: await semanticFor(conversation.sampleId) } : {});
  const index = await createExactIndex({ dimensions: encoder.dimensions });
  const ids: string[] = [];
  return {
    async add(turn) {
      const [vector] = await encoder.encode([`${turn.speaker}: ${turn.text}`]);
      await index.add([ids.length], [vector!]);
      ids.push(turn.diaId);
    },
    async search(question, k) {
      const [vector] = await encoder.encode([question]);
      return (await index.search(vector!, k)).map((match) => ids[match.key]!);
    },
    async storageBytes() {
      return index.size() * encoder.dimensions * 4 + ids.reduce((sum, id) => sum + Buffer.byteLength(id), 0);
    },
    close: () => index.close(),
  };
};
