export { createSqliteStore, type SqliteStoreOptions, type SqliteMemoryStore, type OpenReport } from './create-sqlite-store';
export { createUsearchIndex, type UsearchIndexOptions } from './create-usearch-index';
export { createExactIndex } from './create-exact-index';
export type { VectorIndexFactory } from './derived-vector-index';
export type { IdPrefixQuery } from './id-prefix-lookup';
export type { VectorPrecision } from './vector-codec';
export type { StorageBreakdown, StorageComponent } from './storage-breakdown';
export { createTimeOrderedId } from './time-ordered-id';
export { sha256 } from './write-operations';
