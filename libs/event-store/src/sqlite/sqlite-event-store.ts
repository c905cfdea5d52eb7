import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type AppendOptions, type AppendResult, type CommandReceipt, type EventStore, type FollowOptions, replayInBatches, type RecordedEvent,
  StoreUnavailableError, type StreamAppend,
} from '../event-store.port';
import { AppendSignal, followLog } from '../follow-log';
import { type AppendOutcome, deserializeError, isStorageFailure, openEventsDatabase, SqliteWriter } from './sqlite-writer';
import { packAppend, unpackAppends, unpackOutcomes, type Wire } from './writer-wire';
import { EVENT_COLUMNS, type EventRow, READ_ALL_SQL, toRecorded } from './event-rows';

export { isStorageFailure } from './sqlite-writer';

interface PendingAppend {
  /** The append as it crosses to the writer (see writer-wire.ts). */
  wire: Wire;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteEventStoreOptions {
  /** Path of the SQLite file (created if missing). */
  readonly file: string;
  /** How long to wait for another process's write lock (ms). */
  readonly busyTimeoutMs?: number;
  /**
   * Commit on a writer thread (default when the compiled worker is available,
   * i.e. everywhere but in tests run from the TypeScript sources).
   */
  readonly writerThread?: boolean;
}

const WORKER_FILE = join(__dirname, 'sqlite-writer.worker.js');
/** What a read that meets a stored event that no longer parses answers (the file was damaged outside Haitang). */
const DAMAGED_RECORD = 'The event log holds a damaged record; restore it from a backup.';
const READER_FILE = join(__dirname, 'sqlite-reader.worker.js');
/** Batches the reader thread of readToHead may have read and decoded ahead of its consumer. */
const READ_AHEAD = 4;

/**
 * The event store on one SQLite file (better-sqlite3, WAL, synchronous=FULL).
 *
 * Group commit: appends that arrive while a commit is under way are queued and
 * written together in the next transaction, each in its own savepoint, so one
 * refused append never fails the others and one fsync makes the whole group
 * durable. A promise resolves only after COMMIT returned. The commit runs on a
 * writer thread with its own connection, so the HTTP thread keeps working
 * while the disk syncs; reads use this thread's connection (WAL snapshots).
 * Several processes may share the file: writers take SQLite's write lock
 * (BEGIN IMMEDIATE) and positions are assigned under it, so they are gap-free
 * and become visible strictly in order.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly worker: Worker | null;
  private readonly inlineWriter: SqliteWriter | null;
  /** Appends not yet sent to the writer. */
  private queue: PendingAppend[] = [];
  /** Appends sent to the writer and not yet answered, in the order they were sent (the writer answers in that order). */
  private inFlight: PendingAppend[] = [];
  private scheduled = false;
  private readonly appended = new AppendSignal();
  private closed = false;
  private writerGone = false;
  /** Why the writer thread failed (its 'error' event), for the appends it leaves unanswered. */
  private writerFailure: unknown = undefined;
  private idle: (() => void) | null = null;
  private readonly stmt;
  private readonly file: string;
  private readonly busyTimeoutMs: number;
  /** Group-commit statistics since start: transactions, appends in them, the largest group. */
  readonly groupStats = { groups: 0, appends: 0, largest: 0 };

  constructor(options: SqliteEventStoreOptions) {
    const busyTimeoutMs = (this.busyTimeoutMs = options.busyTimeoutMs ?? 5000);
    this.file = options.file;
    this.db = openEventsDatabase(options.file, busyTimeoutMs);
    const threaded = options.writerThread ?? existsSync(WORKER_FILE);
    if (threaded) {
      this.worker = new Worker(WORKER_FILE, { workerData: { file: options.file, busyTimeoutMs } });
      this.worker.on('message', (message: { outcomes?: Wire }) => message.outcomes && this.settle(unpackOutcomes(message.outcomes)));
      // 'error' may come before outcomes the thread posted before it failed; 'exit' comes after all of
      // them. So nothing more is sent after 'error', and what is still in flight is refused at 'exit'.
      this.worker.on('error', (error) => {
        this.writerGone = true;
        this.writerFailure = error;
      });
      this.worker.on('exit', () => {
        this.writerGone = true;
        this.refuseQueued();
        this.settle(null, this.writerFailure);
      });
      this.inlineWriter = null;
    } else {
      this.worker = null;
      this.inlineWriter = new SqliteWriter(this.db);
    }
    this.stmt = {
      // LIMIT -1: no limit.
      readStream: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`).raw(),
      readAll: this.db.prepare(READ_ALL_SQL).raw(),
      head: this.db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(),
      receipt: this.db.prepare('SELECT command_id, fingerprint, result, position FROM command_receipts WHERE command_id = ?'),
    };
  }

  append(streams: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed || this.writerGone) return Promise.reject(new StoreUnavailableError('The event store is closed.'));
    const wire: Wire = [];
    packAppend(wire, streams, options);
    return new Promise((resolve, reject) => {
      this.queue.push({ wire, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Sends the queue to the writer on setImmediate, so that the appends made in one turn of the event
   * loop travel in one message. The writer thread does not wait for this thread between commits: what
   * was sent while it committed is waiting for it, and it takes all of that as its next group.
   */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.queue.length > 0) this.send();
      this.wakeIfIdle();
    });
  }

  /** Appends not yet sent, once the writer is gone: none of them reached it. */
  private refuseQueued(): void {
    for (const pending of this.queue.splice(0)) pending.reject(new StoreUnavailableError('The event store writer stopped; nothing was recorded.', this.writerFailure));
  }

  private wakeIfIdle(): void {
    if (this.inFlight.length === 0 && this.queue.length === 0 && !this.scheduled) this.idle?.();
  }

  /** The queue goes to the writer thread, or is written here (one group) without one. */
  private send(): void {
    if (this.writerGone) return this.refuseQueued();
    const sent = this.queue;
    this.queue = [];
    const payload: Wire = [];
    for (const pending of sent) {
      for (const field of pending.wire) payload.push(field);
      this.inFlight.push(pending);
    }
    if (this.worker) {
      this.worker.postMessage({ group: payload });
      return;
    }
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.inlineWriter!.write(unpackAppends(payload));
    } catch (error) {
      // write() answers a failed commit itself; it throws only when even its ROLLBACK failed.
      return this.settle(null, error);
    }
    this.settle(outcomes);
  }

  /**
   * One committed group's outcomes: they answer the oldest appends in flight, in order. Without outcomes
   * (the writer failed or stopped), every append in flight is refused. None of them was acknowledged, but
   * the writer may have stopped after its commit and before it answered, so the answer says so.
   */
  private settle(outcomes: AppendOutcome[] | null, failure?: unknown): void {
    const group = outcomes ? this.inFlight.splice(0, outcomes.length) : this.inFlight.splice(0);
    if (outcomes && group.length > 0) {
      this.groupStats.groups += 1;
      this.groupStats.appends += group.length;
      this.groupStats.largest = Math.max(this.groupStats.largest, group.length);
    }
    group.forEach((pending, i) => {
      const outcome = outcomes?.[i];
      if (!outcome) pending.reject(new StoreUnavailableError(WRITER_STOPPED, failure, 'unknown'));
      else if ('ok' in outcome) pending.resolve(outcome.ok);
      else pending.reject(deserializeError(outcome.error));
    });
    this.appended.notify();
    this.wakeIfIdle();
  }

  private readReceipt(commandId: string): CommandReceipt | undefined {
    const row = this.stmt.receipt.get(commandId) as { command_id: string; fingerprint: string; result: string; position: number } | undefined;
    return row && { commandId: row.command_id, fingerprint: row.fingerprint, result: JSON.parse(row.result), position: row.position };
  }

  private guardRead<T>(read: () => T): Promise<T> {
    try {
      return Promise.resolve(read());
    } catch (error) {
      if (isStorageFailure(error)) return Promise.reject(new StoreUnavailableError('The event store cannot be read right now.', error));
      // A stored event that no longer parses: the file was damaged outside Haitang. Answered 503, never 500.
      if (error instanceof SyntaxError) return Promise.reject(new StoreUnavailableError(DAMAGED_RECORD, error));
      return Promise.reject(error);
    }
  }

  readStream(streamId: string, fromVersion = 0, limit?: number): Promise<RecordedEvent[]> {
    return this.guardRead(() => (this.stmt.readStream.all(streamId, fromVersion, limit ?? -1) as EventRow[]).map(toRecorded));
  }

  readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.guardRead(() => (this.stmt.readAll.all(after, limit) as EventRow[]).map(toRecorded));
  }

  /**
   * The log to its head for a replay (see the port): read and decoded on a
   * reader thread with its own connection, up to READ_AHEAD batches ahead, so
   * that the consumer's thread spends its time on the batches rather than on
   * SQLite's reads and JSON.parse (the batches cross as a structured clone,
   * which costs it less: measured against sending the rows, or their JSON
   * text, for it to decode). Of the metadata SQLite extracts only the actor's
   * id (see the port): parsing all of it, and cloning its ids and times
   * across, took a quarter of the reading's CPU and a tenth of a 1M-event
   * rebuild's. Where the compiled worker is not available (tests run from the
   * TypeScript sources), readAll in a loop on this thread.
   */
  readToHead(after: number, batchSize: number): AsyncIterable<RecordedEvent[]> {
    if (!existsSync(READER_FILE)) return replayInBatches(this, after, batchSize);
    return readOnThread({ file: this.file, busyTimeoutMs: this.busyTimeoutMs, after, batchSize, ahead: READ_AHEAD });
  }

  headPosition(): Promise<number> {
    return this.guardRead(() => this.stmt.head.get() as number);
  }

  getReceipt(commandId: string): Promise<CommandReceipt | undefined> {
    return this.guardRead(() => this.readReceipt(commandId));
  }

  follow(after: number, options: FollowOptions = {}): AsyncIterable<RecordedEvent[]> {
    return followLog(this, after, options, (ms, signal) => this.appended.wait(ms, signal));
  }

  /** Writes what is queued, then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight.length > 0 || this.queue.length > 0 || this.scheduled) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        this.schedule();
      });
      this.idle = null;
    }
    if (this.worker) {
      if (!this.writerGone) {
        // The thread closes its connection and says so; if it stops instead, 'exit' ends the wait.
        await new Promise<void>((resolve) => {
          this.worker!.once('message', () => resolve());
          this.worker!.once('exit', () => resolve());
          this.worker!.postMessage({ close: true });
        });
      }
      await this.worker.terminate();
    }
    this.appended.notify();
    this.db.close();
  }
}

/** What appends in flight are told when the writer thread stops before it answered them. */
const WRITER_STOPPED = 'The event store writer stopped before it answered: the change may or may not be recorded. Retry with the same Idempotency-Key.';

/** What the reader thread sends: a batch (empty: the head was reached), or why it could not read. */
type ReaderMessage = { batch: RecordedEvent[] } | { error: string; damaged?: boolean };

/** readToHead on a reader thread (sqlite-reader.worker.ts); the thread ends with the iteration, however it ends. */
async function* readOnThread(work: { file: string; busyTimeoutMs: number; after: number; batchSize: number; ahead: number }): AsyncGenerator<RecordedEvent[]> {
  const worker = new Worker(READER_FILE, { workerData: work });
  const arrived: ReaderMessage[] = [];
  let wake: (() => void) | null = null;
  const receive = (message: ReaderMessage) => {
    arrived.push(message);
    wake?.();
  };
  worker.on('message', receive);
  worker.on('error', (error) => receive({ error: error.message }));
  worker.on('exit', () => receive({ error: 'the reader thread stopped' }));
  try {
    for (;;) {
      while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = arrived.shift()!;
      if ('error' in message) throw new StoreUnavailableError(message.damaged ? DAMAGED_RECORD : `The event log could not be read: ${message.error}`, message.error);
      if (message.batch.length === 0) return;
      // One batch taken: the thread may read one more ahead.
      worker.postMessage({ more: 1 });
      yield message.batch;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
