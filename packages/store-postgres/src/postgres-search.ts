import type { Scale } from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';
import { recordSelect, toSqlVector, type RecordRow } from './postgres-rows';
import type { SqlParams } from './sql-params';

/** BM25 constants, as the SQLite store's, so both rank words alike. */
const K1 = 1.2;
const B = 0.75;

/** Ranked searches: nearest vectors under a filter, and BM25 over the filter's postings. */
export function createPostgresSearch({ db, schema }: { db: PostgresConnection; schema: string }) {
  const s = `"${schema}"`;
  const RECORD = recordSelect(s);

  /** The `k` best rows of a vector query; exact when the approximate index found fewer than `k` of the filter's matches. */
  async function nearest(scale: Scale, vector: Float32Array, k: number, where: string, params: SqlParams) {
    const q = params.add(toSqlVector(vector));
    const sql = (order: string) =>
      `${RECORD.replace('SELECT ', `SELECT 1 - (x.embedding <=> ${q}::vector) AS similarity, `)} JOIN ${s}.vectors_${scale} x ON x.memory_id = v.id
       WHERE v.valid_to IS NULL AND ${where} ORDER BY ${order} LIMIT ${k}`;
    // Iterative scans (pgvector 0.8) keep reading the graph until the filter has let k rows through.
    const approximate = await db.transaction(async (client) => {
      await client.query(`SET LOCAL hnsw.iterative_scan = strict_order`);
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(40, k))}`);
      return (await client.query<RecordRow & { similarity: number }>(sql(`x.embedding <=> ${q}::vector`), params.values)).rows;
    });
    if (approximate.length >= k) return approximate;
    // An ordering the index cannot serve makes PostgreSQL rank every match: never fewer than k while more match.
    return db.query<RecordRow & { similarity: number }>(sql(`(x.embedding <=> ${q}::vector) + 0`), params.values);
  }

  /**
   * The `k` best memory ids for the terms by Okapi BM25 over the filter's current memories (their
   * count, average length and each term's document frequency), best first, ties by id. Each kind is
   * scored among its own kind, as in the SQLite store: a sleep's facts quote their statements' words
   * and would otherwise make those words look common among the statements.
   */
  async function bestByWords(terms: readonly string[], where: string, params: SqlParams, k: number): Promise<Array<[string, number]>> {
    const counts = await db.query<{ kind: string; docs: string; words: string | null }>(
      `SELECT v.kind, count(*) AS docs, sum(v.words) AS words FROM ${s}.versions v WHERE v.valid_to IS NULL AND ${where} GROUP BY v.kind`,
      params.values,
    );
    const kinds = new Map(counts.map((row) => [row.kind, { docs: Number(row.docs), averageLength: Number(row.words ?? 0) / Number(row.docs) || 1 }]));
    if (kinds.size === 0) return [];
    const postings = await db.query<{ term: string; memory_id: string; tf: number; words: number; kind: string }>(
      `SELECT t.term, t.memory_id, t.tf, v.words, v.kind FROM ${s}.terms t JOIN ${s}.versions v ON v.id = t.memory_id AND v.valid_to IS NULL
       WHERE t.term = ANY(${params.add(terms)}::text[]) AND ${where}`,
      params.values,
    );
    const frequency = new Map<string, number>();
    const termOfKind = (term: string, kind: string) => `${kind} ${term}`; // a stem holds no space
    for (const { term, kind } of postings) {
      const key = termOfKind(term, kind);
      frequency.set(key, (frequency.get(key) ?? 0) + 1);
    }
    const scores = new Map<string, number>();
    for (const { term, memory_id, tf, words, kind } of postings) {
      const { docs, averageLength } = kinds.get(kind)!;
      const df = frequency.get(termOfKind(term, kind))!;
      const idf = Math.max(1e-6, Math.log((docs - df + 0.5) / (df + 0.5)));
      scores.set(memory_id, (scores.get(memory_id) ?? 0) + (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * words) / averageLength)));
    }
    return [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k);
  }

  return { nearest, bestByWords };
}
