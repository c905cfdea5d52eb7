import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { anEvent } from './event-store.contract';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const randomDelay = () => sleep(Math.floor(Math.random() * 12));

/**
 * A follower that reads "everything after the last position I saw", as fast as
 * it can, until it saw `count` events or the deadline passed. What it saw, in order.
 */
async function followAfter(readAfter: (position: number) => Promise<{ position: number; eventId: string }[]>, count: number, done: () => boolean) {
  const seen: { position: number; eventId: string }[] = [];
  let last = 0;
  const deadline = Date.now() + 60_000;
  while (seen.length < count && Date.now() < deadline) {
    const batch = await readAfter(last);
    if (batch.length === 0) {
      if (done() && (await readAfter(last)).length === 0) break;
      await sleep(1);
      continue;
    }
    seen.push(...batch);
    last = batch[batch.length - 1].position;
  }
  return seen;
}

describePostgres('PostgreSQL event store: global order under concurrent, slow transactions', () => {
  it('a follower sees every event exactly once, in the final order, with no gap, while 8 stores append with random delays inside their transactions', async () => {
    const url = await freshDatabase('gap');
    // Eight stores = eight writer connections whose transactions really overlap in the server;
    // each sleeps a random 0-11 ms after writing its rows and before COMMIT.
    const writers = await Promise.all(Array.from({ length: 8 }, () => PostgresEventStore.open({ url, beforeCommit: randomDelay })));
    const follower = await PostgresEventStore.open({ url });
    const perLane = 15;
    const lanesPerWriter = 3;
    const total = writers.length * lanesPerWriter * perLane;
    const acknowledged = new Map<string, number>();
    let writing = true;
    const following = followAfter(async (after) => (await follower.readAll(after, 50)).map((e) => ({ position: e.position, eventId: e.eventId })), total, () => !writing);
    await Promise.all(writers.flatMap((store, w) => Array.from({ length: lanesPerWriter }, async (_, lane) => {
      for (let i = 0; i < perLane; i++) {
        const event = anEvent('Gap.v1', { w, lane, i });
        const result = await store.append([{ streamId: `gap-${w}-${i % 4}`, expectedVersion: 'any', events: [event] }]);
        acknowledged.set(event.eventId, result.position);
        await randomDelay();
      }
    })));
    writing = false;
    const seen = await following;

    const final = await follower.readAll(0, 100_000);
    expect(final.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(seen.map((e) => e.position)).toEqual(final.map((e) => e.position));
    expect(seen.map((e) => e.eventId)).toEqual(final.map((e) => e.eventId));
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(total);
    // Every acknowledged append is where its answer said it is.
    for (const e of final) expect(acknowledged.get(e.eventId)).toBe(e.position);
    // The commits really overlapped: the lock made them wait for each other.
    expect(Math.max(...writers.map((w) => w.groupStats.groups))).toBeGreaterThan(1);
    await Promise.all([...writers, follower].map((s) => s.close()));
  });

  it('the same follower does catch skipped events with a bare bigserial written by slow concurrent transactions (the test can fail)', async () => {
    const url = await freshDatabase('gap_naive');
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query('CREATE TABLE naive (position bigserial PRIMARY KEY, event_id text NOT NULL)');
    const writers = await Promise.all(Array.from({ length: 8 }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      return c;
    }));
    const total = 8 * 30;
    let writing = true;
    const following = followAfter(async (after) => (await setup.query<{ position: string; event_id: string }>(
      'SELECT position, event_id FROM naive WHERE position > $1 ORDER BY position LIMIT 50', [after],
    )).rows.map((r) => ({ position: Number(r.position), eventId: r.event_id })), total, () => !writing);
    await Promise.all(writers.map(async (c) => {
      for (let i = 0; i < 30; i++) {
        await c.query('BEGIN');
        await c.query('INSERT INTO naive (event_id) VALUES ($1)', [randomUUID()]);
        await randomDelay();
        await c.query('COMMIT');
      }
    }));
    writing = false;
    const seen = await following;
    expect((await setup.query('SELECT count(*)::int AS n FROM naive')).rows[0].n).toBe(total);
    expect(seen.length).toBeLessThan(total); // events committed behind the follower's position were never seen
    await Promise.all([...writers, setup].map((c) => c.end()));
  });
});
