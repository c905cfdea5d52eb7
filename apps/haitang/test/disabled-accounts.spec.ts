import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAccountStore } from '@haitang/auth';
import { DisabledAccounts, SignedOutTokens } from '../src/accounts/disabled-accounts';

/** Two processes over one accounts file (the Docker setup): each learns of the other's disabling when it reads them again. */
describe('DisabledAccounts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-disabled-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('knows the disabled accounts at start, and another process’s change after its next reading', async () => {
    const file = join(dir, 'accounts.sqlite');
    const [storeA, storeB] = [new SqliteAccountStore(file), new SqliteAccountStore(file)];
    const account = { role: 'staff' as const, orgUnitId: 'c1', volunteerId: null, displayName: '王丽', passwordHash: '$argon2id$fake', createdAt: '2026-11-20T01:00:00.000Z', createdBy: 'setup' };
    await storeA.create({ ...account, id: 'acct-1', username: 'wang.li' });
    await storeA.create({ ...account, id: 'acct-2', username: 'li.ming' });
    await storeA.setDisabled('li.ming', { at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true });
    const [a, b] = [new DisabledAccounts(storeA), new DisabledAccounts(storeB)];
    await a.onModuleInit();
    await b.onModuleInit();
    try {
      expect([a.has('acct-1'), a.has('acct-2'), b.has('acct-2')]).toEqual([false, true, true]);
      await storeA.setDisabled('wang.li', { at: '2026-11-26T09:00:00.000Z', by: 'acct-admin', byAdmin: true });
      await a.refresh();
      expect([a.has('acct-1'), b.has('acct-1')]).toEqual([true, false]);
      await b.refresh();
      expect(b.has('acct-1')).toBe(true);
    } finally {
      a.onModuleDestroy();
      b.onModuleDestroy();
      await storeA.close();
      await storeB.close();
    }
  });
});

describe('DisabledAccounts: readings that finish out of order', () => {
  it('keeps the newer reading when an older one lands after it', async () => {
    const answers: ((ids: string[]) => void)[] = [];
    const store = { disabledIds: () => new Promise<string[]>((resolve) => answers.push(resolve)) };
    const disabled = new DisabledAccounts(store as never);
    const older = disabled.refresh();
    const newer = disabled.refresh();
    answers[1](['acct-newly-disabled']);
    await newer;
    answers[0]([]);
    await older;
    expect(disabled.has('acct-newly-disabled')).toBe(true);
  });
});

describe('SignedOutTokens', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-signed-out-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a token signed out here at once, and in another process after its next reading', async () => {
    const file = join(dir, 'accounts.sqlite');
    const [storeA, storeB] = [new SqliteAccountStore(file), new SqliteAccountStore(file)];
    const [a, b] = [new SignedOutTokens(storeA), new SignedOutTokens(storeB)];
    await a.onModuleInit();
    await b.onModuleInit();
    try {
      await a.signOut('jti-1', Date.now() + 60_000);
      expect([a.has('jti-1'), b.has('jti-1'), a.has('jti-2')]).toEqual([true, false, false]);
      await b.refresh();
      expect(b.has('jti-1')).toBe(true);
    } finally {
      a.onModuleDestroy();
      b.onModuleDestroy();
      await storeA.close();
      await storeB.close();
    }
  });
});
