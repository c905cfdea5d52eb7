import { named, type ReadModels } from '../read-models.port';

export interface AuditFilter {
  /** Only streams owned by this unit or a unit under it. */
  readonly orgUnitId?: string;
  readonly streamId?: string;
  readonly actorId?: string;
  /** recorded_at bounds, ISO-8601 UTC: from inclusive, until exclusive. */
  readonly from?: string;
  readonly until?: string;
  /** Positions after this one. */
  readonly after: number;
  readonly limit: number;
}

export interface AuditEntry {
  readonly position: number;
  readonly streamId: string;
  readonly type: string;
  readonly actorId: string | null;
  readonly recordedAt: string;
}

/** The log positions matching an audit filter, in log order, one page. */
export async function auditEntries(db: ReadModels, f: AuditFilter): Promise<AuditEntry[]> {
  const where = ['a.position > @after'];
  let join = '';
  if (f.orgUnitId !== undefined) {
    join = `JOIN stream_owners o ON o.stream_id = a.stream_id JOIN unit_keys d ON d.org_unit_id = o.org_unit_id
      JOIN org_unit_closure c ON c.descendant_n = d.unit_n AND c.ancestor_n = (SELECT unit_n FROM unit_keys WHERE org_unit_id = @orgUnitId)`;
  }
  if (f.streamId !== undefined) where.push('a.stream_id = @streamId');
  if (f.actorId !== undefined) where.push('a.actor_id = @actorId');
  if (f.from !== undefined) where.push('a.recorded_at >= @from');
  if (f.until !== undefined) where.push('a.recorded_at < @until');
  // Built from fixed fragments only; every value is a bound parameter.
  const sql = `SELECT a.position, a.stream_id, a.type, a.actor_id, a.recorded_at FROM audit_log a ${join}
    WHERE ${where.join(' AND ')} ORDER BY a.position LIMIT @limit`;
  const params = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
  return (await db.all<{ position: number; stream_id: string; type: string; actor_id: string | null; recorded_at: string }>(...named(sql, params)))
    .map((r) => ({ position: r.position, streamId: r.stream_id, type: r.type, actorId: r.actor_id, recordedAt: r.recorded_at }));
}
