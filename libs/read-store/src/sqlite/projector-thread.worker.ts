import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS } from '../projections/all-projections';
import { openReadModels, SqliteProjectionRunner } from './sqlite-projection-runner';

/** The projector thread: follows the events file and applies the projections to the read-model file. */
const { eventsFile, readModelsFile } = workerData as { eventsFile: string; readModelsFile: string };
const store = new SqliteEventStore({ file: eventsFile, busyTimeoutMs: 30_000 });
const db = openReadModels(readModelsFile);
const runner = new SqliteProjectionRunner(db, store, ALL_PROJECTIONS);
runner.onProjected = (position) => parentPort!.postMessage({ projected: position });
runner.start();

parentPort!.on('message', async (message: { stop?: boolean }) => {
  if (!message.stop) return;
  await runner.stop();
  await store.close();
  db.close();
  process.exit(0);
});
