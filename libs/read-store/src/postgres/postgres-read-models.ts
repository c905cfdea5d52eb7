import { Pool } from 'pg';
import { clientConfig, migrate, type PostgresConnection } from '@haitang/event-store';
import type { ReadModels } from '../read-models.port';
import { READ_STORE_MIGRATIONS } from './schema';

/** `?` placeholders (outside quoted text) to PostgreSQL's `$1, $2, …`, once per statement text. */
const converted = new Map<string, string>();
export function toPostgresPlaceholders(sql: string): string {
  let text = converted.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/'(?:[^']|'')*'|\?/g, (match) => (match === '?' ? `$${++n}` : match));
    converted.set(sql, text);
  }
  return text;
}

/** Migrates the read store's tables (refusing a newer schema) on one connection of `url`. */
export async function migrateReadStore(connection: PostgresConnection): Promise<void> {
  const pool = new Pool({ ...clientConfig(connection), max: 1 });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, 'read-store', READ_STORE_MIGRATIONS);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * The read models in PostgreSQL, for the queries: a small pool, the same SQL
 * as SQLite. A lost connection fails the query (the HTTP API answers 503: see
 * isConnectionFailure); the pool reconnects by itself.
 */
export class PostgresReadModels implements ReadModels {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  private constructor(connection: PostgresConnection, poolSize: number) {
    this.pool = new Pool({ ...clientConfig(connection), max: poolSize, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => undefined);
  }

  /** Migrates the schema (refusing a newer one), then answers queries. */
  static async open(connection: PostgresConnection & { poolSize?: number }): Promise<PostgresReadModels> {
    await migrateReadStore(connection);
    return new PostgresReadModels({ ...connection, applicationName: connection.applicationName ?? 'haitang reporting' }, connection.poolSize ?? 8);
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query({ text: toPostgresPlaceholders(sql), values: params as unknown[] })).rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** One connection, one REPEATABLE READ read-only transaction: every query of `work` sees the same snapshot. */
  async consistent<T>(work: (db: ReadModels) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // One query at a time on the connection, in the order they were asked for.
      let queue: Promise<unknown> = Promise.resolve();
      const all = <R>(sql: string, params: readonly unknown[] = []): Promise<R[]> => {
        const next = queue.then(async () => (await client.query({ text: toPostgresPlaceholders(sql), values: params as unknown[] })).rows as R[]);
        queue = next.catch(() => undefined);
        return next;
      };
      const scoped: ReadModels = {
        dialect: 'postgres',
        all,
        get: async <R>(sql: string, params?: readonly unknown[]) => (await all<R>(sql, params))[0],
        consistent: (inner) => inner(scoped),
      };
      const result = await work(scoped);
      await queue;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failure);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
