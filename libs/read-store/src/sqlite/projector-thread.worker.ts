import { parentPort, workerData } from 'node:worker_threads';
import { type EventStore, PostgresEventStore, SqliteEventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS } from '../projections/all-projections';
import type { EventLogLocation } from './projector-thread';
import { rebuildReadModels } from './rebuild';
import { openReadModels, SqliteProjectionRunner } from './sqlite-projection-runner';

/** The projector thread: follows the event log and applies the projections to the read-model file. */
const { eventLog, readModelsFile } = workerData as { eventLog: EventLogLocation; readModelsFile: string };
const db = openReadModels(readModelsFile);
let store: EventStore | null = null;
let runner: SqliteProjectionRunner | null = null;

async function openLog(): Promise<EventStore> {
  if (eventLog.kind === 'postgres') return PostgresEventStore.open({ url: eventLog.url, applicationName: 'haitang projector', poolSize: 2 });
  return new SqliteEventStore({ file: eventLog.file, busyTimeoutMs: 30_000, writerThread: false });
}

async function start(): Promise<void> {
  store = await openLog();
  runner = new SqliteProjectionRunner(db, store, ALL_PROJECTIONS);
  // Read models ahead of the log (the log was restored from an older backup, or lost its tail):
  // they no longer describe this log, so they are rebuilt from it before anything is served.
  const head = await store.headPosition();
  if (runner.checkpoint() > head) {
    parentPort!.postMessage({ warning: `The read models were ahead of the event log (${runner.checkpoint()} > ${head}); rebuilding them from the log.` });
    await rebuildReadModels({ store, readModelsFile, projections: ALL_PROJECTIONS });
    runner = new SqliteProjectionRunner(db, store, ALL_PROJECTIONS);
    parentPort!.postMessage({ reset: runner.position });
  }
  runner.onProjected = (position, moved) => parentPort!.postMessage({ projected: position, moved });
  runner.onError = (error) => parentPort!.postMessage({ error: (error as Error)?.message ?? String(error) });
  runner.start();
}

void start().catch((error) => {
  parentPort!.postMessage({ error: `The projector could not start: ${(error as Error)?.message ?? error}` });
  process.exit(1);
});

parentPort!.on('message', async (message: { stop?: boolean }) => {
  if (!message.stop) return;
  await runner?.stop();
  await store?.close();
  db.close();
  process.exit(0);
});
