import { projectionMetadata, type RecordedEvent } from '../event-store.port';

/** An events row as an array (statements in raw mode: no row object to build and throw away). */
export type EventRow = [position: number, streamId: string, streamVersion: number, eventId: string, type: string, data: string, metadata: string, recordedAt: string];
export const EVENT_COLUMNS = 'position, stream_id, stream_version, event_id, type, data, metadata, recorded_at';
/** Up to `limit` events after a position, in log order (readAll; the reader thread's batches). */
export const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`;

export function toRecorded(row: EventRow): RecordedEvent {
  return recorded(row, JSON.parse(row[6]));
}

function recorded(row: EventRow | ReplayRow, metadata: Record<string, unknown>): RecordedEvent {
  return {
    position: row[0],
    streamId: row[1],
    streamVersion: row[2],
    eventId: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata,
    recordedAt: row[7],
  };
}

/**
 * A replay's batch (readToHead, on the reader thread): as READ_ALL_SQL, but of the metadata only the
 * actor's id, when it is a string, extracted by SQLite (see EventStore.readToHead). SQLite's JSON
 * functions also read JSON5 (unquoted keys, trailing commas, comments), which JSON.parse refuses, so
 * json_valid (strict RFC 8259) says whether the text is JSON at all: a replay that meets one that is not
 * fails as every other read of it does ("damaged record"). Not JSON5 at all fails the statement
 * ("malformed JSON").
 */
export const REPLAY_SQL = `SELECT position, stream_id, stream_version, event_id, type, data,
  CASE json_type(metadata, '$.actor.id') WHEN 'text' THEN json_extract(metadata, '$.actor.id') END, recorded_at, json_valid(metadata)
  FROM events WHERE position > ? ORDER BY position LIMIT ?`;

export type ReplayRow = [
  position: number, streamId: string, streamVersion: number, eventId: string, type: string, data: string, actorId: string | null, recordedAt: string,
  metadataIsJson: number,
];

export function toReplayed(row: ReplayRow): RecordedEvent {
  if (row[8] !== 1) throw new SyntaxError(`The metadata of event ${row[0]} is not JSON.`);
  return recorded(row, projectionMetadata(row[6]));
}

/** Whether a read failed on a stored event that no longer parses (the file was damaged outside Haitang). */
export function isDamagedRecord(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_ERROR' && /malformed JSON/i.test(error.message));
}
