import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS } from '../projections/all-projections';
import { type EventLogLocation, openProjectorLog } from './projector-thread';
import { rebuildReadModels } from './rebuild';
import { openReadModels, SqliteProjectionRunner } from './sqlite-projection-runner';

/** The projector thread: follows the event log and applies the projections to the read-model file. */
const { eventLog, readModelsFile, nice } = workerData as { eventLog: EventLogLocation; readModelsFile: string; nice: number };
const db = openReadModels(readModelsFile);
let store: EventStore | null = null;
let runner: SqliteProjectionRunner | null = null;

/** From this many events on, empty read models are built by a bulk rebuild rather than by following the log batch by batch. */
const BULK_BUILD_FROM = 10_000;

/**
 * Raises this thread's niceness by `by` (see ProjectorThreadOptions.nice): on Linux, os.setPriority()
 * without a pid changes the calling thread only. Threads started by this one afterwards inherit it, so
 * libuv's pool, shared by the whole process and started by its first user, is started first (an fs call
 * here does it, if no thread has yet): it keeps the process's priority.
 */
async function lowerPriority(by: number): Promise<void> {
  if (by <= 0 || process.platform !== 'linux') return;
  await stat(readModelsFile).catch(() => undefined);
  try {
    setPriority(Math.min(19, getPriority() + by));
  } catch (error) {
    parentPort!.postMessage({ warning: `The projector thread keeps its priority: ${(error as Error).message}` });
  }
}

async function start(): Promise<void> {
  await lowerPriority(nice);
  store = await openProjectorLog(eventLog);
  runner = new SqliteProjectionRunner(db, store, ALL_PROJECTIONS);
  const head = await store.headPosition();
  const checkpoint = runner.checkpoint();
  // Read models ahead of the log (the log was restored from an older backup, or lost its tail):
  // they no longer describe this log, so they are rebuilt from it before anything is served.
  // Empty read models (a new or deleted file, or tables of another version) over a long log are
  // built the same way: a bulk load is several times faster than following the log.
  const why = checkpoint > head ? `The read models were ahead of the event log (${checkpoint} > ${head}); rebuilding them from the log.`
    : checkpoint === 0 && head >= BULK_BUILD_FROM ? `The read models are empty (a new file, or tables of another version); building them from the ${head} events of the log.`
      : null;
  if (why) {
    parentPort!.postMessage({ warning: why });
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
