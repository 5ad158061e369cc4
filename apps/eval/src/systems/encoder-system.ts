import type { TextEncoder } from '@neuromem/core';
import { createExactIndex } from '@neuromem/store';
import type { RetrievalSystem } from './retrieval-system';

/**
 * Plain vector retrieval with one encoder: one vector per turn ("Speaker: text"), exact cosine
 * top-k, nothing about time, graph or scale. Its storage is the float32 vectors and the turn ids.
 */
export async function encoderSystem(encoder: TextEncoder): Promise<RetrievalSystem> {
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
}
