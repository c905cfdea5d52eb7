import { parentPort, workerData } from 'node:worker_threads';
import { openEventsDatabase, type SerializedAppend, SqliteWriter } from './sqlite-writer';

/** The writer thread: owns the write connection, so waiting for the disk never holds up the HTTP thread. */
const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs: number };
const db = openEventsDatabase(file, busyTimeoutMs);
const writer = new SqliteWriter(db);

parentPort!.on('message', (message: { id: number; group?: SerializedAppend[]; close?: boolean }) => {
  if (message.close) {
    db.close();
    parentPort!.postMessage({ id: message.id, closed: true });
    return;
  }
  parentPort!.postMessage({ id: message.id, outcomes: writer.write(message.group!) });
});
