import type { ClientBase } from 'pg';
import { ADVISORY_CLASS, ADVISORY_LOCKS } from './pg-connection';

/** One step of a component's schema. Versions start at 1 and never change once released. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** The database holds a schema from a newer Haitang: refused, never rewritten or downgraded. */
export class SchemaTooNewError extends Error {
  constructor(readonly component: string, readonly found: number, readonly supported: number) {
    super(`The PostgreSQL schema of the ${component} has version ${found}, newer than this Haitang supports (${supported}). ` +
      'Upgrade Haitang, or point it at another database.');
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings a component's tables (the event store, the read store) to the latest
 * version, one transaction per migration, recorded in `haitang_schema_versions`.
 * Several processes starting at once are serialized by an advisory lock. A
 * database whose version is newer than the newest migration known here is refused.
 * Returns the versions before and after.
 */
export async function migrate(client: ClientBase, component: string, migrations: readonly Migration[]): Promise<{ from: number; to: number }> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const latest = sorted.at(-1)?.version ?? 0;
  await client.query('SELECT pg_advisory_lock($1, $2)', [ADVISORY_CLASS, ADVISORY_LOCKS.migrate]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS haitang_schema_versions (
      component text PRIMARY KEY, version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
    const found = (await client.query<{ version: number }>('SELECT version FROM haitang_schema_versions WHERE component = $1', [component])).rows[0]?.version ?? 0;
    if (found > latest) throw new SchemaTooNewError(component, found, latest);
    for (const migration of sorted) {
      if (migration.version <= found) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO haitang_schema_versions (component, version) VALUES ($1, $2)
          ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = now()`, [component, migration.version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${component} v${migration.version} (${migration.description}) failed: ${(error as Error).message}`, { cause: error });
      }
    }
    return { from: found, to: Math.max(found, latest) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_CLASS, ADVISORY_LOCKS.migrate]).catch(() => undefined);
  }
}
