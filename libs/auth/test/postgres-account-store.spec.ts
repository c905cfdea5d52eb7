import { Client } from 'pg';
import { newAccount, PostgresAccountStore } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { accountStoreContract } from './account-store.contract';

/** The same contract as the SQLite file, unchanged, against a real PostgreSQL server: a fresh database per test. */
describePostgres('PostgreSQL account store', () => {
  accountStoreContract('PostgreSQL', async () => {
    const url = await freshDatabase('accounts');
    let store = await PostgresAccountStore.open({ url });
    return {
      store,
      async reopen() {
        await store.close();
        store = await PostgresAccountStore.open({ url });
        return store;
      },
      async cleanup() {
        await store.close();
      },
    };
  });

  it('leaves one admin enabled when two processes disable the two admins at the same moment, again and again', async () => {
    const url = await freshDatabase('accounts_race');
    const [a, b] = await Promise.all([PostgresAccountStore.open({ url }), PostgresAccountStore.open({ url })]);
    try {
      for (const username of ['admin-a', 'admin-b']) await a.create((await newAccount({ username, role: 'admin', displayName: '管理员' }, 'setup')).account);
      for (let round = 0; round < 20; round++) {
        const at = new Date().toISOString();
        const outcomes = await Promise.all([
          a.setDisabled('admin-a', { at, by: 'acct-b', byAdmin: true }),
          b.setDisabled('admin-b', { at, by: 'acct-a', byAdmin: true }),
        ]);
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const enabled = (await a.list()).filter((x) => x.role === 'admin' && !x.disabled);
        expect(enabled).toHaveLength(1);
        await a.setDisabled('admin-a', null);
        await a.setDisabled('admin-b', null);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps no page with an erased volunteer\'s account', async () => {
    const url = await freshDatabase('accounts_erase');
    const store = await PostgresAccountStore.open({ url });
    try {
      await store.create((await newAccount({ username: 'zhao13812345678', role: 'volunteer', volunteerId: 'v1', displayName: '赵阿姨' }, 'staff')).account);
      await store.create((await newAccount({ username: 'wangli', role: 'staff', orgUnitId: 'taohuawu', displayName: '王丽' }, 'admin')).account);
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const fileOf = async () => (await db.query(`SELECT pg_relation_filenode('auth_accounts') AS f`)).rows[0].f as number;
        const before = await fileOf();
        expect(await store.removeVolunteerAccounts('v1')).toBe(1);
        // The store rewrote the table (VACUUM FULL gives it a new file).
        expect(await fileOf()).not.toBe(before);
        // Every tuple of the table's pages, dead ones included, as the heap holds them.
        await db.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
        const pagesWith = async (text: string) => {
          const pages = Number((await db.query(`SELECT pg_relation_size('auth_accounts') / current_setting('block_size')::int AS n`)).rows[0].n);
          expect(pages).toBeGreaterThan(0);
          const found: string[] = [];
          for (let p = 0; p < pages; p++) {
            const raw = (await db.query(`SELECT encode(get_raw_page('auth_accounts', $1), 'escape') AS page`, [p])).rows[0].page as string;
            if (raw.includes(text)) found.push(`page ${p}`);
          }
          return found;
        };
        expect(await pagesWith('wangli')).toEqual(['page 0']);
        // The store rewrote the table; a transaction older than the erasure (other tests share this server) keeps
        // the old row until the next rewrite, as in production: rewrite again until none is that old.
        let leftovers = await pagesWith('13812345678');
        for (const deadline = Date.now() + 30_000; leftovers.length > 0 && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          await db.query('VACUUM FULL auth_accounts');
          leftovers = await pagesWith('13812345678');
        }
        expect(leftovers).toEqual([]);
        expect((await db.query('SELECT count(*)::int AS n FROM auth_removed_accounts')).rows[0].n).toBe(1);
      } finally {
        await db.end();
      }
    } finally {
      await store.close();
    }
  });

  it('does not hold sign-ins behind an erasure while another transaction reads the table (a pg_dump): the rewrite waits at most 2 s', async () => {
    const url = await freshDatabase('accounts_dump');
    const store = await PostgresAccountStore.open({ url });
    const dump = new Client({ connectionString: url });
    await dump.connect();
    try {
      await store.create((await newAccount({ username: 'zhao', role: 'volunteer', volunteerId: 'v1', displayName: '赵阿姨' }, 'staff')).account);
      await store.create((await newAccount({ username: 'wangli', role: 'staff', orgUnitId: 'taohuawu', displayName: '王丽' }, 'admin')).account);
      await dump.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await dump.query('SELECT count(*) FROM auth_accounts');
      const started = Date.now();
      expect(await store.removeVolunteerAccounts('v1')).toBe(1);
      const took = Date.now() - started;
      expect(took).toBeLessThan(10_000);
      expect(await store.find('zhao')).toBeNull();
      expect((await store.find('wangli'))?.displayName).toBe('王丽');
      await dump.query('COMMIT');
    } finally {
      await dump.end();
      await store.close();
    }
  });
});
