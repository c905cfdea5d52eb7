import { type Pool, Pool as PgPool } from 'pg';
import { clientConfig, migrate } from '@haitang/event-store';
import { AUTH_MIGRATIONS } from './auth-schema';

/** A small pool on the auth tables (accounts and personal-data keys), migrated before first use. */
export async function openAuthDatabase(url: string, applicationName: string): Promise<Pool> {
  const pool = new PgPool({ ...clientConfig({ url, applicationName }), max: 4 });
  pool.on('error', () => undefined); // an idle connection cut by the server: the next query opens another
  try {
    const client = await pool.connect();
    try {
      await migrate(client, 'auth', AUTH_MIGRATIONS);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/**
 * Rewrites a table without its dead rows (VACUUM FULL), so that no page keeps
 * what was just deleted (an erased volunteer's account or key). It needs the
 * table to itself: when another transaction holds it (a pg_dump under way), it
 * gives up after two seconds rather than hold every sign-in behind it, and the
 * rows go at the next rewrite. Never fails the erasure it follows: false when
 * the table was not rewritten.
 */
export async function rewriteTable(pool: Pool, table: 'auth_accounts' | 'vault_keys'): Promise<boolean> {
  const client = await pool.connect().catch(() => null);
  if (!client) return false;
  try {
    await client.query("SET lock_timeout = '2s'");
    await client.query(`VACUUM FULL ${table}`);
    return true;
  } catch {
    return false;
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
    client.release();
  }
}
