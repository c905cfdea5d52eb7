import { SERVICE_CATEGORIES, type ServiceCategory } from '@haitang/domain';
import { named, type ReadModels } from '../read-models.port';

export const RECORD_STATUS_FILTERS = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type RecordStatusFilter = (typeof RECORD_STATUS_FILTERS)[number];

export interface UnitRecord {
  recordId: string;
  volunteerId: string;
  displayName: string | null;
  orgUnitId: string;
  orgUnitName: string | null;
  category: string;
  categoryName: string;
  serviceDate: string;
  minutes: number;
  status: string;
  source: string;
  activityId: string | null;
  activityTitle: string | null;
  location: string | null;
  description: string;
  /** How many corrections (amendments) were made to it. */
  amendments: number;
}

export interface UnitRecordFilter {
  status?: RecordStatusFilter;
  limit?: number;
  offset?: number;
}

/**
 * The service records of a unit's subtree (the unit that organised them, not
 * the volunteer's home), newest service first: the approval queue of a
 * community is `status=pending`.
 */
export async function unitRecords(db: ReadModels, orgUnitId: string, filter: UnitRecordFilter = {}): Promise<{ total: number; records: UnitRecord[] }> {
  const where = `c.ancestor_id = @unit AND (CAST(@status AS TEXT) IS NULL OR r.status = @status)`;
  const params = { unit: orgUnitId, status: filter.status ?? null };
  const total = (await db.get<{ n: number }>(...named(`SELECT count(*) AS n FROM org_unit_closure c JOIN service_records r ON r.org_unit_id = c.descendant_id WHERE ${where}`, params)))!.n;
  const rows = await db.all<Record<string, any>>(...named(`SELECT r.*, v.display_name, u.name AS unit_name,
      (SELECT count(*) FROM record_history h WHERE h.record_id = r.record_id AND h.type = 'ServiceAmended.v1') AS amendments
    FROM org_unit_closure c JOIN service_records r ON r.org_unit_id = c.descendant_id
    LEFT JOIN volunteers v ON v.volunteer_id = r.volunteer_id LEFT JOIN org_units u ON u.org_unit_id = r.org_unit_id
    WHERE ${where} ORDER BY r.service_date DESC, r.recorded_position DESC LIMIT @limit OFFSET @offset`, { ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }));
  return {
    total,
    records: rows.map((r) => ({
      recordId: r.record_id, volunteerId: r.volunteer_id, displayName: r.display_name, orgUnitId: r.org_unit_id, orgUnitName: r.unit_name,
      category: r.category, categoryName: SERVICE_CATEGORIES[r.category as ServiceCategory] ?? r.category,
      serviceDate: r.service_date, minutes: r.minutes, status: r.status, source: r.source,
      activityId: r.activity_id, activityTitle: r.activity_title, location: r.location, description: r.description, amendments: r.amendments,
    })),
  };
}
