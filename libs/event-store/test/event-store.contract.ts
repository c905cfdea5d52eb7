import { randomUUID } from 'node:crypto';
import { type AppendResult, type EventStore, type EventToAppend, NO_STREAM, readToHead, type RecordedEvent } from '../src';

// Errors are matched by name, not class, so the suite also runs against adapters loaded from the build.

export interface EventStoreFixture {
  store: EventStore;
  /** Closes the store and opens the same storage again (to prove durability). */
  reopen(): Promise<EventStore>;
  cleanup(): Promise<void>;
}

export const anEvent = (type = 'Tested.v1', data: unknown = { n: 1 }): EventToAppend => ({
  eventId: randomUUID(), type, data, metadata: { actor: { id: 'tester', role: 'system', orgUnitId: null } },
});

/** Collects batches from a follower until `count` events arrived (or the deadline passed). */
export async function collect(store: EventStore, after: number, count: number, timeoutMs = 20_000): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const batch of store.follow(after, { signal: controller.signal, batchSize: 97, pollIntervalMs: 20 })) {
      seen.push(...batch);
      if (seen.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return seen;
}

/**
 * The contract every EventStore adapter must pass, unchanged.
 * `makeFixture` gives a fresh, empty store for each test.
 */
export function eventStoreContract(adapter: string, makeFixture: () => Promise<EventStoreFixture>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('starts empty', async () => {
      expect(await store.headPosition()).toBe(0);
      expect(await store.readStream('nothing-here')).toEqual([]);
      expect(await store.readAll(0, 10)).toEqual([]);
      expect(await store.getReceipt('nope')).toBeUndefined();
    });

    it('appends to a new stream and reads it back with data and metadata intact', async () => {
      const events = [anEvent('A.v1', { text: '玩转智能手机', minutes: 90 }), anEvent('B.v1', { nested: { list: [1, 2] } })];
      const result = await store.append([{ streamId: 'activity-1', expectedVersion: NO_STREAM, events }]);
      expect(result).toEqual({ position: 2, streams: [{ streamId: 'activity-1', version: 1 }] });
      const read = await store.readStream('activity-1');
      expect(read.map((e) => [e.position, e.streamVersion, e.eventId, e.type])).toEqual([
        [1, 0, events[0].eventId, 'A.v1'],
        [2, 1, events[1].eventId, 'B.v1'],
      ]);
      expect(read[0].data).toEqual({ text: '玩转智能手机', minutes: 90 });
      expect(read[1].metadata).toEqual(events[1].metadata);
      expect(Number.isNaN(Date.parse(read[0].recordedAt))).toBe(false);
    });

    it('refuses an append whose expected version is stale, with a typed error', async () => {
      await store.append([{ streamId: 's', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const stale = store.append([{ streamId: 's', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      await expect(stale).rejects.toMatchObject({ name: 'WrongExpectedVersionError' });
      await expect(stale).rejects.toMatchObject({ streamId: 's', expectedVersion: -1, actualVersion: 0 });
      await expect(store.append([{ streamId: 's', expectedVersion: 5, events: [anEvent()] }])).rejects.toMatchObject({ name: 'WrongExpectedVersionError' });
      await expect(store.append([{ streamId: 'new', expectedVersion: 0, events: [anEvent()] }])).rejects.toMatchObject({ name: 'WrongExpectedVersionError' });
      expect(await store.headPosition()).toBe(1);
      const next = await store.append([{ streamId: 's', expectedVersion: 0, events: [anEvent()] }]);
      expect(next.streams[0].version).toBe(1);
    });

    it("appends with expected version 'any' whatever the stream holds", async () => {
      await store.append([{ streamId: 's', expectedVersion: 'any', events: [anEvent()] }]);
      const r = await store.append([{ streamId: 's', expectedVersion: 'any', events: [anEvent(), anEvent()] }]);
      expect(r).toEqual({ position: 3, streams: [{ streamId: 's', version: 2 }] });
    });

    it('appends to several streams atomically: one stale stream means nothing is written', async () => {
      await store.append([{ streamId: 'b', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const bad = store.append([
        { streamId: 'a', expectedVersion: NO_STREAM, events: [anEvent()] },
        { streamId: 'b', expectedVersion: NO_STREAM, events: [anEvent()] },
      ]);
      await expect(bad).rejects.toMatchObject({ name: 'WrongExpectedVersionError' });
      expect(await store.readStream('a')).toEqual([]);
      expect(await store.headPosition()).toBe(1);
      const good = await store.append([
        { streamId: 'a', expectedVersion: NO_STREAM, events: [anEvent()] },
        { streamId: 'b', expectedVersion: 0, events: [anEvent(), anEvent()] },
      ]);
      expect(good).toEqual({ position: 4, streams: [{ streamId: 'a', version: 0 }, { streamId: 'b', version: 2 }] });
    });

    it('treats a re-append of the same event ids as a retry: same answer, nothing stored twice', async () => {
      const events = [anEvent(), anEvent()];
      const first = await store.append([{ streamId: 'r', expectedVersion: NO_STREAM, events }]);
      await store.append([{ streamId: 'other', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const again = await store.append([{ streamId: 'r', expectedVersion: NO_STREAM, events }]);
      expect(again).toEqual(first);
      expect(await store.headPosition()).toBe(3);
      expect((await store.readStream('r')).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    });

    it('refuses an append that reuses some stored event ids with new ones', async () => {
      const e1 = anEvent();
      await store.append([{ streamId: 'r', expectedVersion: NO_STREAM, events: [e1] }]);
      await expect(store.append([{ streamId: 'r', expectedVersion: 'any', events: [e1, anEvent()] }])).rejects.toMatchObject({ name: 'EventIdConflictError' });
      await expect(store.append([{ streamId: 'q', expectedVersion: 'any', events: [anEvent(), e1] }])).rejects.toMatchObject({ name: 'EventIdConflictError' });
      expect(await store.headPosition()).toBe(1);
    });

    it('stores a command receipt with the events and refuses the same command id again', async () => {
      const receipt = { commandId: 'cmd-1', fingerprint: 'fp', result: { id: 'x' } };
      const r = await store.append([{ streamId: 'x', expectedVersion: NO_STREAM, events: [anEvent(), anEvent()] }], { receipt });
      expect(await store.getReceipt('cmd-1')).toEqual({ ...receipt, position: r.position });
      const again = store.append([{ streamId: 'y', expectedVersion: NO_STREAM, events: [anEvent()] }], { receipt: { ...receipt, fingerprint: 'other' } });
      await expect(again).rejects.toMatchObject({ name: 'DuplicateCommandError' });
      await expect(again).rejects.toMatchObject({ receipt: { commandId: 'cmd-1', fingerprint: 'fp', position: 2 } });
      expect(await store.readStream('y')).toEqual([]);
    });

    it('lets exactly one of many concurrent appends with the same expected version win', async () => {
      await store.append([{ streamId: 'race', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, () => store.append([{ streamId: 'race', expectedVersion: 0, events: [anEvent()] }])),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      const losers = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(losers).toHaveLength(19);
      for (const l of losers) expect(l.reason).toMatchObject({ name: 'WrongExpectedVersionError' });
      expect(await store.readStream('race')).toHaveLength(2);
    });

    it('keeps a refused append from failing the others committed with it', async () => {
      const results = await Promise.allSettled([
        store.append([{ streamId: 'g1', expectedVersion: NO_STREAM, events: [anEvent()] }]),
        store.append([{ streamId: 'g2', expectedVersion: 3, events: [anEvent()] }]),
        store.append([{ streamId: 'g3', expectedVersion: NO_STREAM, events: [anEvent()] }]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.readAll(0, 10)).map((e) => e.streamId)).toEqual(['g1', 'g3']);
    });

    it('answers each append with its own outcome when appends keep arriving over many turns while commits are under way', async () => {
      // Group commit matches outcomes to appends; appends sent while a commit runs join a later group.
      const sent: { streamId: string; refused: boolean; result: Promise<PromiseSettledResult<AppendResult>> }[] = [];
      for (let turn = 0; turn < 20; turn++) {
        for (let j = 0; j < 8; j++) {
          const streamId = `turn-${turn}-${j}`;
          const refused = (turn + j) % 5 === 0;
          const append = store.append([{ streamId, expectedVersion: refused ? 4 : NO_STREAM, events: [anEvent('T.v1', { turn, j })] }]);
          // Settled at once into a value: a refusal may come before the loop ends.
          const result = append.then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
          sent.push({ streamId, refused, result });
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      const settled = await Promise.all(sent.map((s) => s.result));
      const positions = new Set<number>();
      for (const [i, { streamId, refused }] of sent.entries()) {
        const outcome = settled[i];
        if (refused) {
          expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', streamId } });
          continue;
        }
        expect(outcome.status).toBe('fulfilled');
        const result = (outcome as PromiseFulfilledResult<AppendResult>).value;
        expect(result.streams).toEqual([{ streamId, version: 0 }]);
        const [stored] = await store.readStream(streamId);
        expect(stored.position).toBe(result.position);
        positions.add(result.position);
      }
      expect(positions.size).toBe(sent.filter((s) => !s.refused).length);
      expect(await store.headPosition()).toBe(positions.size);
    });

    it('numbers the log 1..n without gaps, in commit order, and reads from any position', async () => {
      for (let i = 0; i < 25; i++) {
        await store.append([{ streamId: `s-${i % 4}`, expectedVersion: 'any', events: [anEvent('N.v1', { i })] }]);
      }
      const all = await store.readAll(0, 1000);
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(all.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect((await store.readAll(10, 5)).map((e) => e.position)).toEqual([11, 12, 13, 14, 15]);
      expect(await store.readAll(25, 5)).toEqual([]);
      expect(await store.headPosition()).toBe(25);
      expect((await store.readStream('s-1')).map((e) => e.streamVersion)).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await store.readStream('s-1', 4)).map((e) => e.streamVersion)).toEqual([4, 5]);
      expect(await store.readStream('s-1', 6)).toEqual([]);
      expect((await store.readStream('s-1', 2, 1)).map((e) => e.streamVersion)).toEqual([2]);
      expect((await store.readStream('s-1', 3, 2)).map((e) => e.streamVersion)).toEqual([3, 4]);
      expect((await store.readStream('s-1', 5, 10)).map((e) => e.streamVersion)).toEqual([5]);
    });

    it('reads the log to its head in batches for a replay, as readAll in a loop does but with only the actor of the metadata, and stops when its reader does', async () => {
      // Metadata as commands write it, and odd ones: no actor, an actor without an id, an id that is not a string.
      const metadataOf = (i: number): Record<string, unknown> => [
        { commandId: `c-${i}`, correlationId: `k-${i}`, actor: { id: `staff-${i}`, role: 'staff', orgUnitId: 'taohuawu' }, occurredAt: '2026-11-26T08:00:00.000Z' },
        { correlationId: `k-${i}` },
        { actor: { role: 'system' } },
        { actor: { id: i } },
      ][i % 4];
      for (let i = 0; i < 25; i++) {
        await store.append([{ streamId: `s-${i % 4}`, expectedVersion: 'any', events: [{ ...anEvent('N.v1', { i, text: '清理楼道' }), metadata: metadataOf(i) }] }]);
      }
      const batches: RecordedEvent[][] = [];
      for await (const batch of readToHead(store, 3, 7)) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([7, 7, 7, 1]);
      const actorOnly = (metadata: Record<string, unknown>) => {
        const id = (metadata.actor as { id?: unknown } | undefined)?.id;
        return typeof id === 'string' ? { actor: { id } } : {};
      };
      expect(batches.flat()).toEqual((await store.readAll(3, 1000)).map((e) => ({ ...e, metadata: actorOnly(e.metadata) })));
      expect(batches.flat().find((e) => e.position === 5)?.metadata).toEqual({ actor: { id: 'staff-4' } });
      expect(batches.flat().find((e) => e.position === 8)?.metadata).toEqual({});
      const first: number[][] = [];
      for await (const batch of readToHead(store, 0, 5)) {
        first.push(batch.map((e) => e.position));
        break;
      }
      expect(first).toEqual([[1, 2, 3, 4, 5]]);
    });

    it('keeps everything after the storage is closed and reopened', async () => {
      await store.append([{ streamId: 'keep', expectedVersion: NO_STREAM, events: [anEvent('K.v1', { k: '桃花坞' })] }], {
        receipt: { commandId: 'keep-cmd', fingerprint: 'f', result: { ok: true } },
      });
      store = await fixture.reopen();
      expect((await store.readStream('keep'))[0].data).toEqual({ k: '桃花坞' });
      expect(await store.getReceipt('keep-cmd')).toMatchObject({ position: 1 });
      expect(await store.headPosition()).toBe(1);
    });

    it('follows the log from any position without missing or repeating an event while 8 writers append', async () => {
      await store.append([{ streamId: 'before', expectedVersion: NO_STREAM, events: [anEvent(), anEvent()] }]);
      const writers = 8;
      const perWriter = 60;
      const following = collect(store, 1, writers * perWriter + 1);
      await Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await store.append([{ streamId: `writer-${w}`, expectedVersion: 'any', events: [anEvent('W.v1', { w, i })] }]);
          if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
        }
      }));
      const seen = await following;
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: writers * perWriter + 1 }, (_, i) => i + 2));
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);
      for (let w = 0; w < writers; w++) {
        const mine = seen.filter((e) => e.streamId === `writer-${w}`).map((e) => (e.data as { i: number }).i);
        expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
      }
    });
  });
}
