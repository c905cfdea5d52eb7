import type { Account, AccountStore } from '../src';

// Errors are matched by name, so the suite also runs against adapters loaded from elsewhere (e.g. the build).

export interface AccountStoreFixture {
  store: AccountStore;
  /** Closes the store and opens the same storage again (to prove durability). */
  reopen(): Promise<AccountStore>;
  cleanup(): Promise<void>;
}

const anAccount = (username: string, over: Partial<Account> = {}): Account => ({
  id: `acct-${username}`, username, role: 'staff', orgUnitId: 'taohuawu', volunteerId: null, displayName: '王丽', passwordHash: `$argon2id$fake$${username}`,
  createdAt: '2026-11-20T01:00:00.000Z', createdBy: 'setup', ...over,
});

/** The contract every AccountStore adapter must pass, unchanged. `makeFixture` gives a fresh, empty store. */
export function accountStoreContract(adapter: string, makeFixture: () => Promise<AccountStoreFixture>): void {
  describe(`AccountStore contract: ${adapter}`, () => {
    let fixture: AccountStoreFixture;
    let store: AccountStore;
    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.cleanup());

    it('stores an account and finds it by username, after a reopen too', async () => {
      const account = anAccount('wang.li');
      await store.create(account);
      expect(await store.find('wang.li')).toEqual(account);
      store = await fixture.reopen();
      expect(await store.find('wang.li')).toEqual(account);
      expect(await store.find('nobody')).toBeNull();
    });

    it('refuses a taken username (or id) and keeps the first account; finds accounts by id too', async () => {
      await store.create(anAccount('wang.li'));
      await expect(store.create(anAccount('wang.li', { id: 'acct-other', role: 'admin', orgUnitId: null }))).rejects.toMatchObject({ name: 'AccountExistsError', username: 'wang.li' });
      await expect(store.create(anAccount('li.ming', { id: 'acct-wang.li' }))).rejects.toMatchObject({ name: 'AccountExistsError' });
      expect((await store.find('wang.li'))?.role).toBe('staff');
      expect((await store.findById('acct-wang.li'))?.username).toBe('wang.li');
      expect(await store.findById('acct-li.ming')).toBeNull();
      expect(await store.find('li.ming')).toBeNull();
    });

    it('disables an account and enables it again, after a reopen too; lists the disabled ids', async () => {
      const account = anAccount('wang.li');
      await store.create(account);
      await store.create(anAccount('li.ming'));
      expect(await store.disabledIds()).toEqual([]);
      expect(await store.setDisabled('wang.li', { at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true })).toBe(true);
      expect(await store.setDisabled('nobody', { at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true })).toBe(false);
      store = await fixture.reopen();
      expect(await store.find('wang.li')).toEqual({ ...account, disabled: { at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true } });
      expect((await store.findById('acct-wang.li'))?.disabled).toEqual({ at: '2026-11-26T08:00:00.000Z', by: 'acct-admin', byAdmin: true });
      expect(await store.disabledIds()).toEqual(['acct-wang.li']);
      expect((await store.list()).map((a) => [a.username, a.disabled?.by ?? null])).toEqual([['li.ming', null], ['wang.li', 'acct-admin']]);
      expect(await store.setDisabled('wang.li', null)).toBe(true);
      expect(await store.find('wang.li')).toEqual(account);
      expect(await store.disabledIds()).toEqual([]);
      // Who disabled it: an admin or not.
      expect(await store.setDisabled('li.ming', { at: '2026-11-26T09:00:00.000Z', by: 'acct-staff', byAdmin: false })).toBe(true);
      expect((await store.find('li.ming'))?.disabled).toEqual({ at: '2026-11-26T09:00:00.000Z', by: 'acct-staff', byAdmin: false });
    });

    it('never disables the last enabled admin', async () => {
      await store.create(anAccount('root', { role: 'admin', orgUnitId: null }));
      await store.create(anAccount('root2', { role: 'admin', orgUnitId: null }));
      const at = { at: '2026-11-26T08:00:00.000Z', by: 'acct-root', byAdmin: true };
      expect(await store.setDisabled('root2', at)).toBe(true);
      expect(await store.setDisabled('root', at)).toBe(false);
      expect((await store.find('root'))?.disabled).toBeUndefined();
      // Disabling it again, once disabled, changes nothing and is no refusal.
      expect(await store.setDisabled('root2', at)).toBe(true);
      expect(await store.setDisabled('root2', null)).toBe(true);
      expect(await store.setDisabled('root', at)).toBe(true);
    });

    it('lists all accounts, or those bound to given units or volunteers, by username', async () => {
      await store.create(anAccount('c-staff', { orgUnitId: 'c' }));
      await store.create(anAccount('a-staff', { orgUnitId: 'a' }));
      await store.create(anAccount('b-official', { role: 'official', orgUnitId: 'b' }));
      await store.create(anAccount('v1', { role: 'volunteer', orgUnitId: null, volunteerId: 'v-1' }));
      await store.create(anAccount('root', { role: 'admin', orgUnitId: null }));
      expect((await store.list()).map((a) => a.username)).toEqual(['a-staff', 'b-official', 'c-staff', 'root', 'v1']);
      expect((await store.list({ orgUnitIds: ['a', 'b'] })).map((a) => a.username)).toEqual(['a-staff', 'b-official']);
      expect((await store.list({ orgUnitIds: ['c'], volunteerIds: ['v-1'] })).map((a) => a.username)).toEqual(['c-staff', 'v1']);
      expect(await store.list({ orgUnitIds: [], volunteerIds: [] })).toEqual([]);
      expect(await store.countByRole('admin')).toBe(1);
      expect(await store.countByRole('staff')).toBe(2);
    });

    it('replaces a password hash, and says when there is no such account', async () => {
      await store.create(anAccount('wang.li'));
      expect(await store.setPasswordHash('wang.li', '$argon2id$new')).toBe(true);
      expect((await store.find('wang.li'))?.passwordHash).toBe('$argon2id$new');
      expect(await store.setPasswordHash('nobody', '$argon2id$new')).toBe(false);
    });

    it('removes the accounts of an erased volunteer, and only those, keeping their ids as removed (refused like disabled ones)', async () => {
      await store.create(anAccount('v1', { role: 'volunteer', orgUnitId: null, volunteerId: 'v-1' }));
      await store.create(anAccount('v1-again', { role: 'volunteer', orgUnitId: null, volunteerId: 'v-1' }));
      await store.create(anAccount('v2', { role: 'volunteer', orgUnitId: null, volunteerId: 'v-2' }));
      expect(await store.removeVolunteerAccounts('v-1')).toBe(2);
      expect(await store.removeVolunteerAccounts('v-1')).toBe(0);
      expect((await store.list()).map((a) => a.username)).toEqual(['v2']);
      expect(await store.disabledIds()).toEqual(['acct-v1', 'acct-v1-again']);
      store = await fixture.reopen();
      expect(await store.disabledIds()).toEqual(['acct-v1', 'acct-v1-again']);
    });

    it('remembers signed-out tokens until they expire, across a reopen, once each', async () => {
      const now = Date.UTC(2026, 10, 26, 8);
      expect(await store.signedOutTokens(now)).toEqual([]);
      await store.signOut('jti-b', now + 60_000, now);
      await store.signOut('jti-a', now + 3_600_000, now);
      await store.signOut('jti-a', now + 3_600_000, now);
      await store.signOut('jti-old', now - 1, now);
      store = await fixture.reopen();
      expect(await store.signedOutTokens(now)).toEqual(['jti-a', 'jti-b']);
      // Expired: forgotten (an expired token is refused anyway).
      expect(await store.signedOutTokens(now + 60_000)).toEqual(['jti-a']);
      expect(await store.signedOutTokens(now + 3_600_000)).toEqual([]);
    });
  });
}
