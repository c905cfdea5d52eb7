import { Client } from 'pg';
import { PostgresEventStore } from '../src';
import { describePostgres, freshDatabase, sameCluster } from '../../../test/support/postgres';
import { anEvent } from './event-store.contract';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function admin(url: string) {
  const client = new Client({ connectionString: sameCluster(url, 'postgres') });
  client.on('error', () => undefined); // the cluster may be stopped under it at the end of the run
  await client.connect();
  const database = new URL(url).pathname.slice(1);
  return {
    /** Cuts every connection to the database and refuses new ones, as a server restart or a network cut would. */
    async takeDown() {
      await client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    },
    async bringUp() {
      await client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    },
    /** Terminates the backends of the store's append connections only (they come back by themselves). */
    async terminateWriters() {
      return (await client.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = $1 AND application_name LIKE '% append'`, [database])).rowCount;
    },
    end: () => client.end(),
  };
}

describePostgres('PostgreSQL event store: the database connection is killed mid-load', () => {
  it('answers StoreUnavailable while the database is unreachable, reconnects by itself, and loses nothing acknowledged', async () => {
    const url = await freshDatabase('kill');
    const store = await PostgresEventStore.open({ url, applicationName: 'kill-test' });
    const db = await admin(url);
    try {
      const acknowledged: string[] = [];
      const failures: { name: string; at: number }[] = [];
      let phase: 'up' | 'down' | 'back' = 'up';
      const acknowledgedWhileDown: string[] = [];
      let running = true;
      const lanes = Array.from({ length: 6 }, async (_, lane) => {
        for (let i = 0; running; i++) {
          const event = anEvent('Load.v1', { lane, i });
          try {
            await store.append([{ streamId: `load-${lane}`, expectedVersion: 'any', events: [event] }]);
            acknowledged.push(event.eventId);
            if (phase === 'down') acknowledgedWhileDown.push(event.eventId);
          } catch (error) {
            failures.push({ name: (error as Error).name, at: Date.now() });
            await sleep(5);
          }
        }
      });
      const waitFor = async (condition: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!condition()) {
          if (Date.now() > deadline) throw new Error('timed out');
          await sleep(10);
        }
      };

      await waitFor(() => acknowledged.length >= 200);
      // Only the append connections are cut: the next group reconnects at once.
      expect(await db.terminateWriters()).toBeGreaterThan(0);
      const beforeOutage = acknowledged.length;
      await waitFor(() => acknowledged.length >= beforeOutage + 200);

      await db.takeDown();
      phase = 'down';
      const failuresBefore = failures.length;
      await waitFor(() => failures.length >= failuresBefore + 20);
      const whileDown = failures.slice(failuresBefore);
      expect(new Set(whileDown.map((f) => f.name))).toEqual(new Set(['StoreUnavailableError']));
      await expect(store.headPosition()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      await expect(store.readStream('load-0')).rejects.toMatchObject({ name: 'StoreUnavailableError' });

      await db.bringUp();
      phase = 'back';
      const afterOutage = acknowledged.length;
      await waitFor(() => acknowledged.length >= afterOutage + 200);
      running = false;
      await Promise.all(lanes);

      // Appends that were in flight when the connection died may have been answered with an error and
      // still be stored; an acknowledged one is never missing, and nothing is stored twice.
      const all = await store.readAll(0, 1_000_000);
      const stored = new Set(all.map((e) => e.eventId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      expect(stored.size).toBe(all.length);
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
      expect(acknowledgedWhileDown.length).toBeLessThanOrEqual(12); // at most the group that was committing when it went down
    } finally {
      await db.bringUp();
      await store.close();
      await db.end();
    }
  });
});
