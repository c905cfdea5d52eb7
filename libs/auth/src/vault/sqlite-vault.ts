import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersonalData } from './personal-data';
import type { PersonalDataVault } from './personal-data-vault.port';

const VERSION = 'v1';

function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
}

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
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes (base64 in HAITANG_MASTER_KEY).');
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
    if (row) key = decrypt(this.masterKey, row.wrapped_key, `key:${volunteerId}`);
    else if (create) {
      key = randomBytes(32);
      this.db.prepare('INSERT INTO volunteer_keys (volunteer_id, wrapped_key) VALUES (?, ?)').run(volunteerId, encrypt(this.masterKey, key, `key:${volunteerId}`));
    }
    if (key) this.keys.set(volunteerId, key);
    return key;
  }

  async seal(volunteerId: string, data: PersonalData): Promise<string> {
    const key = this.keyFor(volunteerId, true) as Buffer;
    return encrypt(key, Buffer.from(JSON.stringify(data)), `pd:${volunteerId}`);
  }

  async open(volunteerId: string, sealed: string): Promise<PersonalData | null> {
    const key = this.keyFor(volunteerId, false);
    if (!key) return null;
    return JSON.parse(decrypt(key, sealed, `pd:${volunteerId}`).toString('utf8')) as PersonalData;
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
