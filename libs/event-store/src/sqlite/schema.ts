import type Database from 'better-sqlite3';

/** Versioned schema of the events file. A file from a newer Haitang is refused, never rewritten. */
export const EVENTS_SCHEMA_VERSION = 1;

export function migrateEventsDatabase(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > EVENTS_SCHEMA_VERSION) {
    throw new Error(`The events file has schema version ${current}, newer than this Haitang (${EVENTS_SCHEMA_VERSION}). Upgrade Haitang.`);
  }
  if (current < 1) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position       INTEGER PRIMARY KEY,
        stream_id      TEXT    NOT NULL,
        stream_version INTEGER NOT NULL,
        event_id       TEXT    NOT NULL,
        type           TEXT    NOT NULL,
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, stream_version);
      CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
      CREATE TABLE IF NOT EXISTS command_receipts (
        command_id  TEXT    PRIMARY KEY,
        fingerprint TEXT    NOT NULL,
        result      TEXT    NOT NULL,
        position    INTEGER NOT NULL
      ) WITHOUT ROWID;
      PRAGMA user_version = 1;
    `);
  }
}
