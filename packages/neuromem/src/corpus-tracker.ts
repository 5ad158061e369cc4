import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryStore } from '@neuromem/core';
import { createCorpusStats, type CorpusStats } from '@neuromem/embeddings';

interface Snapshot {
  /** How many current memories the statistics were counted over. */
  memories: number;
  documents: number;
  df: Record<string, number>;
}

/**
 * The default encoder's corpus statistics (term document frequencies, which weigh query words),
 * kept in step with what the memory stores. They are derived data: saved beside the database on
 * close and recounted from the stored texts when the snapshot is missing or disagrees with the
 * store (after a crash, or deletions).
 */
export type CorpusTracker = ReturnType<typeof createCorpusTracker>;

export function createCorpusTracker(directory: string | undefined, termsOf: (text: string) => string[]) {
  const path = directory === undefined ? undefined : join(directory, 'corpus-stats.json');
  const saved = path && existsSync(path) ? readSnapshot(path) : undefined;
  const corpus: CorpusStats = createCorpusStats(saved);

  return {
    corpus,
    /** Checks the loaded snapshot against the store and recounts when they disagree. */
    async sync(store: MemoryStore): Promise<void> {
      const memories = await store.count();
      if (saved?.memories === memories) return;
      corpus.clear();
      const page = 2000;
      for (let offset = 0; ; offset += page) {
        const records = await store.list({ limit: page, offset });
        corpus.observe(records.map((record) => termsOf(record.text)));
        if (records.length < page) break;
      }
    },
    observe(texts: readonly string[]): void {
      corpus.observe(texts.map(termsOf));
    },
    async save(store: MemoryStore): Promise<void> {
      if (!path) return;
      const snapshot: Snapshot = { memories: await store.count(), ...corpus.toJSON() };
      const temp = `${path}.tmp-${process.pid}`;
      writeFileSync(temp, JSON.stringify(snapshot));
      renameSync(temp, path);
    },
  };
}

function readSnapshot(path: string): Snapshot | undefined {
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
    return typeof snapshot.memories === 'number' && typeof snapshot.documents === 'number' && typeof snapshot.df === 'object' ? snapshot : undefined;
  } catch {
    return undefined; // unreadable: recounted on open
  }
}
