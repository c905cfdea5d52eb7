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
      expect(await store.replayAll(0, (e) => { replayed.push(e); })).toBe(5);
      const expected = (await store.readAll(0, 100)).map((e) => {
        const id = (e.metadata as { actor?: { id?: unknown } }).actor?.id;
        return { ...e, metadata: typeof id === 'string' ? { actor: { id } } : {} };
      });
      expect(replayed).toEqual(expected);
      expect((replayed[0] as { data: { text: string } }).data.text).toBe(awkward);

      const after: number[] = [];
      expect(await store.replayAll(3, (e) => { after.push(e.position); })).toBe(2);
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

  it('stops reading while the consumer waits (a promise from onEvent), then goes on; a rejected wait fails the replay', async () => {
    const url = await freshDatabase('replay_wait');
    const store = await PostgresEventStore.open({ url });
    try {
      const padding = 'x'.repeat(500);
      await store.append([{
        streamId: 'many', expectedVersion: -1,
        events: Array.from({ length: 3000 }, (_, i) => ({ eventId: `m${i}`, type: 'Tested.v1', data: { i, padding }, metadata: {} })),
      }]);
      const seen: number[] = [];
      let waiting = false;
      let arrivedWhileWaiting = 0;
      const count = await store.replayAll(0, (e) => {
        seen.push(e.position);
        if (waiting) arrivedWhileWaiting++;
        if (e.position !== 100) return;
        waiting = true;
        return new Promise<void>((resolve) => setTimeout(() => {
          waiting = false;
          resolve();
        }, 300));
      });
      expect(count).toBe(3000);
      expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
      // Only the rest of the chunk already received (at most 64 KB, ~120 of these rows) arrives during the wait.
      expect(arrivedWhileWaiting).toBeLessThan(500);

      await expect(store.replayAll(0, (e) => (e.position === 10 ? Promise.reject(new Error('the other side failed')) : undefined)))
        .rejects.toThrow('the other side failed');
      expect(await store.headPosition()).toBe(3000);
      expect(await store.readAll(2990, 100)).toHaveLength(10);
    } finally {
      await store.close();
    }
  });
});
