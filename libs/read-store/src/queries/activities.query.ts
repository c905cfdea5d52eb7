import { SERVICE_CATEGORIES, type ServiceCategory, shanghaiDate, type WorkingDayCalendar } from '@haitang/domain';
import type { ReadModels } from '../read-models.port';
import { latestOverdueEndDate, recordsDueBy } from './calendar';
import { hoursOf } from './hours';

export const ACTIVITY_STATUSES = ['planned', 'completed', 'cancelled'] as const;
/** `overdue` filters planned activities whose records are late. */
export const ACTIVITY_STATUS_FILTERS = [...ACTIVITY_STATUSES, 'overdue'] as const;
export type ActivityStatusFilter = (typeof ACTIVITY_STATUS_FILTERS)[number];

/**
 * Where a roster entry stands. Once the activity is over (completed, or its
 * window has ended), `enrolled` becomes `no-show` and `checked-in` becomes
 * `missed-check-out`: flagged, never credited.
 */
export const ATTENDANCE_STATES = ['enrolled', 'checked-in', 'checked-out', 'no-show', 'missed-check-out'] as const;
export type AttendanceState = (typeof ATTENDANCE_STATES)[number];

export interface ActivityRecordRef {
  recordId: string; volunteerId: string; displayName: string | null; minutes: number; status: string; source: string; serviceDate: string;
}

export interface RosterEntry {
  volunteerId: string;
  displayName: string | null;
  walkIn: boolean;
  enrolledAt: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  attendance: AttendanceState;
  /** What completion decided for this volunteer: credited, missed-check-out, no-time-in-window, no-show, already-recorded; null before. */
  outcome: string | null;
  /** Minutes credited at completion (a later amendment shows in `record.minutes`). */
  creditedAtCompletion: number | null;
  /** The volunteer's service record for this activity, however it was made, if any. */
  record: Omit<ActivityRecordRef, 'volunteerId' | 'displayName'> | null;
}

export interface ActivitySummary {
  activityId: string;
  orgUnitId: string;
  orgUnitName: string | null;
  title: string;
  category: string;
  categoryName: string;
  location: string;
  startsAt: string;
  endsAt: string;
  status: 'planned' | 'completed' | 'cancelled';
  /** The last day its records are on time: the 10th working day after it ended (Asia/Shanghai; working days: see WorkingDayCalendar). */
  recordsDueBy: string;
  /** Planned (neither completed nor cancelled), past `recordsDueBy`, and without a live (approved or pending) record. */
  overdue: boolean;
  enrolled: number;
  /** Approved minutes of the records that name this activity (amendments and revocations included). */
  creditedMinutes: number;
  creditedHours: number;
}

export interface ActivityView extends ActivitySummary {
  capacity: number | null;
  description: string | null;
  personInCharge: string | null;
  cancelReason: string | null;
  cancelledAt: string | null;
  completedAt: string | null;
  beneficiaries: number | null;
  pendingMinutes: number;
  attendance: Record<AttendanceState, number>;
  roster: RosterEntry[];
  missedCheckOuts: { volunteerId: string; displayName: string | null; checkedInAt: string; record: RosterEntry['record'] }[];
  withdrawn: { volunteerId: string; displayName: string | null; withdrawnAt: string | null; reason: string | null }[];
  records: ActivityRecordRef[];
}

export interface ActivityFilter {
  /** The unit and everything under it. */
  orgUnitId?: string;
  /** First and last Asia/Shanghai day of the activity's start, inclusive. */
  from?: string;
  to?: string;
  status?: ActivityStatusFilter;
  limit?: number;
  offset?: number;
}

interface ActivityRow {
  activity_n: number; activity_id: string; org_unit_id: string; org_unit_name: string | null; title: string; category: string; location: string;
  starts_at: string; ends_at: string; start_date: string; end_date: string; capacity: number | null; description: string | null;
  person_in_charge: string | null; status: ActivitySummary['status']; cancel_reason: string | null; cancelled_at: string | null;
  completed_at: string | null; beneficiaries: number | null; enrolled: number; credited_minutes: number; live_records: number;
}

const categoryName = (c: string) => SERVICE_CATEGORIES[c as ServiceCategory] ?? c;

/** Live records keep an activity off the overdue list: approved or pending (a rejected or revoked one credits nothing). */
const LIVE_RECORDS = `(SELECT count(*) FROM service_records r WHERE r.activity_id = a.activity_id AND r.status IN ('approved', 'pending'))`;
const SUMMARY_COLUMNS = `a.*, (SELECT k.org_unit_id FROM unit_keys k WHERE k.unit_n = a.unit_n) AS org_unit_id, u.name AS org_unit_name,
  (SELECT count(*) FROM activity_roster e WHERE e.activity_n = a.activity_n AND e.enrolled = 1) AS enrolled,
  (SELECT coalesce(sum(r.minutes), 0) FROM service_records r WHERE r.activity_id = a.activity_id AND r.status = 'approved') AS credited_minutes,
  ${LIVE_RECORDS} AS live_records`;

function summaryOf(row: ActivityRow, overdueUpTo: string, calendar: WorkingDayCalendar): ActivitySummary {
  return {
    activityId: row.activity_id, orgUnitId: row.org_unit_id, orgUnitName: row.org_unit_name, title: row.title,
    category: row.category, categoryName: categoryName(row.category), location: row.location,
    startsAt: row.starts_at, endsAt: row.ends_at, status: row.status,
    recordsDueBy: recordsDueBy(row.end_date, calendar),
    overdue: row.status === 'planned' && row.end_date <= overdueUpTo && row.live_records === 0,
    enrolled: row.enrolled, creditedMinutes: row.credited_minutes, creditedHours: hoursOf(row.credited_minutes),
  };
}

/** One activity with its roster, attendance, missed check-outs and the minutes it credited; null when unknown. */
export function activityView(db: ReadModels, activityId: string, now: Date, calendar: WorkingDayCalendar): Promise<ActivityView | null> {
  return db.consistent((db) => activityViewOn(db, activityId, now, calendar));
}

async function activityViewOn(db: ReadModels, activityId: string, now: Date, calendar: WorkingDayCalendar): Promise<ActivityView | null> {
  const row = await db.get<ActivityRow>(`SELECT ${SUMMARY_COLUMNS} FROM activities a LEFT JOIN org_units u ON u.unit_n = a.unit_n WHERE a.activity_id = ?`, [activityId]);
  if (!row) return null;
  const summary = summaryOf(row, latestOverdueEndDate(shanghaiDate(now), calendar), calendar);
  const over = row.status === 'completed' || (row.status === 'planned' && now.getTime() > Date.parse(row.ends_at));

  const records = (await db.all<{ record_id: string; volunteer_id: string; display_name: string | null; minutes: number; status: string; source: string; service_date: string }>(
    `SELECT r.record_id, k.volunteer_id, v.display_name, r.minutes, r.status, r.source, r.service_date
    FROM service_records r JOIN volunteer_keys k ON k.volunteer_n = r.volunteer_n LEFT JOIN volunteers v ON v.volunteer_n = r.volunteer_n
    WHERE r.activity_id = ? ORDER BY r.recorded_position`, [activityId]))
    .map((r): ActivityRecordRef => ({
      recordId: r.record_id, volunteerId: r.volunteer_id, displayName: r.display_name, minutes: r.minutes, status: r.status, source: r.source, serviceDate: r.service_date,
    }));
  const recordOf = new Map(records.map(({ volunteerId, displayName: _name, ...record }) => [volunteerId, record]));
  const pendingMinutes = records.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.minutes, 0);

  const rows = await db.all<{
    volunteer_id: string; display_name: string | null; enrolled: number; walk_in: number; enrolled_at: string; withdrawn_at: string | null;
    withdrawal_reason: string | null; checked_in_at: string | null; checked_out_at: string | null; outcome: string | null; credited_minutes: number | null;
  }>(`SELECT e.*, k.volunteer_id, v.display_name FROM activity_roster e JOIN volunteer_keys k ON k.volunteer_n = e.volunteer_n
    LEFT JOIN volunteers v ON v.volunteer_n = e.volunteer_n WHERE e.activity_n = ? ORDER BY e.enrolled_position`, [row.activity_n]);
  const roster: RosterEntry[] = rows.filter((e) => e.enrolled === 1).map((e) => ({
    volunteerId: e.volunteer_id,
    displayName: e.display_name,
    walkIn: e.walk_in === 1,
    enrolledAt: e.enrolled_at,
    checkedInAt: e.checked_in_at,
    checkedOutAt: e.checked_out_at,
    attendance: e.checked_in_at === null ? (over ? 'no-show' : 'enrolled')
      : e.checked_out_at === null ? (over ? 'missed-check-out' : 'checked-in') : 'checked-out',
    outcome: e.outcome,
    creditedAtCompletion: e.credited_minutes,
    record: recordOf.get(e.volunteer_id) ?? null,
  }));
  const attendance: Record<AttendanceState, number> = { enrolled: 0, 'checked-in': 0, 'checked-out': 0, 'no-show': 0, 'missed-check-out': 0 };
  for (const e of roster) attendance[e.attendance]++;
  return {
    ...summary,
    capacity: row.capacity, description: row.description, personInCharge: row.person_in_charge,
    cancelReason: row.cancel_reason, cancelledAt: row.cancelled_at, completedAt: row.completed_at, beneficiaries: row.beneficiaries,
    pendingMinutes,
    attendance,
    roster,
    missedCheckOuts: roster.filter((e) => e.attendance === 'missed-check-out')
      .map((e) => ({ volunteerId: e.volunteerId, displayName: e.displayName, checkedInAt: e.checkedInAt!, record: e.record })),
    withdrawn: rows.filter((e) => e.enrolled === 0)
      .map((e) => ({ volunteerId: e.volunteer_id, displayName: e.display_name, withdrawnAt: e.withdrawn_at, reason: e.withdrawal_reason })),
    records,
  };
}

/**
 * Activities, newest start first, filtered by unit (its whole subtree), start
 * day and status; `total` counts every match, `activities` is one page.
 */
export function listActivities(
  db: ReadModels, filter: ActivityFilter, now: Date, calendar: WorkingDayCalendar,
): Promise<{ total: number; activities: ActivitySummary[] }> {
  return db.consistent((db) => listActivitiesOn(db, filter, now, calendar));
}

async function listActivitiesOn(db: ReadModels, filter: ActivityFilter, now: Date, calendar: WorkingDayCalendar): Promise<{ total: number; activities: ActivitySummary[] }> {
  const overdueUpTo = latestOverdueEndDate(shanghaiDate(now), calendar);
  const where: string[] = [];
  const params: unknown[] = [];
  let from = 'activities a';
  if (filter.orgUnitId !== undefined) {
    from = 'org_unit_closure c JOIN activities a ON a.unit_n = c.descendant_n';
    where.push('c.ancestor_n = (SELECT unit_n FROM unit_keys WHERE org_unit_id = ?)');
    params.push(filter.orgUnitId);
  }
  if (filter.from !== undefined) {
    where.push('a.start_date >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('a.start_date <= ?');
    params.push(filter.to);
  }
  if (filter.status === 'overdue') {
    where.push(`a.status = 'planned' AND a.end_date <= ? AND ${LIVE_RECORDS} = 0`);
    params.push(overdueUpTo);
  } else if (filter.status !== undefined) {
    where.push('a.status = ?');
    params.push(filter.status);
  }
  const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${from} ${condition}`, params))!.n;
  const rows = await db.all<ActivityRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${from} LEFT JOIN org_units u ON u.unit_n = a.unit_n ${condition}
    ORDER BY a.starts_at DESC, a.activity_id LIMIT ? OFFSET ?`, [...params, filter.limit ?? 100, filter.offset ?? 0]);
  return { total, activities: rows.map((r) => summaryOf(r, overdueUpTo, calendar)) };
}

export interface OverdueActivity {
  activityId: string; title: string; orgUnitId: string; orgUnitName: string | null; category: string;
  startsAt: string; endsAt: string; recordsDueBy: string; enrolled: number;
}

/**
 * Activities of the unit's subtree whose records are overdue on `today`
 * (whatever month they were in), the longest overdue first; at most `limit`.
 */
export function overdueActivities(
  db: ReadModels, orgUnitId: string, today: string, calendar: WorkingDayCalendar, limit = 50,
): Promise<{ total: number; activities: OverdueActivity[] }> {
  return db.consistent((db) => overdueActivitiesOn(db, orgUnitId, today, calendar, limit));
}

async function overdueActivitiesOn(
  db: ReadModels, orgUnitId: string, today: string, calendar: WorkingDayCalendar, limit: number,
): Promise<{ total: number; activities: OverdueActivity[] }> {
  const upTo = latestOverdueEndDate(today, calendar);
  const base = `FROM org_unit_closure c JOIN activities a ON a.unit_n = c.descendant_n
    WHERE c.ancestor_n = (SELECT unit_n FROM unit_keys WHERE org_unit_id = ?) AND a.status = 'planned' AND a.end_date <= ? AND ${LIVE_RECORDS} = 0`;
  const total = (await db.get<{ n: number }>(`SELECT count(*) AS n ${base}`, [orgUnitId, upTo]))!.n;
  const rows = await db.all<{
    activity_id: string; title: string; org_unit_id: string; org_unit_name: string | null; category: string; starts_at: string; ends_at: string; end_date: string; enrolled: number;
  }>(`SELECT a.activity_id, a.title, (SELECT k.org_unit_id FROM unit_keys k WHERE k.unit_n = a.unit_n) AS org_unit_id,
      a.category, a.starts_at, a.ends_at, a.end_date, (SELECT name FROM org_units u WHERE u.unit_n = a.unit_n) AS org_unit_name,
      (SELECT count(*) FROM activity_roster e WHERE e.activity_n = a.activity_n AND e.enrolled = 1) AS enrolled
    ${base} ORDER BY a.ends_at, a.activity_id LIMIT ?`, [orgUnitId, upTo, limit]);
  return {
    total,
    activities: rows.map((r) => ({
      activityId: r.activity_id, title: r.title, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, category: r.category,
      startsAt: r.starts_at, endsAt: r.ends_at, recordsDueBy: recordsDueBy(r.end_date, calendar), enrolled: r.enrolled,
    })),
  };
}
