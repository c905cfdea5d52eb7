import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openEventsDatabase, SqliteWriter } from './sqlite-writer';
import { packOutcomes, unpackAppends, type Wire } from './writer-wire';

/** The writer thread: owns the write connection, so waiting for the disk never holds up the HTTP thread. */
const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs: number };
const db = openEventsDatabase(file, busyTimeoutMs);
const writer = new SqliteWriter(db);
type Message = { group?: Wire; close?: boolean };

const close = () => {
  db.close();
  parentPort!.postMessage({ closed: true });
};

parentPort!.on('message', (first: Message) => {
  if (first.close) return close();
  // Everything the HTTP thread sent while the last commit was under way is waiting here: take it all,
  // without waiting for that thread, and commit it as one group (group commit). The outcomes go back
  // in the order the appends were sent, which is how the HTTP thread matches them.
  const payload: Wire = first.group!;
  let closing = false;
  for (let next = receiveMessageOnPort(parentPort!); next; next = receiveMessageOnPort(parentPort!)) {
    const message = next.message as Message;
    if (message.close) {
      closing = true;
      break;
    }
    for (const field of message.group!) payload.push(field);
  }
  // Appends and outcomes cross as flat arrays (writer-wire.ts): cheap to clone for the HTTP thread.
  parentPort!.postMessage({ outcomes: packOutcomes(writer.write(unpackAppends(payload))) });
  if (closing) close();
});
