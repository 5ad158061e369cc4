import { createErrorFactory, isNeuroMemError } from '@neuromem/core';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

const fail = createErrorFactory('store-postgres');

/** Errors that mean the server could not be reached or dropped the connection: worth a bounded retry. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
/** A transaction that lost a race (serialization failure, deadlock): run it again. */
const RACE_CODES = new Set(['40001', '40P01']);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
const isConnectionError = (error: unknown) => {
  const code = codeOf(error);
  return (code !== undefined && CONNECTION_CODES.has(code)) || /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test((error as Error)?.message ?? '');
};

export interface PostgresConnection {
  /** Where the store lives, for error messages: `host:port/database` (never the password). */
  readonly target: string;
  /** One statement outside a transaction; retried when the connection fails (reads are idempotent). */
  query<R extends QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction on one connection: all of it commits, or none of it. */
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

/**
 * The store's way to the server: every failure leaves as a typed `STORAGE` error naming the server
 * and database; connection failures are retried a bounded number of times with backoff; a
 * transaction is retried only when it failed before its COMMIT was sent (so nothing runs twice) or
 * lost a serialization race.
 */
export function createPostgresConnection(pool: Pool, options: { retries: number }): PostgresConnection {
  const settings = (pool as unknown as { options?: { host?: string; port?: number; database?: string; connectionString?: string } }).options ?? {};
  const target = describeTarget(settings);
  const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt + Math.random() * 50));

  const storageError = (error: unknown, action: string) => {
    if (isNeuroMemError(error)) return error;
    const code = codeOf(error);
    const reason = `${code ? `${code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
    const advice = isConnectionError(error)
      ? `PostgreSQL at ${target} cannot be reached; check that it runs and accepts connections. Nothing was written.`
      : `PostgreSQL at ${target} refused it; the transaction was rolled back.`;
    return fail('STORAGE', `${action} failed (${reason}). ${advice}`, { cause: error, details: { target, ...(code ? { code } : {}) } });
  };

  async function connect(action: string): Promise<PoolClient> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect();
      } catch (error) {
        if (!isConnectionError(error) || attempt >= options.retries) throw storageError(error, action);
        await pause(attempt);
      }
    }
  }

  return {
    target,
    async query<R extends QueryResultRow>(sql: string, params: readonly unknown[] = []) {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await pool.query<R>(sql, params as unknown[])).rows;
        } catch (error) {
          if (!isConnectionError(error) || attempt >= options.retries) throw storageError(error, 'a read');
          await pause(attempt);
        }
      }
    },
    async transaction<T>(work: (client: PoolClient) => Promise<T>) {
      for (let attempt = 0; ; attempt++) {
        const client = await connect('a write');
        // A connection that drops while checked out also emits 'error' on the client; unheard, that
        // event would end the process. The failed statement reports it; this only keeps it heard.
        const ignore = () => undefined;
        client.on('error', ignore);
        let committing = false;
        let broken = false;
        try {
          await client.query('BEGIN');
          const result = await work(client);
          committing = true;
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = isConnectionError(error);
          if (!broken) await client.query('ROLLBACK').catch(() => undefined);
          if (isNeuroMemError(error)) throw error;
          const retry = attempt < options.retries && (RACE_CODES.has(codeOf(error) ?? '') || (broken && !committing));
          if (!retry) {
            if (broken && committing) {
              throw fail('STORAGE', `the connection to PostgreSQL at ${target} dropped while a write was committing, so it may or may not have landed; read it back before writing it again.`, {
                cause: error,
                details: { target },
              });
            }
            throw storageError(error, 'a write');
          }
        } finally {
          client.off('error', ignore);
          client.release(broken);
        }
        await pause(attempt);
      }
    },
  };
}

function describeTarget(settings: { host?: string; port?: number; database?: string; connectionString?: string }): string {
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      return `${url.hostname}:${url.port || 5432}${url.pathname || '/postgres'}`;
    } catch {
      return 'the configured server';
    }
  }
  return `${settings.host ?? 'localhost'}:${settings.port ?? 5432}/${settings.database ?? 'postgres'}`;
}
