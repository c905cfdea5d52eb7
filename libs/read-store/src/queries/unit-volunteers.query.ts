import { named, type ReadModels } from '../read-models.port';
import { hoursOf } from './hours';
import { registeredUnit } from './org-units.query';

export interface UnitVolunteer {
  volunteerId: string;
  displayName: string;
  homeOrgUnitId: string;
  homeOrgUnitName: string | null;
  partyMember: boolean;
  senior: boolean;
  occupation: string;
  /** Approved minutes, all time. */
  approvedMinutes: number;
  approvedHours: number;
}

export interface UnitVolunteerFilter {
  /** Part of the display name (or the id). */
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * The volunteers whose home is the unit or any unit under it (the people a
 * community's staff enroll, check in and approve), by name; `total` counts
 * every match, `volunteers` is one page.
 */
export function unitVolunteers(db: ReadModels, orgUnitId: string, filter: UnitVolunteerFilter = {}): Promise<{ total: number; volunteers: UnitVolunteer[] }> {
  return db.consistent((db) => unitVolunteersOn(db, orgUnitId, filter));
}

async function unitVolunteersOn(db: ReadModels, orgUnitId: string, filter: UnitVolunteerFilter): Promise<{ total: number; volunteers: UnitVolunteer[] }> {
  const search = filter.q?.trim() ? `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = `c.ancestor_n = @unit AND (CAST(@q AS TEXT) IS NULL OR v.display_name LIKE @q ESCAPE '\\' OR k.volunteer_id LIKE @q ESCAPE '\\')`;
  const params = { unit: (await registeredUnit(db, orgUnitId)) ?? -1, q: search };
  const subtree = 'org_unit_closure c JOIN volunteers v ON v.home_unit_n = c.descendant_n JOIN volunteer_keys k ON k.volunteer_n = v.volunteer_n';
  const total = (await db.get<{ n: number }>(...named(`SELECT count(*) AS n FROM ${subtree} WHERE ${where}`, params)))!.n;
  const rows = await db.all<{
    volunteer_id: string; display_name: string; home_org_unit_id: string; home_name: string | null; party_member: number; senior: number; occupation: string; approved: number;
  }>(...named(`SELECT v.*, k.volunteer_id, hk.org_unit_id AS home_org_unit_id, u.name AS home_name,
      (SELECT coalesce(sum(r.minutes), 0) FROM service_records r WHERE r.volunteer_n = v.volunteer_n AND r.status = 'approved') AS approved
    FROM ${subtree} JOIN unit_keys hk ON hk.unit_n = v.home_unit_n LEFT JOIN org_units u ON u.unit_n = v.home_unit_n
    WHERE ${where} ORDER BY v.display_name, k.volunteer_id LIMIT @limit OFFSET @offset`, { ...params, limit: filter.limit ?? 200, offset: filter.offset ?? 0 }));
  return {
    total,
    volunteers: rows.map((r) => ({
      volunteerId: r.volunteer_id, displayName: r.display_name, homeOrgUnitId: r.home_org_unit_id, homeOrgUnitName: r.home_name,
      partyMember: r.party_member === 1, senior: r.senior === 1, occupation: r.occupation,
      approvedMinutes: r.approved, approvedHours: hoursOf(r.approved),
    })),
  };
}
