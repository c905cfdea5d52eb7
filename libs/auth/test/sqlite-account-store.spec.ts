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
});
