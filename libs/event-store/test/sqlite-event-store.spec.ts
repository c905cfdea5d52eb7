import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'haitang-es-'));
  const file = join(dir, 'events.sqlite');
  let store = new SqliteEventStore({ file });
  return {
    store,
    async reopen() {
      await store.close();
      store = new SqliteEventStore({ file });
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
