import { createHmac, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { PersonalData } from '../vault/personal-data';
import type { PersonalDataVault } from '../vault/personal-data-vault.port';
import { assertMasterKey, openWith, sealWith, unwrapKey, wrapKey } from '../vault/sealing';
import { openAuthDatabase, rewriteTable } from './auth-database';

/**
 * The vault in PostgreSQL (HAITANG_AUTH_STORE=postgres): one AES-256-GCM key
 * per volunteer, stored wrapped with the master key, shared by every Haitang
 * process. Keys are not cached: once one process destroyed a key (erasure),
 * no process can open that volunteer's data again. Destroying rewrites the
 * table (rewriteTable), so no page keeps the removed key; PostgreSQL's
 * write-ahead log keeps it until it recycles its segments.
 *
 * The database remembers a fingerprint of the master key it was first used
 * with (an HMAC, which tells nothing of the key): a process with another key
 * (a second host that made its own master.key) is refused at start, instead of
 * failing on every volunteer's data.
 */
export class PostgresVault implements PersonalDataVault {
  private constructor(private readonly pool: Pool, private readonly masterKey: Buffer) {}

  static async open(options: { url: string; masterKey: Buffer; applicationName?: string }): Promise<PostgresVault> {
    assertMasterKey(options.masterKey);
    const pool = await openAuthDatabase(options.url, options.applicationName ?? 'haitang vault');
    try {
      const fingerprint = createHmac('sha256', options.masterKey).update('haitang vault master key v1').digest('base64');
      await pool.query('INSERT INTO vault_master_key (id, fingerprint) VALUES (1, $1) ON CONFLICT DO NOTHING', [fingerprint]);
      const stored = (await pool.query<{ fingerprint: string }>('SELECT fingerprint FROM vault_master_key WHERE id = 1')).rows[0].fingerprint;
      if (stored !== fingerprint) {
        throw new Error('HAITANG_MASTER_KEY is not the master key this database\'s personal-data keys were made with: give every Haitang process the same HAITANG_MASTER_KEY.');
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresVault(pool, options.masterKey);
  }

  private async keyFor(volunteerId: string, create: boolean): Promise<Buffer | null> {
    const stored = async () => (await this.pool.query<{ wrapped_key: string }>('SELECT wrapped_key FROM vault_keys WHERE volunteer_id = $1', [volunteerId])).rows[0];
    let row = await stored();
    if (!row && create) {
      // Two processes sealing for a new volunteer at once: the first key stored is everybody's.
      await this.pool.query('INSERT INTO vault_keys (volunteer_id, wrapped_key) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [volunteerId, wrapKey(this.masterKey, volunteerId, randomBytes(32))]);
      row = await stored();
    }
    return row ? unwrapKey(this.masterKey, volunteerId, row.wrapped_key) : null;
  }

  async seal(volunteerId: string, data: PersonalData): Promise<string> {
    const key = (await this.keyFor(volunteerId, true)) as Buffer;
    return sealWith(key, volunteerId, Buffer.from(JSON.stringify(data)));
  }

  async open(volunteerId: string, sealed: string): Promise<PersonalData | null> {
    const key = await this.keyFor(volunteerId, false);
    if (!key) return null;
    return JSON.parse(openWith(key, volunteerId, sealed).toString('utf8')) as PersonalData;
  }

  async destroyKey(volunteerId: string): Promise<void> {
    const deleted = await this.pool.query('DELETE FROM vault_keys WHERE volunteer_id = $1', [volunteerId]);
    if ((deleted.rowCount ?? 0) > 0) await rewriteTable(this.pool, 'vault_keys');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
