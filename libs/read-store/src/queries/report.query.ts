import { SERVICE_CATEGORIES, SERVICE_CATEGORY_CODES, type ServiceCategory } from '@haitang/domain';
import { named, type ReadModels } from '../read-models.port';
import { type DayRange, monthsBetween } from './calendar';
import { hoursOf } from './hours';
import { orgUnitName, registeredUnit } from './org-units.query';

export const REPORT_GROUPINGS = ['child', 'category', 'month', 'group'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** The label of the row that holds a unit's own records (those not recorded on any unit under it). */
export const OWN_LEVEL_LABEL = '本级';

/**
 * groupBy=group rows are disjoint: each volunteer lands in exactly one, the
 * first that applies in this order. (The dashboard's byGroup overlaps instead.)
 */
export const REPORT_GROUPS = [
  { key: 'partyMember', label: '党员' },
  { key: 'senior', label: '银发（非党员）' },
  { key: 'courier', label: '快递员（非党员、非银发）' },
  { key: 'foodDelivery', label: '外卖骑手（非党员、非银发）' },
  { key: 'rideHailing', label: '网约车司机（非党员、非银发）' },
  { key: 'other', label: '其他' },
] as const;

const GROUP_OF_VOLUNTEER = `CASE WHEN v.party_member = 1 THEN 'partyMember' WHEN v.senior = 1 THEN 'senior'
  WHEN v.occupation = 'courier' THEN 'courier' WHEN v.occupation = 'food-delivery' THEN 'foodDelivery'
  WHEN v.occupation = 'ride-hailing' THEN 'rideHailing' ELSE 'other' END`;

export interface ReportFigures {
  /** Approved minutes of records whose service date is in the range. */
  serviceMinutes: number;
  serviceHours: number;
  /** Completed activities whose start day is in the range. */
  activities: number;
  /** Distinct volunteers with approved minutes in the range. */
  volunteers: number;
}

export interface ReportRow extends ReportFigures {
  key: string;
  label: string;
}

export interface OrgUnitReport {
  orgUnitId: string;
  orgUnitName: string | null;
  from: string;
  to: string;
  groupBy: ReportGrouping;
  rows: ReportRow[];
  total: ReportFigures;
  /** Which columns of the rows add up to the total (serviceMinutes always does). */
  additive: { serviceMinutes: true; activities: boolean; volunteers: boolean };
}

/** Rows keyed by dimension, from the records and from the activities. */
interface Dimension {
  /** Every row, in order, zeros included. */
  keys(db: ReadModels, orgUnitId: string, unit: number, range: DayRange): Promise<{ key: string; label: string }[]> | { key: string; label: string }[];
  /** Approved minutes and distinct volunteers per key: named parameters @unit (the unit's integer key), @from, @to. */
  recordsSql: string;
  /** Completed activities per key. */
  activitiesSql: string;
  /** The label of a key that turns up in the data without being in `keys` (e.g. a category newer than this code). */
  labelOf(key: string): string;
}

/** Approved records in the range: served by the partial index service_records_approved (unit, day, volunteer, category, minutes). */
const APPROVED_IN_RANGE = `r.status = 'approved' AND r.service_date >= @from AND r.service_date <= @to`;
const COMPLETED_IN_RANGE = `a.status = 'completed' AND a.start_date >= @from AND a.start_date <= @to`;
const SUBTREE_RECORDS = `org_unit_closure c JOIN service_records r ON r.unit_n = c.descendant_n WHERE c.ancestor_n = @unit AND ${APPROVED_IN_RANGE}`;
const SUBTREE_ACTIVITIES = `org_unit_closure c JOIN activities a ON a.unit_n = c.descendant_n WHERE c.ancestor_n = @unit AND ${COMPLETED_IN_RANGE}`;

/** Every unit of the subtree mapped to its row: the child it lies under, or the unit itself for its own records. */
const ROW_OF_UNIT = `WITH row_of_unit(unit_n, row_n) AS (
    SELECT CAST(@unit AS INTEGER), CAST(@unit AS INTEGER)
    UNION ALL
    SELECT below.descendant_n, child.descendant_n FROM org_unit_closure child
      JOIN org_unit_closure below ON below.ancestor_n = child.descendant_n
    WHERE child.ancestor_n = @unit AND child.depth = 1)`;
const ROW_KEY = '(SELECT k.org_unit_id FROM unit_keys k WHERE k.unit_n = m.row_n)';

const DIMENSIONS: Record<ReportGrouping, Dimension> = {
  child: {
    keys: async (db, orgUnitId, unit) => [
      ...(await db.all<{ key: string; label: string }>(`SELECT k.org_unit_id AS key, u.name AS label FROM org_units u JOIN unit_keys k ON k.unit_n = u.unit_n
        WHERE u.parent_n = ? ORDER BY u.registered_position`, [unit])),
      { key: orgUnitId, label: OWN_LEVEL_LABEL },
    ],
    recordsSql: `${ROW_OF_UNIT} SELECT ${ROW_KEY} AS key, sum(r.minutes) AS minutes, count(DISTINCT r.volunteer_n) AS volunteers
      FROM row_of_unit m JOIN service_records r ON r.unit_n = m.unit_n WHERE ${APPROVED_IN_RANGE} GROUP BY m.row_n`,
    activitiesSql: `${ROW_OF_UNIT} SELECT ${ROW_KEY} AS key, count(*) AS activities
      FROM row_of_unit m JOIN activities a ON a.unit_n = m.unit_n WHERE ${COMPLETED_IN_RANGE} GROUP BY m.row_n`,
    labelOf: (key) => key,
  },
  category: {
    keys: () => SERVICE_CATEGORY_CODES.map((code) => ({ key: code, label: SERVICE_CATEGORIES[code] })),
    recordsSql: `SELECT r.category AS key, sum(r.minutes) AS minutes, count(DISTINCT r.volunteer_n) AS volunteers FROM ${SUBTREE_RECORDS} GROUP BY r.category`,
    activitiesSql: `SELECT a.category AS key, count(*) AS activities FROM ${SUBTREE_ACTIVITIES} GROUP BY a.category`,
    labelOf: (key) => SERVICE_CATEGORIES[key as ServiceCategory] ?? key,
  },
  month: {
    keys: (_db, _orgUnitId, _unit, range) => monthsBetween(range.from, range.to).map((m) => ({ key: m, label: `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月` })),
    recordsSql: `SELECT substr(r.service_date, 1, 7) AS key, sum(r.minutes) AS minutes, count(DISTINCT r.volunteer_n) AS volunteers
      FROM ${SUBTREE_RECORDS} GROUP BY key`,
    activitiesSql: `SELECT substr(a.start_date, 1, 7) AS key, count(*) AS activities FROM ${SUBTREE_ACTIVITIES} GROUP BY key`,
    labelOf: (key) => key,
  },
  group: {
    keys: () => REPORT_GROUPS.map((g) => ({ key: g.key, label: g.label })),
    recordsSql: `SELECT ${GROUP_OF_VOLUNTEER} AS key, sum(r.minutes) AS minutes, count(DISTINCT r.volunteer_n) AS volunteers
      FROM org_unit_closure c JOIN service_records r ON r.unit_n = c.descendant_n LEFT JOIN volunteers v ON v.volunteer_n = r.volunteer_n
      WHERE c.ancestor_n = @unit AND ${APPROVED_IN_RANGE} GROUP BY key`,
    // An activity counts in every group that has a volunteer with an approved record for it: these overlap.
    activitiesSql: `SELECT ${GROUP_OF_VOLUNTEER} AS key, count(DISTINCT a.activity_id) AS activities
      FROM org_unit_closure c JOIN activities a ON a.unit_n = c.descendant_n
      JOIN service_records r ON r.activity_id = a.activity_id AND r.status = 'approved'
      LEFT JOIN volunteers v ON v.volunteer_n = r.volunteer_n
      WHERE c.ancestor_n = @unit AND ${COMPLETED_IN_RANGE} GROUP BY key`,
    labelOf: (key) => key,
  },
};

/**
 * A unit's report over a day range, grouped by child unit, category, month or
 * volunteer group. Rows are the whole dimension (zeros included), and every
 * approved minute of the subtree in the range lands in exactly one row, so
 * the rows' serviceMinutes always add up to the total. `volunteers` of the
 * total counts distinct people (one volunteer may be in several rows);
 * `activities` adds up except for groupBy=group. See docs/read-side.md.
 */
export function orgUnitReport(db: ReadModels, orgUnitId: string, range: DayRange, groupBy: ReportGrouping): Promise<OrgUnitReport> {
  return db.consistent((db) => orgUnitReportOn(db, orgUnitId, range, groupBy));
}

async function orgUnitReportOn(db: ReadModels, orgUnitId: string, range: DayRange, groupBy: ReportGrouping): Promise<OrgUnitReport> {
  const dimension = DIMENSIONS[groupBy];
  const unit = (await registeredUnit(db, orgUnitId)) ?? -1;
  const params = { unit, from: range.from, to: range.to };
  const rows = new Map<string, ReportRow>();
  const rowOf = (key: string, label = dimension.labelOf(key)) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, label, serviceMinutes: 0, serviceHours: 0, activities: 0, volunteers: 0 }));
    return row;
  };
  for (const { key, label } of await dimension.keys(db, orgUnitId, unit, range)) rowOf(key, label);
  for (const r of await db.all<{ key: string; minutes: number; volunteers: number }>(...named(dimension.recordsSql, params))) {
    const row = rowOf(r.key);
    row.serviceMinutes = r.minutes;
    row.serviceHours = hoursOf(r.minutes);
    row.volunteers = r.volunteers;
  }
  for (const a of await db.all<{ key: string; activities: number }>(...named(dimension.activitiesSql, params))) rowOf(a.key).activities = a.activities;

  const all = [...rows.values()];
  const sum = (figure: (row: ReportRow) => number) => all.reduce((total, row) => total + figure(row), 0);
  // Every approved minute is in exactly one row; so is every activity, except for groups; and every volunteer, only for groups.
  const serviceMinutes = sum((row) => row.serviceMinutes);
  const activities = groupBy !== 'group' ? sum((row) => row.activities)
    : (await db.get<{ n: number }>(...named(`SELECT count(*) AS n FROM ${SUBTREE_ACTIVITIES}`, params)))!.n;
  const volunteers = groupBy === 'group' ? sum((row) => row.volunteers)
    : (await db.get<{ n: number }>(...named(`SELECT count(DISTINCT r.volunteer_n) AS n FROM ${SUBTREE_RECORDS}`, params)))!.n;
  return {
    orgUnitId, orgUnitName: await orgUnitName(db, orgUnitId), from: range.from, to: range.to, groupBy,
    rows: all,
    total: { serviceMinutes, serviceHours: hoursOf(serviceMinutes), activities, volunteers },
    additive: { serviceMinutes: true, activities: groupBy !== 'group', volunteers: groupBy === 'group' },
  };
}
