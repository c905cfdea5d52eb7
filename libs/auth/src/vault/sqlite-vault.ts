import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersonalData } from './personal-data';
import type { PersonalDataVault } from './personal-data-vault.port';
import { assertMasterKey, openWith, sealWith, unwrapKey, wrapKey } from './sealing';

/**
 * The vault on its own SQLite file: one AES-256-GCM data key per volunteer,
 * stored wrapped (encrypted) with the master key from the environment.
 * `secure_delete` overwrites a destroyed key's bytes, and a WAL checkpoint
 * removes them from the write-ahead log.
 */
export class SqliteVault implements PersonalDataVault {
  private readonly db: Database.Database;
  private readonly keys = new Map<string, Buffer>();

  constructor(file: string, private readonly masterKey: Buffer) {
    assertMasterKey(masterKey);
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec('CREATE TABLE IF NOT EXISTS volunteer_keys (volunteer_id TEXT PRIMARY KEY, wrapped_key TEXT NOT NULL) WITHOUT ROWID');
  }

  private keyFor(volunteerId: string, create: boolean): Buffer | null {
    const cached = this.keys.get(volunteerId);
    if (cached) return cached;
    const row = this.db.prepare('SELECT wrapped_key FROM volunteer_keys WHERE volunteer_id = ?').get(volunteerId) as { wrapped_key: string } | undefined;
    let key: Buffer | null = null;
    if (row) key = unwrapKey(this.masterKey, volunteerId, row.wrapped_key);
    else if (create) {
      key = randomBytes(32);
      this.db.prepare('INSERT INTO volunteer_keys (volunteer_id, wrapped_key) VALUES (?, ?)').run(volunteerId, wrapKey(this.masterKey, volunteerId, key));
    }
    if (key) this.keys.set(volunteerId, key);
    return key;
  }

  async seal(volunteerId: string, data: PersonalData): Promise<string> {
    const key = this.keyFor(volunteerId, true) as Buffer;
    return sealWith(key, volunteerId, Buffer.from(JSON.stringify(data)));
  }

  async open(volunteerId: string, sealed: string): Promise<PersonalData | null> {
    const key = this.keyFor(volunteerId, false);
    if (!key) return null;
    return JSON.parse(openWith(key, volunteerId, sealed).toString('utf8')) as PersonalData;
  }

  async destroyKey(volunteerId: string): Promise<void> {
    this.keys.delete(volunteerId);
    this.db.prepare('DELETE FROM volunteer_keys WHERE volunteer_id = ?').run(volunteerId);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    this.keys.clear();
    this.db.close();
  }
}
