import { splitStreamId, type StreamKind } from '../sqlite/keys';

/** The own key of a stream of each kind (sqlite/keys.ts, streamKey), from the id after its dash (@streamOwnId). */
const OWN_KEY_SQL: Record<StreamKind, string> = {
  orgunit: 'SELECT unit_n * 8 + 1 FROM unit_keys WHERE org_unit_id = @streamOwnId',
  volunteer: 'SELECT volunteer_n * 8 + 2 FROM volunteer_keys WHERE volunteer_id = @streamOwnId',
  activity: 'SELECT activity_n * 8 + 3 FROM activities WHERE activity_id = @streamOwnId',
  record: 'SELECT record_n * 8 + 4 FROM service_records WHERE record_id = @streamOwnId',
};

/**
 * `IN (…)` over every key a stream may have (its own, and one in
 * `stream_keys`), with its named parameters: SQL both dialects understand,
 * built from fixed fragments only.
 */
export function streamKeysIn(streamId: string): { sql: string; params: { streamId: string; streamOwnId: string | null } } {
  const own = splitStreamId(streamId);
  const generic = '(SELECT stream_n * 8 FROM stream_keys WHERE stream_id = @streamId)';
  return { sql: own ? `IN (${generic}, (${OWN_KEY_SQL[own.kind]}))` : `IN (${generic})`, params: { streamId, streamOwnId: own?.id ?? null } };
}

/** The stream id of a stream key (`column`), as SQL both dialects understand. */
export function streamIdOf(column: string): string {
  return `CASE ${column} % 8
    WHEN 1 THEN 'orgunit-' || (SELECT org_unit_id FROM unit_keys WHERE unit_n = ${column} / 8)
    WHEN 2 THEN 'volunteer-' || (SELECT volunteer_id FROM volunteer_keys WHERE volunteer_n = ${column} / 8)
    WHEN 3 THEN 'activity-' || (SELECT activity_id FROM activities WHERE activity_n = ${column} / 8)
    WHEN 4 THEN 'record-' || (SELECT record_id FROM service_records WHERE record_n = ${column} / 8)
    ELSE (SELECT stream_id FROM stream_keys WHERE stream_n = ${column} / 8) END`;
}
