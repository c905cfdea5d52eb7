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

describePostgres('PostgreSQL event store: replayAll', () => {
  it('hands over every event after a position, in order, as readAll reads them, with only the actor id of the metadata', async () => {
    const url = await freshDatabase('replay');
    const store = await PostgresEventStore.open({ url });
    try {
      // Texts that COPY's text format escapes (backslash, tab, newline, carriage return), quotes, and non-ASCII.
      const awkward = 'a\\b\tc\nd\re "quoted" \\N 海棠 \u0001';
      const events = [
        { type: 'Tested.v1', data: { text: awkward, nested: { list: [1, 'two', null] } }, metadata: { actor: { id: `staff ${awkward}`, role: 'staff' }, commandId: 'c1' } },
        { type: 'Tested.v1', data: {}, metadata: { actor: { id: 42 } } },
        { type: 'Tested.v1', data: 'just a string', metadata: {} },
        { type: 'Tested.v1', data: [], metadata: { actor: { id: '\\N' } } },
      ];
      await store.append([{ streamId: `stream\t${awkward}`, expectedVersion: -1, events: events.map((e, i) => ({ eventId: `e${i}\\`, ...e })) }]);
      await store.append([{ streamId: 'other', expectedVersion: -1, events: [{ eventId: 'e9', type: 'Other.v1', data: { n: 1 }, metadata: { actor: { id: 'a' } } }] }]);

      const replayed: unknown[] = [];
      expect(await store.replayAll(0, (e) => replayed.push(e))).toBe(5);
      const expected = (await store.readAll(0, 100)).map((e) => {
        const id = (e.metadata as { actor?: { id?: unknown } }).actor?.id;
        return { ...e, metadata: typeof id === 'string' ? { actor: { id } } : {} };
      });
      expect(replayed).toEqual(expected);
      expect((replayed[0] as { data: { text: string } }).data.text).toBe(awkward);

      const after: number[] = [];
      expect(await store.replayAll(3, (e) => after.push(e.position))).toBe(2);
      expect(after).toEqual([4, 5]);
      // An error thrown by the consumer fails the replay; the store goes on working.
      await expect(store.replayAll(0, () => {
        throw new Error('consumer failed');
      })).rejects.toThrow('consumer failed');
      expect(await store.headPosition()).toBe(5);
    } finally {
      await store.close();
    }
  });
});
