import { named, paddedIn, type ReadModels } from '../read-models.port';
import { streamIdOf, streamKeysIn } from './stream-keys';

export interface AuditFilter {
  /** Only streams owned by this unit or a unit under it. */
  readonly orgUnitId?: string;
  readonly streamId?: string;
  readonly actorId?: string;
  /** One event type, e.g. CertificateIssued.v1. */
  readonly type?: string;
  /** recorded_at bounds, ISO-8601 UTC: from inclusive, until exclusive. */
  readonly from?: string;
  readonly until?: string;
  /** Positions after this one. */
  readonly after: number;
  /** Positions before this one (none: up to the end of the log). */
  readonly before?: number;
  /** Newest first (the default is log order). */
  readonly newestFirst?: boolean;
  readonly limit: number;
}

export interface AuditEntry {
  readonly position: number;
  readonly streamId: string;
  readonly type: string;
  readonly actorId: string | null;
  readonly recordedAt: string;
}

/** The log positions matching an audit filter, one page: in log order, or newest first. */
export async function auditEntries(db: ReadModels, f: AuditFilter): Promise<AuditEntry[]> {
  const where = ['a.position > @after'];
  let join = '';
  const { newestFirst, ...values } = f;
  let params: Record<string, unknown> = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  if (f.before !== undefined) where.push('a.position < @before');
  if (f.orgUnitId !== undefined) {
    join = `JOIN stream_owners o ON o.stream_key = a.stream_key
      JOIN org_unit_closure c ON c.descendant_n = o.unit_n AND c.ancestor_n = (SELECT unit_n FROM unit_keys WHERE org_unit_id = @orgUnitId)`;
  }
  if (f.streamId !== undefined) {
    const keys = streamKeysIn(f.streamId);
    where.push(`a.stream_key ${keys.sql}`);
    params = { ...params, ...keys.params };
  }
  if (f.actorId !== undefined) where.push('a.actor_n = (SELECT actor_n FROM actor_keys WHERE actor_id = @actorId)');
  if (f.type !== undefined) where.push('a.type_n = (SELECT type_n FROM event_types WHERE type = @type)');
  if (f.from !== undefined) where.push('a.recorded_at >= @from');
  if (f.until !== undefined) where.push('a.recorded_at < @until');
  // Built from fixed fragments only; every value is a bound parameter.
  const sql = `SELECT a.position, ${streamIdOf('a.stream_key')} AS stream_id, t.type, k.actor_id, a.recorded_at
    FROM audit_log a ${join} JOIN event_types t ON t.type_n = a.type_n LEFT JOIN actor_keys k ON k.actor_n = a.actor_n
    WHERE ${where.join(' AND ')} ORDER BY a.position ${newestFirst ? 'DESC' : 'ASC'} LIMIT @limit`;
  return (await db.all<{ position: number; stream_id: string; type: string; actor_id: string | null; recorded_at: string }>(...named(sql, params)))
    .map((r) => ({ position: r.position, streamId: r.stream_id, type: r.type, actorId: r.actor_id, recordedAt: r.recorded_at }));
}

/**
 * How the read models name the volunteers and activities a page of the trail
 * mentions (`volunteerId`, `activityId` in the events' data), so that a
 * reader sees "俞阿姨" and "玩转智能手机" rather than two ids. An id the read
 * models do not know is left out.
 */
export async function auditNames(db: ReadModels, ids: { volunteers: Iterable<string>; activities: Iterable<string> }): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const look = async (wanted: Iterable<string>, sql: (placeholders: string) => string) => {
    const list = [...new Set(wanted)];
    if (list.length === 0) return;
    // One statement for the page (at most `limit` ids of each kind), every id a bound parameter.
    const { placeholders, params } = paddedIn(list);
    for (const row of await db.all<{ id: string; name: string }>(sql(placeholders), params)) names[row.id] = row.name;
  };
  await look(ids.volunteers, (ps) =>
    `SELECT k.volunteer_id AS id, v.display_name AS name FROM volunteer_keys k JOIN volunteers v ON v.volunteer_n = k.volunteer_n WHERE k.volunteer_id IN (${ps})`);
  await look(ids.activities, (ps) => `SELECT activity_id AS id, title AS name FROM activities WHERE activity_id IN (${ps})`);
  return names;
}
