import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Account, AccountDisabling, AccountRole } from './account';
import { AccountExistsError, type AccountStore } from './account-store.port';

interface Row {
  account_id: string; username: string; role: AccountRole; org_unit_id: string | null; volunteer_id: string | null; display_name: string;
  password_hash: string; created_at: string; created_by: string; disabled_at: string | null; disabled_by: string | null; disabled_by_admin: number | null;
}

const toAccount = (r: Row): Account => ({
  id: r.account_id, username: r.username, role: r.role, orgUnitId: r.org_unit_id, volunteerId: r.volunteer_id, displayName: r.display_name,
  passwordHash: r.password_hash, createdAt: r.created_at, createdBy: r.created_by,
  ...(r.disabled_at !== null ? { disabled: { at: r.disabled_at, by: r.disabled_by ?? '', byAdmin: r.disabled_by_admin === 1 } } : {}),
});

/**
 * Accounts in their own SQLite file (accounts.sqlite in the data directory).
 * `secure_delete` overwrites removed rows, so an erased volunteer's account
 * leaves no readable bytes behind.
 */
export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    // One write transaction: two processes opening an older file at once (the server and `npm run admin`) migrate it once.
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS accounts (
        username TEXT PRIMARY KEY, account_id TEXT NOT NULL UNIQUE, role TEXT NOT NULL, org_unit_id TEXT, volunteer_id TEXT, display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, disabled_at TEXT, disabled_by TEXT, disabled_by_admin INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS accounts_by_unit ON accounts (org_unit_id) WHERE org_unit_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS accounts_by_volunteer ON accounts (volunteer_id) WHERE volunteer_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS removed_accounts (account_id TEXT PRIMARY KEY, removed_at TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS signed_out_tokens (token_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;`);
      // Files made before accounts could be disabled get the columns they lack (an ALTER that rewrites nothing).
      const columns = new Set((this.db.prepare('SELECT name FROM pragma_table_info(\'accounts\')').all() as { name: string }[]).map((c) => c.name));
      for (const [column, type] of [['disabled_at', 'TEXT'], ['disabled_by', 'TEXT'], ['disabled_by_admin', 'INTEGER']]) {
        if (!columns.has(column)) this.db.exec(`ALTER TABLE accounts ADD COLUMN ${column} ${type}`);
      }
    }).immediate();
  }

  async create(a: Account): Promise<void> {
    const inserted = this.db.prepare(`INSERT OR IGNORE INTO accounts
      (username, account_id, role, org_unit_id, volunteer_id, display_name, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(a.username, a.id, a.role, a.orgUnitId, a.volunteerId, a.displayName, a.passwordHash, a.createdAt, a.createdBy);
    if (inserted.changes === 0) throw new AccountExistsError(a.username);
  }

  async find(username: string): Promise<Account | null> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE username = ?').get(username) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  async findById(id: string): Promise<Account | null> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE account_id = ?').get(id) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  async list(filter: { orgUnitIds?: readonly string[]; volunteerIds?: readonly string[] } = {}): Promise<Account[]> {
    if (!filter.orgUnitIds && !filter.volunteerIds) {
      return (this.db.prepare('SELECT * FROM accounts ORDER BY username').all() as Row[]).map(toAccount);
    }
    return (this.db.prepare(`SELECT * FROM accounts
      WHERE org_unit_id IN (SELECT value FROM json_each(?)) OR volunteer_id IN (SELECT value FROM json_each(?)) ORDER BY username`)
      .all(JSON.stringify(filter.orgUnitIds ?? []), JSON.stringify(filter.volunteerIds ?? [])) as Row[]).map(toAccount);
  }

  async countByRole(role: AccountRole): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM accounts WHERE role = ?').get(role) as { n: number }).n;
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<boolean> {
    return this.db.prepare('UPDATE accounts SET password_hash = ? WHERE username = ?').run(passwordHash, username).changes > 0;
  }

  async setDisabled(username: string, disabled: AccountDisabling | null): Promise<boolean> {
    // One statement, so the count of the other enabled admins and the change cannot be split by another writer.
    return this.db.prepare(`UPDATE accounts SET disabled_at = @at, disabled_by = @by, disabled_by_admin = @byAdmin WHERE username = @username
      AND (@at IS NULL OR role <> 'admin' OR disabled_at IS NOT NULL
        OR EXISTS (SELECT 1 FROM accounts other WHERE other.role = 'admin' AND other.disabled_at IS NULL AND other.username <> @username))`)
      .run({ at: disabled?.at ?? null, by: disabled?.by ?? null, byAdmin: disabled ? Number(disabled.byAdmin) : null, username }).changes > 0;
  }

  async disabledIds(): Promise<string[]> {
    return this.db.prepare(`SELECT account_id FROM accounts WHERE disabled_at IS NOT NULL
      UNION ALL SELECT account_id FROM removed_accounts ORDER BY account_id`).pluck().all() as string[];
  }

  async signOut(tokenId: string, expiresAt: number, now: number): Promise<void> {
    // Expired tokens are refused anyway: their rows go here, so the table holds at most a token lifetime of
    // sign-outs and the readings every few seconds only read.
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM signed_out_tokens WHERE expires_at <= ?').run(Math.trunc(now));
      this.db.prepare('INSERT OR IGNORE INTO signed_out_tokens VALUES (?, ?)').run(tokenId, Math.trunc(expiresAt));
    })();
  }

  async signedOutTokens(now: number): Promise<string[]> {
    return this.db.prepare('SELECT token_id FROM signed_out_tokens WHERE expires_at > ? ORDER BY token_id').pluck().all(Math.trunc(now)) as string[];
  }

  async removeVolunteerAccounts(volunteerId: string): Promise<number> {
    // Their ids (opaque, not personal data) stay behind as removed, so the tokens they hold are refused like a disabled account's.
    const removed = this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO removed_accounts SELECT account_id, ? FROM accounts WHERE volunteer_id = ?').run(new Date().toISOString(), volunteerId);
      return this.db.prepare('DELETE FROM accounts WHERE volunteer_id = ?').run(volunteerId).changes;
    }).immediate();
    if (removed > 0) {
      // secure_delete zeroes the rows, but a b-tree may keep a removed username as a separator key in an
      // inner page: VACUUM rewrites the file without it, and the checkpoint empties the WAL.
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return removed;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
