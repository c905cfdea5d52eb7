import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, NO_STREAM, SqliteEventStore } from '../src';
import { ROOT, requireBuild } from '../../../test/support/built';
import { anEvent, eventStoreContract } from './event-store.contract';

function sqliteFixture(open: (file: string) => EventStore) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-es-'));
    const file = join(dir, 'events.sqlite');
    let store = open(file);
    return {
      store,
      async reopen() {
        await store.close();
        store = open(file);
        return store;
      },
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

// Commits on the calling thread (as in tests run from the TypeScript sources).
eventStoreContract('SQLite file, inline writer', sqliteFixture((file) => new SqliteEventStore({ file, writerThread: false })));

// Commits on the writer thread, exactly as `npm start` runs it (the built code).
requireBuild();
const built = require(join(ROOT, 'dist', 'libs', 'event-store', 'src')) as { SqliteEventStore: typeof SqliteEventStore };
eventStoreContract('SQLite file, writer thread (built)', sqliteFixture((file) => new built.SqliteEventStore({ file, writerThread: true })));

describe('SQLite writer thread (built): when the thread stops', () => {
  it('refuses what it did not answer, keeps what it answered, refuses later appends, and still closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-es-'));
    const store = new built.SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: true });
    try {
      await store.append([{ streamId: 'before', expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const appends = Array.from({ length: 20 }, (_, i) =>
        store.append([{ streamId: `s-${i}`, expectedVersion: NO_STREAM, events: [anEvent()] }])
          .then((result) => ({ i, result }), (error: Error) => ({ i, error })));
      await new Promise((resolve) => setImmediate(resolve)); // the appends are on their way to the thread
      await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      for (const outcome of await Promise.all(appends)) {
        if ('error' in outcome) {
          // Sent to the thread but not answered: it may be in the log (it is not said to be "not recorded").
          expect(outcome.error).toMatchObject({ name: 'StoreUnavailableError', outcome: 'unknown' });
        } else {
          // An answered append is in the log, at the position it was given.
          const [stored] = await store.readStream(`s-${outcome.i}`);
          expect(stored.position).toBe(outcome.result.position);
        }
      }
      await expect(store.append([{ streamId: 'after', expectedVersion: NO_STREAM, events: [anEvent()] }])).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    } finally {
      await store.close(); // waited forever when the thread was gone
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite replay (readToHead) over a damaged record', () => {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const cutOff = `'{"actor": {"id": "cut off'`;
  // JSON5, which SQLite's JSON functions read and JSON.parse refuses: damaged all the same.
  const json5 = `'{actor: {id: "acct-1",},}'`;
  it.each([
    ['metadata', cutOff, 'on the reader thread (built)', (file: string) => new built.SqliteEventStore({ file, writerThread: true })],
    ['metadata', json5, 'on the reader thread (built)', (file: string) => new built.SqliteEventStore({ file, writerThread: true })],
    ['data', cutOff, 'on the reader thread (built)', (file: string) => new built.SqliteEventStore({ file, writerThread: true })],
    ['metadata', cutOff, 'on this thread', (file: string) => new SqliteEventStore({ file, writerThread: false })],
    ['metadata', json5, 'on this thread', (file: string) => new SqliteEventStore({ file, writerThread: false })],
  ] as const)('answers "damaged record" when an event\'s %s (%s) no longer parses (%s)', async (column, text, _where, open) => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-es-'));
    const file = join(dir, 'events.sqlite');
    const store = open(file);
    try {
      for (let i = 0; i < 3; i++) await store.append([{ streamId: `s-${i}`, expectedVersion: NO_STREAM, events: [anEvent()] }]);
      const other = new Database(file);
      other.prepare(`UPDATE events SET ${column} = ${text} WHERE position = 2`).run();
      other.close();
      const replay = async () => {
        for await (const batch of store.readToHead!(0, 10)) void batch;
      };
      await expect(replay()).rejects.toMatchObject({ name: 'StoreUnavailableError', message: expect.stringMatching(/damaged record; restore it from a backup/) });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
