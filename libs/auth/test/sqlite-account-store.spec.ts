import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAccountStore } from '../src/accounts/sqlite-account-store';
import { accountStoreContract } from './account-store.contract';

accountStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'haitang-accounts-'));
  const file = join(dir, 'accounts.sqlite');
  let store = new SqliteAccountStore(file);
  return {
    store,
    async reopen() {
      await store.close();
      store = new SqliteAccountStore(file);
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite account store', () => {
  it('leaves no readable trace of a removed volunteer account in its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-accounts-'));
    try {
      const store = new SqliteAccountStore(join(dir, 'accounts.sqlite'));
      await store.create({
        id: 'acct-1', username: '13912345678', role: 'volunteer', orgUnitId: null, volunteerId: 'v-9', displayName: '欧阳娜娜',
        passwordHash: '$argon2id$fake', createdAt: '2026-11-20T01:00:00.000Z', createdBy: 'setup',
      });
      await store.removeVolunteerAccounts('v-9');
      await store.close();
      for (const file of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, file));
        expect([file, bytes.includes(Buffer.from('13912345678')), bytes.includes(Buffer.from('欧阳娜娜'))]).toEqual([file, false, false]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** An accounts file as an older Haitang left it: the first columns, plus `extra` (a migration stopped half-way), and one staff account. */
  function olderFile(dir: string, extra: readonly string[]): string {
    const file = join(dir, 'accounts.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE accounts (
      username TEXT PRIMARY KEY, account_id TEXT NOT NULL UNIQUE, role TEXT NOT NULL, org_unit_id TEXT, volunteer_id TEXT, display_name TEXT NOT NULL,
      password_hash TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL${extra.map((c) => `, ${c} TEXT`).join('')}
    ) WITHOUT ROWID`);
    old.prepare(`INSERT INTO accounts (username, account_id, role, org_unit_id, display_name, password_hash, created_at, created_by)
      VALUES ('wang.li', 'acct-1', 'staff', 'taohuawu', '王丽', '$argon2id$fake', '2026-11-20T01:00:00.000Z', 'setup')`).run();
    old.close();
    return file;
  }

  it.each([
    ['made before accounts could be disabled', []],
    ['whose migration stopped half-way (one of the two columns added)', ['disabled_at']],
  ])('opens a file %s, keeps its accounts, and disables them', async (_why, extra) => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-accounts-'));
    try {
      const store = new SqliteAccountStore(olderFile(dir, extra));
      expect(await store.find('wang.li')).toEqual({
        id: 'acct-1', username: 'wang.li', role: 'staff', orgUnitId: 'taohuawu', volunteerId: null, displayName: '王丽',
        passwordHash: '$argon2id$fake', createdAt: '2026-11-20T01:00:00.000Z', createdBy: 'setup',
      });
      expect(await store.setDisabled('wang.li', { at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true })).toBe(true);
      expect((await store.find('wang.li'))?.disabled).toEqual({ at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true });
      expect(await store.disabledIds()).toEqual(['acct-1']);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
