import type { Migration } from './migrations';

/**
 * The event store's tables. Positions are assigned by the writer that holds the
 * append lock (see postgres-event-store.ts), so they are gap-free. Text keys use
 * the "C" collation: byte order, as in SQLite, and the fastest B-trees. Data,
 * metadata and receipts are `json` (the text exactly as appended, key order
 * included), not `jsonb`. Rows are never updated or deleted: a trigger refuses it.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events, command receipts, append-only guard',
    sql: `
      CREATE TABLE events (
        position       bigint  PRIMARY KEY CHECK (position > 0),
        stream_id      text    COLLATE "C" NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version >= 0),
        event_id       text    COLLATE "C" NOT NULL,
        type           text    COLLATE "C" NOT NULL,
        data           json    NOT NULL,
        metadata       json    NOT NULL,
        recorded_at    timestamptz NOT NULL,
        CONSTRAINT events_by_stream UNIQUE (stream_id, stream_version),
        CONSTRAINT events_by_event_id UNIQUE (event_id)
      );
      CREATE TABLE command_receipts (
        command_id  text   COLLATE "C" PRIMARY KEY,
        fingerprint text   NOT NULL,
        result      json   NOT NULL,
        position    bigint NOT NULL
      );
      CREATE FUNCTION haitang_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'The Haitang ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME; END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION haitang_refuse_change();
      CREATE TRIGGER command_receipts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON command_receipts
        FOR EACH STATEMENT EXECUTE FUNCTION haitang_refuse_change();
    `,
  },
];
