import { Pool } from 'pg';
import { clientConfig, migrate } from '@haitang/event-store';
import { AUTH_MIGRATIONS } from './auth-schema';

/** A small pool on the auth tables (accounts and personal-data keys), migrated before first use. */
export async function openAuthDatabase(url: string, applicationName: string): Promise<Pool> {
  const pool = new Pool({ ...clientConfig({ url, applicationName }), max: 4 });
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
