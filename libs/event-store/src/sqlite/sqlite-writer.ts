import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type AppendResult, type CommandReceipt, DuplicateCommandError, EventIdConflictError, type ExpectedVersion, NO_STREAM,
  StoreUnavailableError, WrongExpectedVersionError,
} from '../event-store.port';
import { migrateEventsDatabase } from './schema';

/** An append with its JSON already serialized, as it crosses to the writer (possibly another thread). */
export interface SerializedAppend {
  streams: { streamId: string; expectedVersion: ExpectedVersion; events: { eventId: string; type: string; data: string; metadata: string }[] }[];
  receipt?: { commandId: string; fingerprint: string; result: string };
}

export type SerializedError =
  | { kind: 'wrong-version'; streamId: string; expectedVersion: ExpectedVersion; actualVersion: number }
  | { kind: 'duplicate-command'; receipt: CommandReceipt }
  | { kind: 'event-id-conflict'; eventId: string }
  | { kind: 'unavailable'; message: string; cause?: string }
  | { kind: 'other'; message: string };

export type AppendOutcome = { ok: AppendResult } | { error: SerializedError };

/** SQLite error codes that mean "the store can't write now", answered 503, never 500. */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}

export function openEventsDatabase(file: string, busyTimeoutMs: number): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  migrateEventsDatabase(db);
  return db;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof WrongExpectedVersionError) return { kind: 'wrong-version', streamId: error.streamId, expectedVersion: error.expectedVersion, actualVersion: error.actualVersion };
  if (error instanceof DuplicateCommandError) return { kind: 'duplicate-command', receipt: error.receipt };
  if (error instanceof EventIdConflictError) return { kind: 'event-id-conflict', eventId: error.eventId };
  if (error instanceof StoreUnavailableError) return { kind: 'unavailable', message: error.message, cause: String((error.cause as Error)?.message ?? error.cause ?? '') };
  return { kind: 'other', message: (error as Error)?.message ?? String(error) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.kind) {
    case 'wrong-version': return new WrongExpectedVersionError(error.streamId, error.expectedVersion, error.actualVersion);
    case 'duplicate-command': return new DuplicateCommandError(error.receipt);
    case 'event-id-conflict': return new EventIdConflictError(error.eventId);
    case 'unavailable': return new StoreUnavailableError(error.message, error.cause);
    default: return new Error(error.message);
  }
}

/**
 * Writes groups of appends, one transaction per group (group commit), each
 * append in its own savepoint so a refused one never fails the others. Runs
 * on the writer thread, or inline where no thread is available.
 */
export class SqliteWriter {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT append_one'),
      release: db.prepare('RELEASE append_one'),
      rollbackTo: db.prepare('ROLLBACK TO append_one'),
      version: db.prepare('SELECT max(stream_version) AS v FROM events WHERE stream_id = ?').pluck(),
      insert: db.prepare('INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      byEventId: db.prepare('SELECT position, stream_id, stream_version FROM events WHERE event_id = ?'),
      receipt: db.prepare('SELECT command_id, fingerprint, result, position FROM command_receipts WHERE command_id = ?'),
      insertReceipt: db.prepare('INSERT INTO command_receipts (command_id, fingerprint, result, position) VALUES (?, ?, ?, ?)'),
    };
  }

  write(group: readonly SerializedAppend[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    try {
      this.stmt.begin.run();
      const recordedAt = new Date().toISOString();
      for (const append of group) {
        this.stmt.savepoint.run();
        try {
          outcomes.push({ ok: this.appendOne(append, recordedAt) });
          this.stmt.release.run();
        } catch (error) {
          this.stmt.rollbackTo.run();
          this.stmt.release.run();
          if (isStorageFailure(error)) throw error;
          outcomes.push({ error: serializeError(error) });
        }
      }
      this.stmt.commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.stmt.rollback.run();
      const failure = serializeError(new StoreUnavailableError('The event store could not save the change; nothing was recorded. Please retry.', error));
      return group.map(() => ({ error: failure }));
    }
  }

  private appendOne(append: SerializedAppend, recordedAt: string): AppendResult {
    const { receipt } = append;
    if (receipt) {
      const row = this.stmt.receipt.get(receipt.commandId) as { command_id: string; fingerprint: string; result: string; position: number } | undefined;
      if (row) throw new DuplicateCommandError({ commandId: row.command_id, fingerprint: row.fingerprint, result: JSON.parse(row.result), position: row.position });
    }
    const retried = this.retriedAppend(append);
    if (retried) return retried;
    let position = 0;
    const versions: { streamId: string; version: number }[] = [];
    for (const stream of append.streams) {
      const current = (this.stmt.version.get(stream.streamId) as number | null) ?? NO_STREAM;
      if (stream.expectedVersion !== 'any' && stream.expectedVersion !== current) {
        throw new WrongExpectedVersionError(stream.streamId, stream.expectedVersion, current);
      }
      let version = current;
      for (const event of stream.events) {
        version += 1;
        try {
          position = Number(this.stmt.insert.run(stream.streamId, version, event.eventId, event.type, event.data, event.metadata, recordedAt).lastInsertRowid);
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new EventIdConflictError(event.eventId);
          throw error;
        }
      }
      versions.push({ streamId: stream.streamId, version });
    }
    if (receipt) this.stmt.insertReceipt.run(receipt.commandId, receipt.fingerprint, receipt.result, position);
    return { position, streams: versions };
  }

  /** An append whose event ids are all stored already, in the same streams and order, is a retry: answer what the first one got. */
  private retriedAppend(append: SerializedAppend): AppendResult | null {
    const first = append.streams.find((s) => s.events.length > 0)?.events[0];
    if (!first || !this.stmt.byEventId.get(first.eventId)) return null;
    let position = 0;
    const versions: { streamId: string; version: number }[] = [];
    for (const stream of append.streams) {
      let version = NO_STREAM;
      let previous: number | null = null;
      for (const event of stream.events) {
        const row = this.stmt.byEventId.get(event.eventId) as { position: number; stream_id: string; stream_version: number } | undefined;
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
}
