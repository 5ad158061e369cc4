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
  // The snapshot can vouch for the store once, on open; a later sync (after reset) always recounts.
  let vouchesFor = saved?.memories;

  return {
    corpus,
    /** Checks the loaded snapshot against the store and recounts when they disagree. */
    async sync(store: MemoryStore): Promise<void> {
      const memories = await store.count();
      const agrees = vouchesFor === memories;
      vouchesFor = undefined;
      if (agrees) return;
      corpus.clear();
      // Pages in write order after a cursor: each costs its own rows, so a million memories cost a
      // million rows read, not the quadratic sum of skipped offsets.
      const page = 2000;
      for (let after: string | undefined; ; ) {
        const records = await store.list({ order: 'written-asc', limit: page, ...(after !== undefined ? { after } : {}) });
        corpus.observe(records.map((record) => termsOf(record.text)));
        if (records.length < page) break;
        after = records[records.length - 1]!.id;
      }
    },
    observe(texts: readonly string[]): void {
      corpus.observe(texts.map(termsOf));
    },
    /** Texts that stopped being current (edited or deleted) leave the counts; their replacements join them. */
    replace(before: readonly string[], after: readonly string[]): void {
      corpus.forget(before.map(termsOf));
      corpus.observe(after.map(termsOf));
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

/** The saved snapshot, or undefined (so it is recounted on open) when it is unreadable or any count in it is not a count. */
function readSnapshot(path: string): Snapshot | undefined {
  try {
    const snapshot: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isSnapshot(snapshot) ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A bad count would turn a query word's weight into NaN and every search into an error. */
function isSnapshot(value: unknown): value is Snapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { memories, documents, df } = value as Record<string, unknown>;
  // Every current memory was observed once, so documents (which deletions do not lower) is at least memories.
  if (!isCount(memories) || !isCount(documents) || documents < memories || typeof df !== 'object' || df === null || Array.isArray(df)) return false;
  return Object.values(df).every((n) => isCount(n) && n >= 1 && n <= documents);
}
