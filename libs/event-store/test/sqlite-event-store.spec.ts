import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, SqliteEventStore } from '../src';
import { ROOT, requireBuild } from '../../../test/support/built';
import { eventStoreContract } from './event-store.contract';

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
