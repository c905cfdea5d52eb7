import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { actorKey, AUDIT_KEYS_SCHEMA, eventTypeKey, streamKey } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

/** Every event type, including ones added later: the audit trail leaves nothing out. */
export const EVERY_TYPE: ReadonlySet<string> = Object.freeze({ has: () => true }) as unknown as ReadonlySet<string>;

/** The actor id of an event's metadata, if it has one. */
export function actorIdOf(event: RecordedEvent): string | null {
  const actor = (event.metadata as { actor?: { id?: unknown } }).actor;
  return typeof actor?.id === 'string' ? actor.id : null;
}

/**
 * The audit trail's index over the log: one row per event with who caused it
 * (the actor id of its metadata), on which stream, of which type, and when.
 * Only what is needed to find events: their content is read from the log
 * itself. Streams, actors and types are stored as integer keys (sqlite/keys.ts:
 * a record's stream by its `record_n`, a volunteer's by its `volunteer_n`, …;
 * actors and types in `actor_keys` and `event_types`), so a row is a few
 * bytes and its three indexes (by stream, actor and type) integers. Which unit a row belongs to is not
 * stored but joined from stream-owners when asked.
 *
 * Runs after the projections that give records and activities their keys, and
 * before stream-owners (which finds the numbers this one gave in `stream_keys`).
 * Holds no personal data: ids, types and times only.
 */
export const auditProjection: SqliteProjection = {
  name: 'audit',
  version: 2,
  schema: `${AUDIT_KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS audit_log (
      position INTEGER PRIMARY KEY, stream_key INTEGER NOT NULL, type_n INTEGER NOT NULL, actor_n INTEGER, recorded_at TEXT NOT NULL
    );
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS audit_by_stream ON audit_log (stream_key, position);
    CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_log (actor_n, position);
    CREATE INDEX IF NOT EXISTS audit_by_type ON audit_log (type_n, position);
  `,
  handles: EVERY_TYPE,
  apply(db: Database.Database, event: RecordedEvent): void {
    stmt(db, INSERT_ONE).run(...auditRow(db, event));
  },
  // A batch is inserted ROWS_PER_INSERT rows per statement: one statement per event would cost more than the row itself.
  applyBatch(db: Database.Database, events: readonly RecordedEvent[]): void {
    let i = 0;
    for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
      const values: unknown[] = [];
      for (let j = i; j < i + ROWS_PER_INSERT; j++) values.push(...auditRow(db, events[j]));
      stmt(db, INSERT_MANY).run(values);
    }
    for (; i < events.length; i++) stmt(db, INSERT_ONE).run(...auditRow(db, events[i]));
  },
};

const INSERT_ONE = 'INSERT OR IGNORE INTO audit_log VALUES (?, ?, ?, ?, ?)';
const ROWS_PER_INSERT = 100;
const INSERT_MANY = `INSERT OR IGNORE INTO audit_log VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`;

/** An event's row of `audit_log`; its keys are given in this order (stream, type, actor), event by event. */
function auditRow(db: Database.Database, event: RecordedEvent): [number, number, number, number | null, string] {
  const actor = actorIdOf(event);
  return [event.position, streamKey(db, event.streamId), eventTypeKey(db, event.type), actor === null ? null : actorKey(db, actor), event.recordedAt];
}
