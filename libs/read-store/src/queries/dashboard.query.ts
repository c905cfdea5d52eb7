import type { WorkingDayCalendar } from '@haitang/domain';
import type { ReadModels } from '../read-models.port';
import { instantsOf, monthRange } from './calendar';
import { hoursOf } from './hours';
import { overdueActivities, type OverdueActivity } from './activities.query';
import { orgUnitName, registeredUnit } from './org-units.query';

/** The volunteer groups of DESIGN §3 that dashboards count. They overlap: a senior party member is in both. */
export const VOLUNTEER_GROUPS = ['partyMember', 'senior', 'courier', 'foodDelivery', 'rideHailing'] as const;
export type VolunteerGroup = (typeof VOLUNTEER_GROUPS)[number];

export interface OrgUnitDashboard {
  orgUnitId: string;
  orgUnitName: string | null;
  /** YYYY-MM, Asia/Shanghai. */
  period: string;
  from: string;
  to: string;
  /** Completed activities of the subtree whose start falls in the period. */
  activities: number;
  /** Approved minutes of the subtree's records whose service date falls in the period. */
  serviceMinutes: number;
  serviceHours: number;
  /** Minutes of self-reports in the period still waiting for approval (not in serviceMinutes). */
  pendingMinutes: number;
  /** Distinct volunteers with approved minutes in the period. */
  activeVolunteers: number;
  /** Volunteers registered in the period whose home unit is in the subtree. */
  newVolunteers: number;
  byCategory: Record<string, number>;
  /** Overlapping groups, by the volunteers' current profile: volunteers with approved minutes, and those minutes. */
  byGroup: Record<VolunteerGroup, { volunteers: number; minutes: number }>;
  /** The ten volunteers with the most approved minutes in the period (ties: by id). */
  topVolunteers: { volunteerId: string; displayName: string | null; minutes: number; hours: number }[];
  /** Activities of the subtree overdue on `asOf`, whatever their month, oldest first (at most 50; `overdueCount` counts them all). */
  overdueActivities: OverdueActivity[];
  overdueCount: number;
  /** The day overdue is judged on (today, Asia/Shanghai). */
  asOf: string;
}

/** The records of a unit's subtree (by its integer key) in a day range: the common table of the aggregates below. */
const SUBTREE_RECORDS = `org_unit_closure c JOIN service_records r ON r.unit_n = c.descendant_n
  WHERE c.ancestor_n = ? AND r.service_date >= ? AND r.service_date <= ?`;

/**
 * A unit's month, a handful of SQL aggregates over the closure table: a
 * community sees itself, a street or district its whole subtree.
 */
export function orgUnitDashboard(
  db: ReadModels, orgUnitId: string, period: string, today: string, calendar: WorkingDayCalendar,
): Promise<OrgUnitDashboard> {
  return db.consistent((db) => orgUnitDashboardOn(db, orgUnitId, period, today, calendar));
}

async function orgUnitDashboardOn(db: ReadModels, orgUnitId: string, period: string, today: string, calendar: WorkingDayCalendar): Promise<OrgUnitDashboard> {
  const { from, to } = monthRange(period);
  const args = [(await registeredUnit(db, orgUnitId)) ?? -1, from, to];

  // Approved and pending records apart: each has its own partial index (service_records_approved, service_records_pending).
  const approvedByCategory = await db.all<{ category: string; minutes: number }>(`SELECT r.category, sum(r.minutes) AS minutes FROM ${SUBTREE_RECORDS}
    AND r.status = 'approved' GROUP BY r.category`, args);
  const byCategory: Record<string, number> = {};
  let serviceMinutes = 0;
  for (const row of approvedByCategory) {
    byCategory[row.category] = row.minutes;
    serviceMinutes += row.minutes;
  }
  const pendingMinutes = (await db.get<{ m: number }>(`SELECT coalesce(sum(r.minutes), 0) AS m FROM ${SUBTREE_RECORDS} AND r.status = 'pending'`, args))!.m;

  const perVolunteer = `WITH pv AS (SELECT r.volunteer_n, sum(r.minutes) AS minutes FROM ${SUBTREE_RECORDS} AND r.status = 'approved' GROUP BY r.volunteer_n)`;
  // Counted with CASE (not sum(boolean)): the same SQL for SQLite and PostgreSQL.
  const groups = (await db.get<Record<string, number>>(`${perVolunteer}
    SELECT count(*) AS active,
      coalesce(sum(CASE WHEN v.party_member = 1 THEN 1 ELSE 0 END), 0) AS party_v, coalesce(sum(CASE WHEN v.party_member = 1 THEN pv.minutes END), 0) AS party_m,
      coalesce(sum(CASE WHEN v.senior = 1 THEN 1 ELSE 0 END), 0) AS senior_v, coalesce(sum(CASE WHEN v.senior = 1 THEN pv.minutes END), 0) AS senior_m,
      coalesce(sum(CASE WHEN v.occupation = 'courier' THEN 1 ELSE 0 END), 0) AS courier_v, coalesce(sum(CASE WHEN v.occupation = 'courier' THEN pv.minutes END), 0) AS courier_m,
      coalesce(sum(CASE WHEN v.occupation = 'food-delivery' THEN 1 ELSE 0 END), 0) AS food_v, coalesce(sum(CASE WHEN v.occupation = 'food-delivery' THEN pv.minutes END), 0) AS food_m,
      coalesce(sum(CASE WHEN v.occupation = 'ride-hailing' THEN 1 ELSE 0 END), 0) AS ride_v, coalesce(sum(CASE WHEN v.occupation = 'ride-hailing' THEN pv.minutes END), 0) AS ride_m
    FROM pv LEFT JOIN volunteers v ON v.volunteer_n = pv.volunteer_n`, args))!;
  const top = await db.all<{ volunteer_id: string; display_name: string | null; minutes: number }>(`${perVolunteer}
    SELECT k.volunteer_id, v.display_name, pv.minutes FROM pv JOIN volunteer_keys k ON k.volunteer_n = pv.volunteer_n
      LEFT JOIN volunteers v ON v.volunteer_n = pv.volunteer_n
    ORDER BY pv.minutes DESC, k.volunteer_id LIMIT 10`, args);

  const activities = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM org_unit_closure c JOIN activities a ON a.unit_n = c.descendant_n
    WHERE c.ancestor_n = ? AND a.start_date >= ? AND a.start_date <= ? AND a.status = 'completed'`, args))!.n;
  const { start, end } = instantsOf({ from, to });
  const newVolunteers = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM org_unit_closure c JOIN volunteers v ON v.home_unit_n = c.descendant_n
    WHERE c.ancestor_n = ? AND v.registered_at >= ? AND v.registered_at < ?`, [args[0], start, end]))!.n;
  const overdue = await overdueActivities(db, orgUnitId, today, calendar);

  return {
    orgUnitId, orgUnitName: await orgUnitName(db, orgUnitId), period, from, to,
    activities, serviceMinutes, serviceHours: hoursOf(serviceMinutes), pendingMinutes,
    activeVolunteers: groups.active, newVolunteers, byCategory,
    byGroup: {
      partyMember: { volunteers: groups.party_v, minutes: groups.party_m },
      senior: { volunteers: groups.senior_v, minutes: groups.senior_m },
      courier: { volunteers: groups.courier_v, minutes: groups.courier_m },
      foodDelivery: { volunteers: groups.food_v, minutes: groups.food_m },
      rideHailing: { volunteers: groups.ride_v, minutes: groups.ride_m },
    },
    topVolunteers: top.map((t) => ({ volunteerId: t.volunteer_id, displayName: t.display_name, minutes: t.minutes, hours: hoursOf(t.minutes) })),
    overdueActivities: overdue.activities,
    overdueCount: overdue.total,
    asOf: today,
  };
}
