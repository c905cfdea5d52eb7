import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
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
  | { kind: 'unavailable'; message: string; cause?: string; outcome: 'not-recorded' | 'unknown' }
  | { kind: 'other'; message: string };

export type AppendOutcome = { ok: AppendResult } | { error: SerializedError };

/** SQLite error codes that mean "the store can't write now", answered 503, never 500. */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}

function isIoError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_IOERR');
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** A write-ahead log is a 32-byte header and then frames; anything longer has frames to replay. */
const WAL_HEADER_BYTES = 32;

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Refuses an events file whose end was cut off. SQLite writes the main file in whole pages, and in WAL
 * mode only a checkpoint writes it, from frames that stay in the -wal until the copy is complete (and
 * are copied again by the recovery after a crash). So a file that is not a whole number of pages, or
 * is shorter than its header says, while no -wal frames are left to repair it, was damaged by something
 * else: a failing disk, an interrupted copy or restore. SQLite does not notice: it reads the missing
 * bytes as zeros, so stored events silently change (and `PRAGMA integrity_check` may still answer ok).
 * A ledger must not be read or extended in that state; this costs one stat and a 100-byte read.
 * With -wal frames (or a rollback journal) present, the repair is left to SQLite's recovery
 * (see test/fault-torn-page.e2e.spec.ts).
 */
export function assertEventsFileWhole(file: string): void {
  const size = sizeOf(file);
  if (!size) return; // not created yet, or empty: SQLite initialises it
  if ((sizeOf(`${file}-wal`) ?? 0) > WAL_HEADER_BYTES || (sizeOf(`${file}-journal`) ?? 0) > 0) return; // SQLite repairs from those
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return; // not SQLite at all: SQLite says so itself
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return; // a damaged header: SQLite refuses it itself
  // The page count at offset 28 is valid when the "version-valid-for" number (92) equals the change counter (24).
  const headerPages = header.readUInt32BE(92) === header.readUInt32BE(24) ? header.readUInt32BE(28) : 0;
  const wholePages = size % pageSize === 0;
  if (wholePages && headerPages * pageSize <= size) return;
  throw new Error(
    `The events file ${file} is damaged: it is ${size} bytes, ` +
    (wholePages ? `shorter than the ${headerPages} pages of ${pageSize} bytes its header records` : `not a whole number of ${pageSize}-byte pages`) +
    ', and there is no write-ahead log (-wal) to repair it, so its end was cut off. Haitang will not read or extend a damaged ledger: ' +
    'restore events.sqlite from a backup (or salvage what is left with `sqlite3 events.sqlite .recover`).',
  );
}

export function openEventsDatabase(file: string, busyTimeoutMs: number): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  assertEventsFileWhole(file);
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
  if (error instanceof StoreUnavailableError) {
    return { kind: 'unavailable', message: error.message, cause: String((error.cause as Error)?.message ?? error.cause ?? ''), outcome: error.outcome };
  }
  return { kind: 'other', message: (error as Error)?.message ?? String(error) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.kind) {
    case 'wrong-version': return new WrongExpectedVersionError(error.streamId, error.expectedVersion, error.actualVersion);
    case 'duplicate-command': return new DuplicateCommandError(error.receipt);
    case 'event-id-conflict': return new EventIdConflictError(error.eventId);
    case 'unavailable': return new StoreUnavailableError(error.message, error.cause, error.outcome);
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
    let committing = false;
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
      committing = true;
      this.stmt.commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.stmt.rollback.run();
      // A COMMIT that failed with an I/O error may have written every frame of the group to the WAL before
      // (say) its fsync failed: the next start's recovery can find them whole and keep the group. A full
      // disk stops the frames before the last one, which marks the commit, is whole; anything before
      // COMMIT leaves nothing behind either.
      const failure = serializeError(committing && isIoError(error)
        ? new StoreUnavailableError('The event store could not confirm the change was saved: it may or may not be recorded. Retry with the same Idempotency-Key.', error, 'unknown')
        : new StoreUnavailableError('The event store could not save the change; nothing was recorded. Please retry.', error));
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
