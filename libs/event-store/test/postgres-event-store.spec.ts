import { Client } from 'pg';
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

describePostgres('PostgreSQL event store: two writers on one database', () => {
  // Each writer remembers the versions of the streams it wrote and takes them from memory next time; the
  // unique constraints catch a memory gone stale. These appends alternate between two stores (two Haitang
  // processes) on the same streams, so every path is taken: memory right, memory behind, and lookups.
  const event = (eventId: string) => ({ eventId, type: 'Tested.v1', data: { eventId }, metadata: { actor: { id: 'staff-1' } } });
  /** Two stores on one fresh database (two Haitang processes), closed afterwards. */
  const withTwoWriters = async (test: (a: PostgresEventStore, b: PostgresEventStore) => Promise<void>) => {
    const url = await freshDatabase('twowriters');
    const a = await PostgresEventStore.open({ url });
    const b = await PostgresEventStore.open({ url });
    try {
      await test(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  };

  it('appends by expected version and by "any" correctly whatever the other writer did meanwhile', () => withTwoWriters(async (a, b) => {
    expect(await a.append([{ streamId: 's', expectedVersion: -1, events: [event('e1')] }])).toEqual({ position: 1, streams: [{ streamId: 's', version: 0 }] });
    // b has not seen s: it looks the version up.
    expect(await b.append([{ streamId: 's', expectedVersion: 'any', events: [event('e2')] }])).toEqual({ position: 2, streams: [{ streamId: 's', version: 1 }] });
    // a remembers version 0, but the stream is at 1: the right expectation is accepted, not refused from memory.
    expect(await a.append([{ streamId: 's', expectedVersion: 1, events: [event('e3')] }])).toEqual({ position: 3, streams: [{ streamId: 's', version: 2 }] });
    expect(a.optimisticRetries).toBe(0);
    // b remembers 1, the stream is at 2: its first insert meets the unique constraint, the group is written again.
    expect(await b.append([{ streamId: 's', expectedVersion: 'any', events: [event('e4')] }])).toEqual({ position: 4, streams: [{ streamId: 's', version: 3 }] });
    expect(b.optimisticRetries).toBe(1);
    // A stale expectation is refused with the stream's real version, whatever a remembered.
    await expect(a.append([{ streamId: 's', expectedVersion: 2, events: [event('e5')] }]))
      .rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: 's', expectedVersion: 2, actualVersion: 3 });

    expect((await a.readStream('s')).map((e) => [e.position, e.streamVersion, e.eventId])).toEqual([[1, 0, 'e1'], [2, 1, 'e2'], [3, 2, 'e3'], [4, 3, 'e4']]);
    expect(await b.headPosition()).toBe(4);
  }));

  it('checks a stream an append only checks (no events) against the database, not against memory', () => withTwoWriters(async (a, b) => {
    await a.append([{ streamId: 's', expectedVersion: -1, events: [event('e1')] }]); // a remembers s at 0
    await b.append([{ streamId: 's', expectedVersion: 'any', events: [event('e2')] }]); // s is at 1
    await expect(a.append([{ streamId: 's', expectedVersion: 0, events: [] }, { streamId: 't', expectedVersion: 'any', events: [event('e3')] }]))
      .rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: 's', expectedVersion: 0, actualVersion: 1 });
    expect(await a.append([{ streamId: 's', expectedVersion: 1, events: [] }, { streamId: 't', expectedVersion: 'any', events: [event('e3')] }]))
      .toEqual({ position: 3, streams: [{ streamId: 's', version: 1 }, { streamId: 't', version: 0 }] });
  }));

  it('never answers a refusal from memory: appends of one group that refer to each other get the answers a full lookup gives', () => withTwoWriters(async (a, b) => {
    await a.append([{ streamId: 's', expectedVersion: -1, events: [event('e0')] }]); // a remembers s at 0
    await b.append([{ streamId: 's', expectedVersion: 'any', events: [event('e1')] }]); // s is at 1
    // One group (both sent in the same turn): the first is new, the second a retry of a stored event and the first's.
    // Decided from memory alone, the second would reuse the first's event id; the full lookup knows e0 is stored.
    const [fresh, retry] = await Promise.allSettled([
      a.append([{ streamId: 's', expectedVersion: 'any', events: [event('e5')] }]),
      a.append([{ streamId: 's', expectedVersion: 'any', events: [event('e1'), event('e5')] }]),
    ]);
    expect(fresh).toEqual({ status: 'fulfilled', value: { position: 3, streams: [{ streamId: 's', version: 2 }] } });
    expect(retry).toEqual({ status: 'fulfilled', value: { position: 3, streams: [{ streamId: 's', version: 2 }] } });
    expect(a.optimisticRetries).toBe(0);
    expect((await a.readStream('s')).map((e) => e.eventId)).toEqual(['e0', 'e1', 'e5']);
    expect(await b.headPosition()).toBe(3);
  }));

  it('forgets what it remembered when its connection is replaced or the database holds less than it wrote (a restore)', async () => {
    const url = await freshDatabase('twowriters');
    const a = await PostgresEventStore.open({ url });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await a.append([{ streamId: 's', expectedVersion: -1, events: [event('e0'), event('e1'), event('e2')] }]); // s at 2
      // The writer's connection is cut, and the server it reaches next holds another history of the same length
      // (a failover to a standby that missed those events and took others): only the new connection says so.
      await admin.query(`ALTER TABLE events DISABLE TRIGGER events_append_only; DELETE FROM events; ALTER TABLE events ENABLE TRIGGER events_append_only;
        INSERT INTO events VALUES (1, 'other', 0, 'o0', 'Tested.v1', '{}', '{}', now()), (2, 'other', 1, 'o1', 'Tested.v1', '{}', '{}', now()),
          (3, 'other', 2, 'o2', 'Tested.v1', '{}', '{}', now())`);
      // Only this database's: other test files run at the same time on the same cluster.
      const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '% append'");
      expect(cut.rowCount).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await a.append([{ streamId: 's', expectedVersion: 'any', events: [event('n0')] }])).toEqual({ position: 4, streams: [{ streamId: 's', version: 0 }] });

      // An older backup restored under a kept connection: the head, lower than after its last commit, gives it away.
      await a.append([{ streamId: 's', expectedVersion: 'any', events: [event('n1'), event('n2')] }]); // s at 2
      await admin.query('ALTER TABLE events DISABLE TRIGGER events_append_only; DELETE FROM events; ALTER TABLE events ENABLE TRIGGER events_append_only');
      expect(await a.append([{ streamId: 's', expectedVersion: 'any', events: [event('m0')] }])).toEqual({ position: 1, streams: [{ streamId: 's', version: 0 }] });
    } finally {
      await a.close();
      await admin.end();
    }
  });

  it('stays exact while it remembers only a few streams, and after a failed group', async () => {
    const url = await freshDatabase('twowriters');
    let failNext = false;
    const a = await PostgresEventStore.open({
      url, rememberedStreams: 2,
      beforeCommit: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('a failure that is not a constraint');
        }
      },
    });
    const b = await PostgresEventStore.open({ url });
    try {
      const expected = new Map<string, number>();
      for (let round = 0; round < 4; round++) {
        for (const stream of ['p', 'q', 'r', 's', 't']) {
          const writer = (round + stream.charCodeAt(0)) % 3 === 0 ? b : a;
          const result = await writer.append([{ streamId: stream, expectedVersion: 'any', events: [event(`${stream}${round}`)] }]);
          expected.set(stream, (expected.get(stream) ?? -1) + 1);
          expect(result.streams).toEqual([{ streamId: stream, version: expected.get(stream) }]);
        }
      }
      failNext = true;
      await expect(a.append([{ streamId: 'p', expectedVersion: 'any', events: [event('lost')] }])).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      expect(await a.append([{ streamId: 'p', expectedVersion: 3, events: [event('p4')] }])).toEqual({ position: 21, streams: [{ streamId: 'p', version: 4 }] });
      // Texts PostgreSQL cannot hold are refused for the one append, before the group.
      await expect(a.append([{ streamId: 'bad\u0000id', expectedVersion: 'any', events: [event('z1')] }])).rejects.toThrow(/NUL or an unpaired surrogate/);
      await expect(a.append([{ streamId: 'q', expectedVersion: 'any', events: [event('half \ud800')] }])).rejects.toThrow(/NUL or an unpaired surrogate/);
      expect(await b.headPosition()).toBe(21);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('answers a retry and a repeated command id found only by the insert, and keeps awkward receipt text exactly', async () => {
    const url = await freshDatabase('twowriters');
    const a = await PostgresEventStore.open({ url });
    const b = await PostgresEventStore.open({ url });
    const c = await PostgresEventStore.open({ url });
    try {
      const awkward = 'a\\b\tc\nd\re "quoted" \\N 海棠';
      const receipt = { commandId: `cmd\t${awkward}`, fingerprint: `fp ${awkward}`, result: { text: awkward, list: [1, null] } };
      const first = await a.append([{ streamId: 'r', expectedVersion: 'any', events: [event('x1')] }], { receipt });
      expect(await b.getReceipt(receipt.commandId)).toEqual({ ...receipt, position: first.position });

      // The same events again through b (a retry that reached the other process): the same answer, nothing stored twice.
      expect(await b.append([{ streamId: 'r', expectedVersion: 'any', events: [event('x1')] }])).toEqual(first);
      expect(b.optimisticRetries).toBe(1);
      // The same command with new events, through a third process: refused with the first receipt.
      await expect(c.append([{ streamId: 'q', expectedVersion: 'any', events: [event('y1')] }], { receipt }))
        .rejects.toMatchObject({ name: 'DuplicateCommandError', receipt: { commandId: receipt.commandId, position: first.position } });
      expect(c.optimisticRetries).toBe(1);
      expect(await a.headPosition()).toBe(1);
      expect(await a.readStream('q')).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await c.close();
    }
  });
});
