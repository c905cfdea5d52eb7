import { parentPort, workerData } from 'node:worker_threads';
import { openEventsDatabase, SqliteWriter } from './sqlite-writer';
import { packOutcomes, unpackAppends, type Wire } from './writer-wire';

/** The writer thread: owns the write connection, so waiting for the disk never holds up the HTTP thread. */
const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs: number };
const db = openEventsDatabase(file, busyTimeoutMs);
const writer = new SqliteWriter(db);

parentPort!.on('message', (message: { id: number; group?: Wire; close?: boolean }) => {
  if (message.close) {
    db.close();
    parentPort!.postMessage({ id: message.id, closed: true });
    return;
  }
  // Appends and outcomes cross as flat arrays (writer-wire.ts): cheap to clone for the HTTP thread.
  parentPort!.postMessage({ id: message.id, outcomes: packOutcomes(writer.write(unpackAppends(message.group!))) });
});
