import { PostgresEventStore } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { eventStoreContract, type EventStoreFixture } from './event-store.contract';

/** The same contract suite as SQLite, unchanged, against a real PostgreSQL server: a fresh database per test. */
async function postgresFixture(): Promise<EventStoreFixture> {
  const url = await freshDatabase('contract');
  let store = await PostgresEventStore.open({ url });
  return {
    store,
    async reopen() {
      await store.close();
      store = await PostgresEventStore.open({ url });
      return store;
    },
    async cleanup() {
      await store.close();
    },
  };
}

describePostgres('PostgreSQL event store', () => {
  eventStoreContract('PostgreSQL', postgresFixture);
});
