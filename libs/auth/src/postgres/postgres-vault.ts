import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { PersonalData } from '../vault/personal-data';
import type { PersonalDataVault } from '../vault/personal-data-vault.port';
import { assertMasterKey, openWith, sealWith, unwrapKey, wrapKey } from '../vault/sealing';
import { openAuthDatabase } from './auth-database';

/**
 * The vault in PostgreSQL (HAITANG_AUTH_STORE=postgres): one AES-256-GCM key
 * per volunteer, stored wrapped with the master key, shared by every Haitang
 * process. Keys are not cached: once one process destroyed a key (erasure),
 * no process can open that volunteer's data again. Destroying rewrites the
 * table (VACUUM FULL), so no page keeps the removed key; PostgreSQL's
 * write-ahead log keeps it until it recycles its segments.
 */
export class PostgresVault implements PersonalDataVault {
  private constructor(private readonly pool: Pool, private readonly masterKey: Buffer) {}

  static async open(options: { url: string; masterKey: Buffer; applicationName?: string }): Promise<PostgresVault> {
    assertMasterKey(options.masterKey);
    return new PostgresVault(await openAuthDatabase(options.url, options.applicationName ?? 'haitang vault'), options.masterKey);
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
    if ((deleted.rowCount ?? 0) > 0) await this.pool.query('VACUUM FULL vault_keys');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
