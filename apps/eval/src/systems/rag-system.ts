import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCorpusStats, createSemanticEncoder } from '@neuromem/embeddings';
import { createUsearchIndex } from '@neuromem/store';
import { createDefaultEmbedder } from 'neuromem';
import type { SystemFactory } from './retrieval-system';

/**
 * Standard RAG, as a vector database keeps it: each turn's text in a table and its vector, float32,
 * in an HNSW index file; a question gets the cosine top-k. The vector is NeuroMem's own turn vector
 * (the default embedder, the same IDF from the turns seen so far), so the table compares what is kept
 * and how it is searched, not the embedding. No session context, time, graph or ranker.
 */
export const createRagSystem: SystemFactory = async ({ conversation, directory, semanticFor }) => {
  const corpus = createCorpusStats();
  const semanticModel = semanticFor ? await semanticFor(conversation.sampleId) : undefined;
  const { embedder, encoder } = await createDefaultEmbedder({ corpus, ...(semanticModel ? { semantic: { encoder: createSemanticEncoder({ model: semanticModel }) } } : {}) });
  const dimensions = embedder.scales.turn!;
  const indexPath = join(directory, 'rag.usearch');
  const index = await createUsearchIndex({ dimensions, path: indexPath, quantization: 'f32' });
  const db = new Database(join(directory, 'rag.db'));
  db.exec('CREATE TABLE turns (key INTEGER PRIMARY KEY, dia_id TEXT NOT NULL, text TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO turns (key, dia_id, text) VALUES (?, ?, ?)');
  const diaIds = db.prepare<[string], { key: number; dia_id: string }>('SELECT key, dia_id FROM turns WHERE key IN (SELECT value FROM json_each(?))');
  let next = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await index.flush();
    await index.close();
    db.close();
  };
  return {
    async add(turn) {
      const text = `${turn.speaker}: ${turn.text}`;
      corpus.observe([encoder.terms(text)]);
      const vector = (await embedder.embedSession([text], { tokens: false })).turns[0]!.vectors.turn!;
      await index.add([next], [vector]);
      insert.run(next++, turn.diaId, text);
    },
    async search(question, k) {
      const vector = (await embedder.embedQuery(question)).vectors.turn!;
      const keys = (await index.search(vector, k)).map((match) => match.key);
      const byKey = new Map(diaIds.all(JSON.stringify(keys)).map((row) => [row.key, row.dia_id]));
      return keys.map((key) => byKey.get(key)!).filter((id) => id !== undefined);
    },
    async storageBytes() {
      // Measured closed, as the data rests on disk.
      await close();
      return ['rag.usearch', 'rag.db'].reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
    },
    close,
  };
};
