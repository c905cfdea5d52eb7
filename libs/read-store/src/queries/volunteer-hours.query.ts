import { type Actor, starStanding } from '@haitang/domain';
import type { ReadModels } from '../read-models.port';

export interface VolunteerHours {
  volunteerId: string;
  displayName: string;
  /** The unit the volunteer belongs to (where a self-report goes by default). */
  homeOrgUnitId: string;
  approvedMinutes: number;
  pendingMinutes: number;
  approvedHours: number;
  byCategory: Record<string, number>;
  byYear: Record<string, number>;
  starLevel: number;
  nextStar: { level: number; minutesToGo: number } | null;
}

/** A volunteer's hours: sums over their records, approved and pending apart. Null if unknown. */
export function volunteerHours(db: ReadModels, volunteerId: string, thresholdsHours: readonly number[]): Promise<VolunteerHours | null> {
  return db.consistent((db) => volunteerHoursOn(db, volunteerId, thresholdsHours));
}

async function volunteerHoursOn(db: ReadModels, volunteerId: string, thresholdsHours: readonly number[]): Promise<VolunteerHours | null> {
  const volunteer = await db.get<{ display_name: string; home_org_unit_id: string }>('SELECT display_name, home_org_unit_id FROM volunteers WHERE volunteer_id = ?', [volunteerId]);
  if (!volunteer) return null;
  const rows = await db.all<{ status: string; category: string; year: string; minutes: number }>(`SELECT status, category, substr(service_date, 1, 4) AS year, sum(minutes) AS minutes
    FROM service_records WHERE volunteer_id = ? AND status IN ('approved', 'pending') GROUP BY status, category, year`, [volunteerId]);
  let approvedMinutes = 0;
  let pendingMinutes = 0;
  const byCategory: Record<string, number> = {};
  const byYear: Record<string, number> = {};
  for (const r of rows) {
    if (r.status === 'pending') {
      pendingMinutes += r.minutes;
      continue;
    }
    approvedMinutes += r.minutes;
    byCategory[r.category] = (byCategory[r.category] ?? 0) + r.minutes;
    byYear[r.year] = (byYear[r.year] ?? 0) + r.minutes;
  }
  return {
    volunteerId, displayName: volunteer.display_name, homeOrgUnitId: volunteer.home_org_unit_id,
    approvedMinutes, pendingMinutes,
    approvedHours: Math.round(approvedMinutes / 6) / 10,
    byCategory, byYear, ...starStanding(approvedMinutes, thresholdsHours),
  };
}

export interface RecordView {
  recordId: string; activityId: string | null; activityTitle: string | null; category: string; serviceDate: string;
  minutes: number; status: string; source: string; orgUnitId: string; location: string | null; description: string;
  /** Every event of the record, in log order, with who caused it (null when its metadata names nobody). */
  history: { position: number; type: string; data: unknown; actor: Actor | null; recordedAt: string }[];
}

/** A volunteer's records, newest service first, each with its full history of corrections. */
export function volunteerRecords(db: ReadModels, volunteerId: string): Promise<RecordView[]> {
  return db.consistent((db) => volunteerRecordsOn(db, volunteerId));
}

async function volunteerRecordsOn(db: ReadModels, volunteerId: string): Promise<RecordView[]> {
  const records = await db.all<Record<string, any>>(`SELECT * FROM service_records WHERE volunteer_id = ? ORDER BY service_date DESC, recorded_position DESC`, [volunteerId]);
  return Promise.all(records.map(async (r) => ({
    recordId: r.record_id, activityId: r.activity_id, activityTitle: r.activity_title, category: r.category, serviceDate: r.service_date,
    minutes: r.minutes, status: r.status, source: r.source, orgUnitId: r.org_unit_id, location: r.location, description: r.description,
    history: (await db.all<Record<string, any>>('SELECT * FROM record_history WHERE record_id = ? ORDER BY position', [r.record_id]))
      .map((h) => ({ position: h.position, type: h.type, data: JSON.parse(h.data), actor: JSON.parse(h.actor), recordedAt: h.recorded_at })),
  })));
}

export interface VolunteerProfileRow {
  volunteerId: string;
  displayName: string;
  homeOrgUnitId: string;
  partyMember: boolean;
  senior: boolean;
  occupation: string;
  personalDataErased: boolean;
  registeredAt: string;
}

/** A volunteer's profile as the read models hold it (no personal data: that stays sealed in the log). Null if unknown. */
export async function volunteerProfile(db: ReadModels, volunteerId: string): Promise<VolunteerProfileRow | null> {
  const r = await db.get<Record<string, any>>('SELECT * FROM volunteers WHERE volunteer_id = ?', [volunteerId]);
  if (!r) return null;
  return {
    volunteerId: r.volunteer_id, displayName: r.display_name, homeOrgUnitId: r.home_org_unit_id, partyMember: r.party_member === 1,
    senior: r.senior === 1, occupation: r.occupation, personalDataErased: r.personal_data_erased === 1, registeredAt: r.registered_at,
  };
}
