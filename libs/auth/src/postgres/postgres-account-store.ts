import type { Pool } from 'pg';
import { ADVISORY_CLASS, ADVISORY_LOCKS } from '@haitang/event-store';
import type { Account, AccountDisabling, AccountRole } from '../accounts/account';
import { AccountExistsError, type AccountStore } from '../accounts/account-store.port';
import { openAuthDatabase, rewriteTable } from './auth-database';

interface Row {
  account_id: string; username: string; role: AccountRole; org_unit_id: string | null; volunteer_id: string | null; display_name: string;
  password_hash: string; created_at: string; created_by: string; disabled_at: string | null; disabled_by: string | null; disabled_by_admin: boolean | null;
}

const toAccount = (r: Row): Account => ({
  id: r.account_id, username: r.username, role: r.role, orgUnitId: r.org_unit_id, volunteerId: r.volunteer_id, displayName: r.display_name,
  passwordHash: r.password_hash, createdAt: r.created_at, createdBy: r.created_by,
  ...(r.disabled_at !== null ? { disabled: { at: r.disabled_at, by: r.disabled_by ?? '', byAdmin: r.disabled_by_admin === true } } : {}),
});

/**
 * Accounts in PostgreSQL (HAITANG_AUTH_STORE=postgres), shared by every
 * Haitang process of a distributed setup, on any number of hosts. Usernames
 * and ids sort byte-wise (COLLATE "C"), as in SQLite.
 *
 * Disabling takes a transaction-scoped advisory lock: under READ COMMITTED two
 * admins disabling each other at the same moment would each still see the
 * other enabled, and leave no admin. An erased volunteer's accounts are
 * deleted and the table rewritten (rewriteTable), so no page keeps the removed
 * rows; PostgreSQL's write-ahead log keeps them until it recycles its segments.
 */
export class PostgresAccountStore implements AccountStore {
  private constructor(private readonly pool: Pool) {}

  static async open(options: { url: string; applicationName?: string }): Promise<PostgresAccountStore> {
    return new PostgresAccountStore(await openAuthDatabase(options.url, options.applicationName ?? 'haitang accounts'));
  }

  async create(a: Account): Promise<void> {
    const inserted = await this.pool.query(`INSERT INTO auth_accounts
      (username, account_id, role, org_unit_id, volunteer_id, display_name, password_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT DO NOTHING`, [a.username, a.id, a.role, a.orgUnitId, a.volunteerId, a.displayName, a.passwordHash, a.createdAt, a.createdBy]);
    if (inserted.rowCount === 0) throw new AccountExistsError(a.username);
  }

  async find(username: string): Promise<Account | null> {
    const row = (await this.pool.query<Row>('SELECT * FROM auth_accounts WHERE username = $1', [username])).rows[0];
    return row ? toAccount(row) : null;
  }

  async findById(id: string): Promise<Account | null> {
    const row = (await this.pool.query<Row>('SELECT * FROM auth_accounts WHERE account_id = $1', [id])).rows[0];
    return row ? toAccount(row) : null;
  }

  async list(filter: { orgUnitIds?: readonly string[]; volunteerIds?: readonly string[] } = {}): Promise<Account[]> {
    if (!filter.orgUnitIds && !filter.volunteerIds) {
      return (await this.pool.query<Row>('SELECT * FROM auth_accounts ORDER BY username COLLATE "C"')).rows.map(toAccount);
    }
    return (await this.pool.query<Row>(`SELECT * FROM auth_accounts WHERE org_unit_id = ANY($1::text[]) OR volunteer_id = ANY($2::text[])
      ORDER BY username COLLATE "C"`, [filter.orgUnitIds ?? [], filter.volunteerIds ?? []])).rows.map(toAccount);
  }

  async countByRole(role: AccountRole): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_accounts WHERE role = $1', [role])).rows[0].n;
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE auth_accounts SET password_hash = $1 WHERE username = $2', [passwordHash, username])).rowCount ?? 0) > 0;
  }

  async setDisabled(username: string, disabled: AccountDisabling | null): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_CLASS, ADVISORY_LOCKS.accounts]);
      const changed = await client.query(`UPDATE auth_accounts SET disabled_at = $1, disabled_by = $2, disabled_by_admin = $3 WHERE username = $4
        AND ($1::text IS NULL OR role <> 'admin' OR disabled_at IS NOT NULL
          OR EXISTS (SELECT 1 FROM auth_accounts other WHERE other.role = 'admin' AND other.disabled_at IS NULL AND other.username <> $4))`,
      [disabled?.at ?? null, disabled?.by ?? null, disabled ? disabled.byAdmin : null, username]);
      await client.query('COMMIT');
      return (changed.rowCount ?? 0) > 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async disabledIds(): Promise<string[]> {
    return (await this.pool.query<{ account_id: string }>(`SELECT account_id FROM (SELECT account_id FROM auth_accounts WHERE disabled_at IS NOT NULL
      UNION ALL SELECT account_id FROM auth_removed_accounts) ids ORDER BY account_id COLLATE "C"`)).rows.map((r) => r.account_id);
  }

  async signOut(tokenId: string, expiresAt: number, now: number): Promise<void> {
    // Expired tokens are refused anyway: their rows go here, so the table holds at most a token lifetime of
    // sign-outs and the readings every few seconds only read.
    await this.pool.query(`WITH expired AS (DELETE FROM auth_signed_out_tokens WHERE expires_at <= $3)
      INSERT INTO auth_signed_out_tokens VALUES ($1, $2) ON CONFLICT DO NOTHING`, [tokenId, Math.trunc(expiresAt), Math.trunc(now)]);
  }

  async signedOutTokens(now: number): Promise<string[]> {
    return (await this.pool.query<{ token_id: string }>('SELECT token_id FROM auth_signed_out_tokens WHERE expires_at > $1 ORDER BY token_id', [Math.trunc(now)]))
      .rows.map((r) => r.token_id);
  }

  async removeVolunteerAccounts(volunteerId: string): Promise<number> {
    const client = await this.pool.connect();
    let removed = 0;
    try {
      await client.query('BEGIN');
      // Their ids (opaque, not personal data) stay behind as removed, so the tokens they hold are refused like a disabled account's.
      await client.query(`INSERT INTO auth_removed_accounts SELECT account_id, $1 FROM auth_accounts WHERE volunteer_id = $2 ON CONFLICT DO NOTHING`, [new Date().toISOString(), volunteerId]);
      removed = (await client.query('DELETE FROM auth_accounts WHERE volunteer_id = $1', [volunteerId])).rowCount ?? 0;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (removed > 0) await rewriteTable(this.pool, 'auth_accounts');
    return removed;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
