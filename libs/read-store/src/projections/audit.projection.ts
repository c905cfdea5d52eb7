import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { stmt } from '../sqlite/statements';

/** Every event type, including ones added later: the audit trail leaves nothing out. */
const EVERY_TYPE: ReadonlySet<string> = Object.freeze({ has: () => true }) as unknown as ReadonlySet<string>;

/**
 * The audit trail's index over the log: one row per event with who caused it
 * (the actor id of its metadata), on which stream, and when. Only what is
 * needed to find events: their content is read from the log itself. Which
 * unit a row belongs to is not stored but joined from stream-owners when
 * asked, so a row depends on its event alone (a rebuild gives the same rows).
 */
export const auditProjection: SqliteProjection = {
  name: 'audit',
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS audit_log (
      position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, type TEXT NOT NULL, actor_id TEXT, recorded_at TEXT NOT NULL
    );
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS audit_by_stream ON audit_log (stream_id, position);
    CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_log (actor_id, position);
  `,
  handles: EVERY_TYPE,
  apply(db: Database.Database, event: RecordedEvent): void {
    const actor = (event.metadata as { actor?: { id?: unknown } }).actor;
    stmt(db, 'INSERT OR IGNORE INTO audit_log VALUES (?, ?, ?, ?, ?)')
      .run(event.position, event.streamId, event.type, typeof actor?.id === 'string' ? actor.id : null, event.recordedAt);
  },
};
