import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

/**
 * Where a memory's bytes go, by what they are for. `free`: pages of the file that hold nothing (left
 * by deletes or a migration) until later writes reuse them or `compact()` gives them back.
 */
export type StorageComponent = 'records' | 'text index' | 'vectors' | 'vector indexes' | 'graph' | 'history' | 'other' | 'free';

export type StorageBreakdown = Record<StorageComponent, number>;

/** Each table of the schema (an index counts with its table; FTS5's shadow tables with theirs). */
const COMPONENT_OF_TABLE: Readonly<Record<string, StorageComponent>> = {
  memories: 'records',
  memory_versions: 'records',
  sessions: 'records',
  meta: 'records',
  text_owners: 'text index',
  owner_words: 'text index',
  vectors: 'vectors',
  owner_vectors: 'vectors',
  owner_segments: 'vectors',
  token_vectors: 'vectors',
  index_removals: 'vector indexes',
  edges: 'graph',
  entity_mentions: 'graph',
  mention_words: 'graph',
  history: 'history',
};

/**
 * Bytes per component: SQLite pages by the table they belong to (SQLite's `dbstat`, which reads
 * every page: about a second per GB), the free pages, and the vector index files beside the database.
 */
export function storageBreakdown(db: Database, directory: string | undefined): StorageBreakdown {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const breakdown: StorageBreakdown = {
    records: 0,
    'text index': 0,
    vectors: 0,
    'vector indexes': 0,
    graph: 0,
    history: 0,
    other: 0,
    free: (db.pragma('freelist_count', { simple: true }) as number) * pageSize,
  };
  const tableOf = new Map(
    db
      .prepare<[], { name: string; tbl_name: string }>('SELECT name, tbl_name FROM sqlite_schema')
      .all()
      .map((row) => [row.name, row.tbl_name]),
  );
  const componentOf = (name: string): StorageComponent => {
    const table = tableOf.get(name) ?? name;
    if (table.startsWith('mention_words_')) return 'graph';
    return COMPONENT_OF_TABLE[table] ?? (table.startsWith('owner_words_') ? 'text index' : 'other');
  };
  for (const { name, bytes } of db.prepare<[], { name: string; bytes: number }>('SELECT name, pgsize AS bytes FROM dbstat WHERE aggregate = TRUE').all()) {
    breakdown[componentOf(name)] += bytes;
  }
  if (directory !== undefined) {
    for (const file of readdirSync(directory)) if (file.startsWith('index-') && file.endsWith('.usearch')) breakdown['vector indexes'] += statSync(join(directory, file)).size;
  }
  return breakdown;
}
