import Database from 'better-sqlite3';
import { ENGLISH_STOP_WORDS } from '@neuromem/core';

const K = 10;

export interface Bm25Reference {
  add(userId: string, texts: readonly string[]): void;
  /** Row ids of the user's top 10 turns by BM25; `[]` when the query has no content word. */
  search(query: string, userId: string): number[];
  close(): void;
}

/**
 * The plain lexical baseline a team would build first: one SQLite FTS5 table of every user's turns,
 * searched for any of the query's content words and then filtered to the user.
 */
export function createBm25Reference(file: string): Bm25Reference {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE VIRTUAL TABLE turns USING fts5(memory_text, user_id UNINDEXED)');
  const insert = db.prepare('INSERT INTO turns (memory_text, user_id) VALUES (?, ?)');
  const insertAll = db.transaction((userId: string, texts: readonly string[]) => {
    for (const text of texts) insert.run(text, userId);
  });
  const select = db.prepare<[string, string], { rowid: number }>('SELECT rowid FROM turns WHERE memory_text MATCH ? AND user_id = ? ORDER BY bm25(turns) LIMIT 10');
  return {
    add: (userId, texts) => insertAll(userId, texts),
    search(query, userId) {
      const match = ftsQuery(query);
      return match === undefined ? [] : select.all(match, userId).map((row) => row.rowid);
    },
    close: () => db.close(),
  };
}

/** The query's content words, each quoted (so no word is read as FTS5 syntax), OR-ed. */
export function ftsQuery(text: string): string | undefined {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].filter((word) => !ENGLISH_STOP_WORDS.has(word));
  return words.length === 0 ? undefined : words.map((word) => `"${word}"`).join(' OR ');
}

/** One user's turn vectors packed row after row, for a cache-friendly exact scan. */
export interface PackedVectors {
  ids: string[];
  dimensions: number;
  data: Float32Array;
}

export function packVectors(vectors: ReadonlyMap<string, Float32Array>): PackedVectors {
  const ids = [...vectors.keys()];
  const dimensions = ids.length === 0 ? 0 : vectors.get(ids[0]!)!.length;
  const data = new Float32Array(ids.length * dimensions);
  ids.forEach((id, row) => data.set(vectors.get(id)!, row * dimensions));
  return { ids, dimensions, data };
}

/** Exact top 10 by dot product (the vectors are unit length, so by cosine), best first. */
export function exactTopK({ ids, dimensions, data }: PackedVectors, query: Float32Array, k = K): string[] {
  const bestRows: number[] = [];
  const bestScores: number[] = [];
  for (let row = 0; row < ids.length; row++) {
    let score = 0;
    const offset = row * dimensions;
    for (let j = 0; j < dimensions; j++) score += data[offset + j]! * query[j]!;
    if (bestRows.length === k && score <= bestScores[k - 1]!) continue;
    let at = bestRows.length === k ? k - 1 : bestRows.length;
    while (at > 0 && bestScores[at - 1]! < score) {
      bestRows[at] = bestRows[at - 1]!;
      bestScores[at] = bestScores[at - 1]!;
      at -= 1;
    }
    bestRows[at] = row;
    bestScores[at] = score;
  }
  return bestRows.map((row) => ids[row]!);
}
