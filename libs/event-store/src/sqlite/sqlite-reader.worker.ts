import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { isDamagedRecord, REPLAY_SQL, type ReplayRow, toReplayed } from './event-rows';

/**
 * The reader thread of SqliteEventStore.readToHead: reads the log from a
 * position to its head on its own read-only connection and decodes each batch
 * (JSON.parse of the data; of the metadata SQLite extracts the actor's id),
 * up to `ahead` batches ahead of the consumer, which gives one credit back per
 * batch it takes. The last batch sent is empty (the head was reached), or an
 * error.
 */
const { file, busyTimeoutMs, after, batchSize, ahead } = workerData as { file: string; busyTimeoutMs: number; after: number; batchSize: number; ahead: number };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const readAll = db.prepare(REPLAY_SQL).raw();
let position = after;
let credit = ahead;
let done = false;

function readAhead(): void {
  try {
    while (credit > 0 && !done) {
      credit -= 1;
      const batch = (readAll.all(position, batchSize) as ReplayRow[]).map(toReplayed);
      if (batch.length > 0) position = batch[batch.length - 1].position;
      else done = true;
      parentPort!.postMessage({ batch });
    }
  } catch (error) {
    done = true;
    parentPort!.postMessage({
      error: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`,
      // A stored event that no longer parses (see SqliteEventStore.guardRead).
      damaged: isDamagedRecord(error),
    });
  }
  if (done) db.close();
}

parentPort!.on('message', (message: { more: number }) => {
  credit += message.more;
  readAhead();
});
readAhead();
