import { SERVICE_CATEGORIES, type ServiceCategory } from '@haitang/domain';
import { named, type ReadModels } from '../read-models.port';
import { registeredUnit } from './org-units.query';
import { type RecordLog, recordStory } from './volunteer-hours.query';

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
export function unitRecords(db: ReadModels, log: RecordLog, orgUnitId: string, filter: UnitRecordFilter = {}): Promise<{ total: number; records: UnitRecord[] }> {
  return db.consistent((db) => unitRecordsOn(db, log, orgUnitId, filter));
}

async function unitRecordsOn(db: ReadModels, log: RecordLog, orgUnitId: string, filter: UnitRecordFilter): Promise<{ total: number; records: UnitRecord[] }> {
  const unit = (await registeredUnit(db, orgUnitId)) ?? -1;
  const where = `c.ancestor_n = @unit AND (CAST(@status AS TEXT) IS NULL OR r.status = @status)`;
  const params = { unit, status: filter.status ?? null };
  const total = (await db.get<{ n: number }>(...named(`SELECT count(*) AS n FROM org_unit_closure c JOIN service_records r ON r.unit_n = c.descendant_n WHERE ${where}`, params)))!.n;
  // Corrections are counted in the audit index of the log (a record's stream, keyed by its record_n); the texts are the record's first event.
  const rows = await db.all<Record<string, any>>(...named(`SELECT r.*, vk.volunteer_id, v.display_name, uk.org_unit_id, u.name AS unit_name,
      (SELECT count(*) FROM audit_log h WHERE h.stream_key = r.record_n * 8 + 4
        AND h.type_n = (SELECT type_n FROM event_types WHERE type = 'ServiceAmended.v1')) AS amendments
    FROM org_unit_closure c JOIN service_records r ON r.unit_n = c.descendant_n
    JOIN volunteer_keys vk ON vk.volunteer_n = r.volunteer_n JOIN unit_keys uk ON uk.unit_n = r.unit_n
    LEFT JOIN volunteers v ON v.volunteer_n = r.volunteer_n LEFT JOIN org_units u ON u.unit_n = r.unit_n
    WHERE ${where} ORDER BY r.service_date DESC, r.recorded_position DESC LIMIT @limit OFFSET @offset`, { ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }));
  const stories = await Promise.all(rows.map((r) => recordStory(log, r.record_id, 0)));
  return {
    total,
    records: rows.map((r, i) => ({
      recordId: r.record_id, volunteerId: r.volunteer_id, displayName: r.display_name, orgUnitId: r.org_unit_id, orgUnitName: r.unit_name,
      category: r.category, categoryName: SERVICE_CATEGORIES[r.category as ServiceCategory] ?? r.category,
      serviceDate: r.service_date, minutes: r.minutes, status: r.status, source: r.source,
      activityId: r.activity_id, activityTitle: stories[i].activityTitle, location: stories[i].location, description: stories[i].description,
      amendments: r.amendments,
    })),
  };
}
