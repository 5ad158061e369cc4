import type { Clock, Scale, StoreWith } from '@neuromem/core';
import type { Pool } from 'pg';

export interface PostgresStoreOptions {
  /** A `pg` Pool you own (closing the store leaves it open). Alternatively pass `connectionString`. */
  pool?: Pool;
  /** `postgres://user:password@host:5432/database`; the store then owns its pool. Default: `PG*` environment variables. */
  connectionString?: string;
  /** Connections of the pool the store makes (default 10). */
  poolSize?: number;
  /** The schema holding this memory's tables (default `neuromem`): several memories can share a database. */
  schema?: string;
  /** Vector dimensions per scale, as for every store; fixed when the schema is created. */
  vectorScales: Partial<Record<Scale, number>>;
  clock?: Clock;
  maxTextChars?: number;
  /** How often a failed connection is retried before a `STORAGE` error (default 3, with backoff). */
  retries?: number;
  /** The longest a statement of a pool the store makes may run, ms (default 30,000): no call hangs. */
  statementTimeoutMs?: number;
}

/** The Postgres store: the core contract plus text search, session search, token vectors and batched neighbours. */
export type PostgresMemoryStore = StoreWith<'textSearch' | 'sessionSearch' | 'tokenVectors' | 'batchNeighbors'> & {
  /** `host:port/database` and schema this store lives in. */
  readonly location: { target: string; schema: string };
};
