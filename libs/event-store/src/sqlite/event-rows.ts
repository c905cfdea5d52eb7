import type { RecordedEvent } from '../event-store.port';

/** An events row as an array (statements in raw mode: no row object to build and throw away). */
export type EventRow = [position: number, streamId: string, streamVersion: number, eventId: string, type: string, data: string, metadata: string, recordedAt: string];
export const EVENT_COLUMNS = 'position, stream_id, stream_version, event_id, type, data, metadata, recorded_at';
/** Up to `limit` events after a position, in log order (readAll; the reader thread's batches). */
export const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`;

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    position: row[0],
    streamId: row[1],
    streamVersion: row[2],
    eventId: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
    recordedAt: row[7],
  };
}
