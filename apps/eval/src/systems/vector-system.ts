import { createHashingEncoder } from '@neuromem/embeddings';
import { createExactIndex } from '@neuromem/store';
import type { SystemFactory } from './retrieval-system';

/**
 * Naive RAG: NeuroMem's default encoder, one vector per turn ("Speaker: text"), exact cosine top-k —
 * what a plain vector database returns, with nothing about time, graph or scale.
 */
export const createVectorSystem: SystemFactory = async () => {
  const encoder = createHashingEncoder();
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
