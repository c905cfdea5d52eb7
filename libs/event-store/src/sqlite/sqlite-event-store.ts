import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type AppendOptions, type AppendResult, type CommandReceipt, DuplicateCommandError, EventIdConflictError,
  type EventStore, type FollowOptions, NO_STREAM, type RecordedEvent, StoreUnavailableError, type StreamAppend,
  WrongExpectedVersionError,
} from '../event-store.port';
import { AppendSignal, followLog } from '../follow-log';
import { migrateEventsDatabase } from './schema';

interface EventRow {
  position: number; stream_id: string; stream_version: number; event_id: string;
  type: string; data: string; metadata: string; recorded_at: string;
}

interface PendingAppend {
  streams: readonly StreamAppend[];
  options: AppendOptions;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteEventStoreOptions {
  /** Path of the SQLite file (created if missing). */
  readonly file: string;
  /** How long to wait for another process's write lock (ms). */
  readonly busyTimeoutMs?: number;
}

/** SQLite error codes that mean "the store can't write now", answered 503, never 500. */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    position: row.position,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}

/**
 * The event store on one SQLite file (better-sqlite3, WAL, synchronous=FULL).
 *
 * Group commit: appends that arrive while the event loop is busy are queued and
 * written together in one transaction on the next turn, each inside its own
 * savepoint, so one refused append never fails the others, and one fsync makes
 * the whole group durable. A promise resolves only after COMMIT returned.
 * Several processes may share the file: writers take SQLite's write lock
 * (BEGIN IMMEDIATE) and positions are assigned under it, so they are gap-free
 * and become visible strictly in order.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly appended = new AppendSignal();
  private closed = false;
  private readonly stmt;

  constructor(private readonly options: SqliteEventStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    migrateEventsDatabase(this.db);
    this.stmt = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT append_one'),
      release: this.db.prepare('RELEASE append_one'),
      rollbackTo: this.db.prepare('ROLLBACK TO append_one'),
      version: this.db.prepare('SELECT max(stream_version) AS v FROM events WHERE stream_id = ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      byEventId: this.db.prepare('SELECT position, stream_id, stream_version FROM events WHERE event_id = ?'),
      readStream: this.db.prepare('SELECT * FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version'),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      head: this.db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(),
      receipt: this.db.prepare('SELECT command_id, fingerprint, result, position FROM command_receipts WHERE command_id = ?'),
      insertReceipt: this.db.prepare('INSERT INTO command_receipts (command_id, fingerprint, result, position) VALUES (?, ?, ?, ?)'),
    };
  }

  append(streams: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The event store is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ streams, options, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every queued append in one transaction: the group commit. */
  private flush(): void {
    const group = this.queue;
    this.queue = [];
    this.flushScheduled = false;
    if (group.length === 0) return;
    const outcomes: ({ ok: AppendResult } | { error: unknown })[] = [];
    try {
      this.stmt.begin.run();
      const recordedAt = new Date().toISOString();
      for (const pending of group) {
        this.stmt.savepoint.run();
        try {
          outcomes.push({ ok: this.appendOne(pending, recordedAt) });
          this.stmt.release.run();
        } catch (error) {
          this.stmt.rollbackTo.run();
          this.stmt.release.run();
          if (isStorageFailure(error)) throw error;
          outcomes.push({ error });
        }
      }
      this.stmt.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.stmt.rollback.run();
      const failure = new StoreUnavailableError('The event store could not save the change; nothing was recorded. Please retry.', error);
      for (const pending of group) pending.reject(failure);
      return;
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome) pending.resolve(outcome.ok);
      else pending.reject(outcome.error);
    });
    this.appended.notify();
  }

  private appendOne({ streams, options }: PendingAppend, recordedAt: string): AppendResult {
    const receipt = options.receipt;
    if (receipt) {
      const existing = this.readReceipt(receipt.commandId);
      if (existing) throw new DuplicateCommandError(existing);
    }
    const retried = this.retriedAppend(streams);
    if (retried) return retried;
    let position = 0;
    const versions: { streamId: string; version: number }[] = [];
    for (const stream of streams) {
      const current = (this.stmt.version.get(stream.streamId) as number | null) ?? NO_STREAM;
      if (stream.expectedVersion !== 'any' && stream.expectedVersion !== current) {
        throw new WrongExpectedVersionError(stream.streamId, stream.expectedVersion, current);
      }
      let version = current;
      for (const event of stream.events) {
        version += 1;
        try {
          position = Number(this.stmt.insert.run(
            stream.streamId, version, event.eventId, event.type,
            JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt,
          ).lastInsertRowid);
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new EventIdConflictError(event.eventId);
          throw error;
        }
      }
      versions.push({ streamId: stream.streamId, version });
    }
    if (receipt) {
      this.stmt.insertReceipt.run(receipt.commandId, receipt.fingerprint, JSON.stringify(receipt.result), position);
    }
    return { position, streams: versions };
  }

  /**
   * An append whose event ids are all stored already, in the same streams and
   * order, is a retry: answer what the first one got and store nothing.
   */
  private retriedAppend(streams: readonly StreamAppend[]): AppendResult | null {
    const first = streams.find((s) => s.events.length > 0)?.events[0];
    if (!first || !this.stmt.byEventId.get(first.eventId)) return null;
    let position = 0;
    const versions: { streamId: string; version: number }[] = [];
    for (const stream of streams) {
      let version = NO_STREAM;
      let previous: number | null = null;
      for (const event of stream.events) {
        const row = this.stmt.byEventId.get(event.eventId) as Pick<EventRow, 'position' | 'stream_id' | 'stream_version'> | undefined;
        if (!row || row.stream_id !== stream.streamId || (previous !== null && row.stream_version !== previous + 1)) {
          throw new EventIdConflictError(event.eventId);
        }
        previous = version = row.stream_version;
        position = Math.max(position, row.position);
      }
      versions.push({ streamId: stream.streamId, version });
    }
    return { position, streams: versions };
  }

  private readReceipt(commandId: string): CommandReceipt | undefined {
    const row = this.stmt.receipt.get(commandId) as { command_id: string; fingerprint: string; result: string; position: number } | undefined;
    return row && { commandId: row.command_id, fingerprint: row.fingerprint, result: JSON.parse(row.result), position: row.position };
  }

  private guardRead<T>(read: () => T): Promise<T> {
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(isStorageFailure(error) ? new StoreUnavailableError('The event store cannot be read right now.', error) : error);
    }
  }

  readStream(streamId: string, fromVersion = 0): Promise<RecordedEvent[]> {
    return this.guardRead(() => (this.stmt.readStream.all(streamId, fromVersion) as EventRow[]).map(toRecorded));
  }

  readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.guardRead(() => (this.stmt.readAll.all(after, limit) as EventRow[]).map(toRecorded));
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.appended.notify();
    this.db.close();
  }

  /** The file this store writes (for health checks and diagnostics). */
  get file(): string {
    return this.options.file;
  }
}
